"""The checks that decide whether a load test run lost a write (loadtest.checks)."""

from __future__ import annotations

from loadtest.checks import (
    Ack,
    HistoryRow,
    check_admin_log,
    check_final_notes,
    check_history,
    check_unchanged,
    overlapping_writes,
)


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
