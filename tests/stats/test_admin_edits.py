"""What an admin edit must pass before anything is saved: no lost update (the later of two
concurrent saves is refused, naming who saved first and when), no control character in a text
field, and a quantity that is what its words read as unless the analyst says why not (the
reason is kept on the row and in the history, and verify_corpus lists it apart)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from stats import ingest
from stats.integrity import Problem, verify_corpus
from stats.models import Candidate, Observation

pytestmark = pytest.mark.django_db


def _client(username: str) -> Client:
    user = get_user_model().objects.create_superuser(username, f"{username}@example.org", "pw-x-1")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def analyst() -> Client:
    return _client("analyst")


@pytest.fixture
def colleague() -> Client:
    return _client("colleague")


def url(obj: Observation | Candidate) -> str:
    return f"/admin/stats/{obj._meta.model_name}/{obj.pk}/change/"


def open_form(client: Client, obj: Observation | Candidate) -> dict[str, Any]:
    """The change form as the page has it: every field's value, as the browser would send it."""
    page = client.get(url(obj))
    assert page.status_code == 200
    form = page.context["adminform"].form
    return {name: "" if form[name].value() is None else form[name].value() for name in form.fields}


def save(client: Client, obj: Observation | Candidate, form: dict[str, Any], **changes: Any):  # type: ignore[no-untyped-def]
    return client.post(url(obj), {**form, **changes, "_save": "Save"})


def errors(response) -> list[str]:  # type: ignore[no-untyped-def]
    return list(response.context["adminform"].form.non_field_errors())


def jimei_members() -> Observation:
    return Observation.objects.get(document__slug="jimei-2021", figure_start=444)


def fuzhou_pages() -> Observation:
    return Observation.objects.get(document__slug="fuzhou-2021", figure_start=440)


# --- two analysts, one observation -----------------------------------------------------------


def test_the_later_of_two_concurrent_saves_is_refused_naming_who_saved_first_and_when(
    analyst: Client, colleague: Client
):
    figure = jimei_members()
    assert figure.raw == "1.6万名"
    records = figure.history.count()
    first, second = open_form(analyst, figure), open_form(colleague, figure)
    assert first["loaded_version"] == second["loaded_version"] != "0"

    assert save(analyst, figure, first, note="checked against the 2021 report").status_code == 302
    refused = save(colleague, figure, second, note="colleague's note")

    assert refused.status_code == 200
    newest = figure.history.order_by("-history_id").first()
    when = timezone.localtime(newest.history_date).strftime("%Y-%m-%d %H:%M:%S %z")
    assert errors(refused) == [
        f"analyst changed this observation at {when}, after you opened it; nothing was saved. "
        "Reload the page to see their change, then make yours again."
    ]
    figure.refresh_from_db()
    assert figure.note == "checked against the 2021 report"
    assert figure.history.count() == records + 1

    # Reloaded, the colleague sees the analyst's note and saves over it knowingly.
    reloaded = open_form(colleague, figure)
    assert reloaded["note"] == "checked against the 2021 report"
    assert save(colleague, figure, reloaded, note="colleague's note").status_code == 302
    figure.refresh_from_db()
    assert figure.note == "colleague's note"
    assert figure.history.order_by("-history_id").first().history_user.username == "colleague"


def test_a_change_made_by_a_command_is_named_so(analyst: Client):
    figure = jimei_members()
    opened = open_form(analyst, figure)
    figure.note = "reloaded"
    figure._change_reason = "load_corpus"
    figure.save()
    newest = figure.history.order_by("-history_id").first()
    when = timezone.localtime(newest.history_date).strftime("%Y-%m-%d %H:%M:%S %z")
    refused = save(analyst, figure, opened, note="mine")
    assert errors(refused) == [
        f"a command (no login) changed this observation at {when} (load_corpus), after you "
        "opened it; nothing was saved. Reload the page to see their change, then make yours "
        "again."
    ]
    figure.refresh_from_db()
    assert figure.note == "reloaded"


def test_a_save_that_does_not_say_its_version_is_refused(analyst: Client):
    figure = jimei_members()
    note = figure.note
    form = open_form(analyst, figure)
    del form["loaded_version"]
    refused = save(analyst, figure, form, note="no version")
    assert errors(refused) == [
        "This form does not say which version of the observation it was opened on; nothing "
        "was saved. Reload the page and make the change again."
    ]
    figure.refresh_from_db()
    assert figure.note == note


