"""Load every fixture into the database named by DATABASE_URL, in one transaction."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, IntegrityError

from stats.loading import LoadError, load_corpus


class Command(BaseCommand):
    help = (
        "Load fixtures/ into the database in one transaction. Idempotent: rows equal to the "
        "fixtures are left alone. On any error the database is unchanged."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fixtures", type=Path, default=None, help="fixtures directory")
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["fixtures"] or settings.FIXTURES_DIR
        try:
            report = load_corpus(directory, using=options["database"])
        except (LoadError, IntegrityError, DatabaseError) as error:
            raise CommandError(f"load failed, database unchanged: {error}") from error
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(f"corpus loaded: {report.changed} row(s) created or updated")
        )
