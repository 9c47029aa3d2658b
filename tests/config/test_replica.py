"""DATABASE_REPLICA_URL: API reads come from the replica, everything else from the primary.

Two real SQLite databases stand in for a primary and its replica; the replica's copy of one
figure carries a different note, so each answer shows which database it came from."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BIN = Path(sys.executable).parent
NOTE_SQL = (
    "SELECT note FROM stats_observation WHERE figure_start = 444 AND document_id = "
    "(SELECT id FROM stats_sourcedocument WHERE slug = 'jimei-2021')"
)
SCRIPT = """
import json, django
django.setup()
from django.test import Client
from stats.models import Observation

api = Client(HTTP_HOST="localhost").get("/api/v1/observations/jimei-2021:444/").json()["note"]
observation = Observation.objects.get(document__slug="jimei-2021", figure_start=444)
orm = observation.note
observation.note = "written by an analyst"
observation.save()
print(json.dumps({"api": api, "orm": orm}))
"""


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "python"), *args], env=env, cwd=settings.BASE_DIR,
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("replica")
    primary, replica = folder / "primary.sqlite3", folder / "replica.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="1",
        DATABASE_URL=f"sqlite:///{primary}",
        API_ANON_RATE="off",
    )
    for command in (["migrate", "--noinput"], ["load_corpus"]):
        result = run(env, "manage.py", *command)
        assert result.returncode == 0, result.stderr
    with sqlite3.connect(primary) as source, sqlite3.connect(replica) as copy:
        source.backup(copy)
    with sqlite3.connect(replica) as copy:
        copy.execute(
            "UPDATE stats_observation SET note = 'read from the replica' WHERE figure_start = 444 "
            "AND document_id = (SELECT id FROM stats_sourcedocument WHERE slug = 'jimei-2021')"
        )
        # A raw write sends no signal: drop its stored representation, so the API renders the
        # row afresh, from the replica (stats.representations).
        copy.execute(
            "DELETE FROM stats_renderedobservation WHERE observation_id = (SELECT o.id FROM "
            "stats_observation o JOIN stats_sourcedocument d ON d.id = o.document_id "
            "WHERE o.figure_start = 444 AND d.slug = 'jimei-2021')"
        )
    return primary, replica, {**env, "DATABASE_REPLICA_URL": f"sqlite:///{replica}"}


def note_in(path: Path) -> str:
    with sqlite3.connect(path) as db:
        return str(db.execute(NOTE_SQL).fetchone()[0])


def test_api_reads_from_the_replica_and_everything_else_uses_the_primary(databases):
    primary, replica, env = databases
    original = note_in(primary)
    assert note_in(replica) == "read from the replica"
    result = run(env, "-c", SCRIPT)
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert answers == {"api": "read from the replica", "orm": original}
    assert note_in(primary) == "written by an analyst"  # writes go to the primary
    assert note_in(replica) == "read from the replica"  # and never to the replica


def test_migrate_leaves_the_replica_alone(databases, tmp_path: Path):
    # A replica gets its schema from the primary's replication, never from migrate.
    *_, env = databases
    empty = tmp_path / "new-replica.sqlite3"
    result = run({**env, "DATABASE_REPLICA_URL": f"sqlite:///{empty}"},
                 "manage.py", "migrate", "--database", "replica", "--noinput")  # fmt: skip
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(empty) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    assert [t for t in tables if t.startswith("stats_")] == []