def test_the_later_of_two_concurrent_candidate_reviews_is_refused(
    analyst: Client, colleague: Client
):
    _, candidates = ingest.ingest_article(
        ingest.Article(
            text="2023年，杏林街道有党员2860名。\n",
            title="杏林",
            outlet="测试",
            published=date(2024, 1, 15),
            district="350211",
            slug="xinglin-2024",
        )
    )
    candidate = next(c for c in candidates if c.raw == "2860名")
    first, second = open_form(analyst, candidate), open_form(colleague, candidate)
    assert save(analyst, candidate, first, note="a branch count, not members").status_code == 302
    refused = save(colleague, candidate, second, decision="reject", reason="structure")
    newest = candidate.history.order_by("-history_id").first()
    when = timezone.localtime(newest.history_date).strftime("%Y-%m-%d %H:%M:%S %z")
    assert errors(refused) == [
        f"analyst changed this candidate at {when}, after you opened it; nothing was saved. "
        "Reload the page to see their change, then make yours again."
    ]
    candidate.refresh_from_db()
    assert (candidate.status, candidate.note) == ("pending", "a branch count, not members")


# --- control characters -----------------------------------------------------------------------


def test_a_nul_in_an_observation_note_is_refused_naming_where_it_is(analyst: Client):
    figure = jimei_members()
    note = figure.note
    refused = save(analyst, figure, open_form(analyst, figure), note="核对\x00原文")
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["note"] == [
        "This text has control character U+0000 (NUL) at offset 2 (line 1, column 3): only "
        "tab, line feed and carriage return may appear."
    ]
    figure.refresh_from_db()
    assert figure.note == note


def test_an_escape_in_a_candidate_sub_unit_is_refused_and_a_tab_in_a_note_kept(analyst: Client):
    _, candidates = ingest.ingest_article(
        ingest.Article(
            text="2023年，杏林街道有党员2860名。\n",
            title="杏林",
            outlet="测试",
            published=date(2024, 1, 15),
            district="350211",
            slug="xinglin-2024",
        )
    )
    candidate = next(c for c in candidates if c.raw == "2860名")
    form = open_form(analyst, candidate)
    refused = save(analyst, candidate, form, sub_unit="杏林\x1b街道")
    assert refused.context["adminform"].form.errors["sub_unit"] == [
        "This text has control character U+001B (ESC) at offset 2 (line 1, column 3): only "
        "tab, line feed and carriage return may appear."
    ]
    assert save(analyst, candidate, form, note="第一行\r\n\t第二行").status_code == 302
    candidate.refresh_from_db()
    assert (candidate.sub_unit, candidate.note) == ("", "第一行\r\n\t第二行")


# --- the figure and its words -----------------------------------------------------------------

#: 250多页 read as more than 250 and, by convention, below 260; edited to "more than 251".
MORE_THAN_251 = {
    "value": "251",
    "lower_bound": "251",
    "lower_inclusive": "false",
    "upper_bound": "",
    "upper_inclusive": "unknown",
    "upper_by_convention": "",
    "qualifier": "more_than",
}
REFUSED_251 = (
    "250多页 reads as more than 250 and below 260 (more_than_bounded), not more than 251 "
    "(more_than); nothing was saved. To keep a figure that departs from its words, say why in "
    "“reason for departing from the words”."
)
REASON = "the printed edition counts 251 pages; the web text rounds"


def test_an_edit_that_departs_from_the_words_is_refused_saying_what_they_read_as(
    analyst: Client,
):
    figure = fuzhou_pages()
    assert (figure.raw, figure.value, figure.upper_bound, figure.qualifier) == (
        "250多页",
        Decimal(250),
        Decimal(260),
        "more_than_bounded",
    )
    form = open_form(analyst, figure)
    refused = save(analyst, figure, form, **MORE_THAN_251)
    assert refused.status_code == 200
    assert errors(refused) == [REFUSED_251]
    figure.refresh_from_db()
    assert (figure.value, figure.qualifier) == (Decimal(250), "more_than_bounded")


def test_a_quantity_without_the_shape_of_its_qualifier_is_refused_even_with_a_reason(
    analyst: Client,
):
    """The finding as reported: the value and qualifier changed, the bounds left as they were."""
    figure = fuzhou_pages()
    form = open_form(analyst, figure)
    refused = save(
        analyst, figure, form, value="251", qualifier="more_than", departure_reason=REASON
    )
    assert errors(refused) == [
        "The quantity does not have the shape more_than gives: lower bound 250.0000 is not "
        "the value 251; has a upper bound (260.0000) that its qualifier does not give; "
        "upper_by_convention is True, but more_than does not take its upper bound by "
        "convention."
    ]
    figure.refresh_from_db()
    assert figure.value == Decimal(250)


