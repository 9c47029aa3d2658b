"""`make loadtest`: API reads and admin writes at once, against the production server on loopback.

One run, bounded in time, on a throwaway database:

1. A fresh database: an SQLite file in var/loadtest/ (WAL, as config/settings.py configures it),
   or with ``--database-url`` / ``LOADTEST_DATABASE_URL`` a PostgreSQL database this run drops
   and creates (its name must contain "loadtest"). ``migrate``, ``load_corpus`` and a few analyst
   superusers, each with a random password.
2. gunicorn (config.wsgi, gthread workers) on 127.0.0.1 at a free port, DEBUG off, a random
   secret key, no HTTPS redirect, API throttling off (one client address makes every request).
   The default cache is per-process memory; ``--redis-url`` / ``LOADTEST_REDIS_URL`` names a
   Redis database this run owns instead (it is flushed before and after: cached responses are
   keyed by data version number, which a fresh database starts again).
3. 32 persistent connections for ``--seconds`` (``LOADTEST_SECONDS``, default 60, at most 300):
   28 readers walk the API (observation lists with filters, search and orderings, cursor pages
   followed through ``next``, details, conditional reads, districts, indicators, CSV exports,
   gzip or not) and 4 writers, each logged into the admin with a session of its own, open an
   observation's change page and save it with a new ``note`` (a unique marker). Each writer
   has observations of its own and shares a few with the others, so rows are written
   concurrently; every save answered 302 to the change list is an acknowledged write.
4. Checks: (a) no errors: every response the expected 2xx/3xx (304 only for conditional reads),
   no connection errors, no 429, no 5xx, no error in the server's log; (b) no lost writes:
   each observation's note is that of its last acknowledged write in history order, and history
   order agrees with real time (a write acknowledged before another was sent comes first);
   (c) every acknowledged write is in ``stats_historicalobservation`` exactly once, as a change
   by its analyst, with one admin log entry, and nothing else was recorded; (d) after the data
   version settles (``DATA_VERSION_CACHE_SECONDS``), the API (details, a list page, a
   conditional read with an ETag from before the run, CSV) shows every final note.

Exit status 0 when every check passes, 1 otherwise (the failures are listed). The server log is
kept in var/loadtest/server.log; ``--keep`` keeps the database too. Loopback only: the server
binds 127.0.0.1 and a database or Redis URL naming another host is refused.

This module is the command line; the parts live beside it: ``base`` (sizes, paths, progress
log), ``databases`` (the throwaway database, Redis, the server's environment),
``django_actions`` (what a Django subprocess reads and writes), ``server`` (gunicorn, started
as deployed by config.serve), ``browser`` (cookies and forms), ``clients`` (readers and
writers), ``load`` (the timed run and the final reads), ``checks`` (did a write get lost) and
``report`` (the summary).
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import secrets
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from config.serve import Gunicorn
from loadtest.base import (
    CONNECTIONS,
    DEFAULT_SECONDS,
    HOST,
    MAX_SECONDS,
    OUT,
    OWN_PER_WRITER,
    SETTLE_SECONDS,
    SHARED,
    WRITERS,
    is_loopback_url,
    log,
)
from loadtest.checks import HistoryRow, overlapping_writes
from loadtest.clients import Catalog, Writer, assign_observations
from loadtest.databases import Database, flush_redis, server_env
from loadtest.django_actions import DJANGO_ACTIONS, django_call, django_main
from loadtest.load import Load, capture_etags, check_api, drive
from loadtest.report import evaluate, summary
from loadtest.server import start_server


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options, defaulting to LOADTEST_* environment variables."""
    parser = argparse.ArgumentParser(
        prog="python -m loadtest.run", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--seconds",
        type=float,
        default=float(os.environ.get("LOADTEST_SECONDS", DEFAULT_SECONDS)),
        help=f"how long the load runs (default {DEFAULT_SECONDS}, at most {MAX_SECONDS})",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOADTEST_DATABASE_URL") or None,
        help="a PostgreSQL database on this machine to drop and create (default: SQLite)",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("LOADTEST_REDIS_URL") or None,
        help="a Redis database on this machine the run owns and flushes (default: none)",
    )
    parser.add_argument(
        "--connections", type=int, default=CONNECTIONS, help=f"default {CONNECTIONS}"
    )
    parser.add_argument(
        "--writers", type=int, default=WRITERS, help=f"connections that write (default {WRITERS})"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--threads", type=int, help="threads per worker (default: one per connection in all)"
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=int(os.environ.get("LOADTEST_SEED", "1")),
        help="which observations each writer edits, and the order of requests",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--django-action", choices=sorted(DJANGO_ACTIONS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not 1 <= args.seconds <= MAX_SECONDS:
        parser.error(f"--seconds must be from 1 to {MAX_SECONDS}")
    if not 1 <= args.writers < args.connections:
        parser.error("--writers must be at least 1 and fewer than --connections")
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    if args.threads is None:
        args.threads = math.ceil(args.connections / args.workers)
    for option in ("database_url", "redis_url"):
        url = getattr(args, option)
        if url and not is_loopback_url(url):
            parser.error(f"--{option.replace('_', '-')} must name this machine (loopback only)")
    return args


@dataclass
class _Run:
    """One run: its options, its throwaway database, the server's environment, the analysts who
    write, and the server once it is started (stopped however the run ends)."""

    args: argparse.Namespace
    database: Database
    env: dict[str, str]
    password: str
    run_id: str
    users: list[str]
    server: Gunicorn | None = None

    @classmethod
    def new(cls, args: argparse.Namespace) -> _Run:
        database = Database(args.database_url)
        return cls(
            args,
            database,
            env=server_env(database.url, args.redis_url, secrets.token_urlsafe(50)),
            password=secrets.token_urlsafe(24),
            run_id=secrets.token_hex(3),
            users=[f"loadtest-analyst-{i + 1}" for i in range(args.writers)],
        )


@dataclass(frozen=True)
class _Outcome:
    """What a run saw: the database before and after, the load, the final reads of the API."""

    prepared: dict[str, Any]
    state: dict[str, Any]
    history: list[HistoryRow]
    load: Load
    writers: list[Writer]
    shared: list[int]
    api: tuple[list[str], int]
    server: Gunicorn


def _prepare(run: _Run) -> tuple[dict[str, Any], Catalog]:
    """Create the database (and flush Redis), load the corpus and the analysts."""
    log(f"building {run.database.describe()}")
    run.database.create()
    if run.args.redis_url:
        flush_redis(run.args.redis_url)
    prepared = django_call(run.env, "prepare", {"users": run.users, "password": run.password})
    catalog = Catalog(
        api_ids={item["pk"]: item["api_id"] for item in prepared["observations"]},
        indicators=prepared["indicators"],
        districts=prepared["districts"],
        all_districts=prepared["all_districts"],
        documents=prepared["documents"],
    )
    log(f"{len(catalog.api_ids)} observations loaded, {len(run.users)} analysts; starting gunicorn")
    return prepared, catalog


def _serve_and_load(run: _Run) -> _Outcome:
    """Prepare, start the server, run the load, then read the database and the API back."""
    args = run.args
    prepared, catalog = _prepare(run)
    own, shared = assign_observations(
        sorted(catalog.api_ids), args.writers, OWN_PER_WRITER, SHARED, args.seed
    )
    written = sorted({pk for pks in own for pk in pks} | set(shared))
    server = run.server = start_server(run.env, args.workers, args.threads)
    log(
        f"gunicorn on {HOST}:{server.port} ({args.workers} workers x "
        f"{args.threads} threads); {args.connections} connections for {args.seconds:g} s"
    )
    old_etags = capture_etags(server.port, [catalog.api_ids[pk] for pk in written])
    writers = [
        Writer(i + 1, server.port, user, run.password, own[i], shared, run.run_id, args.seed + i)
        for i, user in enumerate(run.users)
    ]
    load = drive(
        server.port,
        catalog,
        writers,
        args.connections - args.writers,
        args.seconds,
        args.seed,
    )
    ended = time.monotonic()
    log(f"{len(load.acks)} writes acknowledged; checking")
    state = django_call(
        run.env,
        "state",
        {"since_history": prepared["max_history"], "since_log": prepared["max_log"]},
    )
    final = {int(pk): note for pk, note in state["notes"].items()}
    history = [HistoryRow(*row) for row in state["history"]]
    time.sleep(max(0.0, SETTLE_SECONDS - (time.monotonic() - ended)))
    log("reading the final notes through the API")
    api = check_api(server.port, catalog, final, written, old_etags, reads_each=2 * args.workers)
    return _Outcome(prepared, state, history, load, writers, shared, api, server)


def _clean_up(run: _Run) -> None:
    """Stop the server; unless ``--keep``, drop the database and flush Redis."""
    if run.server is not None:
        run.server.stop()
    if not run.args.keep:
        with contextlib.suppress(Exception):
            run.database.drop()
        if run.args.redis_url:
            with contextlib.suppress(Exception, SystemExit):
                flush_redis(run.args.redis_url)


def _facts(run: _Run, outcome: _Outcome) -> dict[str, str]:
    """What the summary says the run was: database, cache, server, connections, writes."""
    args, load, users = run.args, outcome.load, run.users
    prepared, state = outcome.prepared, outcome.state
    samples = [sample for recorder in load.recorders for sample in recorder.samples]
    return {
        "database": run.database.describe(),
        "cache": "Redis (" + args.redis_url + ")" if args.redis_url else "per-process memory",
        "server": f"gunicorn gthread, {args.workers} workers x {args.threads} threads, "
        f"{HOST}:{outcome.server.port}, DEBUG off, throttling off",
        "connections": f"{args.connections} ({args.connections - args.writers} readers, "
        f"{args.writers} writers, {users[0]} … {users[-1]})",
        "writes": f"{len(load.acks)} acknowledged of {len(load.attempted)} sent, to "
        f"{len({ack.pk for ack in load.acks})} observations ({len(outcome.shared)} shared by "
        f"every writer); {overlapping_writes(load.acks)} overlapped another write to the same "
        f"row; {sum(len(w.conflicts) for w in outcome.writers)} refused as made over another "
        "writer's save",
        "304 answers to conditional reads": str(sum(s.status == 304 for s in samples)),
        "answers older than one already served on the same connection (ETag version)": str(
            load.version_regressions
        ),
        "data version": f"{prepared['data_version']} before, {state['data_version']} after",
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Build, serve, load, check, report; 0 when every check passes."""
    args = parse_args(argv)
    if args.django_action:
        return django_main(args.django_action)
    began = time.monotonic()
    OUT.mkdir(parents=True, exist_ok=True)
    run = _Run.new(args)
    try:
        outcome = _serve_and_load(run)
    finally:
        _clean_up(run)
    checks = evaluate(
        outcome.load,
        outcome.prepared,
        outcome.state,
        outcome.history,
        outcome.api,
        outcome.server.log_path,
    )
    print(summary(outcome.load, checks, _facts(run, outcome)))
    failed = [name for name, failures in checks if failures]
    elapsed = time.monotonic() - began
    print(f"result: {'FAIL' if failed else 'PASS'} (whole run {elapsed:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
