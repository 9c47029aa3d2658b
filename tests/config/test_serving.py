"""The production path: gunicorn with DEBUG off serves the API, the probes, admin and the API
docs with their static files (WhiteNoise, no web server in front); `check --deploy` is clean."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db
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


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, django_db_blocker) -> Iterator[str]:
    static_root = tmp_path_factory.mktemp("static")
    with django_db_blocker.unblock():
        env = production_env(
            DJANGO_STATIC_ROOT=str(static_root),
            DJANGO_SSL_REDIRECT="0",
            DATABASE_URL=database_url(),
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


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


def test_probes_and_the_api_answer(server: str):
    assert fetch(f"{server}/healthz")[2] == b'{"status": "ok"}'
    status, _, body = fetch(f"{server}/readyz")
    assert status == 200
    assert b'"observations": 165' in body
    status, headers, body = fetch(f"{server}/api/v1/observations/jimei-2021:444/")
    assert (status, headers["Content-Type"]) == (200, "application/json")
    assert "全区1.6万名党员".encode() in body


def test_api_docs_and_admin_come_with_their_static_files(server: str):
    status, _, page = fetch(f"{server}/api/v1/docs/")
    assert status == 200
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    status, headers, css = fetch(
        f"{server}/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
        **{"Accept-Encoding": "gzip"},
    )
    assert (status, headers["Content-Encoding"]) == (200, "gzip")
    assert css[:2] == b"\x1f\x8b"  # WhiteNoise's pre-compressed copy
    status, _, login = fetch(f"{server}/admin/login/")
    assert status == 200
    assert b"/static/admin/css/base.css" in login
    assert fetch(f"{server}/static/admin/css/base.css")[0] == 200


def test_debug_is_off_in_production(server: str):
    request = urllib.request.Request(f"{server}/no/such/page")
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=10)
    assert error.value.code == 404
    assert b"Using the URLconf" not in error.value.read()  # Django's debug page


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [BIN / "python", "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(DJANGO_ALLOWED_HOSTS="stats.example.org"),
        cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
