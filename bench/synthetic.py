"""A synthetic corpus for the benchmark: the 165 real observations repeated over as many
synthetic documents as it takes to reach N rows (1,000,000 by default), on PostgreSQL.

Every synthetic row keeps the invariant the API promises: ``quote == document.text[start:end]``.
Each synthetic document's text is a header line followed by the real quotes, one per line, so
districts, indicators and qualifiers keep the real mix. Rows go in with COPY; the search index
(ObservationTerm) and the edit history are not filled, as the benchmark reads neither.

    DATABASE_URL=postgres://… python -m bench.synthetic --rows 1000000
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import time
from dataclasses import dataclass
from typing import Any

import django

SLUG_PREFIX = "synthetic-"
OFFSET_FIELDS = ("start", "end", "figure_start", "figure_end")


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

    from stats import versioning
    from stats.models import Observation, SourceDocument

    if connection.vendor != "postgresql":
        raise SystemExit("the synthetic corpus is for PostgreSQL (COPY); set DATABASE_URL")
    own = [f for f in Observation._meta.concrete_fields if f.name != "id"]
    real = Observation.objects.exclude(document__slug__startswith=SLUG_PREFIX).order_by("id")
    templates = list(real.values(*(f.attname for f in own)))
    if not templates:
        raise SystemExit("load the corpus first (manage.py load_corpus)")
    shape = layout([t["quote"] for t in templates])
    model_document = SourceDocument.objects.order_by("id").first()
    assert model_document is not None
    documents = math.ceil(rows / len(templates))
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
                copy.write_row(
                    (
                        f"{SLUG_PREFIX}{number:07d}",
                        f"合成文本 {number}",
                        f"Synthetic text {number}",
                        "benchmark",
                        "[]",
                        model_document.place_id,
                        model_document.published_precision,
                        model_document.published_earliest,
                        model_document.published_latest,
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
            for document_id in document_ids:
                for template, at in zip(templates, shape.quote_offsets, strict=True):
                    if written == rows:
                        break
                    row: dict[str, Any] = dict(template)
                    shift = shape.header_length + at - template["start"]
                    for name in OFFSET_FIELDS:
                        row[name] = template[name] + shift
                    row["document_id"] = document_id
                    copy.write_row([row[f.attname] for f in own])
                    written += 1
        cursor.execute(f"ANALYZE {table}")
        cursor.execute(f"ANALYZE {SourceDocument._meta.db_table}")
        transaction.on_commit(versioning.bump)
    return len(document_ids), written


def cursor_at(path_filters: dict[str, str], depth: int) -> str:
    """The API cursor that starts a page ``depth`` rows into the default (id) ordering of the
    observations matching ``path_filters`` (natural keys, as in the query string)."""
    from stats.api.pagination import KeysetPagination
    from stats.models import Observation

    lookups = {f"{name}__code": value for name, value in path_filters.items()}
    row = Observation.objects.filter(**lookups).order_by("id").only("id")[depth - 1]
    paginator = KeysetPagination()
    paginator.ordering = ["id"]
    paginator.path = "/api/v1/observations/"
    return paginator.encode_cursor(row, False)


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
        f"in {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
