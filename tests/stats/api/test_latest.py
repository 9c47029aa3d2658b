"""latest=true served from the series table when the filters leave whole series, and by the
window function otherwise: the same answer either way (stats.selectors.latest_observations)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from stats.models import Observation
from stats.selectors import latest_observations
from stats.series import refresh_series

pytestmark = pytest.mark.django_db
API = "/api/v1"
COMPANY = "party_members.350200-HTZ.科华数能._T.level.actual._Z._Z"


def answer(client: Client, values: bool = True, **params: str) -> tuple[dict[str, Any], list[str]]:
    """Series key → value of ?latest=true with ``params`` (each item with values=False), and
    the SQL it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            f"{API}/observations/", {"latest": "true", "page_size": 1000, **params}
        )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["next"] is None
    items = {o["series"]: o["value"] if values else o for o in body["results"]}
    return items, [q["sql"] for q in queries]


def ranked_by_window(**filters: str) -> dict[str, str]:
    """Series key → id of the figure the window function alone ranks latest, over the default
    claims (actual, preferred)."""
    rows = Observation.objects.filter(status="actual", rank="preferred", **filters)
    return {
        series: f"{slug}:{start}"
        for series, slug, start in latest_observations(rows, whole_series=False).values_list(
            "series", "document__slug", "figure_start"
        )
    }


def demote_the_company_s_later_figure() -> Observation:
    """The analyst makes 科华数能's later figure (40, the only claim for its period) a normal
    claim; the series refresh keeps that rank. Returns the figure."""
    later = Observation.objects.get(series=COMPANY, value=40)
    Observation.objects.filter(pk=later.pk).update(
        rank="normal", rank_reason="normal by the analyst"
    )
    refresh_series([COMPANY])
    later.refresh_from_db()
    return later


def ids(by_series: dict[str, dict[str, str]]) -> dict[str, str]:
    return {key: item["id"] for key, item in by_series.items()}


@pytest.mark.parametrize(
    ("params", "filters"),
    [
        ({}, {}),
        ({"indicator": "party_members"}, {"indicator__code": "party_members"}),
        ({"district": "350211"}, {"district__code": "350211"}),
        ({"place_level": "district"}, {"district__level": "district"}),
        ({"tier": "residential_compound_branch"}, {"tier__code": "residential_compound_branch"}),
        ({"rank": "preferred", "statistic": "level"}, {"statistic": "level"}),
    ],
)
def test_whole_series_are_answered_from_the_series_table_as_the_window_would(
    client: Client, params: dict[str, str], filters: dict[str, str]
):
    by_series, sql = answer(client, values=False, **params)
    assert ids(by_series) == ranked_by_window(**filters)
    assert len(by_series) > 0
    assert not any("ROW_NUMBER" in statement for statement in sql)
    assert any('FROM "stats_series"' in s and '"latest_id"' in s for s in sql), sql


@pytest.mark.parametrize(
    "params",
    [
        {"document": "jimei-2021"},
        {"period_after": "2021-01-01"},
        {"q": "党员"},
        {"rank": "any"},
        {"value_min": "10"},
    ],
)
def test_filters_that_cut_series_apart_are_ranked_by_the_window(
    client: Client, params: dict[str, str]
):
    _, sql = answer(client, **params)
    assert any("ROW_NUMBER" in statement for statement in sql)


def test_a_period_end_filter_ranks_the_figures_left_not_the_series_latest(client: Client):
    # 科华数能: 8 members when its branch was founded, 40 a year later; before the later
    # period starts only the 8 is left, and it is then the latest.
    assert answer(client, series=COMPANY)[0] == {COMPANY: "40"}
    before = Observation.objects.filter(series=COMPANY, value=40).get().period_start
    earlier = Observation.objects.filter(series=COMPANY, period_end__lt=before).get()
    assert answer(client, series=COMPANY, period_before=str(earlier.period_end))[0] == {
        COMPANY: "8"
    }


def test_a_lone_claim_the_analyst_demoted_is_not_the_latest_and_the_window_answers(
    client: Client,
):
    later = demote_the_company_s_later_figure()
    assert later.rank == "normal"  # a lone claim keeps the rank the analyst gave it
    # The series table's latest is that normal claim; preferred claims only: the 8 answers.
    by_series, sql = answer(client, series=COMPANY)
    assert by_series == {COMPANY: "8"}
    assert any("ROW_NUMBER" in statement for statement in sql)
    party_members = answer(client, values=False, indicator="party_members")[0]
    assert ids(party_members) == ranked_by_window(indicator__code="party_members")


def test_beyond_the_list_the_series_latest_figures_are_a_subquery_with_the_same_answer(
    client: Client, monkeypatch: pytest.MonkeyPatch
):
    import stats.selectors

    monkeypatch.setattr(stats.selectors, "LATEST_AS_LIST", 5)
    by_series, sql = answer(client, values=False, indicator="party_members")
    assert ids(by_series) == ranked_by_window(indicator__code="party_members")
    assert len(by_series) > 5
    assert not any("ROW_NUMBER" in statement for statement in sql)
    assert any('IN (SELECT U0."latest_id"' in statement for statement in sql), sql

    demote_the_company_s_later_figure()
    by_series, sql = answer(client, series=COMPANY)
    assert by_series == {COMPANY: "8"}
    assert any("ROW_NUMBER" in statement for statement in sql)
