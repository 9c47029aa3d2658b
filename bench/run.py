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
"""

from __future__ import annotations

import hashlib
import http.client
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.questions import (
    ANSWERING,
    API,
    SELECT,
    Question,
    observation_ids,
    panel_cells,
    sqlite_questions,
    values_ids,
)
from config.serve import Gunicorn, running_gunicorn

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
PYTHON = sys.executable
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
BENCH_DB = "party_stats_bench"
LOAD_DB = "party_stats_bench_load"
DATASETTE = os.environ.get("DATASETTE", str(OUT / "datasette" / "bin" / "datasette"))
SERVER_CPU, LOAD_CPU = "0", "1"
#: The sections to run (all unless BENCH_SECTIONS names some: commands,sqlite,postgres).
SECTIONS_RUN = os.environ.get("BENCH_SECTIONS", "commands,sqlite,postgres").split(",")
CONNECTIONS = 2  # throughput: one request in service, one waiting, so the worker is never idle

# --- measuring --------------------------------------------------------------------------------


@dataclass
class Load:
    name: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    megabytes_per_second: float = 0.0


@dataclass
class Check:
    """One target: ``value`` (a ratio, ms, s or MiB) against ``target`` in the sense given,
    with the figures it was computed from."""

    section: str
    name: str
    value: float
    target: float
    sense: str  # ">=" or "<="
    unit: str
    detail: str = ""

    @property
    def met(self) -> bool:
        return self.value >= self.target if self.sense == ">=" else self.value <= self.target


@dataclass
class Results:
    checks: list[Check] = field(default_factory=list)
    loads: dict[str, dict[str, Any]] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)

    def check(self, *args: Any, **kwargs: Any) -> None:
        self.checks.append(Check(*args, **kwargs))

    def load(self, section: str, load: Load) -> Load:
        self.loads.setdefault(section, {})[load.name] = asdict(load)
        return load


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def django_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SSL_REDIRECT": "0",
        "DJANGO_SECRET_KEY": "bench-only-not-a-secret-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "API_ANON_RATE": "off",  # one client address makes every request
        "PYTHONPATH": str(ROOT),
        **extra,
    }
    env.pop("REDIS_URL", None)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-4000:]}")
    return result.stdout


def gunicorn(env: dict[str, str], name: str, port: int) -> Any:
    """The production server (config.serve's one way to start it), one sync worker, pinned to
    the server core."""
    return running_gunicorn(
        env,
        workers=1,
        port=port,
        log_path=OUT / f"{name}.log",
        prefix=["taskset", "-c", SERVER_CPU],
    )


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer in {seconds} s")


@contextmanager
def datasette(database: Path, port: int) -> Iterator[str]:
    """Datasette serving ``database`` immutable, pinned to the server core; its URL."""
    command = ["taskset", "-c", SERVER_CPU, DATASETTE, "serve", "-i", str(database)]
    command += ["-p", str(port), "--setting", "sql_time_limit_ms", "60000"]
    command += ["--setting", "max_returned_rows", "5000"]
    with open(OUT / "datasette.log", "wb") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, env=os.environ.copy()
        )
    try:
        wait_for(f"http://127.0.0.1:{port}/-/versions.json")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


_LATENCY = re.compile(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}
_SIZE = {"B": 1e-6, "KB": 1e-3, "MB": 1.0, "GB": 1e3}


def wrk(name: str, url: str, connections: int = CONNECTIONS) -> Load:
    """Requests/s, p50 and p99 for ``url`` after a one-second warm-up."""
    base = ["taskset", "-c", LOAD_CPU, "wrk", "-t1", f"-c{connections}", "--latency"]
    base += ["--timeout", "30s"]
    subprocess.run([*base, "-d1s", url], capture_output=True, check=True)
    output = subprocess.run(
        [*base, f"-d{SECONDS}s", url], capture_output=True, text=True, check=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    finished = re.search(r"(\d+) requests in", output)
    transfer = re.search(r"Transfer/sec:\s+([\d.]+)(B|KB|MB|GB)", output)
    latency = {p: float(v) * _UNIT[u] for p, v, u in _LATENCY.findall(output)}
    if not finished or int(finished.group(1)) == 0:
        latency = {}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors or re.search(r"Socket errors: .*", output):
        log(f"  {name}: {output}")
    # No request finished in the time (a page slower than the measurement): no latency at all,
    # which must read as a miss, never as 0 ms.
    load = Load(
        name,
        rate,
        latency.get("50", math.inf),
        latency.get("99", math.inf),
        int(errors.group(1)) if errors else 0,
        float(transfer.group(1)) * _SIZE[transfer.group(2)] if transfer else 0.0,
    )
    log(f"  {name:<58} {rate:8.1f} req/s  p50 {load.p50_ms:7.2f} ms  p99 {load.p99_ms:7.2f} ms")
    return load


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=600) as response:
        body: bytes = response.read()
        return body


def fetch_json(url: str) -> Any:
    return json.loads(fetch(url))


def datasette_url(base: str, sql: str, extension: str = "json", **params: str) -> str:
    query = urllib.parse.urlencode({"sql": sql, **params})
    return f"{base}/corpus.{extension}?{query}"


def drain(url: str) -> tuple[int, int, float, str]:
    """Read ``url`` to its end in chunks (never held whole): bytes, lines, seconds, and why it
    ended early ("" when it did not: a worker killed at its timeout cuts a stream short)."""
    started = time.perf_counter()
    size = lines = 0
    problem = ""
    try:
        with urllib.request.urlopen(url, timeout=3600) as response:
            while chunk := response.read(1 << 20):
                size += len(chunk)
                lines += chunk.count(b"\n")
    except (OSError, http.client.HTTPException) as error:
        problem = f"cut short after {size / 1e6:.1f} MB: {type(error).__name__}"
    return size, lines, time.perf_counter() - started, problem


# --- section 1: commands ----------------------------------------------------------------------


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


# --- section 2: SQLite, the corpus ------------------------------------------------------------


def same_rows(question: Question, api: Any, ceiling: Any, datasette: Any | None) -> int:
    """Stop the run unless the three answer the same rows; how many."""
    expected = question.api_rows(api)
    got = {"hand-written view": question.ceiling_rows(ceiling)}
    if datasette is not None:
        got["Datasette"] = question.datasette_rows(datasette)
    for who, rows in got.items():
        if rows != expected:
            raise SystemExit(
                f"{question.name}: {who} answers other rows than the API "
                f"({len(rows)} against {len(expected)}; first differences "
                f"{[r for r in rows if r not in expected][:3]} / "
                f"{[r for r in expected if r not in rows][:3]})"
            )
    if not expected:
        raise SystemExit(f"{question.name}: an empty answer measures nothing")
    return len(expected)


def sqlite_section(results: Results, url: str) -> None:
    cached_port, uncached_port, datasette_port = 8801, 8802, 8803
    prerendered = OUT / "prerendered.json"
    env = django_env(url, BENCH_PRERENDERED=str(prerendered))
    section = "sqlite"
    database = OUT / "corpus.sqlite3"
    have_datasette = Path(DATASETTE).exists()
    if not have_datasette:
        log(f"  Datasette not found at {DATASETTE}: its comparisons are MISSING (make bench)")
    loads: dict[str, Load] = {}
    with (
        gunicorn(env, "server-cached", cached_port) as cached,
        gunicorn({**env, "API_RESPONSE_CACHE_SECONDS": "0"}, "server-uncached", uncached_port)
        as uncached,
    ):  # fmt: skip
        longest = f"{uncached.base}{API}/series/?ordering=-observation_count&page_size=1"
        series_key = str(fetch_json(longest)["results"][0]["key"])
        questions = sqlite_questions(series_key)
        answers = {
            q.name: (fetch_json(uncached.base + q.api), fetch_json(uncached.base + q.ceiling))
            for q in questions
        }
        prerendered.write_bytes(fetch(uncached.base + questions[0].api))
        cached_page = fetch_json(cached.base + questions[0].api)["results"]
        assert cached_page == json.loads(prerendered.read_bytes())["results"]
        for q in questions:
            loads[f"api {q.name}"] = results.load(
                section, wrk(f"API uncached: {q.name}", uncached.base + q.api)
            )
            loads[f"ceiling {q.name}"] = results.load(
                section, wrk(f"hand-written view: {q.name}", uncached.base + q.ceiling)
            )
        loads["cached"] = results.load(
            section, wrk("API rendered cache: list of 100", cached.base + questions[0].api)
        )
        loads["prerendered"] = results.load(
            section, wrk("pre-rendered bytes: list of 100", uncached.base + "/bench/prerendered/")
        )
        csv_api = results.load(
            "csv",
            wrk("API CSV export, whole set", f"{uncached.base}{API}/observations/?format=csv"),
        )
        _, csv_rows, _, _ = drain(f"{uncached.base}{API}/observations/?format=csv")
    if have_datasette:
        with datasette(database, datasette_port) as base:
            for q in questions:
                rows = fetch_json(datasette_url(base, q.sql, _shape="array"))
                api, ceiling = answers[q.name]
                count = same_rows(q, api, ceiling, rows)
                log(f"  {q.name}: the same {count} rows from the API, the view and Datasette")
                loads[f"datasette {q.name}"] = results.load(
                    section,
                    wrk(f"Datasette: {q.name}", datasette_url(base, q.sql, _shape="array")),
                )
            csv_sql = SELECT + f"where {ANSWERING} order by o.id"
            csv_url = datasette_url(base, csv_sql, "csv", _stream="on", _size="max")
            _, datasette_rows, _, _ = drain(csv_url)
            csv_datasette = results.load("csv", wrk("Datasette CSV, the same rows", csv_url))
    else:
        for q in questions:
            same_rows(q, *answers[q.name], None)
    for q in questions:
        api, ceiling = loads[f"api {q.name}"], loads[f"ceiling {q.name}"]
        figures = f"API {api.requests_per_second:.0f} req/s"
        if f"datasette {q.name}" in loads:
            other = loads[f"datasette {q.name}"]
            results.check(
                section,
                f"{q.name}: API / Datasette",
                api.requests_per_second / other.requests_per_second,
                1.0,
                ">=",
                "x",
                f"{figures}, Datasette {other.requests_per_second:.0f} req/s",
            )
        else:
            results.check(
                section, f"{q.name}: API / Datasette", 0.0, 1.0, ">=", "x", "no Datasette"
            )
        results.check(
            section,
            f"{q.name}: API / hand-written view",
            api.requests_per_second / ceiling.requests_per_second,
            0.9,
            ">=",
            "x",
            f"{figures}, view {ceiling.requests_per_second:.0f} req/s",
        )
    cached, ceiling = loads["cached"], loads["prerendered"]
    results.check(
        section,
        "list of 100, rendered cache / pre-rendered bytes",
        cached.requests_per_second / ceiling.requests_per_second,
        0.8,
        ">=",
        "x",
        f"cached {cached.requests_per_second:.0f}, bytes {ceiling.requests_per_second:.0f} req/s",
    )
    if have_datasette:
        rows_note = f"{csv_rows - 1} rows (API), {datasette_rows - 1} (Datasette)"
        results.check(
            "csv",
            "CSV export / Datasette CSV, req/s (SQLite, the corpus)",
            csv_api.requests_per_second / csv_datasette.requests_per_second,
            1.0,
            ">=",
            "x",
            f"API {csv_api.requests_per_second:.0f}, Datasette "
            f"{csv_datasette.requests_per_second:.0f} req/s; {rows_note}",
        )
        results.check(
            "csv",
            "CSV export / Datasette CSV, MB/s",
            csv_api.megabytes_per_second / max(csv_datasette.megabytes_per_second, 1e-9),
            1.0,
            ">=",
            "x",
            f"API {csv_api.megabytes_per_second:.2f}, Datasette "
            f"{csv_datasette.megabytes_per_second:.2f} MB/s",
        )


# --- section 4: PostgreSQL at scale -----------------------------------------------------------


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


# --- the report -------------------------------------------------------------------------------

SECTIONS = {
    "commands": "Commands (whole command, interpreter start-up included)",
    "sqlite": "SQLite, the corpus: API uncached against Datasette and the hand-written view, req/s",
    "csv": "CSV export",
    "postgres": f"PostgreSQL, {ROWS:,} observations: p99 of one page, one connection",
}


def report(results: Results) -> str:
    lines = []
    for section, title in SECTIONS.items():
        checks = [c for c in results.checks if c.section == section]
        if not checks:
            continue
        lines += ["", title, f"{'measurement':<64} {'measured':>9} {'target':>9}  result  figures"]
        for c in checks:
            measured = f"{c.value:.2f}{c.unit if c.unit != 'yes' else ''}"
            if c.unit == "yes":
                measured = "yes" if c.value >= 1 else "no"
            target = f"{c.sense}{c.target:g}{c.unit if c.unit != 'yes' else ''}"
            verdict = "PASS" if c.met else "MISS"
            lines.append(f"{c.name:<64} {measured:>9} {target:>9}  {verdict:<6}  {c.detail}")
    missed = [c for c in results.checks if not c.met]
    lines += ["", f"{len(results.checks) - len(missed)} targets met, {len(missed)} missed"]
    return "\n".join(lines)


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
