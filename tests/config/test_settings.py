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


def test_redis_url_turns_on_the_shared_caches():
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); "
        "django.setup(); from django.conf import settings; "
        "[print(c['BACKEND'], c['LOCATION'], c.get('KEY_PREFIX'), c.get('OPTIONS')) "
        "for c in (settings.CACHES['default'], settings.CACHES['responses'])]"
    )
    shared = _run(code, REDIS_URL="redis://127.0.0.1:6379/3")
    assert shared.stdout.splitlines() == [
        "django.core.cache.backends.redis.RedisCache redis://127.0.0.1:6379/3 party-stats None",
        "django.core.cache.backends.redis.RedisCache redis://127.0.0.1:6379/3 "
        "party-stats-responses None",
    ], shared.stderr
    local = _run(code, REDIS_URL="")
    assert local.stdout.splitlines() == [
        "django.core.cache.backends.locmem.LocMemCache party-stats None {'MAX_ENTRIES': 300}",
        "django.core.cache.backends.locmem.LocMemCache party-stats-responses None "
        "{'MAX_ENTRIES': 500}",
    ], local.stderr


def test_processes_share_the_cache_through_redis():
    # Two processes with the same REDIS_URL: what one caches, the other reads.
    url = "redis://127.0.0.1:6379/15"
    setup = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); "
        "django.setup(); from django.core.cache import cache; "
    )
    written = _run(
        setup + "cache.set('probe:shared', 'from-writer', 30); print('ok')", REDIS_URL=url
    )
    if "ConnectionError" in written.stderr or "Connection refused" in written.stderr:
        import pytest

        pytest.skip("no Redis at 127.0.0.1:6379 (make test-postgres runs with it)")
    assert written.stdout.strip() == "ok", written.stderr
    read = _run(setup + "print(cache.get('probe:shared'))", REDIS_URL=url)
    assert read.stdout.strip() == "from-writer", read.stderr
