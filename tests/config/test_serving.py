"""The production path: gunicorn with DEBUG off serves the API, the probes, admin and the API
docs with their static files (WhiteNoise); `check --deploy` is clean. make serve puts nginx in
front of it: tests/config/test_slow_clients.py."""

from __future__ import annotations

import subprocess
import urllib.error
import urllib.request

import pytest
from django.conf import settings

from tests.config.conftest import BIN, fetch, production_env

pytestmark = pytest.mark.django_db


def test_probes_and_the_api_answer(server: str):
    assert fetch(f"{server}/healthz")[2] == b'{"status": "ok"}'
    status, _, body = fetch(f"{server}/readyz")
    assert status == 200
    assert b'"observations": 158' in body
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
