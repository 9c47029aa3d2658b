"""Write a reviewed document as seed files: text, manifest entry, annotations (stats.ingest)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from stats.ingest import ReviewError, export_annotations
from stats.models import SourceDocument


class Command(BaseCommand):
    help = (
        "Write the review decisions of an ingested document as seed files in the curated "
        "format, so build_fixtures reproduces its observations. Refuses while any of its "
        "candidates is pending."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="the document")
        parser.add_argument("--seeds", type=Path, default=None, help="seeds directory")

    def handle(self, *args: Any, **options: Any) -> None:
        seeds: Path = options["seeds"] or settings.SEEDS_DIR
        document = SourceDocument.objects.filter(slug=options["slug"]).first()
        if document is None:
            raise CommandError(f"no document {options['slug']!r}")
        try:
            written = export_annotations(document, seeds)
        except ReviewError as error:
            raise CommandError(str(error)) from error
        for path in written:
            self.stdout.write(f"wrote {path}")
