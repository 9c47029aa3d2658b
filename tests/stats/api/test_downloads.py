"""/api/v1/downloads/: the index of the current data version's files, and each file with a
strong ETag (its sha256), Content-Length, 304 on a matching If-None-Match, and HEAD; the files
built on the first request after the data version changes; bad names as problem documents.

What the files hold, read with frictionless, DuckDB and pandas: tests/stats/test_publishing.py.
"""

from __future__ import annotations

import fcntl
import gzip
import hashlib
import io
import sqlite3
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from django.test import Client

from stats import data_version
from stats.publishing.store import Snapshot

pytestmark = pytest.mark.django_db
DOWNLOADS = "/api/v1/downloads/"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_index_lists_every_file_with_its_size_digest_and_url(
    client: Client, published: Snapshot
) -> None:
    response = client.get(DOWNLOADS)
    assert response.status_code == 200
    index = response.json()
    number = data_version.current_version().number
    assert index["data_version"] == number
    files = index["files"]
    assert [f["name"] for f in files] == [
        f"party-stats-v{number}-datapackage.zip",
        f"party-stats-v{number}.sqlite3",
        *(
            f"{table}-v{number}.parquet"
            for table in (
                "districts",
                "tiers",
                "indicators",
                "initiatives",
                "documents",
                "tier_chains",
                "tier_chain_links",
                "observations",
            )
        ),
    ]
    sqlite_entry = files[1]
    assert sqlite_entry == {
        "name": f"party-stats-v{number}.sqlite3",
        "format": "sqlite",
        "media_type": "application/vnd.sqlite3",
        "table": None,
        "description": "every table in one database",
        "size": published.files[1].size,
        "sha256": published.files[1].sha256,
        "data_version": number,
        "url": f"http://testserver/api/v1/downloads/party-stats-v{number}.sqlite3",
    }
    # The index is an API read like any other: validators from the data version.
    assert response["ETag"].startswith(f'W/"{number}-')


def test_a_file_comes_with_its_sha256_as_a_strong_etag_and_its_length(
    client: Client, published: Snapshot
) -> None:
    entry = client.get(DOWNLOADS).json()["files"][-1]  # observations-v<n>.parquet
    response = client.get(entry["url"], HTTP_ACCEPT_ENCODING="gzip")
    data = body(response)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.apache.parquet"
    assert response["ETag"] == f'"{entry["sha256"]}"'
    assert int(response["Content-Length"]) == entry["size"] == len(data)
    assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    assert response["Content-Disposition"] == f'attachment; filename="{entry["name"]}"'
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert not response.has_header("Content-Encoding")  # the bytes the digest names
    # What was downloaded is the table: pandas and DuckDB read it as it came.
    frame = pd.read_parquet(io.BytesIO(data))
    assert len(frame) == 158
    members = frame.set_index("id").loc["jimei-2021:444"]
    api = client.get("/api/v1/observations/jimei-2021:444/").json()
    assert (members["value"], members["series"], members["source_quote"]) == (
        Decimal(api["value"]),
        api["series"],
        api["source"]["quote"],
    )


def test_a_matching_if_none_match_is_a_304_and_another_gets_the_file(
    client: Client, published: Snapshot
) -> None:
    entry = client.get(DOWNLOADS).json()["files"][0]
    etag = f'"{entry["sha256"]}"'
    not_modified = client.get(entry["url"], HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified["ETag"] == etag
    assert body(not_modified) == b""
    other = client.get(entry["url"], HTTP_IF_NONE_MATCH='"0000", W/"1-abc"')
    assert other.status_code == 200
    assert hashlib.sha256(body(other)).hexdigest() == entry["sha256"]


def test_head_gives_the_headers_without_the_bytes(client: Client, published: Snapshot) -> None:
    entry = client.get(DOWNLOADS).json()["files"][1]
    response = client.head(entry["url"])
    assert response.status_code == 200
    assert int(response["Content-Length"]) == entry["size"]
    assert response["ETag"] == f'"{entry["sha256"]}"'
    assert body(response) == b""


def test_a_client_asking_for_the_files_media_type_gets_it(
    client: Client, published: Snapshot
) -> None:
    entry = client.get(DOWNLOADS).json()["files"][1]
    response = client.get(entry["url"], HTTP_ACCEPT="application/vnd.sqlite3")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.sqlite3"


def test_the_downloaded_sqlite_database_answers_as_the_api_does(
    client: Client, published: Snapshot, tmp_path: Path
) -> None:
    entry = client.get(DOWNLOADS).json()["files"][1]
    path = tmp_path / entry["name"]
    path.write_bytes(body(client.get(entry["url"])))
    api = client.get("/api/v1/observations/?indicator=party_members&page_size=1000").json()
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT id, value, series FROM observations WHERE indicator_code = 'party_members' "
            "AND status = 'actual' AND rank = 'preferred' ORDER BY id"
        ).fetchall()
    assert rows == sorted((o["id"], o["value"], o["series"]) for o in api["results"])
    assert ("jimei-2021:444", "16000", "party_members.350211._T._T.level.actual._Z._Z") in rows


