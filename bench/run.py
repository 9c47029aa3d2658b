"""`make bench`: the API under load, beside its ceilings and Datasette, in one run.

The production server (gunicorn, one sync worker, DEBUG off) runs pinned to one core and wrk
to the other, on loopback; every figure below comes from this one run, so ratios compare like
with like. Steps:

1. ``build_fixtures`` for the five seeds, timed as a whole command (best and median of 5).
2. A SQLite database built from fixtures/ (the embedded default), served twice: with the
   cache of rendered responses (as deployed) and without it (every request runs the view).
3. wrk against the API (list page of 100, filtered list, detail, CSV export, schema), the
   hand-written ``.values()`` view and the pre-rendered bytes (bench/views.py), and Datasette
   asked the same questions of the same SQLite file.
4. PostgreSQL with 1,000,000 synthetic observations (bench/synthetic.py): SQL queries per
   request at page sizes 10, 100 and 1000, and filtered cursor pages at depth 0 and deep.

Results are printed and written to var/bench/results.json. Environment: BENCH_SECONDS (per
measurement, default 5), BENCH_ROWS (default 1000000), BENCH_POSTGRES_URL (a server where the
database party_stats_bench may be dropped and created; default the local one), BENCH_REUSE=1
(keep an existing PostgreSQL bench database of the right size), DATASETTE (its executable).
"""

from __future__ import annotations

import json
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
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
PYTHON = sys.executable
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
BENCH_DB = "party_stats_bench"
DATASETTE = os.environ.get("DATASETTE", str(OUT / "datasette" / "bin" / "datasette"))
SERVER_CPU, LOAD_CPU = "0", "1"
CONNECTIONS = 2  # throughput: one request in service, one waiting, so the worker is never idle

API = "/api/v1"
LIST = f"{API}/observations/?page_size=100"
FILTERED = f"{API}/observations/?indicator=party_members"
DETAIL = f"{API}/observations/jimei-2021:444/"
CSV = f"{API}/observations/?format=csv"
SCHEMA = f"{API}/schema/"

# Datasette gets the same questions as SQL over the same tables: the same rows, joins and
# columns as the API's pages (flat, as Datasette returns them).
_SELECT = """
select o.id, i.code as indicator_code, i.name_zh as indicator_name_zh,
  i.name_en as indicator_name_en, i.unit as indicator_unit, d.code as district_code,
  d.name_zh as district_name_zh, d.name_en as district_name_en, o.sub_unit,
  t.code as tier_code, t.name_zh as tier_name_zh, t.name_en as tier_name_en,
  n.code as initiative_code, n.name_zh as initiative_name_zh, n.name_en as initiative_name_en,
  o.period_label, o.period_start, o.period_end, o.period_kind, o.value, o.lower_bound,
  o.lower_inclusive, o.upper_bound, o.upper_inclusive, o.upper_by_convention, o.qualifier,
  o.unit, o.raw, o.mantissa, o.scale, o.scale_power, o.measure_word, s.slug as document,
  o.start, o."end", o.quote, o.figure_start, o.figure_end, o.note
from stats_observation o
join stats_indicator i on i.id = o.indicator_id
join stats_district d on d.id = o.district_id
left join stats_organisationtier t on t.id = o.tier_id
left join stats_initiative n on n.id = o.initiative_id
join stats_sourcedocument s on s.id = o.document_id
"""
DATASETTE_LIST = _SELECT + "order by o.id limit 100"
DATASETTE_FILTERED = _SELECT + "where i.code = 'party_members' order by o.id limit 100"


