"""Admin logins are throttled (django-axes): after the limit of wrong passwords for one username
from one address, even the right password is refused, with a page that says why and for how
long, until the cool-off has passed or an administrator lifts the lock."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

USERNAME = "analyst"
PASSWORD = "Right-horse-battery-9"


@pytest.fixture
def analyst() -> None:
    get_user_model().objects.create_superuser(USERNAME, "a@example.org", PASSWORD)


def log_in(client: Client, password: str, username: str = USERNAME, address: str = "127.0.0.1"):  # type: ignore[no-untyped-def]
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def words(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(response.content.decode().split())


def test_the_defaults_lock_a_username_at_an_address_after_five_failures_for_15_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == 0.25  # hours
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_RESET_ON_SUCCESS is True


def test_five_wrong_passwords_then_the_right_one_is_refused(client: Client, analyst: None):
    for attempt in range(4):
        refused = log_in(client, f"wrong-{attempt}")
        assert refused.status_code == 200
        assert "Please enter the correct username and password" in words(refused)
    assert log_in(client, "wrong-4").status_code == 429  # the fifth failure locks

    right = log_in(client, PASSWORD)
    assert right.status_code == 429
    assert right["Retry-After"] == "900"
    assert (
        "Too many failed logins: after 5 wrong passwords for «analyst» from this address, "
        "logging in is locked for 15 minutes, even with the right password." in words(right)
    )
    assert "manage.py axes_reset_username analyst" in words(right)
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still not logged in


def test_the_lock_is_for_that_username_at_that_address(client: Client, analyst: None):
    get_user_model().objects.create_superuser("colleague", "c@example.org", PASSWORD)
    for attempt in range(5):
        log_in(client, f"wrong-{attempt}")
    assert log_in(client, PASSWORD).status_code == 429
    # The same analyst from another address, and a colleague at the same one, log in.
    assert log_in(Client(), PASSWORD, address="10.0.0.7").status_code == 302
    assert log_in(Client(), PASSWORD, username="colleague").status_code == 302


def test_after_the_cool_off_the_right_password_works_again(client: Client, analyst: None):
    for attempt in range(5):
        log_in(client, f"wrong-{attempt}")
    assert log_in(client, PASSWORD).status_code == 429
    # Sixteen minutes later (the attempts moved back in time rather than the clock forward).
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    answer = log_in(client, PASSWORD)
    assert answer.status_code == 302
    assert answer["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_an_administrator_lifts_the_lock_at_once(client: Client, analyst: None):
    for attempt in range(5):
        log_in(client, f"wrong-{attempt}")
    assert log_in(client, PASSWORD).status_code == 429
    call_command("axes_reset_username", USERNAME)
    assert log_in(client, PASSWORD).status_code == 302


def test_a_successful_login_clears_the_count(client: Client, analyst: None):
    for attempt in range(4):
        log_in(client, f"wrong-{attempt}")
    assert log_in(client, PASSWORD).status_code == 302
    client.post("/admin/logout/")
    for attempt in range(4):
        assert log_in(client, f"again-{attempt}").status_code == 200
    assert log_in(client, PASSWORD).status_code == 302


def _settings_in_a_process(**env: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; "
        "django.setup(); from django.conf import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME, s.AXES_LOCKOUT_PARAMETERS, "
        "s.INGEST_MAX_BYTES, s.FILE_UPLOAD_MAX_MEMORY_SIZE, s.DATA_UPLOAD_MAX_MEMORY_SIZE)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        text=True,
        capture_output=True,
        cwd=settings.BASE_DIR,
        check=False,
        timeout=60,
    )


def test_the_limits_come_from_the_environment():
    result = _settings_in_a_process(
        ADMIN_LOGIN_FAILURE_LIMIT="10",
        ADMIN_LOGIN_COOLOFF_MINUTES="90",
        ADMIN_LOGIN_LOCKOUT_BY="ip",
        INGEST_MAX_BYTES="65536",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "10 1.5 ['ip_address'] 65536 65536 1048576"


def test_an_unknown_lockout_mode_stops_the_settings_with_the_choices():
    result = _settings_in_a_process(ADMIN_LOGIN_LOCKOUT_BY="user")
    assert result.returncode != 0
    assert "ADMIN_LOGIN_LOCKOUT_BY='user': use 'username,ip' or 'ip'" in result.stderr
