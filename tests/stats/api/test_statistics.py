"""Figures as statistics: series, latest per series, claims, aliases, the series endpoints, the
panel and the codelists, with the examples that made the structure necessary."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest
from django.test import Client

from stats.extraction.series import Span, overlapping_pairs
from stats.models import Observation, Series
from tests.stats.restatements import restate_jimei_members

pytestmark = pytest.mark.django_db
API = "/api/v1"


def values(client: Client, path: str, **params: object) -> list[tuple[str, str | None]]:
    """(id, value) of every item of a list, following the pages."""
    found, url = [], f"{API}{path}"
    query: dict[str, object] | None = {"page_size": 1000, **params}
    while url:
        body = client.get(url, query).json()
        found += [
            (item.get("id") or item.get("key") or item["code"], item.get("value"))
            for item in body["results"]
        ]
        url, query = body["next"], None
    return found


def latest(client: Client, **params: object) -> dict[str, str | None]:
    """Series key → value of the latest figure, as ?latest=true answers."""
    body = client.get(f"{API}/observations/", {"latest": "true", "page_size": 1000, **params})
    return {o["series"]: o["value"] for o in body.json()["results"]}


# --- every observation has a series, and a document holds one figure per series and period ---


def test_every_observation_carries_the_key_of_its_series_and_the_series_exists():
    keys = set()
    for observation in Observation.objects.select_related(
        "indicator", "district", "tier", "initiative"
    ):
        assert observation.series == observation.series_key() != ""
        keys.add(observation.series)
    assert set(Series.objects.values_list("key", flat=True)) == keys


def test_no_two_observations_of_one_series_from_one_document_overlap_in_period():
    periods = defaultdict(list)
    for o in Observation.objects.values(
        "document__slug", "series", "figure_start", "period_start", "period_end"
    ):
        label = f"{o['document__slug']}:{o['figure_start']}"
        periods[(o["document__slug"], o["series"])].append(
            (label, Span(o["period_start"], o["period_end"]))
        )
    assert [pair for spans in periods.values() for pair in overlapping_pairs(spans)] == []


# --- latest=true, one answer per series, for the examples that used to collide --------------


def test_huli_school_places_latest_is_the_2020_figure_and_the_target_is_its_own_series(
    client: Client,
):
    assert latest(client, indicator="school_places_added") == {
        "school_places_added.350206._T._T.level.actual._Z._Z": "5466"
    }
    assert latest(client, indicator="school_places_added", status="target") == {
        "school_places_added.350206._T._T.level.target._Z._Z": "30000"
    }


def test_jimei_venues_latest_is_the_134_venues_not_the_52_upgraded(client: Client):
    assert latest(client, indicator="party_service_venues", district="350211") == {
        "party_service_venues.350211._T._T.level.actual._Z._Z": "134"
    }
    upgraded = latest(client, indicator="party_service_venues_upgraded", district="350211")
    assert upgraded == {
        "party_service_venues_upgraded.350211._T.unit_kind:village.level.actual._Z._Z": "52"
    }


def test_huli_area_demolished_keeps_its_total_apart_from_its_daily_average(client: Client):
    by_series = latest(client, indicator="area_demolished")
    assert by_series == {
        "area_demolished.350206._T._T.level.actual._Z.huli-dongbu-jiucun-gaizao": "6330000",
        "area_demolished.350206._T._T.daily_average.actual._Z.huli-dongbu-jiucun-gaizao": "18000",
    }


def test_the_high_tech_zone_files_the_78_tasks_and_the_13_tasks_as_two_series(client: Client):
    assert latest(client, indicator="work_plan_tasks", district="350100-HTZ") == {
        "work_plan_tasks.350100-HTZ._T._T.level.actual._Z._Z": "78",
        "work_plan_tasks.350100-HTZ._T._T.level.actual._Z.bairi-gongjian": "13",
    }


def test_siming_merchant_volunteers_and_pilot_shops_are_two_measures(client: Client):
    siming = latest(client, district="350203", sub_unit="鹭江街道大同社区")
    assert siming["businesses_engaged.350203.鹭江街道大同社区._T.level.actual._Z._Z"] == "6"
    assert siming["pilot_businesses.350203.鹭江街道大同社区._T.level.actual._Z._Z"] == "12"


def test_a_company_series_latest_is_its_later_figure(client: Client):
    # 科华数能: 8 members when its branch was founded, 40 a year later.
    key = "party_members.350200-HTZ.科华数能._T.level.actual._Z._Z"
    assert latest(client, series=key) == {key: "40"}


def test_latest_keeps_one_row_for_every_series_of_the_filtered_set(client: Client):
    rows = client.get(f"{API}/observations/", {"latest": "true", "page_size": 1000}).json()
    series = [o["series"] for o in rows["results"]]
    assert len(series) == len(set(series))
    assert set(series) == set(
        Observation.objects.filter(status="actual").values_list("series", flat=True)
    )


def test_context_figures_are_not_served_as_statistics(client: Client):
    assert Observation.objects.filter(unit__in=["celsius", "km"]).count() == 0
    assert Observation.objects.filter(raw__in=["零下30℃", "2000多公里", "27.5岁"]).count() == 0


# --- claims: several sources for one series and period --------------------------------------


def _repost(slug: str, published: date, raw: str, qualifier: str, value: int) -> Observation:
    """A later report restating Jimei's 2020 membership: same series, same period."""
    return restate_jimei_members(
        slug, published, raw, qualifier, value, title_en="Jimei party building in review"
    )


