"""Recompute the series table and the claim ranks from the observations (stats.series)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from stats.series import refresh_series


class Command(BaseCommand):
    help = (
        "Recompute every series (dimensions, counts, span, latest figure) and the rank of each "
        "observation among the claims of its series and period. Saves and loads keep them in "
        "step; run this after writing observations with QuerySet.update() or raw SQL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        count = refresh_series(using=options["database"])
        self.stdout.write(self.style.SUCCESS(f"refreshed {count} series"))
