"""The published files (stats.publishing): each format read back by the library its users
would use (frictionless, DuckDB, pandas, sqlite3), with the corpus's exact rows and values.

The files are built once for this module from the session's corpus, into a directory of its
own; the API's view of the same files is tests/stats/api/test_downloads.py.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from django.core.management import call_command
from django.test import Client
from frictionless import validate

from stats import data_version
from stats.models import District, Indicator, Observation, SourceDocument
from stats.publishing import store
from stats.publishing.formats import write_all
from stats.publishing.store import Snapshot

pytestmark = pytest.mark.django_db

#: The tables, with the rows the fixtures give them.
ROWS = {
    "districts": 3214,  # the GB/T 2260 table and the two zones (docs/data-model.md)
    "tiers": 17,
    "indicators": 113,
    "initiatives": 28,
    "documents": 5,
    "tier_chains": 6,
    "tier_chain_links": 25,
    "observations": 158,  # every statistic of the five reports: 156 actual, 2 targets
}
JIMEI_MEMBERS = "jimei-2021:444"  # 全区1.6万名党员
JIMEI_SERIES = "party_members.350211._T._T.level.actual._Z._Z"


def path_of(snapshot: Snapshot, name: str) -> Path:
    written = snapshot.file(name)
    assert written is not None, [f.name for f in snapshot.files]
    return snapshot.path(written)


def parquet(snapshot: Snapshot, table: str) -> Path:
    return path_of(snapshot, f"{table}-v{snapshot.data_version}.parquet")


def test_one_version_makes_a_database_a_data_package_and_a_parquet_file_per_table(
    published: Snapshot,
) -> None:
    number = data_version.current_version().number
    assert published.data_version == number
    assert [(f.name, f.format, f.media_type, f.table) for f in published.files] == [
        (f"party-stats-v{number}-datapackage.zip", "datapackage", "application/zip", None),
        (f"party-stats-v{number}.sqlite3", "sqlite", "application/vnd.sqlite3", None),
        *(
            (f"{table}-v{number}.parquet", "parquet", "application/vnd.apache.parquet", table)
            for table in ROWS
        ),
    ]
    manifest = json.loads((published.directory / "manifest.json").read_text())
    assert [f["sha256"] for f in manifest["files"]] == [f.sha256 for f in published.files]
    for written in published.files:
        assert published.path(written).stat().st_size == written.size


def test_the_same_data_version_gives_the_same_bytes(published: Snapshot, tmp_path: Path) -> None:
    number, changed_at, tables = store.read_consistent_corpus()
    again = write_all(tables, tmp_path, data_version=number, changed_at=changed_at)
    assert [(f.name, f.sha256) for f in again] == [(f.name, f.sha256) for f in published.files]


# --- the Frictionless data package --------------------------------------------------------------


@pytest.fixture(scope="module")
def package_dir(published: Snapshot, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("datapackage")
    with zipfile.ZipFile(
        path_of(published, f"party-stats-v{published.data_version}-datapackage.zip")
    ) as zipped:
        zipped.extractall(target)
    return target


def test_frictionless_validates_the_data_package_with_no_errors(package_dir: Path) -> None:
    report = validate(package_dir / "datapackage.json")
    assert report.valid, report.flatten(["taskNumber", "rowNumber", "type", "message"])
    assert {task.name: task.stats["rows"] for task in report.tasks} == ROWS
    assert report.stats["errors"] == 0 and report.stats["warnings"] == 0


def test_the_data_package_declares_keys_licence_and_sources(package_dir: Path) -> None:
    descriptor = json.loads((package_dir / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["licenses"][0]["name"] == "MIT"
    assert [s["title"] for s in descriptor["sources"]][:1] == [
        "高擎党建大旗 福州驶入高质量发展快车道 (福州新闻网 (from 福州日报); document fuzhou-2021)"
    ]
    resources = {r["name"]: r for r in descriptor["resources"]}
    observations = resources["observations"]["schema"]
    assert observations["primaryKey"] == ["id"]
    assert observations["foreignKeys"] == [
        {"fields": ["indicator_code"], "reference": {"resource": "indicators", "fields": ["code"]}},
        {"fields": ["district_code"], "reference": {"resource": "districts", "fields": ["code"]}},
        {"fields": ["tier_code"], "reference": {"resource": "tiers", "fields": ["code"]}},
        {
            "fields": ["initiative_code"],
            "reference": {"resource": "initiatives", "fields": ["code"]},
        },
        {"fields": ["source_document"], "reference": {"resource": "documents", "fields": ["id"]}},
    ]
    fields = {f["name"]: f for f in observations["fields"]}
    assert fields["value"]["type"] == "number"
    assert fields["period_end"]["type"] == "date"
    assert fields["status"]["constraints"]["enum"] == ["actual", "target", "estimate"]
    # A place's parent is another place: a reference within the table.
    assert resources["districts"]["schema"]["foreignKeys"] == [
        {"fields": ["parent"], "reference": {"resource": "", "fields": ["code"]}}
    ]


def test_frictionless_finds_a_broken_reference(package_dir: Path, tmp_path: Path) -> None:
    """The validation above is not vacuous: a measure nobody defines is caught."""
    descriptor = json.loads((package_dir / "datapackage.json").read_text(encoding="utf-8"))
    (tmp_path / "data").mkdir()
    for resource in descriptor["resources"]:
        resource.pop("hash")  # the edited file no longer has it
        resource.pop("bytes")
        text = (package_dir / resource["path"]).read_text(encoding="utf-8")
        if resource["name"] == "observations":
            text = text.replace(",party_members,", ",no_such_measure,", 1)
        (tmp_path / resource["path"]).write_text(text, encoding="utf-8")
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    report = validate(tmp_path / "datapackage.json")
    assert not report.valid
    errors = report.flatten(["type", "message"])
    assert [kind for kind, _message in errors] == ["foreign-key"]
    assert '"no_such_measure" not found in the lookup table "indicators"' in errors[0][1]


def test_data_package_csv_has_the_figure_with_its_words(package_dir: Path) -> None:
    frame = pd.read_csv(package_dir / "data" / "observations.csv", dtype=str, keep_default_na=False)
    row = frame.set_index("id").loc[JIMEI_MEMBERS]
    assert (row["value"], row["raw"], row["series"], row["source_quote"]) == (
        "16000",
        "1.6万名",
        JIMEI_SERIES,
        "全区1.6万名党员",
    )


# --- the observations: every row the API can return, with its CSV's columns --------------------


def test_observations_have_the_api_csv_columns_with_underscores(
    published: Snapshot, client: Client
) -> None:
    response = client.get("/api/v1/observations/?format=csv")
    header = b"".join(response.streaming_content).decode()
    api_columns = header.lstrip("\ufeff").split("\r\n")[0].split(",")
    assert api_columns[:3] == ["id", "indicator.code", "indicator.name_zh"]
    columns = duckdb.sql(f"DESCRIBE SELECT * FROM '{parquet(published, 'observations')}'")
    assert [name for name, *_ in columns.fetchall()] == [c.replace(".", "_") for c in api_columns]


def test_the_snapshot_holds_targets_the_default_api_list_leaves_out(
    published: Snapshot, client: Client
) -> None:
    default = client.get("/api/v1/observations/?page_size=1000").json()["results"]
    every = client.get("/api/v1/observations/?page_size=1000&status=any&rank=any").json()
    frame = pd.read_parquet(parquet(published, "observations"))
    assert len(default) == 156 and len(every["results"]) == len(frame) == 158
    assert sorted(frame["id"]) == sorted(item["id"] for item in every["results"])
    targets = frame[frame["status"] != "actual"].sort_values("id")
    assert list(targets[["id", "status", "value"]].itertuples(index=False, name=None)) == [
        ("fuzhou-2021:4457", "target", Decimal("5")),
        ("huli-2021:2479", "target", Decimal("30000")),
    ]


def test_duckdb_reads_exact_decimals_dates_and_quotes_from_parquet(published: Snapshot) -> None:
    observations = parquet(published, "observations")
    types = dict(
        duckdb.sql(f"SELECT column_name, column_type FROM (DESCRIBE '{observations}')").fetchall()
    )
    assert (types["value"], types["period_end"], types["upper_inclusive"]) == (
        "DECIMAL(20,4)",
        "DATE",
        "BOOLEAN",
    )
    [row] = duckdb.sql(
        "SELECT value, lower_bound, upper_bound, lower_inclusive, upper_by_convention, "
        f"qualifier, raw FROM '{observations}' WHERE id = 'fuzhou-2021:440'"
    ).fetchall()
    # 250多页: more than 250 and, by convention, fewer than 260.
    assert row == (
        Decimal("250"),
        Decimal("250"),
        Decimal("260"),
        False,
        True,
        "more_than_bounded",
        "250多页",
    )
    [period] = duckdb.sql(
        f"SELECT period_start, period_end FROM '{observations}' WHERE id = '{JIMEI_MEMBERS}'"
    ).fetchall()
    assert period == (date(2020, 1, 1), date(2020, 12, 31))
    [share] = duckdb.sql(
        f"SELECT value::VARCHAR, breakdown, statistic FROM '{observations}' "
        "WHERE id = 'huli-2021:1312'"
    ).fetchall()
    assert share == ("86.2000", "work_position:frontline", "share")


def test_duckdb_answers_an_api_query_from_the_parquet_files(
    published: Snapshot, client: Client
) -> None:
    """within=350200 (Xiamen and every place below it), status=any: the same figures, joining
    observations to places by their foreign key and walking parents."""
    api = client.get("/api/v1/observations/?within=350200&status=any&page_size=1000").json()
    found = duckdb.sql(
        f"""
        WITH RECURSIVE xiamen(code) AS (
            SELECT '350200'
            UNION ALL
            SELECT d.code FROM '{parquet(published, "districts")}' d
            JOIN xiamen ON d.parent = xiamen.code
        )
        SELECT o.id FROM '{parquet(published, "observations")}' o
        JOIN xiamen ON o.district_code = xiamen.code
        WHERE o.rank = 'preferred' ORDER BY o.id
        """
    ).fetchall()
    assert [r[0] for r in found] == sorted(item["id"] for item in api["results"])
    assert len(found) == 123


def test_pandas_reads_every_table_from_parquet_with_the_corpus_row_counts(
    published: Snapshot,
) -> None:
    counts = {table: len(pd.read_parquet(parquet(published, table))) for table in ROWS}
    assert counts == ROWS
    assert ROWS["observations"] == Observation.objects.count()
    assert ROWS["districts"] == District.objects.count()
    assert ROWS["indicators"] == Indicator.objects.count()
    documents = pd.read_parquet(parquet(published, "documents")).set_index("id")
    jimei = SourceDocument.objects.get(slug="jimei-2021")
    assert documents.loc["jimei-2021", "text"] == jimei.text
    assert documents.loc["jimei-2021", "sha256"] == jimei.sha256
    assert list(documents.loc["huli-2021", "authors"]) == ["龚建阳"]


# --- SQLite -----------------------------------------------------------------------------------


def test_the_sqlite_database_has_every_table_its_keys_and_no_broken_reference(
    published: Snapshot,
) -> None:
    path = path_of(published, f"party-stats-v{published.data_version}.sqlite3")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        counts = {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in ROWS}
        assert counts == ROWS
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        keys = connection.execute("PRAGMA foreign_key_list(observations)").fetchall()
        assert sorted((k[2], k[3], k[4]) for k in keys) == [
            ("districts", "district_code", "code"),
            ("documents", "source_document", "id"),
            ("indicators", "indicator_code", "code"),
            ("initiatives", "initiative_code", "code"),
            ("tiers", "tier_code", "code"),
        ]
        metadata = dict(connection.execute("SELECT key, value FROM metadata"))
        assert metadata["data_version"] == str(published.data_version)
        # Quantities are exact decimal text, as in the API.
        assert connection.execute(
            "SELECT value, typeof(value), series, source_quote, lower_inclusive FROM observations "
            "WHERE id = ?",
            (JIMEI_MEMBERS,),
        ).fetchone() == ("16000", "text", JIMEI_SERIES, "全区1.6万名党员", 1)


def test_pandas_reads_the_sqlite_database(published: Snapshot) -> None:
    path = path_of(published, f"party-stats-v{published.data_version}.sqlite3")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        members = pd.read_sql(
            "SELECT o.id, o.value, d.name_zh, d.parent FROM observations o "
            "JOIN districts d ON d.code = o.district_code "
            "WHERE o.indicator_code = 'party_members' AND o.breakdown = '' ORDER BY o.id",
            connection,
        )
    assert members.set_index("id").loc[JIMEI_MEMBERS].to_dict() == {
        "value": "16000",
        "name_zh": "集美区",
        "parent": "350200",
    }


# --- building ---------------------------------------------------------------------------------


def test_the_command_builds_the_current_version_once(settings, tmp_path: Path, capsys) -> None:
    settings.DOWNLOADS_DIR = tmp_path
    call_command("build_snapshots")
    number = data_version.current_version().number
    out = capsys.readouterr().out
    assert f"party-stats-v{number}.sqlite3" in out
    assert f"data version {number}: 10 files in {tmp_path / f'v{number}'}" in out
    built = (tmp_path / f"v{number}" / "manifest.json").stat().st_mtime_ns
    call_command("build_snapshots")  # already there: nothing rebuilt
    assert (tmp_path / f"v{number}" / "manifest.json").stat().st_mtime_ns == built
    assert sorted(p.name for p in tmp_path.iterdir()) == [".lock", f"v{number}"]


def test_a_change_during_the_read_makes_it_read_again(monkeypatch) -> None:
    reads = []
    real = store.corpus_tables

    def changing_once():
        reads.append(1)
        tables = real()
        if len(reads) == 1:
            data_version.bump()  # a change commits while the first read is under way
        return tables

    monkeypatch.setattr(store, "corpus_tables", changing_once)
    before = data_version.current_version().number
    number, _changed_at, tables = store.read_consistent_corpus()
    assert (len(reads), number) == (2, before + 1)
    assert len(tables[-1].rows) == ROWS["observations"]
