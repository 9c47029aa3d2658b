"""Section 4 of `make bench`, and the CSV export's memory: PostgreSQL with BENCH_ROWS
observations (built by bench/synthetic.py, reused while what built it is unchanged), the p99 of
the API and of the hand-written view answering the same page, the SQL queries per request at
three page sizes, and the worker's peak memory exporting a few rows and every row."""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import subprocess
import time
import urllib.parse
from pathlib import Path
from typing import Any

from bench.commands import postgres_url
from bench.harness import (
    BENCH_DB,
    POSTGRES,
    PYTHON,
    ROOT,
    ROWS,
    Results,
    django_env,
    drain,
    fetch_json,
    gunicorn,
    log,
    manage,
    wrk,
)
from bench.questions import API, observation_ids, panel_cells, values_ids
from config.serve import Gunicorn


def fingerprint() -> str:
    """What the PostgreSQL bench database was built from: its size, the synthesizer, the
    migrations and the fixtures. A database whose comment holds the same is reused."""
    digest = hashlib.sha256(f"rows={ROWS}".encode())
    sources = [ROOT / "bench" / "synthetic.py"]
    sources += sorted((ROOT / "stats" / "migrations").glob("*.py"))
    sources += sorted((ROOT / "fixtures").glob("*"))
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return "bench:" + digest.hexdigest()[:32]


def postgres_database(results: Results) -> str:
    import psycopg
    from psycopg import sql

    url = postgres_url(BENCH_DB)
    wanted = fingerprint()
    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        found = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [BENCH_DB],
        ).fetchone()
        rebuild = os.environ.get("BENCH_REBUILD") == "1"
        if found and not rebuild and (found[0] == wanted or os.environ.get("BENCH_REUSE") == "1"):
            with psycopg.connect(url) as bench:
                count = bench.execute("SELECT count(*) FROM stats_observation").fetchone()
            if count and count[0] >= ROWS:
                log(f"  reusing {BENCH_DB} ({count[0]:,} observations, {found[0]})")
                results.facts["postgres"] = {"reused": True, "observations": count[0]}
                return url
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {BENCH_DB}")
    env = django_env(url)
    manage(env, "migrate", "--noinput")
    manage(env, "load_corpus")
    real = int(manage(env, "shell", "-c", _COUNT).strip().splitlines()[-1])
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, "-m", "bench.synthetic", "--rows", str(ROWS - real)],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    log(f"  {ROWS:,} observations on PostgreSQL in {seconds:.0f} s (derived tables included)")
    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        connection.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(BENCH_DB), sql.Literal(wanted)
            )
        )
    results.facts["postgres"] = {"reused": False, "build_seconds": seconds}
    return url


_COUNT = "from stats.models import Observation; print(Observation.objects.count())"


