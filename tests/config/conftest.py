"""Production servers for the tests of this package, DEBUG off, on the test database (which holds
the corpus), static files through WhiteNoise: gunicorn alone (``production_server``: the app as a
proxy in front reaches it), and the whole stack ``make serve`` runs, nginx in front of gunicorn
(``production_stack``, started by the same launcher, config.serve). Both start gunicorn the one
way config.serve does (``gunicorn_command``)."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.serve import (
    NginxMissing,
    ServerFailed,
    find_nginx,
    free_port,
    install_nginx,
    start_gunicorn,
)

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


def collect_static(env: dict[str, str]) -> None:
    subprocess.run(
        [BIN / "python", "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        env=env, cwd=settings.BASE_DIR, check=True, timeout=120,
    )  # fmt: skip


@contextmanager
def production_server(static_root: Path, **env_vars: str) -> Iterator[str]:
    """gunicorn as deployed (config.serve.start_gunicorn, two workers) with production
    settings (plus ``env_vars``) on a free loopback port; its URL."""
    env = production_env(
        DJANGO_STATIC_ROOT=str(static_root), DATABASE_URL=database_url(), **env_vars
    )
    collect_static(env)
    try:
        server = start_gunicorn(env, workers=2)
    except ServerFailed as error:
        pytest.fail(str(error)[-2000:])
    try:
        yield server.base
    finally:
        server.stop()


def nginx_or_skip() -> str:
    """nginx's executable; installed first (Debian's package, as ``make nginx`` does) when
    absent and root or password-less sudo can; the test is skipped only when it cannot be."""
    found = find_nginx()
    if found:
        return found
    try:
        return install_nginx(interactive=False)
    except NginxMissing as error:
        pytest.skip(f"no nginx, and it could not be installed: {error} (run `make nginx`)")


@dataclass
class RunningStack:
    """A running ``python -m config.serve``: its URL, process (the launcher, leading a process
    group of its own with nginx and gunicorn) and runtime directory (nginx.conf, the socket,
    serve.log)."""

    base: str
    port: int
    process: subprocess.Popen[bytes]
    runtime_dir: Path

    def log(self) -> str:
        return (self.runtime_dir / "serve.log").read_text(errors="replace")

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 30) -> int:
        """Stop the launcher with ``signum`` (it stops nginx and gunicorn); its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            raise


@contextmanager
def production_stack(
    runtime_dir: Path, static_root: Path, workers: int = 2, **env_vars: str
) -> Iterator[RunningStack]:
    """nginx in front of gunicorn, started as ``make serve`` starts them (config.serve), with
    production settings (plus ``env_vars``), nginx on a free loopback port."""
    env = production_env(
        DJANGO_STATIC_ROOT=str(static_root),
        DATABASE_URL=database_url(),
        DJANGO_SSL_REDIRECT="0",
        API_TRUSTED_PROXIES="1",
        NGINX=nginx_or_skip(),
        **env_vars,
    )
    collect_static(env)
    port = free_port()
    command = [
        BIN / "python", "-m", "config.serve", "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers), "--runtime-dir", runtime_dir,
    ]  # fmt: skip
    runtime_dir.mkdir(parents=True, exist_ok=True)
    with open(runtime_dir / "serve.log", "wb") as log:
        process = subprocess.Popen(
            command, env=env, cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    stack = RunningStack(f"http://127.0.0.1:{port}", port, process, runtime_dir)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{stack.base}/healthz", timeout=1)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"make serve's stack did not start: {stack.log()[-3000:]}")
                time.sleep(0.1)
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory, django_db_setup: None, django_db_blocker
) -> Iterator[RunningStack]:
    """nginx and gunicorn as ``make serve`` runs them, on the test database."""
    with (
        django_db_blocker.unblock(),
        production_stack(
            tmp_path_factory.mktemp("serve"), tmp_path_factory.mktemp("static")
        ) as running,
    ):
        yield running


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