def test_claims_of_one_series_and_period_are_ranked_and_the_preferred_one_answers(
    client: Client,
):
    key = "party_members.350211._T._T.level.actual._Z._Z"
    rounded = _repost("jimei-repost-2022", date(2022, 7, 1), "超1.6万名", "more_than", 16000)

    ranks = dict(Observation.objects.filter(series=key).values_list("document__slug", "rank"))
    assert ranks == {"jimei-2021": "preferred", "jimei-repost-2022": "normal"}
    rounded.refresh_from_db()
    assert rounded.rank_reason == "jimei-2021 is preferred: the most precise of 2 sources"
    assert values(client, "/observations/", series=key) == [("jimei-2021:444", "16000")]
    assert sorted(values(client, "/observations/", series=key, rank="any")) == [
        ("jimei-2021:444", "16000"),
        ("jimei-repost-2022:8", "16000"),
    ]

    # An equally precise, later source takes over; the series answers with it.
    _repost("jimei-repost-2023", date(2023, 7, 1), "16012名", "exact", 16012)
    ranks = dict(Observation.objects.filter(series=key).values_list("document__slug", "rank"))
    assert ranks == {
        "jimei-2021": "normal",
        "jimei-repost-2022": "normal",
        "jimei-repost-2023": "preferred",
    }
    assert latest(client, series=key) == {key: "16012"}
    series = client.get(f"{API}/series/{key}/").json()
    assert series["observation_count"] == 3
    assert series["latest"]["id"] == "jimei-repost-2023:8"
    assert [o["rank"] for o in series["observations"]] == ["normal", "normal", "preferred"]


def test_a_deleted_observation_leaves_its_series_and_the_last_one_takes_the_series_with_it():
    key = "school_places_added.350206._T._T.level.target._Z._Z"
    Observation.objects.get(series=key).delete()
    assert not Series.objects.filter(key=key).exists()
    assert Series.objects.get(key=key.replace("target", "actual")).observation_count == 1


# --- codes that a measure replaced keep resolving -------------------------------------------


def test_a_replaced_indicator_code_still_filters_as_its_successor(client: Client):
    assert values(client, "/observations/", indicator="party_cadres_trained") == values(
        client, "/observations/", indicator="cadres_trained"
    )
    assert len(values(client, "/observations/", indicator="party_cadres_trained")) == 3


def test_a_replaced_indicator_code_answers_with_its_successor_marked_deprecated(client: Client):
    response = client.get(f"{API}/indicators/party_cadres_trained/")
    assert response.status_code == 200
    assert response.json()["code"] == "cadres_trained"
    assert "party_cadres_trained" in response.json()["replaces"]
    assert response["Deprecation"] == "true"
    assert response["Link"] == (
        '<http://testserver/api/v1/indicators/cadres_trained/>; rel="successor-version"'
    )
    assert client.get(f"{API}/indicators/no_such_code/").status_code == 404


# --- series, panel and codelists ------------------------------------------------------------


def test_series_of_party_members_list_each_place_with_its_latest_figure(client: Client):
    body = client.get(
        f"{API}/series/", {"indicator": "party_members", "place_level": "district"}
    ).json()
    latest_by_place = {s["district"]["code"]: s["latest"]["value"] for s in body["results"]}
    assert latest_by_place == {"350206": "19000", "350211": "16000"}


