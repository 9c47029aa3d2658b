"""Section 1 of `make bench`: the commands, each timed as a whole (interpreter start-up
included): ``build_fixtures --check``, and ``load_corpus`` into a fresh, migrated database with
the full division table, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import time
import urllib.parse

from bench.harness import LOAD_DB, OUT, POSTGRES, PYTHON, ROOT, Results, django_env, log, manage


def time_build_fixtures(results: Results) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": str(ROOT)}
    times = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run(
            [PYTHON, "manage.py", "build_fixtures", "--check"],
            cwd=ROOT, env=env, check=True, capture_output=True,
        )  # fmt: skip
        times.append(time.perf_counter() - started)
    median = statistics.median(times)
    log(f"  build_fixtures --check: best {min(times):.2f} s, median {median:.2f} s")
    results.check(
        "commands",
        "build_fixtures --check (whole command, median of 5)",
        median,
        2.0,
        "<=",
        "s",
        f"best {min(times):.2f} s",
    )


def time_load_corpus(results: Results, database: str, url: str) -> None:
    """``load_corpus`` into a fresh, migrated database (the full division table), timed as a
    whole command."""
    env = django_env(url)
    manage(env, "migrate", "--noinput")
    started = time.perf_counter()
    output = manage(env, "load_corpus")
    seconds = time.perf_counter() - started
    places = re.search(r"district\s+created\s+(\d+)", output)
    detail = f"{places.group(1) if places else '?'} places created"
    log(f"  load_corpus into a fresh {database} database: {seconds:.2f} s ({detail})")
    results.check("commands", f"load_corpus, fresh {database}", seconds, 10.0, "<=", "s", detail)


def sqlite_database(results: Results) -> str:
    """A fresh SQLite file with the corpus (load_corpus timed on the way), static files."""
    path = OUT / "corpus.sqlite3"
    for stale in OUT.glob("corpus.sqlite3*"):
        stale.unlink()
    url = f"sqlite:///{path}"
    time_load_corpus(results, "SQLite", url)
    manage(django_env(url), "collectstatic", "--noinput")
    return url


def postgres_url(name: str) -> str:
    base = urllib.parse.urlsplit(POSTGRES)
    return urllib.parse.urlunsplit(base._replace(path=f"/{name}"))


def time_load_corpus_postgres(results: Results) -> None:
    import psycopg

    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {LOAD_DB} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {LOAD_DB}")
    try:
        time_load_corpus(results, "PostgreSQL", postgres_url(LOAD_DB))
    finally:
        with psycopg.connect(POSTGRES, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {LOAD_DB} WITH (FORCE)")
