"""The server under load: gunicorn as deployed (config.serve), with gthread workers, on loopback;
and the errors it logged."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

from config.serve import Gunicorn, ServerFailed, start_gunicorn
from loadtest.base import HOST, OUT


def start_server(env: Mapping[str, str], workers: int, threads: int) -> Gunicorn:
    """gunicorn as deployed (config.serve.start_gunicorn) with gthread workers on 127.0.0.1
    at a free port, once it answers /readyz; its log in var/loadtest/server.log."""
    gthread = ["--worker-class", "gthread", "--threads", str(threads)]
    timeouts = ["--keep-alive", "30", "--timeout", "60"]
    try:
        return start_gunicorn(
            env,
            workers=workers,
            options=[*gthread, *timeouts],
            host=HOST,
            log_path=OUT / "server.log",
            ready="/readyz",
        )
    except ServerFailed as error:
        raise SystemExit(f"loadtest: {error}") from None


def server_log_problems(path: Path) -> list[str]:
    """Errors the server logged: Django records at ERROR or above, 5xx answers, gunicorn
    errors (worker timeouts, crashes) and tracebacks."""
    problems: list[str] = []
    gunicorn_error = re.compile(r"\[(ERROR|CRITICAL)\]")
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            try:
                entry = json.loads(line)
            except ValueError:
                problems.append(line[:300])
                continue
            status = entry.get("status", 0)
            if entry.get("level") in ("ERROR", "CRITICAL") or (
                isinstance(status, int) and status >= 500
            ):
                problems.append(line[:300])
        elif gunicorn_error.search(line) or line.startswith("Traceback"):
            problems.append(line[:300])
    return problems
