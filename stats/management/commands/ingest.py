"""Ingest a new article: store it and queue its figures for review (stats.ingest)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stats.ingest import Article, IngestError, ingest_article
from stats.ingest.articles import read_article_bytes
from stats.vocabulary import DatePrecision


class Command(BaseCommand):
    help = (
        "Store an article (UTF-8 text) as a source document and make a candidate figure, with "
        "suggestions, of each numeral in it, for review in admin. The same text twice is refused, "
        "and so is a file over INGEST_MAX_BYTES or a text with a control character other than "
        "tab, line feed and carriage return."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the article, UTF-8 text")
        parser.add_argument("--title", required=True)
        parser.add_argument("--title-en", default="")
        parser.add_argument("--outlet", required=True)
        parser.add_argument(
            "--published", required=True, type=date.fromisoformat, help="YYYY-MM-DD"
        )
        parser.add_argument(
            "--precision",
            default=DatePrecision.DAY.value,
            choices=[p.value for p in DatePrecision],
            help="how exactly the date is known (default: day)",
        )
        parser.add_argument("--district", default=None, help="default district code: 350211")
        parser.add_argument("--slug", default="", help="document id (default: from the title)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            # Never more than the limit (and one byte) in memory, whatever the file's size.
            with path.open("rb") as stream:
                text = read_article_bytes(stream, path.stat().st_size).decode("utf-8")
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        except IngestError as error:
            raise CommandError(f"{path}: {error}") from error
        except UnicodeDecodeError as error:
            raise CommandError(
                f"{path}: not UTF-8 text ({error.reason} at byte {error.start})"
            ) from error
        try:
            document, candidates = ingest_article(
                Article(
                    text=text,
                    title=options["title"],
                    title_en=options["title_en"],
                    outlet=options["outlet"],
                    published=options["published"],
                    precision=DatePrecision(options["precision"]),
                    district=options["district"],
                    original_name=path.name,
                    slug=options["slug"],
                )
            )
        except IngestError as error:
            raise CommandError(f"{path}: {error}") from error
        flagged = sum(1 for c in candidates if c.suggested_reason)
        self.stdout.write(
            self.style.SUCCESS(
                f"{document.slug}: {len(candidates)} figure(s) queued for review "
                f"({flagged} suggested as not statistics)"
            )
        )
