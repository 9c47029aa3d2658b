"""`make bench`: every ratio of issue 15 against its target, in one run.

The production server (gunicorn as deployed, started by config.serve; one sync worker, DEBUG
off, throttling off) runs pinned to one core and wrk to the other, on loopback; every figure
comes from this one run, so ratios compare like with like. Sections:

1. Commands: ``build_fixtures --check`` (median of 5, target < 2 s) and ``load_corpus`` into a
   fresh, migrated database with the full division table, on SQLite and on PostgreSQL (< 10 s).
2. SQLite, the corpus (that fresh SQLite file): the API with its rendered-response cache off
   against Datasette (same file, immutable) and the hand-written ``.values()`` + orjson views
   (bench/views.py), in req/s, for the list of 100, one indicator, a detail, the series list,
   one series, the panel and ``latest=true``. Every question is checked to get the same rows
   from all three. Targets: API >= 1.0x Datasette and >= 0.9x the hand-written view. Also the
   cached list against the pre-rendered bytes (>= 0.8x).
3. CSV export: the whole filtered set (``format=csv``) against Datasette's CSV of the same rows
   (``.csv?_stream=on``), req/s and MB/s (>= 1.0x); on PostgreSQL, the worker's peak resident
   memory (VmHWM, reset before each export) exporting every row against one place's rows:
   constant memory means the two peaks are within 1.25x.
4. PostgreSQL with BENCH_ROWS observations (bench/synthetic.py: series over many years and
   months): for pages at depth 0 and about 90% deep, no filter, one indicator, one place,
   ``latest=true``, the series list, plus one series and the panel, the p99 of the API and of
   the hand-written view answering the same page (one connection), the ratio (<= 1.25x) and
   the absolute (<= 25 ms); SQL queries per request at page sizes 10, 100 and 1000 (constant).

The tables print measured value, target, ratio and PASS or MISS; a missed target is printed with
its numbers. Results also go to var/bench/results.json. Environment:

- BENCH_SECONDS: seconds per measurement (default 5; 1 checks the whole pipeline quickly);
- BENCH_ROWS: observations on PostgreSQL (default 1000000);
- BENCH_POSTGRES_URL: a server where party_stats_bench (and party_stats_bench_load) may be
  dropped and created (default the local one);
- BENCH_REBUILD=1: build the PostgreSQL database again even when the one there is current.
  It is reused when its fingerprint (rows, bench/synthetic.py, the migrations, fixtures/)
  matches, kept as the database's comment; BENCH_REUSE=1 reuses any of the right size;
- BENCH_SECTIONS: some of commands,sqlite,postgres (default all; the SQLite database is
  always built, with its load_corpus timed);
- DATASETTE: Datasette's executable (default var/bench/datasette/bin/datasette).

The sections have modules of their own: bench/harness.py (settings, results, the servers, wrk),
bench/commands.py, bench/sqlite.py, bench/postgres.py and bench/report.py; this one runs them.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import asdict

from bench.commands import sqlite_database, time_build_fixtures, time_load_corpus_postgres
from bench.harness import (
    CONNECTIONS,
    LOAD_CPU,
    OUT,
    ROWS,
    SECONDS,
    SECTIONS_RUN,
    SERVER_CPU,
    Results,
    log,
)
from bench.postgres import postgres_database, postgres_section
from bench.report import report
from bench.sqlite import sqlite_section


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for tool in ("wrk", "taskset"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} not found (Debian: apt-get install wrk util-linux)")
    started = time.monotonic()
    results = Results()
    log(f"machine: {os.cpu_count()} cores; server on core {SERVER_CPU}, wrk on core {LOAD_CPU}, "
        f"{CONNECTIONS} connections (PostgreSQL: 1), {SECONDS} s a measurement")  # fmt: skip
    log("commands")
    if "commands" in SECTIONS_RUN:
        time_build_fixtures(results)
    sqlite_url = sqlite_database(results)
    if "commands" in SECTIONS_RUN:
        time_load_corpus_postgres(results)
    if "sqlite" in SECTIONS_RUN:
        log("SQLite (the corpus): the API, the hand-written views, Datasette; CSV")
        sqlite_section(results, sqlite_url)
    if "postgres" in SECTIONS_RUN:
        log(f"PostgreSQL with {ROWS:,} observations")
        postgres_section(results, postgres_database(results))
    text = report(results)
    print(text)
    print(f"\nwhole run: {time.monotonic() - started:.0f} s; details in {OUT / 'results.json'}")
    (OUT / "results.json").write_text(
        json.dumps(
            {
                "seconds_per_measurement": SECONDS,
                "rows": ROWS,
                "loads": results.loads,
                "facts": results.facts,
                "checks": [{**asdict(c), "met": c.met} for c in results.checks],
            },
            indent=2,
            default=str,
        )
    )


if __name__ == "__main__":
    main()
