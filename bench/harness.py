"""What every section of `make bench` (bench/run.py) measures with: the settings from the
environment, the results and their targets, the production server and Datasette started pinned
to the server core, and wrk on the other core."""

from __future__ import annotations

import http.client
import json
import math
import os
import re
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

from config.serve import running_gunicorn

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
