"""The published files of each data version, on disk under ``DOWNLOADS_DIR``, built once.

Layout: ``v<number>/`` holds every file of that data version and ``manifest.json`` (name,
format, media type, size, sha256 of each). A directory is complete or absent: a build writes
into ``.building-…/`` and renames it into place, and nothing in ``v<number>/`` changes after.

Building is lazy and guarded. The first request (or ``manage.py build_snapshots``) after the
data version changes builds the files; a lock file (``flock``, released by the kernel if the
builder dies) lets one process on the machine build at a time. A request that finds another
process building does not wait (a gunicorn sync worker would be held): it is told to retry.
The lock is a file, not a database lock, so it is the same on SQLite and PostgreSQL, and
builds on several machines need no coordination: the files are deterministic, so each
machine's copy has the same sha256 (and ETag).

The corpus is read without holding any database lock: the data version is read before and
after every table; equal numbers mean no change committed in between (each change commits
with its new number), so the tables are exactly that version. Otherwise it reads again.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from stats.data_version import current_version
from stats.models import DataVersion
from stats.publishing.formats import Written, write_all
from stats.publishing.tables import Table, corpus_tables

#: The newest versions kept on disk: a file listed just before a change stays downloadable.
KEEP_VERSIONS = 2
#: A build directory older than this was left by a builder that died.
STALE_BUILD_SECONDS = 3600
#: Reads of the corpus before giving up when it keeps changing under them.
READ_ATTEMPTS = 3
MANIFEST = "manifest.json"


class SnapshotBuilding(Exception):
    """Another process is building the files of the current data version."""


@dataclass(frozen=True)
class Snapshot:
    """The published files of one data version, complete on disk."""

    data_version: int
    changed_at: datetime
    directory: Path
    files: tuple[Written, ...]

    def file(self, name: str) -> Written | None:
        return next((f for f in self.files if f.name == name), None)

    def path(self, written: Written) -> Path:
        return self.directory / written.name


def downloads_dir() -> Path:
    return Path(settings.DOWNLOADS_DIR)


def _version_dir(number: int) -> Path:
    return downloads_dir() / f"v{number}"


def load_snapshot(number: int) -> Snapshot | None:
    """The complete snapshot of data version ``number``, if it is on disk."""
    directory = _version_dir(number)
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return Snapshot(
        data_version=manifest["data_version"],
        changed_at=datetime.fromisoformat(manifest["changed_at"]),
        directory=directory,
        files=tuple(Written(**item) for item in manifest["files"]),
    )


def snapshots_on_disk() -> list[Snapshot]:
    """Every complete snapshot on disk, newest first."""
    numbers = sorted(
        (int(p.name[1:]) for p in downloads_dir().glob("v*") if p.name[1:].isdigit()),
        reverse=True,
    )
    return [s for s in map(load_snapshot, numbers) if s is not None]


def find_file(name: str) -> tuple[Snapshot, Written] | None:
    """The snapshot on disk holding a file of this name, newest first."""
    for snapshot in snapshots_on_disk():
        written = snapshot.file(name)
        if written is not None:
            return snapshot, written
    return None


def _database_version() -> tuple[int, datetime]:
    found = DataVersion.objects.filter(pk=1).values_list("number", "changed_at").first()
    return found if found is not None else (0, datetime(2000, 1, 1, tzinfo=UTC))


def read_consistent_corpus() -> tuple[int, datetime, list[Table]]:
    """The published tables and the data version they are exactly, read without a lock."""
    for _attempt in range(READ_ATTEMPTS):
        number, changed_at = _database_version()
        tables = corpus_tables()
        if _database_version()[0] == number:
            return number, changed_at, tables
    raise RuntimeError(f"the corpus changed during each of {READ_ATTEMPTS} reads; try again")


@contextmanager
def _build_lock(*, wait: bool) -> Iterator[bool]:
    """Hold the machine's build lock (True), or, without ``wait``, False if another holds it."""
    root = downloads_dir()
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _prune() -> None:
    """Drop all but the newest :data:`KEEP_VERSIONS` snapshots, and dead builders' leftovers."""
    for old in snapshots_on_disk()[KEEP_VERSIONS:]:
        shutil.rmtree(old.directory, ignore_errors=True)
    for leftover in downloads_dir().glob(".building-*"):
        if time.time() - leftover.stat().st_mtime > STALE_BUILD_SECONDS:
            shutil.rmtree(leftover, ignore_errors=True)


def build_snapshot(*, wait: bool = True) -> Snapshot:
    """Build the files of the data version in the database now (unless they are on disk).

    Without ``wait``, raise :class:`SnapshotBuilding` if another process holds the lock."""
    with _build_lock(wait=wait) as held:
        if not held:
            raise SnapshotBuilding
        number, changed_at, tables = read_consistent_corpus()
        found = load_snapshot(number)
        if found is not None:
            return found
        building = Path(tempfile.mkdtemp(prefix=".building-", dir=downloads_dir()))
        try:
            files = write_all(tables, building, data_version=number, changed_at=changed_at)
            manifest = {
                "data_version": number,
                "changed_at": changed_at.isoformat(),
                "files": [asdict(f) for f in files],
            }
            (building / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
            building.chmod(0o755)
            os.rename(building, _version_dir(number))
        except OSError:
            # Another machine sharing the directory put the same version in place first.
            shutil.rmtree(building, ignore_errors=True)
            if load_snapshot(number) is None:
                raise
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        _prune()
    snapshot = load_snapshot(number)
    assert snapshot is not None
    return snapshot


def current_snapshot() -> Snapshot:
    """The files of the current data version, built now if this is the first ask since it
    changed; :class:`SnapshotBuilding` while another process builds them."""
    snapshot = load_snapshot(current_version().number)
    if snapshot is not None:
        return snapshot
    return build_snapshot(wait=False)
