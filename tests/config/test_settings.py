"""Settings come from the environment; the server will not start without a secret key."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        text=True,
        capture_output=True,
        cwd=settings.BASE_DIR,
        check=False,
        timeout=60,
    )


def test_the_wsgi_server_refuses_to_start_without_a_secret_key():
    result = _run("import config.wsgi")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set: the server will not start without it" in result.stderr


def test_the_wsgi_server_starts_with_a_secret_key_and_debug_off():
    result = _run(
        "import config.wsgi; from django.conf import settings; print(settings.DEBUG)",
        DJANGO_SECRET_KEY="x" * 60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_management_commands_need_no_secret_key():
    result = _run(
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
        "django.setup(); from django.conf import settings; print(settings.DEBUG)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