def test_a_series_lists_its_observations_in_time_order(client: Client):
    key = "area_demolished.350206._T._T.level.actual._Z.huli-dongbu-jiucun-gaizao"
    body = client.get(f"{API}/series/{key}/").json()
    assert [(o["period"]["end"], o["value"]) for o in body["observations"]] == [
        ("2020-12-31", "6000000"),
        ("2021-12-31", "6330000"),
    ]
    assert (body["observation_count"], body["period_start"], body["period_end"]) == (
        2,
        "2020-01-01",
        "2021-12-31",
    )
    assert client.get(f"{API}/series/no.such.key/").status_code == 404


def test_the_panel_puts_places_in_rows_and_years_in_columns(client: Client):
    body = client.get(
        f"{API}/panel/", {"indicator": "grassroots_party_organisations", "place_level": "district"}
    ).json()
    assert body["periods"] == ["2020", "2021"]
    assert {
        row["district"]["code"]: {p: c and c["value"] for p, c in row["values"].items()}
        for row in body["rows"]
    } == {"350206": {"2020": None, "2021": "1400"}, "350211": {"2020": "1100", "2021": None}}


def test_the_panel_as_csv_has_a_row_per_place(client: Client):
    response = client.get(
        f"{API}/panel/",
        {"indicator": "grassroots_party_organisations", "place_level": "district", "format": "csv"},
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode("utf-8-sig").splitlines() == [
        "district.code,district.name_zh,district.name_en,district.level,district.parent,2020,2021",
        "350206,湖里区,Huli District,district,350200,,1400",
        "350211,集美区,Jimei District,district,350200,1100,",
    ]


def test_the_panel_refuses_to_mix_a_city_with_its_districts_unless_asked(client: Client):
    response = client.get(f"{API}/panel/", {"indicator": "party_members"})
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "place_level: the places are of several levels (district, prefecture_city) and a city "
        "would be added to its own districts; choose place_level, or set mix_levels=true"
    )
    mixed = client.get(f"{API}/panel/", {"indicator": "party_members", "mix_levels": "true"})
    assert {row["district"]["code"] for row in mixed.json()["rows"]} == {
        "350200",
        "350206",
        "350211",
    }


def test_the_panel_needs_exactly_one_measure(client: Client):
    response = client.get(f"{API}/panel/", {"place_level": "district"})
    assert response.status_code == 400
    assert response.json()["detail"] == "indicator: This field is required."
    response = client.get(f"{API}/panel/", {"indicator": ["party_members", "volunteers"]})
    assert response.status_code == 400
    assert response.json()["detail"] == "indicator: a panel shows one measure: name exactly one"


def test_the_panel_takes_a_replaced_code_for_its_successor(client: Client):
    old = client.get(f"{API}/panel/", {"indicator": "party_cadres_trained", "mix_levels": "true"})
    new = client.get(f"{API}/panel/", {"indicator": "cadres_trained", "mix_levels": "true"})
    assert old.status_code == 200
    assert old.json() == new.json()
    assert old.json()["indicator"]["code"] == "cadres_trained"


def test_codelists_can_be_narrowed_to_the_breakdown_dimensions(client: Client):
    body = client.get(f"{API}/codelists/", {"breakdown": "true"}).json()
    assert [c["code"] for c in body][:2] == ["sex", "ethnicity"]
    assert all(c["breakdown"] for c in body)


def test_codelists_list_every_breakdown_dimension_and_coded_attribute(client: Client):
    body = client.get(f"{API}/codelists/").json()
    assert [c["code"] for c in body if c["breakdown"]] == [
        "sex",
        "ethnicity",
        "education",
        "age",
        "occupation",
        "employment_sector",
        "unit_kind",
        "joining_period",
        "work_position",
    ]
    assert [c["code"] for c in body if not c["breakdown"]] == [
        "statistic",
        "status",
        "rank",
        "qualifier",
        "period_kind",
        "place_level",
    ]
    assert client.get(f"{API}/codelists/colour/").status_code == 404


def test_indicators_are_searchable_in_both_languages_and_filterable_by_bulletin_term(
    client: Client,
):
    chinese = [c for c, _ in values(client, "/indicators/", q="总支")]
    assert chinese == ["general_party_branches"]
    english = [c for c, _ in values(client, "/indicators/", q="general branches")]
    assert english == [
        "general_party_branches",
        "grassroots_party_organisations",  # its definition names the three levels
        "party_organisations_reelected",
    ]
    bulletin = {c for c, _ in values(client, "/indicators/", in_bulletin="true")}
    assert {"party_members", "grassroots_party_committees", "members_recruited"} <= bulletin
    assert "residential_compound_party_branches" not in bulletin
    assert [c for c, _ in values(client, "/indicators/", national_term="党员总数")] == [
        "party_members"
    ]
