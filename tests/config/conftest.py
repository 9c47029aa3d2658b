"""A production server for the tests of this package: gunicorn, DEBUG off, on the test database
(which holds the corpus), static files through WhiteNoise."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

BIN = Path(sys.executable).parent


def production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return {**env, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), **extra}


def database_url() -> str:
    """The test database, which holds the corpus, as a URL for another process."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def production_server(static_root: Path, **env_vars: str) -> Iterator[str]:
    """gunicorn with production settings (plus ``env_vars``) on a free loopback port."""
    env = production_env(
        DJANGO_STATIC_ROOT=str(static_root), DATABASE_URL=database_url(), **env_vars
    )
    subprocess.run(
        [BIN / "python", "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        env=env, cwd=settings.BASE_DIR, check=True, timeout=120,
    )  # fmt: skip
    port = free_port()
    process = subprocess.Popen(
        [BIN / "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env, cwd=settings.BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            process.kill()
            pytest.fail(f"gunicorn did not start: {process.communicate()[0].decode()[-2000:]}")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, django_db_setup: None, django_db_blocker
) -> Iterator[str]:
    """Plain HTTP on loopback, as ``make serve`` runs it, on the test database (so after it is
    set up)."""
    with django_db_blocker.unblock():
        static_root = tmp_path_factory.mktemp("static")
        with production_server(static_root, DJANGO_SSL_REDIRECT="0") as base:
            yield base


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()