@dataclass
class Load:
    name: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


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
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def wait_for(url: str, seconds: float = 30) -> None:
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
def server(command: list[str], env: dict[str, str], ready: str, name: str) -> Iterator[None]:
    """A server pinned to the server core, stopped afterwards."""
    with open(OUT / f"{name}.log", "wb") as output:
        process = subprocess.Popen(
            ["taskset", "-c", SERVER_CPU, *command],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(ready)
            yield
        finally:
            process.terminate()
            process.wait(timeout=30)


def gunicorn(port: int, env: dict[str, str], name: str) -> AbstractContextManager[None]:
    command = [
        PYTHON, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", "1",
    ]  # fmt: skip
    return server(command, env, f"http://127.0.0.1:{port}/healthz", name)


_LATENCY = re.compile(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(name: str, url: str, connections: int = CONNECTIONS) -> Load:
    """Requests/s, p50 and p99 for ``url`` after a one-second warm-up."""
    base = ["taskset", "-c", LOAD_CPU, "wrk", "-t1", f"-c{connections}", "--latency"]
    subprocess.run([*base, "-d1s", url], capture_output=True, check=True)
    output = subprocess.run(
        [*base, f"-d{SECONDS}s", url], capture_output=True, text=True, check=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    latency = {p: float(v) * _UNIT[u] for p, v, u in _LATENCY.findall(output)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: .*", output)
    if errors or socket_errors:
        log(f"  {name}: {output}")
    load = Load(name, rate, latency["50"], latency["99"], int(errors.group(1)) if errors else 0)
    log(f"  {name:<44} {rate:9.0f} req/s   p50 {load.p50_ms:7.2f} ms   p99 {load.p99_ms:7.2f} ms")
    return load


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        body: bytes = response.read()
        return body


def datasette_url(port: int, sql: str) -> str:
    query = urllib.parse.urlencode({"sql": sql, "_shape": "array"})
    return f"http://127.0.0.1:{port}/corpus.json?{query}"


# --- steps ------------------------------------------------------------------------------------


def time_build_fixtures() -> dict[str, float]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": str(ROOT)}
    times = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run(
            [PYTHON, "manage.py", "build_fixtures", "--check"],
            cwd=ROOT, env=env, check=True, capture_output=True,
        )  # fmt: skip
        times.append(time.perf_counter() - started)
    result = {"best_s": min(times), "median_s": statistics.median(times)}
    best, median = result["best_s"], result["median_s"]
    log(f"  build_fixtures --check: best {best:.2f} s, median {median:.2f} s")
    return result


def sqlite_database() -> str:
    path = OUT / "corpus.sqlite3"
    for stale in OUT.glob("corpus.sqlite3*"):
        stale.unlink()
    url = f"sqlite:///{path}"
    env = django_env(url)
    manage(env, "migrate", "--noinput")
    manage(env, "load_corpus")
    manage(env, "collectstatic", "--noinput")
    return url


def sqlite_loads(url: str) -> dict[str, Load]:
    cached_port, uncached_port, datasette_port = 8801, 8802, 8803
    cached = f"http://127.0.0.1:{cached_port}"
    uncached = f"http://127.0.0.1:{uncached_port}"
    prerendered = OUT / "prerendered.json"
    loads: dict[str, Load] = {}
    env = django_env(url, BENCH_PRERENDERED=str(prerendered))
    with (
        gunicorn(cached_port, env, "server-cached"),
        gunicorn(uncached_port, {**env, "API_RESPONSE_CACHE_SECONDS": "0"}, "server-uncached"),
    ):
        prerendered.write_bytes(fetch(uncached + LIST))
        cached_page = json.loads(fetch(cached + LIST))["results"]
        assert cached_page == json.loads(prerendered.read_bytes())["results"]
        for name, path in (
            ("list", LIST),
            ("filtered", FILTERED),
            ("detail", DETAIL),
            ("csv", CSV),
            ("schema", SCHEMA),
        ):
            loads[f"{name} uncached"] = wrk(f"API {name} (view runs)", uncached + path)
            if name != "csv":  # streamed: never kept
                loads[f"{name} cached"] = wrk(f"API {name} (rendered cache)", cached + path)
        loads["values view"] = wrk(
            "ceiling: hand-written .values() view", uncached + "/bench/values/"
        )
        loads["values view filtered"] = wrk(
            "ceiling: .values() view, filtered", uncached + "/bench/values/?indicator=party_members"
        )
        loads["prerendered"] = wrk("ceiling: pre-rendered bytes", uncached + "/bench/prerendered/")
    database = OUT / "corpus.sqlite3"
    if not Path(DATASETTE).exists():
        log(f"  Datasette not found at {DATASETTE}: skipped (make bench installs it)")
        return loads
    command = [DATASETTE, "serve", "-i", str(database), "-p", str(datasette_port)]
    command += ["--setting", "sql_time_limit_ms", "10000"]
    with server(
        command,
        os.environ.copy(),
        f"http://127.0.0.1:{datasette_port}/-/versions.json",
        "datasette",
    ):
        rows = json.loads(fetch(datasette_url(datasette_port, DATASETTE_LIST)))
        page = json.loads(prerendered.read_bytes())["results"]
        same = [(r["document"], r["figure_start"]) for r in rows]
        assert same == [(o["source"]["document"], o["source"]["figure_start"]) for o in page]
        loads["datasette list"] = wrk(
            "Datasette: the list question", datasette_url(datasette_port, DATASETTE_LIST)
        )
        loads["datasette filtered"] = wrk(
            "Datasette: the filtered question", datasette_url(datasette_port, DATASETTE_FILTERED)
        )
    return loads


def postgres_database() -> str:
    import psycopg

    base = urllib.parse.urlsplit(POSTGRES)
    url = urllib.parse.urlunsplit(base._replace(path=f"/{BENCH_DB}"))
    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]
        ).fetchone()
        if exists and os.environ.get("BENCH_REUSE") == "1":
            with psycopg.connect(url) as bench:
                count = bench.execute("SELECT count(*) FROM stats_observation").fetchone()
            if count and count[0] >= ROWS:
                log(f"  reusing {BENCH_DB} ({count[0]} observations)")
                manage(django_env(url), "migrate", "--noinput")
                return url
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        connection.execute(f"CREATE DATABASE {BENCH_DB}")
    env = django_env(url)
    manage(env, "migrate", "--noinput")
    manage(env, "load_corpus")
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, "-m", "bench.synthetic", "--rows", str(ROWS - 165)],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    log(f"  {ROWS} observations on PostgreSQL in {time.perf_counter() - started:.0f} s")
    return url


def query_counts(url: str) -> dict[str, list[int]]:
    output = subprocess.run(
        [PYTHON, "-m", "bench.queries"],
        cwd=ROOT, env=django_env(url), check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    counts: dict[str, list[int]] = json.loads(output)
    for path, per_size in counts.items():
        log(f"  {path:<44} queries at page_size 10/100/1000: {per_size}")
    return counts


def postgres_loads(url: str) -> dict[str, Load]:
    port = 8804
    env = django_env(url, API_RESPONSE_CACHE_SECONDS="0")
    cursors = json.loads(
        subprocess.run(
            [PYTHON, "-m", "bench.queries", "--cursors"],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        ).stdout
    )  # fmt: skip
    loads = {}
    base = f"http://127.0.0.1:{port}"
    with gunicorn(port, env, "server-postgres"):
        for name, path in cursors.items():
            # One request at a time: the latency of a page, not of a queue behind it.
            loads[name] = wrk(f"1M rows, {name}", base + path, connections=1)
    return loads


def ratio(numerator: Load, denominator: Load) -> float:
    return numerator.requests_per_second / denominator.requests_per_second


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for tool in ("wrk", "taskset"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} not found (Debian: apt-get install wrk util-linux)")
    started = time.monotonic()
    log(f"machine: {os.cpu_count()} cores; server on core {SERVER_CPU}, wrk on core {LOAD_CPU}, "
        f"{CONNECTIONS} connections, {SECONDS} s a measurement")  # fmt: skip
    log("build_fixtures")
    fixtures = time_build_fixtures()
    log("SQLite (the corpus): API, ceilings and Datasette")
    sqlite = sqlite_loads(sqlite_database())
    log(f"PostgreSQL with {ROWS} observations")
    pg_url = postgres_database()
    queries = query_counts(pg_url)
    postgres = postgres_loads(pg_url)

    def rate(measured: str, over: str) -> float:
        return ratio(sqlite[measured], sqlite[over])

    targets = [
        ("uncached list / hand-written view",
         rate("list uncached", "values view"), 0.8, ">="),
        ("uncached filtered / hand-written view, filtered",
         rate("filtered uncached", "values view filtered"), 0.8, ">="),
        ("cached list / pre-rendered bytes",
         rate("list cached", "prerendered"), 0.8, ">="),
    ]  # fmt: skip
    if "datasette list" in sqlite:
        targets += [
            ("uncached list / Datasette",
             rate("list uncached", "datasette list"), 3.0, ">="),
            ("uncached filtered / Datasette",
             rate("filtered uncached", "datasette filtered"), 3.0, ">="),
            ("cached list / Datasette",
             rate("list cached", "datasette list"), 3.0, ">="),
            ("cached filtered / Datasette",
             rate("filtered cached", "datasette filtered"), 3.0, ">="),
        ]  # fmt: skip
    constant = all(len(set(sizes)) == 1 for sizes in queries.values())
    targets.append(("queries per request constant (1 = yes)", float(constant), 1.0, ">="))
    for name, load in postgres.items():
        targets.append((f"p99 ms, 1M rows, {name}", load.p99_ms, 25.0, "<="))
    targets.append(("build_fixtures s (median of 5)", fixtures["median_s"], 2.0, "<="))

    print()
    print(f"{'target':<52} {'measured':>9} {'target':>9}  met")
    for name, value, target, sense in targets:
        met = value >= target if sense == ">=" else value <= target
        print(f"{name:<52} {value:9.2f} {sense}{target:7.2f}  {'yes' if met else 'NO'}")
    print(f"\nwhole run: {time.monotonic() - started:.0f} s; details in {OUT / 'results.json'}")
    (OUT / "results.json").write_text(
        json.dumps(
            {
                "build_fixtures": fixtures,
                "sqlite": {k: asdict(v) for k, v in sqlite.items()},
                "postgres": {k: asdict(v) for k, v in postgres.items()},
                "queries": queries,
                "targets": [
                    {"name": n, "measured": v, "target": t, "sense": s} for n, v, t, s in targets
                ],
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