def test_duckdb_reads_a_downloaded_parquet_file(
    client: Client, published: Snapshot, tmp_path: Path
) -> None:
    entry = next(f for f in client.get(DOWNLOADS).json()["files"] if f["table"] == "indicators")
    path = tmp_path / entry["name"]
    path.write_bytes(body(client.get(entry["url"])))
    [(count, name, replaces)] = duckdb.sql(
        "SELECT count(*), any_value(name_zh) FILTER (code = 'party_members'), "
        "any_value(replaces) FILTER (code = 'gdp') "
        f"FROM read_parquet('{path}')"
    ).fetchall()
    assert (count, name, replaces) == (113, "党员人数", ["gdp_growth"])


# --- errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status", "detail"),
    [
        (f"{DOWNLOADS}nope.parquet", 404, "no file 'nope.parquet'; the files of data version"),
        (f"{DOWNLOADS}party-stats-v0.sqlite3", 404, "no file 'party-stats-v0.sqlite3'"),
        (f"{DOWNLOADS}../manifest.json", 404, "no resource at"),
        (f"{DOWNLOADS}?colour=red", 400, "colour: unknown parameter(s) 'colour'"),
        (f"{DOWNLOADS}x.parquet?colour=red", 400, "colour: unknown parameter(s) 'colour'"),
    ],
)
def test_bad_input_is_a_problem_document(
    client: Client, published: Snapshot, path: str, status: int, detail: str
) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"].startswith(detail), response.json()


def test_the_downloads_are_read_only(client: Client, published: Snapshot) -> None:
    name = published.files[0].name
    for path in (DOWNLOADS, f"{DOWNLOADS}{name}"):
        response = client.post(path)
        assert response.status_code == 405
        assert response["Content-Type"] == "application/problem+json"


# --- building on demand ---------------------------------------------------------------------------


def test_the_first_request_after_a_change_builds_the_new_version(
    client: Client, settings, tmp_path: Path
) -> None:
    settings.DOWNLOADS_DIR = tmp_path
    first = client.get(DOWNLOADS).json()
    before = first["data_version"]
    old_file = first["files"][-1]
    data_version.bump()  # a load or an edit committed
    second = client.get(DOWNLOADS).json()
    assert second["data_version"] == before + 1
    assert second["files"][-1]["name"] == f"observations-v{before + 1}.parquet"
    # Nothing in the observations changed, so only the metadata a file carries differs.
    assert second["files"][-1]["sha256"] != old_file["sha256"]
    # A file listed just before the change can still be downloaded.
    kept = client.get(old_file["url"])
    assert kept.status_code == 200
    assert hashlib.sha256(body(kept)).hexdigest() == old_file["sha256"]
    assert sorted(p.name for p in tmp_path.glob("v*")) == sorted([f"v{before}", f"v{before + 1}"])


def test_while_another_process_builds_the_answer_is_503_with_retry_after(
    client: Client, settings, tmp_path: Path
) -> None:
    settings.DOWNLOADS_DIR = tmp_path
    with (tmp_path / ".lock").open("a") as other:  # another worker's build lock
        fcntl.flock(other, fcntl.LOCK_EX)
        response = client.get(DOWNLOADS)
        file_response = client.get(f"{DOWNLOADS}observations-v1.parquet")
    assert response.status_code == file_response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"].startswith("the files of the current data version are being")
    assert client.get(DOWNLOADS).status_code == 200  # lock released: built now


def test_the_index_is_gzipped_but_a_file_never_is(client: Client, published: Snapshot) -> None:
    index = client.get(DOWNLOADS, HTTP_ACCEPT_ENCODING="gzip")
    assert index["Content-Encoding"] == "gzip"
    assert gzip.decompress(index.content).startswith(b'{"data_version":')
