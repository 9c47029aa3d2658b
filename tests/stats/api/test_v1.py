"""API v1: resources, filters, search in Chinese, latest, ordering, pages, schema."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer

from stats.models import Indicator, Observation

pytestmark = pytest.mark.django_db
API = "/api/v1"


def get(client: Client, path: str, **params: object) -> dict:
    response = client.get(f"{API}{path}", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_districts_within_xiamen_lists_the_city_and_everything_below(client: Client):
    codes = [d["code"] for d in get(client, "/districts/", within="350200")["results"]]
    assert codes == [
        "350200",
        "350200-HTZ",
        "350203",
        "350205",
        "350206",
        "350211",
        "350212",
        "350213",
    ]


def test_district_detail_has_parent_and_children(client: Client):
    xiamen = get(client, "/districts/350200/")
    assert (xiamen["name_zh"], xiamen["pinyin"], xiamen["parent"]) == ("厦门市", "Xiàmén", "350000")
    assert "350206" in xiamen["children"]


def test_party_members_per_district(client: Client):
    rows = get(client, "/observations/", indicator="party_members", district=["350206", "350211"])
    assert [(r["district"]["code"], r["raw"], r["value"]) for r in rows["results"]] == [
        ("350206", "1.9万名", "19000"),
        ("350211", "1.6万名", "16000"),
    ]


def test_observation_detail_by_stable_id_carries_its_source(client: Client):
    o = Observation.objects.get(document__slug="jimei-2021", raw="1100余个")
    body = get(client, f"/observations/jimei-2021:{o.figure_start}/")
    assert body["id"] == f"jimei-2021:{o.figure_start}"
    assert body["value"] == "1100"
    assert (body["lower_bound"], body["lower_inclusive"]) == ("1100", False)
    assert (body["upper_bound"], body["upper_by_convention"]) == ("1200", True)
    assert body["qualifier"] == "more_than_bounded"
    assert body["period"] == {
        "label": "去年",
        "start": "2020-01-01",
        "end": "2020-12-31",
        "kind": "stock",
    }
    assert body["source"]["document"] == "jimei-2021"
    assert body["source"]["quote"] == o.document.text[o.start : o.end]


def test_unknown_observation_is_404(client: Client):
    assert client.get(f"{API}/observations/jimei-2021:1/").status_code == 404


def test_search_matches_two_character_chinese_words(client: Client):
    rows = get(client, "/observations/", q="党建", page_size=1000)["results"]
    assert rows
    assert all(
        "党建"
        in (
            r["source"]["quote"]
            + r["indicator"]["name_zh"]
            + (r["initiative"] or {}).get("name_zh", "")
            + r["note"]
            + r["district"]["name_zh"]
            + r["sub_unit"]
        )
        for r in rows
    )
    compounds = get(client, "/observations/", q="小区党支部", page_size=1000)["results"]
    assert {r["raw"] for r in compounds} >= {"386个", "304个", "115个"}


def test_latest_gives_one_observation_per_indicator_district_and_sub_unit(client: Client):
    rows = get(client, "/observations/", latest="true", indicator="party_members")["results"]
    keys = [(r["district"]["code"], r["sub_unit"]) for r in rows]
    assert len(keys) == len(set(keys))
    xiamen = [r for r in rows if r["district"]["code"] == "350200"]
    assert [r["raw"] for r in xiamen] == ["256781名"]


def test_ordering_by_value_descending(client: Client):
    rows = get(client, "/observations/", indicator="party_members", ordering="-value")["results"]
    values = [Decimal(r["value"]) for r in rows]
    assert values == sorted(values, reverse=True)
    assert values[0] == Decimal(256781)


def test_more_than_figures_filter(client: Client):
    rows = get(client, "/observations/", qualifier="more_than", page_size=1000)["results"]
    assert {r["qualifier"] for r in rows} == {"more_than"}
    assert "超1300人次" in {r["raw"] for r in rows}


def test_everything_from_one_article(client: Client):
    rows = get(client, "/observations/", document="haicang-2022", page_size=1000)["results"]
    assert len(rows) == Observation.objects.filter(document__slug="haicang-2022").count() == 14


def test_cursor_pages_walk_every_observation_once(client: Client):
    seen: list[str] = []
    page = get(client, "/observations/", page_size=50)
    while True:
        seen += [r["id"] for r in page["results"]]
        if not page["next"]:
            break
        page = client.get(page["next"]).json()
    # Unless asked otherwise the list holds actual figures (not Huli's and Fuzhou's targets).
    listed = Observation.objects.filter(status="actual", rank="preferred").count()
    assert len(seen) == len(set(seen)) == listed == Observation.objects.count() - 2


def test_unknown_filter_value_is_a_400_naming_the_parameter(client: Client):
    response = client.get(f"{API}/observations/", {"district": "999999"})
    assert response.status_code == 400
    assert "999999" in response.json()["errors"]["district"][0]


def test_documents_list_omits_text_and_detail_has_it(client: Client):
    listed = get(client, "/documents/")["results"]
    assert {d["id"] for d in listed} == {
        "fuzhou-2021",
        "haicang-2022",
        "huli-2021",
        "jimei-2021",
        "xiamen-2024",
    }
    assert all("text" not in d for d in listed)
    detail = get(client, "/documents/huli-2021/")
    assert detail["text"].startswith("\n\n福建省厦门市湖里区")


def test_indicator_has_counts_and_coverage(client: Client):
    body = get(client, "/indicators/residential_compound_party_branches/")
    assert body["observation_count"] == 7
    assert {"350206", "350103"} <= set(body["coverage"]["districts"])


def test_tier_chains_of_taijiang_in_order(client: Client):
    chain = get(client, "/tier-chains/", district="350103")["results"][0]
    assert [link["words"] for link in chain["links"]] == [
        "街道党工委",
        "社区党委(党总支)",
        "小区党支部",
        "楼栋(楼道)党小组",
        "党员中心户",
        "居民",
    ]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/observations/", 2),  # the page's ids, then their stored bodies by key
        ("/indicators/", 2),  # the page, then the coverage of its indicators
        ("/initiatives/", 2),  # the page (parents joined), then their districts
        ("/districts/", 2),  # the page, children
        ("/tier-chains/", 2),  # the page, links with their tiers
        ("/documents/", 1),
        ("/tiers/", 1),
    ],
)
def test_query_count_is_pinned_and_does_not_grow_with_page_size(
    client: Client, path: str, expected: int
):
    client.get(f"{API}{path}")  # the data version is read once, then cached
    counts = []
    for size in (5, 50):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{API}{path}", {"page_size": size}).status_code == 200
        counts.append(len(queries))
    assert counts == [expected, expected], [q["sql"] for q in queries.captured_queries]


def test_a_filtered_page_checks_its_codes_then_reads_one_page_without_distinct(client: Client):
    client.get(f"{API}/tiers/")  # the data version is read once, then cached
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            f"{API}/observations/", {"indicator": "party_members", "district": "350211"}
        )
    assert [o["raw"] for o in response.json()["results"]] == ["1.6万名"]
    check_indicator, check_district, page, bodies = (q["sql"] for q in queries.captured_queries)
    assert '"stats_renderedobservation"."observation_id" IN' in bodies
    assert '"stats_indicator"."code" IN' in check_indicator
    assert '"stats_district"."code" IN' in check_district
    assert "DISTINCT" not in page  # a foreign key never needs it; it defeats LIMIT on big sets
    indicator_id = Indicator.objects.get(code="party_members").pk
    assert f'"stats_observation"."indicator_id" = {indicator_id}' in page  # on the key: indexed


def test_committed_schema_equals_the_generated_one():
    generator = SchemaGenerator(api_version="v1")
    schema = generator.get_schema(request=None, public=True)
    generated = OpenApiYamlRenderer().render(schema, renderer_context={}).decode()
    committed = (settings.BASE_DIR / "schema" / "openapi-v1.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(generated) == yaml.safe_load(committed), (
        "schema/openapi-v1.yaml is stale: run make schema"
    )


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"district": "999999"}, "district: Select a valid choice. 999999 is not one of the"),
        ({"indicator": "no_such"}, "indicator: Select a valid choice. no_such is not one of the"),
        ({"qualifier": "roughly"}, "qualifier: Select a valid choice. roughly is not one of the"),
        ({"page_size": "0"}, "page_size: must be a whole number from 1 to 1000, not '0'"),
        ({"page_size": "-5"}, "page_size: must be a whole number from 1 to 1000, not '-5'"),
        ({"page_size": "5000"}, "page_size: must be a whole number from 1 to 1000, not '5000'"),
        ({"cursor": "forged"}, "cursor: invalid cursor: use the next or previous link"),
        ({"period_after": "2020-13-01"}, "period_after: must be a date YYYY-MM-DD"),
        ({"value_min": "abc"}, "value_min: Enter a number."),
    ],
)
def test_bad_parameters_get_problem_json_naming_the_parameter(client: Client, params, detail):
    response = client.get(f"{API}/observations/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["status"], body["title"]) == (400, "Bad Request")
    assert body["detail"].startswith(detail)


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("/api/v2/observations/", "unknown API version in '/api/v2/observations/'; available"),
        ("/api/v1/nothing/", "no resource at '/api/v1/nothing/'"),
        ("/api/v1/districts/999999/", "No District matches the given query."),
    ],
)
def test_unknown_paths_and_versions_are_json_404s(client: Client, path, detail):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"].startswith(detail)


def test_the_api_refuses_writes(client: Client):
    response = client.post(f"{API}/observations/", {"value": 1})
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"


def test_every_operation_parameter_and_field_is_described():
    schema = yaml.safe_load((settings.BASE_DIR / "schema" / "openapi-v1.yaml").read_text())
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            missing += [
                f"{method} {path}: {k}" for k in ("summary", "description") if not operation.get(k)
            ]
            missing += [
                f"{method} {path}: parameter {p['name']}"
                for p in operation.get("parameters", [])
                if not p.get("description")
            ]
            missing += [
                f"{method} {path}: response {code}"
                for code, response in operation["responses"].items()
                if not response.get("description")
            ]

    def walk(where: str, node: dict) -> None:
        for name, prop in node.get("properties", {}).items():
            if not prop.get("description"):
                missing.append(f"{where}.{name}")
            walk(f"{where}.{name}", prop)
        if "items" in node:
            walk(f"{where}[]", node["items"])

    for name, component in schema["components"]["schemas"].items():
        if not component.get("description"):
            missing.append(f"component {name}")
        walk(name, component)
    assert missing == []


def test_enums_are_named_components():
    schema = yaml.safe_load((settings.BASE_DIR / "schema" / "openapi-v1.yaml").read_text())
    components = schema["components"]["schemas"]
    assert components["QualifierEnum"]["enum"] == [
        "exact",
        "approximate",
        "more_than",
        "more_than_bounded",
        "at_least",
        "nearly",
        "less_than",
        "at_most",
        "range",
        "vague",
    ]
    assert components["PeriodKindEnum"]["enum"] == ["stock", "flow", "cumulative"]
    observation = components["Observation"]["properties"]
    assert observation["qualifier"]["allOf"] == [{"$ref": "#/components/schemas/QualifierEnum"}]


#: The column each observation filter narrows by; q goes through the term index, latest
#: through the series (the window partitions by series; whole series read Series.latest_id).
FILTER_COLUMNS = {
    "indicator": ("stats_observation", "indicator_id"),
    "district": ("stats_observation", "district_id"),
    "within": ("stats_observation", "district_id"),
    "tier": ("stats_observation", "tier_id"),
    "initiative": ("stats_observation", "initiative_id"),
    "document": ("stats_observation", "document_id"),
    "qualifier": ("stats_observation", "qualifier"),
    "unit": ("stats_observation", "unit"),
    "period_kind": ("stats_observation", "period_kind"),
    "period_after": ("stats_observation", "period_end"),
    "period_before": ("stats_observation", "period_start"),
    "value_min": ("stats_observation", "value"),
    "value_max": ("stats_observation", "value"),
    "q": ("stats_observationterm", "term"),
    "place_level": ("stats_district", "level"),
    "breakdown": ("stats_observation", "breakdown"),
    "statistic": ("stats_observation", "statistic"),
    "status": ("stats_observation", "status"),
    "series": ("stats_observation", "series"),
    "rank": ("stats_observation", "rank"),
    "sub_unit": ("stats_observation", "sub_unit"),
    "latest": ("stats_series", "latest_id"),
}
#: Parameters of the filter set that narrow nothing: facets count over the filtered set.
COUNTING_PARAMETERS = {"facets"}


def test_an_index_leads_with_the_column_of_every_filter():
    from stats.api.v1.filters import ObservationFilterSet

    assert set(ObservationFilterSet.base_filters) == set(FILTER_COLUMNS) | COUNTING_PARAMETERS
    with connection.cursor() as cursor:
        leading = {
            (table, constraint["columns"][0])
            for table in {table for table, _ in FILTER_COLUMNS.values()}
            for constraint in connection.introspection.get_constraints(cursor, table).values()
            if constraint["index"] or constraint["unique"]
        }
    assert {f: c for f, c in FILTER_COLUMNS.items() if c not in leading} == {}


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_kept_as_text(client):
    """Quotes and notes come from outside texts (stats.ingest): a cell starting with = + - @
    gets a leading ' (OWASP), numbers do not."""
    from stats.api.renderers import spreadsheet_safe
    from stats.models import Observation

    observation = Observation.objects.get(document__slug="jimei-2021", raw="1.6万名")
    observation.note = '=HYPERLINK("http://evil.example","点击")'
    observation.save()
    response = client.get("/api/v1/observations/?indicator=party_members&format=csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert '"\'=HYPERLINK(""http://evil.example"",""点击"")"' in body
    assert [spreadsheet_safe(t) for t in ("-30", "+5", "-", "@x", "全区1.6万名党员")] == [
        "-30",
        "+5",
        "'-",
        "'@x",
        "全区1.6万名党员",
    ]
