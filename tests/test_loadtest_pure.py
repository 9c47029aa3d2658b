"""The load test's pure parts (loadtest/run.py): form and cookie handling as a browser does it,
and the checks that decide whether a run lost a write."""

from __future__ import annotations

from email.message import Message
from pathlib import Path

import pytest

from loadtest.run import (
    Ack,
    HistoryRow,
    assign_observations,
    check_admin_log,
    check_final_notes,
    check_history,
    check_unchanged,
    cookie_header,
    is_loopback_url,
    overlapping_writes,
    parse_args,
    parse_form,
    percentile,
    server_log_problems,
    update_cookies,
    with_field,
)

CHANGE_PAGE = """
<form id="logout-form" method="post" action="/admin/logout/">
  <input type="hidden" name="csrfmiddlewaretoken" value="other">
  <button type="submit">Log out</button>
</form>
<form enctype="multipart/form-data" method="post" id="observation_form" novalidate>
  <input type="hidden" name="csrfmiddlewaretoken" value="tok&amp;en">
  <select name="indicator" required id="id_indicator" class="admin-autocomplete">
    <option value="">---------</option>
    <option value="7" selected>party members</option>
  </select>
  <select name="tier" id="id_tier"><option value="" selected>---------</option></select>
  <select name="period_kind" id="id_period_kind">
    <option value="stock">stock</option><option value="flow">flow</option>
  </select>
  <select name="lower_inclusive" id="id_lower_inclusive">
    <option value="unknown">Unknown</option><option value="true" selected>Yes</option>
    <option value="false">No</option>
  </select>
  <select name="districts" multiple>
    <option value="1" selected>A</option><option value="2">B</option>
    <option value="3" selected>C</option>
  </select>
  <input type="text" name="period_start" value="2023/12/31" id="id_period_start">
  <input type="number" name="value" value="16000" step="any" id="id_value">
  <input type="checkbox" name="upper_by_convention" id="id_upper_by_convention" checked>
  <input type="checkbox" name="lower_open" value="yes">
  <input type="text" name="locked" value="x" disabled>
  <textarea name="note" cols="40" rows="10" id="id_note">
line one
&lt;two&gt;</textarea>
  <input type="submit" value="Save" class="default" name="_save">
  <input type="submit" value="Save and continue editing" name="_continue">
</form>
<input type="search" name="q" value="outside every form">
"""


def test_percentile_is_nearest_rank() -> None:
    values = [float(n) for n in range(100, 0, -1)]
    assert (percentile(values, 50), percentile(values, 95), percentile(values, 99)) == (
        50.0,
        95.0,
        99.0,
    )
    assert percentile([3.0], 99) == 3.0
    assert percentile([], 50) == 0.0


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("postgres://postgres@127.0.0.1:5432/party_stats_loadtest", True),
        ("postgres://postgres@localhost/party_stats_loadtest", True),
        ("postgres://postgres@[::1]:5432/x_loadtest", True),
        ("postgres:///party_stats_loadtest", True),  # a local socket
        ("redis://127.0.0.1:6379/13", True),
        ("sqlite:////tmp/x.sqlite3", True),
        ("postgres://postgres@db.example.org/party_stats_loadtest", False),
        ("redis://10.0.0.5:6379/0", False),
    ],
)
def test_only_this_machine_counts_as_loopback(url: str, loopback: bool) -> None:
    assert is_loopback_url(url) is loopback


def test_arguments_are_bounded_and_loopback_only() -> None:
    assert parse_args(["--seconds", "30"]).seconds == 30
    for argv in (
        ["--seconds", "301"],
        ["--seconds", "0"],
        ["--writers", "32"],
        ["--database-url", "postgres://postgres@192.0.2.1/party_stats_loadtest"],
        ["--redis-url", "redis://192.0.2.1:6379/13"],
    ):
        with pytest.raises(SystemExit):
            parse_args(argv)


def test_writers_get_disjoint_observations_and_share_a_few() -> None:
    own, shared = assign_observations(range(1, 166), writers=4, own=24, shared=8, seed=3)
    assert len(shared) == 8 and all(len(pks) == 24 for pks in own)
    assigned = [pk for pks in own for pk in pks]
    assert len(set(assigned)) == len(assigned)
    assert not set(assigned) & set(shared)
    assert assign_observations(range(1, 166), 4, 24, 8, seed=3) == (own, shared)
    small, common = assign_observations(range(1, 11), writers=4, own=24, shared=2, seed=1)
    assert [len(pks) for pks in small] == [2, 2, 2, 2] and len(common) == 2


def response_headers(*cookies: str) -> Message:
    message = Message()
    for cookie in cookies:
        message["Set-Cookie"] = cookie
    return message


def test_cookies_are_kept_replaced_and_deleted() -> None:
    jar: dict[str, str] = {}
    update_cookies(
        jar,
        response_headers(
            "csrftoken=abc; expires=Sat, 21 Nov 2026 10:00:00 GMT; Max-Age=31449600; Path=/; "
            "SameSite=Lax; Secure",
            "sessionid=s1; HttpOnly; Path=/; Secure; SameSite=Lax",
        ),
    )
    assert jar == {"csrftoken": "abc", "sessionid": "s1"}
    update_cookies(
        jar,
        response_headers(
            "csrftoken=def; Path=/",
            'messages=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/',
            'sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/',
        ),
    )
    assert jar == {"csrftoken": "def"}
    assert cookie_header({"a": "1", "b": "2"}) == "a=1; b=2"