def bench_module(env: dict[str, str], *args: str) -> Any:
    output = subprocess.run(
        [PYTHON, "-m", "bench.queries", *args],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return json.loads(output)


def postgres_section(results: Results, url: str) -> None:
    port = 8804
    section = "postgres"
    env = django_env(url, API_RESPONSE_CACHE_SECONDS="0")
    # Planner statistics as a deployment has them after autovacuum, not as the bulk load left
    # them (a reused database may never have been analysed).
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("ANALYZE")
    counts: dict[str, list[int]] = bench_module(env, "--counts")
    for name, per_size in counts.items():
        log(f"  {name:<44} queries at page_size 10/100/1000: {per_size}")
        results.check(
            section,
            f"queries per request constant: {name}",
            float(len(set(per_size)) == 1),
            1.0,
            ">=",
            "yes",
            f"{' / '.join(map(str, per_size))} at page sizes 10 / 100 / 1000",
        )
    questions: dict[str, dict[str, str]] = bench_module(env, "--questions")
    with gunicorn(env, "server-postgres", port) as server:
        for name, paths in questions.items():
            api_body = fetch_json(server.base + paths["api"])
            ceiling_body = fetch_json(server.base + paths["ceiling"])
            check_same_page(name, api_body, ceiling_body)
            # One request at a time: the latency of a page, not of a queue behind it.
            api = results.load(section, wrk(f"API: {name}", server.base + paths["api"], 1))
            view = results.load(
                section, wrk(f"hand-written view: {name}", server.base + paths["ceiling"], 1)
            )
            results.check(
                section,
                f"{name}: p99 API / view",
                api.p99_ms / max(view.p99_ms, 1e-9),
                1.25,
                "<=",
                "x",
                f"API {api.p99_ms:.1f} ms, view {view.p99_ms:.1f} ms",
            )
            results.check(section, f"{name}: p99 API", api.p99_ms, 25.0, "<=", "ms")
        export_memory(results, server, questions)


def check_same_page(name: str, api: Any, ceiling: Any) -> None:
    """The API and the hand-written view answer the same rows for the same page."""
    if "results" in api and "key" in (api["results"] or [{}])[0]:
        same = [r["key"] for r in api["results"]] == [r["key"] for r in ceiling["results"]]
    elif "results" in api:
        same = observation_ids(api) == values_ids(ceiling)
    elif "observations" in api:
        same = [r["id"] for r in api["observations"]] == [
            f"{r['document__slug']}:{r['figure_start']}" for r in ceiling["observations"]
        ]
    else:
        same = panel_cells(api, lambda row: row["district"]["code"]) == panel_cells(
            ceiling, lambda row: row["district"][0]
        )
    if not same:
        raise SystemExit(f"{name}: the hand-written view answers another page than the API")


def peak_rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(found.group(1)) / 1024 if found else 0.0


def reset_peak(pid: int) -> bool:
    """Start the peak resident memory again from now (Linux: 5 > clear_refs)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def export_memory(results: Results, server: Gunicorn, questions: dict[str, Any]) -> None:
    """The worker's peak resident memory exporting about ten thousand rows, then every row."""
    workers = server.worker_pids()
    if len(workers) != 1:
        results.check("csv", "peak memory, whole export / small export", 0.0, 1.25, "<=", "x",
                      f"could not find the one worker ({workers})")  # fmt: skip
        return
    pid = workers[0]
    small = next(v for k, v in questions.items() if k.startswith("place filter, depth 0"))
    small_query = urllib.parse.urlsplit(small["api"]).query
    peaks = {}
    for label, query in (("small", small_query), ("whole", "")):
        export = f"{server.base}{API}/observations/?{query}&format=csv".replace("?&", "?")
        if not reset_peak(pid):
            log("  cannot reset the worker's peak memory: the figures include start-up")
        size, lines, seconds, problem = drain(export)
        alive = pid in server.worker_pids()
        peak = peak_rss_mib(pid) if alive else math.inf
        peaks[label] = (peak, lines - 1, size, seconds, problem)
        log(f"  CSV export of {lines - 1:,} rows: {size / 1e6:.1f} MB in {seconds:.1f} s, "
            f"worker peak {peak:.0f} MiB {problem}")  # fmt: skip
        if not alive:
            break
    results.facts["csv export"] = {
        label: {"peak_mib": p, "rows": r, "bytes": b, "seconds": t, "problem": e}
        for label, (p, r, b, t, e) in peaks.items()
    }
    small_peak, small_rows, _, _, _ = peaks["small"]
    whole_peak, whole_rows, whole_size, whole_seconds, problem = peaks.get(
        "whole", (math.inf, 0, 0, 1.0, "not run: the small export ended the worker")
    )
    whole = (
        f"the whole export {whole_size / 1e6:.0f} MB at {whole_size / 1e6 / whole_seconds:.1f} MB/s"
    )
    results.check(
        "csv",
        "the whole CSV export completes (PostgreSQL)",
        float(not problem),
        1.0,
        ">=",
        "yes",
        f"{whole_rows:,} rows, {whole}"
        + (f"; {problem} (worker timeout 30 s?)" if problem else ""),
    )
    results.check(
        "csv",
        f"worker peak memory: whole export / {small_rows:,} rows (PostgreSQL)",
        whole_peak / max(small_peak, 1e-9),
        1.25,
        "<=",
        "x",
        f"{whole_peak:.0f} MiB against {small_peak:.0f} MiB"
        + (f" (over the {whole_size / 1e6:.0f} MB exported before it was cut)" if problem else "")
        + ("; the worker was gone after it" if whole_peak == math.inf else ""),
    )
