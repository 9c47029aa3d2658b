"""Build the published files of the current data version (stats.publishing.store)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from stats.publishing.store import build_snapshot


class Command(BaseCommand):
    help = (
        "Build the downloadable files of the current data version (SQLite, Parquet, data "
        "package) into DOWNLOADS_DIR, unless they are there already; waits for a build another "
        "process has started. The API builds them on the first request otherwise; run this "
        "after load_corpus so no request waits for it."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        snapshot = build_snapshot(wait=True)
        for written in snapshot.files:
            self.stdout.write(f"{written.sha256}  {written.size:>10}  {written.name}")
        self.stdout.write(
            self.style.SUCCESS(
                f"data version {snapshot.data_version}: {len(snapshot.files)} files in "
                f"{snapshot.directory}"
            )
        )
