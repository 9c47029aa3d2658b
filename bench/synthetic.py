"""A synthetic corpus for the benchmark: the 158 real observations repeated over as many
synthetic documents as it takes to reach N rows (1,000,000 by default), on PostgreSQL.

Every synthetic row keeps the invariant the API promises: ``quote == document.text[start:end]``.
Each synthetic document's text is a header line followed by the real quotes, one per line, so
indicators, qualifiers and units keep the real mix. Series are long, as real ones grow: each
synthetic document reports one period of a grid of 338 (the years 2000 to 2025 and every month
of them), and the documents of one pass over the grid state their figures for one set of
places, the next pass for the next places of the same level, so every series holds one figure
per period, over up to 338 periods (and one claim per series and period, as a clean corpus
has), and the rows spread over some thousands of places. Rows go in with COPY; afterwards the
derived tables are filled by the app's own commands (``refresh_series``, and
``refresh_representations`` where it exists). The search index (ObservationTerm) and the edit
history are not filled, as the benchmark reads neither.

    DATABASE_URL=postgres://… python -m bench.synthetic --rows 1000000
"""

from __future__ import annotations

import argparse
import calendar
import hashlib
import math
import os
import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import django

SLUG_PREFIX = "synthetic-"
OFFSET_FIELDS = ("start", "end", "figure_start", "figure_end")
FIRST_YEAR, LAST_YEAR = 2000, 2025


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date


def period_grid() -> list[Period]:
    """The periods synthetic documents report: every year, then every month, 2000 to 2025."""
    years = [
        Period(f"{year}年", date(year, 1, 1), date(year, 12, 31))
        for year in range(FIRST_YEAR, LAST_YEAR + 1)
    ]
    months = [
        Period(
            f"{year}年{month}月",
            date(year, month, 1),
            date(year, month, calendar.monthrange(year, month)[1]),
        )
        for year in range(FIRST_YEAR, LAST_YEAR + 1)
        for month in range(1, 13)
    ]
    return years + months


def with_period(row: dict[str, Any], period: Period) -> None:
    """Give ``row`` the period, keeping the template's shape: no start stays no start, a point
    (start == end) stays a point at the period's end."""
    point = row["period_start"] is not None and row["period_start"] == row["period_end"]
    row["period_label"] = period.label
    row["period_end"] = period.end
    if row["period_start"] is not None:
        row["period_start"] = period.end if point else period.start


def place_for(
    district_id: int, variant: int, pools: dict[str, list[tuple[int, str]]], level: str
) -> tuple[int, str]:
    """The place of a template's figures in pass ``variant``: the template's own place first,
    then the next places of the same level (of districts when the level has too few)."""
    pool = pools[level] if len(pools[level]) > 64 else pools["district"]
    ids = [place_id for place_id, _ in pool]
    at = ids.index(district_id) if district_id in ids else 0
    if variant == 0 and district_id in ids:
        return pool[at]
    return pool[(at + variant) % len(pool)]


def rekey(series: str, district_code: str) -> str:
    """The series key with its place replaced (stats.vocabulary.series_key: dots inside a part
    are written as ·, so the place is always the second part)."""
    parts = series.split(".")
    parts[1] = district_code.replace(".", "·")
    return ".".join(parts)


@dataclass(frozen=True)
class Layout:
    """Where each template quote sits in a synthetic document's text."""

    header_length: int
    text_body: str
    quote_offsets: tuple[int, ...]  # start of each template's quote within the body


def layout(quotes: list[str]) -> Layout:
    offsets, position = [], 0
    for quote in quotes:
        offsets.append(position)
        position += len(quote) + 1  # one newline after each quote
    return Layout(len(header(0)), "".join(q + "\n" for q in quotes), tuple(offsets))


def header(number: int) -> str:
    return f"合成文本 {number:07d}（基准测试用，内容取自真实语料）\n"


