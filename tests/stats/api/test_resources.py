"""Every resource: list (all rows, in order), detail by its key, 404 for an unknown key; every
observation filter and ordering against the same question asked of the ORM."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Q
from django.test import Client

from stats.models import (
    District,
    Indicator,
    Initiative,
    Observation,
    OrganisationTier,
    Series,
    SourceDocument,
    TierChain,
)

pytestmark = pytest.mark.django_db
API = "/api/v1"


def all_pages(client: Client, path: str, params: dict | None = None) -> list[dict]:
    """Every item of a list, following the next links."""
    response = client.get(f"{API}{path}", {**(params or {}), "page_size": 1000})
    assert response.status_code == 200, response.content
    body = response.json()
    items = body["results"]
    while body["next"]:
        body = client.get(body["next"]).json()
        items += body["results"]
    return items


RESOURCES = [
    # path, key in the item, all keys from the database, one real key
    (
        "/documents/",
        "id",
        lambda: SourceDocument.objects.values_list("slug", flat=True),
        "haicang-2022",
    ),
    ("/districts/", "code", lambda: District.objects.values_list("code", flat=True), "350102"),
    (
        "/tiers/",
        "code",
        lambda: OrganisationTier.objects.values_list("code", flat=True),
        "residential_compound_branch",
    ),
    (
        "/tier-chains/",
        "id",
        lambda: [
            f"{c.document.slug}:{c.start}" for c in TierChain.objects.select_related("document")
        ],
        "fuzhou-2021:853",
    ),
    (
        "/initiatives/",
        "code",
        lambda: Initiative.objects.values_list("code", flat=True),
        "jinpai-yinling-baizhi-qixing",
    ),
    (
        "/indicators/",
        "code",
        lambda: Indicator.objects.values_list("code", flat=True),
        "party_members",
    ),
    (
        "/observations/",
        "id",
        lambda: [
            f"{o.document.slug}:{o.figure_start}"
            for o in Observation.objects.filter(listed_by_default({})).select_related("document")
        ],
        "huli-2021:864",
    ),
    (
        "/series/",
        "key",
        lambda: Series.objects.filter(status="actual").values_list("key", flat=True),
        "party_members.350206._T._T.level.actual._Z._Z",
    ),
]


@pytest.mark.parametrize(("path", "key", "keys", "example"), RESOURCES)
def test_list_holds_every_row_once(client: Client, path, key, keys, example):
    listed = [item[key] for item in all_pages(client, path)]
    assert sorted(listed) == sorted(keys())
    assert len(set(listed)) == len(listed)


@pytest.mark.parametrize(("path", "key", "keys", "example"), RESOURCES)
def test_detail_by_key(client: Client, path, key, keys, example):
    response = client.get(f"{API}{path}{example}/")
    assert response.status_code == 200
    assert response.json()[key] == example


@pytest.mark.parametrize(("path", "key", "keys", "example"), RESOURCES)
def test_unknown_key_is_a_json_404(client: Client, path, key, keys, example):
    unknown = "jimei-2021:1" if ":" in example else "no-such-thing"
    response = client.get(f"{API}{path}{unknown}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


def listed_by_default(params: dict[str, object]) -> Q:
    """What the observations list holds unless a parameter asks otherwise: actual figures
    (not targets or estimates), the preferred claim of each series and period."""
    condition = Q()
    if "status" not in params:
        condition &= Q(status="actual")
    if "rank" not in params:
        condition &= Q(rank="preferred")
    return condition


def observation_ids(queryset) -> list[str]:
    return sorted(
        f"{o.document.slug}:{o.figure_start}" for o in queryset.select_related("document")
    )


XIAMEN = ["350200", "350200-HTZ", "350203", "350205", "350206", "350211", "350212", "350213"]

FILTERS = [
    ({"indicator": "party_members"}, Q(indicator__code="party_members")),
    (
        {"indicator": ["party_members", "grassroots_party_organisations"]},
        Q(indicator__code__in=["party_members", "grassroots_party_organisations"]),
    ),
    ({"district": ["350206", "350211"]}, Q(district__code__in=["350206", "350211"])),
    ({"within": "350200"}, Q(district__code__in=XIAMEN)),
    ({"tier": "residential_compound_branch"}, Q(tier__code="residential_compound_branch")),
    (
        {"initiative": "jinpai-yinling-baizhi-qixing"},
        Q(initiative__code="jinpai-yinling-baizhi-qixing"),
    ),
    ({"document": "haicang-2022"}, Q(document__slug="haicang-2022")),
    ({"qualifier": ["more_than", "nearly"]}, Q(qualifier__in=["more_than", "nearly"])),
    ({"unit": "person_time"}, Q(unit="person_time")),
    ({"period_kind": "cumulative"}, Q(period_kind="cumulative")),
    (
        {"period_after": "2024-01-01"},
        Q(period_end__gte=date(2024, 1, 1)) | Q(period_end__isnull=True),
    ),
    (
        {"period_before": "2020-12-31"},
        Q(period_start__lte=date(2020, 12, 31)) | Q(period_start__isnull=True),
    ),
    ({"value_min": "1000"}, Q(value__gte=Decimal(1000))),
    ({"value_max": "10"}, Q(value__lte=Decimal(10))),
    ({"statistic": ["share", "growth_rate"]}, Q(statistic__in=["share", "growth_rate"])),
    ({"status": "target"}, Q(status="target")),
    ({"status": "any"}, Q()),
    ({"rank": "any", "indicator": "party_members"}, Q(indicator__code="party_members")),
    ({"breakdown": "work_position:frontline"}, Q(breakdown="work_position:frontline")),
    (
        {
            "breakdown": ["total", "unit_kind:community"],
            "indicator": "grassroots_party_organisations",
        },
        Q(
            breakdown__in=["", "unit_kind:community"],
            indicator__code="grassroots_party_organisations",
        ),
    ),
    ({"place_level": "prefecture_city"}, Q(district__level="prefecture_city")),
    (
        {"series": "party_members.350206._T._T.level.actual._Z._Z"},
        Q(series="party_members.350206._T._T.level.actual._Z._Z"),
    ),
    (
        {"value_min": "100", "value_max": "1000", "within": "350100"},
        Q(value__gte=100, value__lte=1000, district__code__startswith="3501"),
    ),
    (
        {"q": "党建"},
        Q(quote__contains="党建")
        | Q(indicator__name_zh__contains="党建")
        | Q(initiative__name_zh__contains="党建")
        | Q(note__icontains="党建"),
    ),
]


@pytest.mark.parametrize(("params", "condition"), FILTERS, ids=[str(p) for p, _ in FILTERS])
def test_each_filter_selects_what_the_database_says(client: Client, params, condition):
    expected = observation_ids(Observation.objects.filter(condition & listed_by_default(params)))
    assert expected, "a filter test needs a non-empty answer"
    assert sorted(item["id"] for item in all_pages(client, "/observations/", params)) == expected


def test_within_xiamen_is_the_subtree_in_the_database(client: Client):
    codes = {d["code"] for d in all_pages(client, "/districts/", {"within": "350200"})}
    assert sorted(codes) == XIAMEN


@pytest.mark.parametrize(
    ("ordering", "key"),
    [
        ("value", lambda o: (o["value"] is None, Decimal(o["value"] or 0))),
        ("-value", lambda o: (o["value"] is not None, -Decimal(o["value"] or 0))),
        ("period_start", lambda o: o["period"]["start"] or "9999"),
        (
            "-period_end",
            lambda o: "".join(chr(0x10FFFF - ord(c)) for c in (o["period"]["end"] or "9999")),
        ),
        ("district__code", lambda o: o["district"]["code"]),
        ("indicator__code", lambda o: o["indicator"]["code"]),
    ],
)
def test_ordering_follows_the_field_across_pages(client: Client, ordering, key):
    items = all_pages(client, "/observations/", {"ordering": ordering, "within": "350200"})
    assert [key(o) for o in items] == sorted(key(o) for o in items)
    assert (
        len(items)
        == Observation.objects.filter(Q(district__code__in=XIAMEN) & listed_by_default({})).count()
    )


def test_default_order_is_stable_between_requests(client: Client):
    first = [o["id"] for o in all_pages(client, "/observations/")]
    assert first == [o["id"] for o in all_pages(client, "/observations/")]


@pytest.mark.parametrize(
    "ordering",
    ["value", "-value", "period_start", "-period_end", "district__code", "-indicator__code"],
)
def test_cursor_pages_walk_forward_and_back_in_any_order(client: Client, ordering: str):
    # Small pages put page boundaries on nulls and on runs of equal values.
    expected = [o["id"] for o in all_pages(client, "/observations/", {"ordering": ordering})]
    pages = []
    url = f"{API}/observations/?ordering={ordering}&page_size=7"
    while url:
        body = client.get(url).json()
        pages.append([o["id"] for o in body["results"]])
        url, back = body["next"], body["previous"]
    assert [i for page in pages for i in page] == expected
    walked_back = pages[-1]
    while back:
        body = client.get(back).json()
        walked_back = [o["id"] for o in body["results"]] + walked_back
        back = body["previous"]
    assert walked_back == expected


def test_a_cursor_only_works_with_the_ordering_it_was_made_for(client: Client):
    next_url = client.get(f"{API}/observations/?ordering=-value&page_size=5").json()["next"]
    cursor = next_url.split("cursor=")[1].split("&")[0]
    response = client.get(f"{API}/observations/", {"cursor": cursor, "ordering": "period_end"})
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "cursor: invalid cursor: use the next or previous link of a response "
        "(it was made for another ordering)"
    )


def test_a_cursor_works_only_on_the_list_that_made_it(client: Client):
    series_page = client.get(f"{API}/series/", {"page_size": 1}).json()
    cursor = series_page["next"].split("cursor=")[1].split("&")[0]
    assert client.get(f"{API}/series/", {"page_size": 1, "cursor": cursor}).status_code == 200
    response = client.get(f"{API}/indicators/", {"page_size": 1, "cursor": cursor})
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "cursor: invalid cursor: use the next or previous link of a response "
        "(it was made for another list)"
    )


@pytest.mark.parametrize(
    "payload",
    [
        b'{"o":["-sort_value","id"],"v":["many",3],"r":false}',  # not a number
        b'{"o":["-sort_value","id"],"v":["5"],"r":false}',  # too few values
        b'{"o":["-sort_value","id"],"v":[null,3],"r":false}',  # null
        b'{"o":["-sort_value","id"],"v":["5",3],"r":"yes"}',  # not a direction
        # numeric overflow on PostgreSQL, were it compared
        b'{"p":"/api/v1/observations/","o":["-sort_value","id"],"v":["1e999999999",3],"r":false}',
        b'{"p":"/api/v1/observations/","o":["-sort_value","id"],"v":["5",99999999999999999999],'
        b'"r":false}',  # beyond bigint
        b"[1, 2]",
        b"\xff\xfe",
    ],
)
def test_well_formed_but_forged_cursors_are_400s(client: Client, payload: bytes):
    import base64

    cursor = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    response = client.get(f"{API}/observations/", {"cursor": cursor, "ordering": "-value"})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("cursor: invalid cursor")
