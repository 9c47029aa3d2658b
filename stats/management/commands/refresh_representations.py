"""Render and store every observation's API representation again (stats.representations)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stats.representations import differing, refresh_representations, stale


class Command(BaseCommand):
    help = (
        "Render and store the JSON representation of observations that the API serves from. "
        "Saves and loads keep them in step; run this after writing observations with "
        "QuerySet.update() or raw SQL, or after an upgrade (--stale: only rows rendered by "
        "other code or missing). --check renders every row and fails if any stored one differs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default="default", help="database alias")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--stale", action="store_true", help="only missing or outdated rows")
        mode.add_argument("--check", action="store_true", help="report differences, change none")

    def handle(self, *args: Any, **options: Any) -> None:
        using = options["database"]
        if options["check"]:
            found = differing(using)
            if found:
                shown = ", ".join(map(str, found[:10])) + (" …" if len(found) > 10 else "")
                raise CommandError(
                    f"{len(found)} stored representations differ from a fresh render "
                    f"(observation ids {shown}): run manage.py refresh_representations"
                )
            self.stdout.write(self.style.SUCCESS("every stored representation is current"))
            return
        count = refresh_representations(stale(using) if options["stale"] else None, using=using)
        self.stdout.write(self.style.SUCCESS(f"rendered {count} observations"))
