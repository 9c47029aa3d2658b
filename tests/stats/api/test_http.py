"""HTTP behaviour of the API: validators and 304s from the data version, caching headers, CORS,
gzip, throttling, content negotiation (406), CSV, facets and Link headers."""

from __future__ import annotations

import csv
import gzip
import io
import json

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from stats import data_version
from stats.loading import load_corpus
from stats.models import DataVersion, Observation

pytestmark = pytest.mark.django_db
API = "/api/v1"
PARTY_MEMBERS = f"{API}/observations/?indicator=party_members"
JIMEI_MEMBERS = f"{API}/observations/jimei-2021:444/"  # 全区共有党员1.6万名


@pytest.fixture
def bump_on_commit(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks of a block, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


# --- validators, 304 and caching headers -------------------------------------------------


def test_every_read_carries_validators_and_caching_headers(client: Client):
    version = data_version.current_version()
    response = client.get(JIMEI_MEMBERS)
    assert response.status_code == 200
    assert response["ETag"].startswith(f'W/"{version.number}-')
    assert response["Last-Modified"] == http_date(version.changed_at.timestamp())
    assert response["Cache-Control"] == "public, max-age=60"
    assert "Accept" in response["Vary"]


def test_if_none_match_answers_304_without_touching_the_database(client: Client):
    etag = client.get(PARTY_MEMBERS)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PARTY_MEMBERS, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert len(queries) == 0  # the data version comes from the cache; no view ran


def test_if_none_match_lists_and_star_are_understood(client: Client):
    etag = client.get(PARTY_MEMBERS)["ETag"]
    assert client.get(PARTY_MEMBERS, HTTP_IF_NONE_MATCH=f'"other", {etag}').status_code == 304
    assert client.get(PARTY_MEMBERS, HTTP_IF_NONE_MATCH="*").status_code == 304
    assert client.get(PARTY_MEMBERS, HTTP_IF_NONE_MATCH='W/"0-000000000000"').status_code == 200


def test_each_representation_has_its_own_etag(client: Client):
    json_tag = client.get(PARTY_MEMBERS)["ETag"]
    csv_tag = client.get(PARTY_MEMBERS, HTTP_ACCEPT="text/csv")["ETag"]
    other_query = client.get(f"{PARTY_MEMBERS}&district=350211")["ETag"]
    assert len({json_tag, csv_tag, other_query}) == 3
    assert (
        client.get(PARTY_MEMBERS, HTTP_ACCEPT="text/csv", HTTP_IF_NONE_MATCH=json_tag).status_code
        == 200
    )


def test_if_modified_since(client: Client):
    changed_at = data_version.current_version().changed_at.timestamp()
    assert (
        client.get(JIMEI_MEMBERS, HTTP_IF_MODIFIED_SINCE=http_date(changed_at)).status_code == 304
    )
    earlier = http_date(changed_at - 3600)
    assert client.get(JIMEI_MEMBERS, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200


def test_an_edit_changes_the_version_so_old_etags_get_the_new_data(client: Client, bump_on_commit):
    before = client.get(JIMEI_MEMBERS)
    observation = Observation.objects.get(document__slug="jimei-2021", figure_start=444)
    with bump_on_commit():
        observation.note = "checked against the 2021 yearbook"
        observation.save()
    after = client.get(JIMEI_MEMBERS, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after.json()["note"] == "checked against the 2021 yearbook"
    number = int(before["ETag"].split('"')[1].split("-")[0])
    assert after["ETag"].startswith(f'W/"{number + 1}-')


def test_several_changes_in_one_transaction_bump_the_version_once(bump_on_commit):
    start = data_version.current_version().number
    with bump_on_commit(), transaction.atomic():
        for observation in Observation.objects.filter(indicator__code="party_members"):
            observation.note = "reviewed"
            observation.save()
    assert data_version.current_version().number == start + 1


def test_a_rolled_back_change_does_not_bump(bump_on_commit):
    start = data_version.current_version().number
    with bump_on_commit():
        try:
            with transaction.atomic():
                Observation.objects.filter(figure_start=444).first().save()
                raise RuntimeError("abandon the edit")
        except RuntimeError:
            pass
    assert data_version.current_version().number == start


def test_the_version_is_written_in_the_same_transaction_as_the_change():
    """No commit can carry new content without its new number, and no step after the commit
    (which could fail) is needed for it; changed_at is not before the change's history."""
    start = data_version.current_version().number
    observation = Observation.objects.get(document__slug="jimei-2021", raw="1.6万名")
    try:
        with transaction.atomic():
            observation.note = "checked"
            observation.save()
            observation.sub_unit = "集美区"
            observation.save()
            row = DataVersion.objects.get()
            assert row.number == start + 1  # once for the transaction, before it commits
            assert row.changed_at >= observation.history.latest().history_date
            raise RuntimeError("abandon the edit")
    except RuntimeError:
        pass
    assert DataVersion.objects.get().number == start


def test_reloading_unchanged_fixtures_keeps_the_version(settings, bump_on_commit):
    start = data_version.current_version().number
    with bump_on_commit():
        report = load_corpus(settings.FIXTURES_DIR)
    assert report.changed == 0
    assert data_version.current_version().number == start


# --- cached rendered responses --------------------------------------------------------------


def test_a_repeated_read_is_served_from_the_rendered_cache(client: Client):
    first = client.get(f"{PARTY_MEMBERS}&page_size=2")
    with CaptureQueriesContext(connection) as queries:
        again = client.get(f"{PARTY_MEMBERS}&page_size=2")
    assert len(queries) == 0  # no view ran
    assert again.status_code == 200
    assert again.content == first.content
    assert [q["raw"] for q in again.json()["results"]] == ["1.9万名", "1.6万名"]
    for header in ("Content-Type", "Link", "ETag", "Last-Modified", "Cache-Control", "Vary"):
        assert again[header] == first[header], header


def test_an_edit_is_never_answered_from_the_rendered_cache(client: Client, bump_on_commit):
    assert client.get(JIMEI_MEMBERS).json()["note"].startswith("All party members")
    observation = Observation.objects.get(document__slug="jimei-2021", figure_start=444)
    with bump_on_commit():
        observation.note = "checked against the 2021 yearbook"
        observation.save()
    assert client.get(JIMEI_MEMBERS).json()["note"] == "checked against the 2021 yearbook"


def test_each_representation_is_cached_apart(client: Client):
    as_json = client.get(JIMEI_MEMBERS)
    as_csv = client.get(JIMEI_MEMBERS, HTTP_ACCEPT="text/csv")
    assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert client.get(JIMEI_MEMBERS, HTTP_ACCEPT="text/csv").content == as_csv.content
    assert client.get(JIMEI_MEMBERS).content == as_json.content
    assert as_json.json()["raw"] == "1.6万名"


@pytest.mark.parametrize(
    ("path", "setting", "value"),
    [
        (PARTY_MEMBERS, "API_RESPONSE_CACHE_SECONDS", 0),  # turned off
        (PARTY_MEMBERS, "API_RESPONSE_CACHE_MAX_BYTES", 1000),  # too big to keep
        (f"{PARTY_MEMBERS}&format=csv", None, None),  # streamed
        (f"{API}/observations/?district=999999", None, None),  # errors are never kept
    ],
)
def test_what_is_not_kept(client: Client, settings, path: str, setting: str | None, value: int):
    if setting:
        setattr(settings, setting, value)
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code in (200, 400)
    assert len(queries) >= 1  # the view ran again


def test_cached_and_not_modified_answers_count_against_the_throttle(client: Client, settings):
    settings.API_ANON_RATE = "2/minute"
    etag = client.get(JIMEI_MEMBERS)["ETag"]
    assert client.get(JIMEI_MEMBERS, HTTP_IF_NONE_MATCH=etag).status_code == 304
    throttled = client.get(JIMEI_MEMBERS)  # would be a cache hit
    assert throttled.status_code == 429
    assert throttled["Content-Type"] == "application/problem+json"
    assert client.get(JIMEI_MEMBERS, HTTP_IF_NONE_MATCH=etag).status_code == 429


# --- CORS and gzip --------------------------------------------------------------------------


def test_any_origin_may_read(client: Client):
    response = client.get(PARTY_MEMBERS, HTTP_ORIGIN="https://dashboard.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        PARTY_MEMBERS,
        HTTP_ORIGIN="https://dashboard.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"


def test_admin_is_not_shared_across_origins(client: Client):
    response = client.get("/admin/login/", HTTP_ORIGIN="https://dashboard.example.org")
    assert "Access-Control-Allow-Origin" not in response


def test_api_responses_are_gzipped_on_request(client: Client):
    plain = client.get(f"{API}/observations/?page_size=100")
    zipped = client.get(f"{API}/observations/?page_size=100", HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(zipped.content)) == plain.json()
    assert len(zipped.content) * 4 < len(plain.content)


def test_admin_pages_are_not_gzipped(client: Client):
    # CSRF tokens and compression together leak secrets (BREACH).
    response = client.get("/admin/login/", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in response


# --- throttling -----------------------------------------------------------------------------


def test_anonymous_clients_are_throttled_with_retry_after(client: Client, settings):
    settings.API_ANON_RATE = "3/minute"
    statuses = [client.get(f"{API}/tiers/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get(f"{API}/tiers/")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["detail"].startswith("Request was throttled.")


def test_throttling_counts_each_address(client: Client, settings):
    settings.API_ANON_RATE = "1/minute"
    assert client.get(f"{API}/tiers/", REMOTE_ADDR="10.0.0.1").status_code == 200
    assert client.get(f"{API}/tiers/", REMOTE_ADDR="10.0.0.2").status_code == 200
    assert client.get(f"{API}/tiers/", REMOTE_ADDR="10.0.0.1").status_code == 429


# --- content negotiation --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "accept", "detail"),
    [
        (
            "/observations/",
            "application/xml",
            "Accept 'application/xml' cannot be served here; available: application/json "
            "(format=json), text/csv (format=csv), application/vnd.sdmx.data+csv "
            "(format=sdmx-csv), application/vnd.sdmx.data+json (format=sdmx-json)",
        ),
        (
            "/observations/?format=xml",
            "*/*",
            "format 'xml' is not available here; available: application/json (format=json), "
            "text/csv (format=csv), application/vnd.sdmx.data+csv (format=sdmx-csv), "
            "application/vnd.sdmx.data+json (format=sdmx-json)",
        ),
        (
            "/districts/",
            "text/csv",
            "Accept 'text/csv' cannot be served here; available: application/json (format=json)",
        ),
    ],
)
def test_unsupported_formats_are_406(client: Client, path, accept, detail):
    response = client.get(f"{API}{path}", HTTP_ACCEPT=accept)
    assert response.status_code == 406
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == detail


# --- CSV ------------------------------------------------------------------------------------


def read_csv(response) -> list[dict[str, str]]:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    assert raw.startswith("\ufeff".encode())  # Excel reads the BOM as UTF-8
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_streams_the_whole_filtered_set_with_the_chinese_intact(client: Client):
    response = client.get(f"{PARTY_MEMBERS}&format=csv&page_size=1")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="observations.csv"'
    rows = read_csv(response)
    listed = client.get(PARTY_MEMBERS).json()["results"]
    assert [row["id"] for row in rows] == [item["id"] for item in listed]
    jimei = next(row for row in rows if row["id"] == "jimei-2021:444")
    assert jimei["district.name_zh"] == "集美区"
    assert jimei["raw"] == "1.6万名"
    assert jimei["value"] == "16000"
    assert (
        jimei["source.quote"]
        == listed[[i["id"] for i in listed].index("jimei-2021:444")]["source"]["quote"]
    )
    assert jimei["tier.code"] == ""  # null as an empty cell


def test_accept_text_csv_gives_the_same_csv(client: Client):
    by_format = read_csv(client.get(f"{PARTY_MEMBERS}&format=csv"))
    by_accept = read_csv(client.get(PARTY_MEMBERS, HTTP_ACCEPT="text/csv"))
    assert by_format == by_accept


def test_csv_columns_follow_the_json_fields(client: Client):
    full = Observation.objects.filter(tier__isnull=False, initiative__isnull=False).first()
    path = f"{API}/observations/{full.document.slug}:{full.figure_start}/"
    item = client.get(path).json()
    columns = list(read_csv(client.get(f"{path}?format=csv"))[0])
    assert columns == [
        f"{key}.{sub}" if isinstance(value, dict) else key
        for key, value in item.items()
        for sub in (value if isinstance(value, dict) else [None])
    ]
    assert columns[:3] == ["id", "indicator.code", "indicator.name_zh"]
    assert columns[-3:] == ["source.figure_start", "source.figure_end", "note"]


def test_one_observation_as_csv(client: Client):
    rows = read_csv(client.get(f"{JIMEI_MEMBERS}?format=csv"))
    assert [(row["id"], row["value"], row["qualifier"]) for row in rows] == [
        ("jimei-2021:444", "16000", "exact")
    ]


def test_csv_errors_are_still_problem_json(client: Client):
    response = client.get(f"{API}/observations/?format=csv&district=999999")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"].startswith("district: Select a valid choice.")


# --- facets and Link headers ----------------------------------------------------------------


def test_facets_count_the_whole_filtered_set(client: Client):
    body = client.get(f"{PARTY_MEMBERS}&facets=district,qualifier&page_size=1").json()
    assert len(body["results"]) == 1
    assert body["facets"] == {
        "district": [
            {"value": "350200-HTZ", "label": "厦门火炬高新区", "count": 5},
            {"value": "350200", "label": "厦门市", "count": 1},
            {"value": "350206", "label": "湖里区", "count": 1},
            {"value": "350211", "label": "集美区", "count": 1},
        ],
        "qualifier": [
            {"value": "exact", "label": "exact", "count": 7},
            {"value": "more_than_bounded", "label": "more than bounded", "count": 1},
        ],
    }


def test_facets_follow_the_filters(client: Client):
    body = client.get(
        f"{API}/observations/", {"facets": ["qualifier", "tier"], "district": "350211"}
    ).json()
    qualifiers = {f["value"]: f["count"] for f in body["facets"]["qualifier"]}
    expected = Observation.objects.filter(district__code="350211")
    assert sum(qualifiers.values()) == expected.count()
    assert qualifiers["more_than"] == expected.filter(qualifier="more_than").count()
    tiers = {f["value"]: f["count"] for f in body["facets"]["tier"]}
    assert tiers[None] == expected.filter(tier__isnull=True).count()


def test_no_facets_unless_asked(client: Client):
    assert "facets" not in client.get(PARTY_MEMBERS).json()


def test_unknown_facet_is_a_400_listing_the_facets(client: Client):
    response = client.get(f"{API}/observations/?facets=district,colour")
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "facets: unknown facet 'colour'; available: indicator, district, tier, initiative, "
        "document, qualifier, unit, period_kind, breakdown, statistic, status, rank"
    )


def test_link_headers_point_to_the_neighbouring_pages(client: Client):
    first = client.get(f"{API}/observations/?page_size=2")
    next_url = first.json()["next"]
    assert first["Link"] == f'<{next_url}>; rel="next"'
    second = client.get(next_url)
    body = second.json()
    assert second["Link"] == f'<{body["next"]}>; rel="next", <{body["previous"]}>; rel="prev"'


def test_facets_and_csv_take_a_constant_number_of_queries(client: Client):
    client.get(f"{API}/tiers/")  # the data version is read once, then cached
    counts = []
    for size in (5, 50):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(
                f"{API}/observations/", {"page_size": size, "facets": "district,qualifier,tier"}
            )
            assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == 3 + 2  # facets, then the page: its ids, then their bodies
