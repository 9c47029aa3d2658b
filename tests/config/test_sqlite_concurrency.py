"""SQLite in WAL mode under concurrent use: analysts saving in several processes while the API
reads in others gives no "database is locked", loses no write and records every one in history."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BIN = Path(sys.executable).parent
WRITERS, READERS, EDITS, READS = 4, 4, 25, 40
SCRIPT = f"""
import json, multiprocessing, django

def work(role, number):
    django.setup()
    from django.db import transaction
    from django.test import Client
    from stats.models import Observation
    errors = []
    if role == "write":
        ids = list(Observation.objects.order_by("id").values_list("id", flat=True))
        for i in range({EDITS}):
            try:
                with transaction.atomic():
                    observation = Observation.objects.get(id=ids[(number * 7 + i) % len(ids)])
                    observation.note = f"edit {{number}}-{{i}}"
                    observation._change_reason = "concurrency test"
                    observation.save()
            except Exception as error:
                errors.append(repr(error))
    else:
        client = Client(HTTP_HOST="localhost")
        for i in range({READS}):
            response = client.get("/api/v1/observations/", {{"page_size": 50}})
            if response.status_code != 200:
                errors.append(response.status_code)
    return errors

if __name__ == "__main__":
    jobs = [("write", n) for n in range({WRITERS})] + [("read", n) for n in range({READERS})]
    with multiprocessing.get_context("spawn").Pool(len(jobs)) as pool:
        results = pool.starmap(work, jobs)
    django.setup()
    from stats.models import Observation
    from stats.data_version import current_version
    history = Observation.history.filter(history_change_reason="concurrency test").count()
    print(json.dumps({{"errors": [e for r in results for e in r], "history": history,
                      "version": current_version().number}}))
"""


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "python"), *args], env=env, cwd=settings.BASE_DIR,
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


@pytest.fixture
def sqlite_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        API_ANON_RATE="off",
        REDIS_URL="",
        PYTHONPATH=str(settings.BASE_DIR),
    )
    for command in (["migrate", "--noinput"], ["load_corpus"]):
        result = run(env, "manage.py", *command)
        assert result.returncode == 0, result.stderr
    return env


def test_concurrent_writers_and_readers_lose_nothing(sqlite_env, tmp_path: Path):
    script = tmp_path / "concurrency.py"
    script.write_text(SCRIPT)
    before = json.loads(
        run(sqlite_env, "-c", "import django; django.setup(); from stats.data_version import "
            "current_version; import json; print(json.dumps(current_version().number))").stdout
    )  # fmt: skip
    result = run(sqlite_env, str(script))
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["errors"] == []
    assert summary["history"] == WRITERS * EDITS  # every save is in the history
    assert summary["version"] == before + WRITERS * EDITS  # one bump per committed edit