def synthesize(rows: int) -> tuple[int, int]:
    """Add ``rows`` synthetic observations; return (documents, observations) added."""
    from django.db import connection, transaction

    from stats import data_version
    from stats.models import District, Observation, SourceDocument

    if connection.vendor != "postgresql":
        raise SystemExit("the synthetic corpus is for PostgreSQL (COPY); set DATABASE_URL")
    own = [f for f in Observation._meta.concrete_fields if f.name != "id"]
    real = Observation.objects.exclude(document__slug__startswith=SLUG_PREFIX).order_by("id")
    templates = list(real.values(*(f.attname for f in own), "district__level"))
    if not templates:
        raise SystemExit("load the corpus first (manage.py load_corpus)")
    shape = layout([t["quote"] for t in templates])
    model_document = SourceDocument.objects.order_by("id").first()
    assert model_document is not None
    documents = math.ceil(rows / len(templates))
    periods = period_grid()
    pools: dict[str, list[tuple[int, str]]] = {}
    for place_id, code, level in District.objects.order_by("code").values_list(
        "id", "code", "level"
    ):
        pools.setdefault(level, []).append((place_id, code))
    first = SourceDocument.objects.filter(slug__startswith=SLUG_PREFIX).count()  # run again: more
    document_columns = [
        "slug", "title", "title_en", "outlet", "authors", "place_id", "published_precision",
        "published_earliest", "published_latest", "published_basis", "original_name", "sha256",
        "text",
    ]  # fmt: skip
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor
        table = SourceDocument._meta.db_table
        with cursor.copy(f"COPY {table} ({', '.join(document_columns)}) FROM STDIN") as copy:
            for number in range(first, first + documents):
                text = header(number) + shape.text_body
                published = periods[number % len(periods)].end + timedelta(days=30)
                copy.write_row(
                    (
                        f"{SLUG_PREFIX}{number:07d}",
                        f"合成文本 {number}",
                        f"Synthetic text {number}",
                        "benchmark",
                        "[]",
                        model_document.place_id,
                        "day",
                        published,
                        published,
                        "synthetic: made by bench/synthetic.py",
                        f"synthetic-{number}.txt",
                        hashlib.sha256(text.encode()).hexdigest(),
                        text,
                    )
                )
        cursor.execute(
            f"SELECT id FROM {table} WHERE slug LIKE %s ORDER BY slug OFFSET %s",
            [SLUG_PREFIX + "%", first],
        )
        document_ids = [row[0] for row in cursor.fetchall()]
        columns = [connection.ops.quote_name(f.column) for f in own]
        table = Observation._meta.db_table
        written = 0
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for number, document_id in enumerate(document_ids, start=first):
                period = periods[number % len(periods)]
                variant = number // len(periods)
                for template, at in zip(templates, shape.quote_offsets, strict=True):
                    if written == rows:
                        break
                    row: dict[str, Any] = dict(template)
                    shift = shape.header_length + at - template["start"]
                    for name in OFFSET_FIELDS:
                        row[name] = template[name] + shift
                    row["document_id"] = document_id
                    place, code = place_for(
                        template["district_id"], variant, pools, template["district__level"]
                    )
                    row["district_id"] = place
                    row["series"] = rekey(template["series"], code)
                    with_period(row, period)
                    copy.write_row([row[f.attname] for f in own])
                    written += 1
        cursor.execute(f"ANALYZE {table}")
        cursor.execute(f"ANALYZE {SourceDocument._meta.db_table}")
        transaction.on_commit(data_version.bump)
    return len(document_ids), written


def refresh_derived() -> list[str]:
    """Fill the tables derived from the observations with the app's own commands: the series
    (and claim ranks), and the stored representations where the command exists. The names of
    the commands run."""
    from django.core.management import call_command, get_commands

    ran = []
    for command in ("refresh_series", "refresh_representations"):
        if command in get_commands():
            call_command(command)
            ran.append(command)
    return ran


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    started = time.perf_counter()
    documents, observations = synthesize(options.rows)
    print(
        f"synthesized {observations} observations in {documents} documents "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    started = time.perf_counter()
    ran = refresh_derived()
    print(f"{', '.join(ran)} in {time.perf_counter() - started:.1f} s", flush=True)


if __name__ == "__main__":
    main()