def test_with_a_reason_the_departure_is_kept_in_the_history_and_verify_corpus_lists_it(
    analyst: Client, capsys: pytest.CaptureFixture[str]
):
    figure = fuzhou_pages()
    form = open_form(analyst, figure)
    saved = save(analyst, figure, form, **MORE_THAN_251, departure_reason=REASON)
    assert saved.status_code == 302
    figure.refresh_from_db()
    assert (figure.value, figure.lower_bound, figure.upper_bound, figure.qualifier) == (
        Decimal(251),
        Decimal(251),
        None,
        "more_than",
    )
    assert figure.departure_reason == REASON
    newest = figure.history.order_by("-history_id").first()
    assert newest.history_change_reason == f"departs from its words: {REASON}"
    assert (newest.history_user.username, newest.departure_reason) == ("analyst", REASON)

    # verify_corpus: not a problem, but listed apart with its reason and what differs.
    report = verify_corpus()
    assert report.ok, [str(p) for p in report.problems]
    assert report.departures == [
        Problem(
            "departs from its words",
            "observation fuzhou-2021:440",
            f"{REASON} (value is Decimal('251.0000'), but '250多页' reads Decimal('250'); "
            "lower_bound is Decimal('251.0000'), but '250多页' reads Decimal('250'); "
            "upper_bound is None, but '250多页' reads Decimal('260'); "
            "upper_inclusive is None, but '250多页' reads False; "
            "upper_by_convention is False, but '250多页' reads True; "
            "qualifier is 'more_than', but '250多页' reads 'more_than_bounded')",
        )
    ]
    call_command("verify_corpus")
    out = capsys.readouterr().out
    assert out.startswith(
        "1 figure(s) depart from their words, for a reason given in admin:\n"
        f"departs from its words: observation fuzhou-2021:440: {REASON} (value is"
    )
    assert "corpus verified: " in out

    # Without the reason (written past admin), the same figure is a problem again.
    Observation.objects.filter(pk=figure.pk).update(departure_reason="")
    assert [(p.check, p.row) for p in verify_corpus().problems][:1] == [
        ("reading", "observation fuzhou-2021:440")
    ]


def test_bringing_the_figure_back_to_its_words_clears_the_reason(analyst: Client):
    figure = fuzhou_pages()
    assert (
        save(
            analyst, figure, open_form(analyst, figure), **MORE_THAN_251, departure_reason=REASON
        ).status_code
        == 302
    )
    back = {
        "value": "250",
        "lower_bound": "250",
        "lower_inclusive": "false",
        "upper_bound": "260",
        "upper_inclusive": "false",
        "upper_by_convention": "on",
        "qualifier": "more_than_bounded",
    }
    assert save(analyst, figure, open_form(analyst, figure), **back).status_code == 302
    figure.refresh_from_db()
    assert (figure.value, figure.qualifier, figure.departure_reason) == (
        Decimal(250),
        "more_than_bounded",
        "",
    )
    assert verify_corpus().ok


def test_an_edit_that_keeps_the_words_needs_no_reason(analyst: Client):
    figure = jimei_members()
    saved = save(analyst, figure, open_form(analyst, figure), note="人数核对无误")
    assert saved.status_code == 302
    figure.refresh_from_db()
    assert (figure.note, figure.departure_reason, figure.value) == ("人数核对无误", "", 16000)


def test_a_long_reason_is_kept_whole_on_the_row_and_shortened_in_the_change_reason(
    analyst: Client,
):
    """The history's change reason holds 100 characters (PostgreSQL enforces it)."""
    reason = "the printed edition, page 3, counts 251 pages; " * 4
    figure = fuzhou_pages()
    saved = save(
        analyst, figure, open_form(analyst, figure), **MORE_THAN_251, departure_reason=reason
    )
    assert saved.status_code == 302
    newest = figure.history.order_by("-history_id").first()
    assert newest.departure_reason == reason.strip()
    assert newest.history_change_reason == (
        "departs from its words: the printed edition, page 3, counts 251 pages; the printed "
        "edition, page 3,…"
    )
    assert len(newest.history_change_reason) == 100
