"""Build ``fixtures/`` from ``seeds/``: texts, vocabularies and annotations."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from stats.extraction.corpus import build_corpus
from stats.extraction.fixtures import render_fixtures
from stats.extraction.report import format_coverage, format_errors, format_untriaged
from stats.extraction.sources import AnnotationError, read_seed_sources


class Command(BaseCommand):
    help = (
        "Read the seed texts and annotations, resolve every figure, and write fixtures/ "
        "deterministically. Prints the coverage report. With --check, write nothing and exit "
        "non-zero when fixtures/ differs from what the seeds give."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="compare only; exit 1 on drift")
        parser.add_argument("--seeds", type=Path, default=None, help="seeds directory")
        parser.add_argument("--output", type=Path, default=None, help="fixtures directory")
        parser.add_argument(
            "--untriaged", action="store_true", help="list every untriaged numeral with its context"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seeds: Path = options["seeds"] or settings.SEEDS_DIR
        output: Path = options["output"] or settings.FIXTURES_DIR
        try:
            corpus = build_corpus(read_seed_sources(seeds))
        except AnnotationError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(format_coverage(corpus))
        if options["untriaged"] and corpus.untriaged:
            self.stdout.write(format_untriaged(corpus))
        if corpus.errors:
            raise CommandError(
                f"{len(corpus.errors)} annotation problem(s); fixtures/ left untouched:\n"
                + format_errors(corpus)
            )
        if corpus.untriaged:
            raise CommandError(
                f"{corpus.untriaged} numeral(s) untriaged; fixtures/ left untouched "
                "(list them with --untriaged)"
            )
        files = render_fixtures(corpus)
        if options["check"]:
            drift = [
                name
                for name, data in files.items()
                if not (output / name).is_file() or (output / name).read_bytes() != data
            ]
            extra = (
                sorted(p.name for p in output.glob("*.json") if p.name not in files)
                if output.is_dir()
                else []
            )
            if drift or extra:
                raise CommandError(
                    "fixtures/ differs from what seeds/ gives: "
                    + ", ".join(drift + [f"{name} (not generated)" for name in extra])
                    + "; run manage.py build_fixtures"
                )
            self.stdout.write(self.style.SUCCESS("fixtures/ is up to date"))
            return
        output.mkdir(parents=True, exist_ok=True)
        # Write every file next to its target first, then swap them in: a failure leaves the
        # old fixtures in place.
        staged: list[tuple[Path, Path]] = []
        try:
            for name, data in files.items():
                handle, temp_name = tempfile.mkstemp(dir=output, prefix=f".{name}.", suffix=".tmp")
                with os.fdopen(handle, "wb") as stream:
                    stream.write(data)
                staged.append((Path(temp_name), output / name))
        except OSError:
            for temp, _ in staged:
                temp.unlink(missing_ok=True)
            raise
        for temp, target in staged:
            os.replace(temp, target)
        self.stdout.write(self.style.SUCCESS(f"wrote {len(files)} fixture files to {output}"))