def test_a_form_is_read_as_a_browser_submits_it() -> None:
    fields = parse_form(CHANGE_PAGE, "observation_form")
    assert fields == [
        ("csrfmiddlewaretoken", "tok&en"),
        ("indicator", "7"),
        ("tier", ""),
        ("period_kind", "stock"),  # nothing selected: the first option
        ("lower_inclusive", "true"),
        ("districts", "1"),
        ("districts", "3"),
        ("period_start", "2023/12/31"),
        ("value", "16000"),
        ("upper_by_convention", "on"),
        ("note", "line one\n<two>"),  # less the newline after <textarea>
    ]
    assert parse_form(CHANGE_PAGE, "logout-form") == [("csrfmiddlewaretoken", "other")]
    assert parse_form(CHANGE_PAGE, "login-form") is None


def test_with_field_replaces_every_value_of_a_name() -> None:
    fields = [("a", "1"), ("note", "old"), ("note", "older"), ("b", "2")]
    assert with_field(fields, "note", "new") == [("a", "1"), ("b", "2"), ("note", "new")]


def ack(marker: str, pk: int, sent: float, acked: float, user: str = "u1") -> Ack:
    return Ack(int(user[1:]), user, pk, marker, sent, acked)


def row(hid: int, pk: int, note: str, user: str | None = "u1", kind: str = "~") -> HistoryRow:
    return HistoryRow(hid, pk, note, user, kind, f"2026-01-01T00:00:{hid:02d}+00:00")


ACKS = [ack("m1", 1, 0.0, 1.0), ack("m2", 1, 0.5, 2.0, "u2"), ack("m3", 2, 3.0, 4.0)]
HISTORY = [row(11, 1, "m1"), row(12, 1, "m2", "u2"), row(13, 2, "m3")]
INITIAL = {1: "", 2: "a reviewer's note", 3: ""}
FINAL = {1: "m2", 2: "m3", 3: ""}


def test_a_clean_run_passes_every_check() -> None:
    assert check_history(ACKS, {a.marker: a.pk for a in ACKS}, HISTORY) == []
    assert check_final_notes(ACKS, HISTORY, INITIAL, FINAL) == []
    assert check_admin_log(ACKS, {"u1": 2, "u2": 1}) == []


def test_history_must_hold_each_acknowledged_write_once_and_nothing_else() -> None:
    attempted = {"m1": 1, "m2": 1, "m3": 2, "m4": 3}
    history = [
        row(11, 1, "m1"),
        row(12, 1, "m2", "u1"),  # the wrong analyst
        row(14, 3, "m4"),  # sent, never acknowledged
        row(15, 3, "nobody's"),
        row(16, 1, "m1"),  # twice
    ]
    failures = check_history(ACKS, attempted, history)
    assert len(failures) == 5
    assert "recorded as by 'u1', written by 'u2'" in failures[0]
    assert "committed but never acknowledged" in failures[1]
    assert "which no writer sent" in failures[2]
    assert "'m1' is in history 2 times" in failures[3]
    assert "'m3' to observation 2 is not in history" in failures[4]


def test_a_lost_write_is_found() -> None:
    failures = check_final_notes(ACKS, HISTORY, INITIAL, {**FINAL, 1: "m1"})
    assert failures == [
        "observation 1: note 'm1', but its last change in history is 'm2' (lost write)"
    ]
    assert (
        "without an acknowledged write"
        in check_final_notes(ACKS, HISTORY, INITIAL, {**FINAL, 3: "edited"})[0]
    )
    assert "no history of them" in check_final_notes(ACKS, HISTORY[:2], INITIAL, FINAL)[0]
    # Committed after the last acknowledged write, but answered with an error.
    unacknowledged = [*HISTORY, row(14, 1, "m9")]
    assert check_final_notes(ACKS, unacknowledged, INITIAL, {**FINAL, 1: "m9"}) == [
        "observation 1: note 'm9' is from a write that was not acknowledged (the last "
        "acknowledged one in history: 'm2')"
    ]


def test_history_order_must_agree_with_real_time() -> None:
    # m2 was sent (5.0) after m1 was acknowledged (1.0), yet history records m2 first.
    acks = [ack("m1", 1, 0.0, 1.0), ack("m2", 1, 5.0, 6.0)]
    history = [row(11, 1, "m2"), row(12, 1, "m1")]
    failures = check_final_notes(acks, history, {1: ""}, {1: "m1"})
    assert failures == [
        "observation 1: 'm1' was acknowledged before 'm2' was sent, yet history records it first"
    ]
    # Overlapping writes may land in either order.
    overlapping = [ack("m1", 1, 0.0, 3.0), ack("m2", 1, 1.0, 2.0)]
    assert check_final_notes(overlapping, history, {1: ""}, {1: "m1"}) == []
    assert overlapping_writes(overlapping) == 2
    assert overlapping_writes(acks) == 0


def test_other_columns_must_not_change() -> None:
    before = {"1": {"value": "16000", "tier_id": None}, "2": {"value": "3"}}
    assert check_unchanged(before, before) == []
    after = {"1": {"value": "16000", "tier_id": 4}, "2": {"value": "3"}}
    assert check_unchanged(before, after) == ["observation 1: tier_id changed from None to 4"]


def test_admin_log_counts_are_per_analyst() -> None:
    assert check_admin_log(ACKS, {"u1": 2}) == [
        "admin log: 0 change entries by u2, 1 acknowledged writes"
    ]


def test_server_log_problems(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    log.write_text(
        "[2026-01-01 00:00:00 +0000] [1] [INFO] Booting worker with pid: 2\n"
        '{"level":"INFO","logger":"stats.requests","message":"GET / 200","status":200}\n'
        '{"level":"INFO","logger":"stats.requests","message":"POST / 500","status":500}\n'
        '{"level":"ERROR","logger":"django","message":"database is locked"}\n'
        "[2026-01-01 00:00:00 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:2)\n"
        "Traceback (most recent call last):\n"
    )
    assert len(server_log_problems(log)) == 4
