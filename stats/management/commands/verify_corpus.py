"""Check the corpus in a database against its invariants (stats.integrity); read only."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stats.integrity import verify_corpus


class Command(BaseCommand):
    help = (
        "Check every invariant of the loaded corpus: quotes equal their documents' text at "
        "their offsets, bounds fit their qualifiers and raw figures, references resolve, the "
        "search index and the data version match the content. Exit 1 listing every problem. "
        "Figures an analyst kept apart from their words, with a reason, are listed, not failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_corpus(options["database"])
        checked = ", ".join(f"{count} {name}" for name, count in report.checked.items())
        if report.departures:  # deliberate, with the analyst's reason: listed, not failed
            self.stdout.write(
                f"{len(report.departures)} figure(s) depart from their words, for a reason given "
                "in admin:\n" + "\n".join(str(departure) for departure in report.departures)
            )
        if not report.ok:
            raise CommandError(
                f"{len(report.problems)} problem(s) in the corpus (checked {checked}):\n"
                + "\n".join(str(problem) for problem in report.problems)
            )
        self.stdout.write(self.style.SUCCESS(f"corpus verified: {checked}"))
