"""Security, checked on the production server (gunicorn, DEBUG off, every middleware on, CSRF
enforced as Django's test client never does): anonymous clients only read, admin needs a login
and a CSRF token, the headers are set, unknown hosts are refused, DEBUG is off unless asked for,
and the repository holds no secrets."""

from __future__ import annotations

import http.client
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import orjson
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from tests.config.conftest import BIN, production_env, production_server

# Only the first test holds a database transaction (pytest-django sets the test database up for
# the tests so marked): on SQLite a test's transaction takes the write lock, and the server could
# not log anyone in. The fixtures commit what they need, and take it away.
PASSWORD = "pw-security-9f3a"
# Requests as a TLS-terminating proxy forwards them (DJANGO_BEHIND_PROXY=1).
HTTPS = {"X-Forwarded-Proto": "https"}


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    def cookies(self) -> SimpleCookie:
        jar: SimpleCookie = SimpleCookie()
        for value in self.headers.get_all("Set-Cookie") or []:
            jar.load(value)
        return jar


@dataclass
class Browser:
    """Requests to one server, keeping cookies as a browser would over HTTPS (they are Secure,
    which urllib's cookie jar would never send over the loopback's plain HTTP)."""

    base: str
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None, **headers: str
    ) -> Answer:
        parts = urlsplit(self.base)
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
        sent = {**HTTPS, **headers}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        answer = Answer(response.status, response.headers, response.read())
        connection.close()
        for name, morsel in answer.cookies().items():
            self.cookies[name] = morsel.value
        return answer

    def origin(self) -> dict[str, str]:
        """The Origin header a browser sends with a form posted from this site over HTTPS."""
        return {"Origin": "https://" + urlsplit(self.base).netloc}


@pytest.fixture(scope="module")
def base(
    tmp_path_factory: pytest.TempPathFactory, django_db_setup: None, django_db_blocker
) -> Iterator[str]:
    """Production settings behind a TLS proxy: HTTPS redirects, HSTS, Secure cookies."""
    with django_db_blocker.unblock():
        static_root = tmp_path_factory.mktemp("static")
        with production_server(static_root, DJANGO_BEHIND_PROXY="1") as url:
            yield url


@pytest.fixture(scope="module")
def analyst(django_db_setup: None, django_db_blocker) -> Iterator[str]:
    """An admin user the server process can see (committed, removed afterwards)."""
    with django_db_blocker.unblock():
        user = get_user_model().objects.create_superuser("security-analyst", "", PASSWORD)
        yield user.username
        user.delete()


def _data_version(browser: Browser) -> int:
    return int(orjson.loads(browser.request("GET", "/readyz").body)["data_version"])


def _log_in(base: str, username: str) -> tuple[Browser, Answer]:
    """A browser logged in to admin, and the answer to its login."""
    browser = Browser(base)
    form = browser.request("GET", "/admin/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form.body)
    assert token is not None
    answer = browser.request(
        "POST",
        "/admin/login/?next=/admin/",
        {
            "csrfmiddlewaretoken": token.group(1).decode(),
            "username": username,
            "password": PASSWORD,
        },
        **browser.origin(),
    )
    assert (answer.status, answer.header("Location")) == (302, "/admin/")
    return browser, answer


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize(
    "path",
    ["/api/v1/observations/", "/api/v1/observations/jimei-2021:444/", "/api/v1/no-such-thing/"],
)
def test_the_api_refuses_every_write(base: str, method: str, path: str):
    from stats.models import DataVersion

    before = DataVersion.objects.get().number
    answer = Browser(base).request(method, path, {"value": "1"})
    assert answer.status == 405
    assert answer.header("Content-Type") == "application/problem+json"
    assert method in orjson.loads(answer.body)["detail"]
    assert DataVersion.objects.get().number == before


def test_admin_pages_need_a_login(base: str):
    answer = Browser(base).request("GET", "/admin/stats/observation/")
    assert answer.status == 302
    assert answer.header("Location") == "/admin/login/?next=/admin/stats/observation/"


def test_an_admin_login_without_its_csrf_token_is_refused(base: str, analyst: str):
    browser = Browser(base)
    browser.request("GET", "/admin/login/")  # the CSRF cookie, but not the form's token
    answer = browser.request(
        "POST",
        "/admin/login/",
        {"username": analyst, "password": PASSWORD},
        **browser.origin(),
    )
    assert answer.status == 403
    assert b"CSRF" in answer.body
    assert "sessionid" not in browser.cookies


def _jimei_members(browser: Browser) -> dict[str, object]:
    return orjson.loads(browser.request("GET", "/api/v1/observations/jimei-2021:444/").body)


def test_a_logged_in_edit_without_its_csrf_token_changes_nothing(base: str, analyst: str):
    browser, _ = _log_in(base, analyst)
    before, figure = _data_version(browser), _jimei_members(browser)
    query = urlencode({"q": "全区1.6万名党员"})
    changelist = browser.request("GET", f"/admin/stats/observation/?{query}")
    found = re.search(rb'href="/admin/stats/observation/(\d+)/change/', changelist.body)
    assert found is not None
    pk = found.group(1).decode()
    answer = browser.request(
        "POST",
        f"/admin/stats/observation/{pk}/change/",
        {"note": "forged", "value": "1"},
        **browser.origin(),
    )
    assert answer.status == 403
    # A form posted from another site, with the token of this one, is refused as well.
    assert (
        browser.request(
            "POST",
            f"/admin/stats/observation/{pk}/change/",
            {"note": "forged", "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
            Origin="https://evil.example",
        ).status
        == 403
    )
    assert _jimei_members(browser) == figure
    assert (figure["value"], _data_version(browser)) == ("16000", before)


def test_security_headers_on_the_api_admin_and_docs(base: str):
    browser = Browser(base)
    for path in ("/api/v1/observations/jimei-2021:444/", "/admin/login/", "/api/v1/docs/"):
        answer = browser.request("GET", path)
        assert answer.status == 200, path
        assert answer.header("Strict-Transport-Security") == (
            "max-age=31536000; includeSubDomains; preload"
        ), path
        assert answer.header("X-Content-Type-Options") == "nosniff", path
        assert answer.header("X-Frame-Options") == "DENY", path
        assert answer.header("Referrer-Policy") == "same-origin", path
        # drf-spectacular opens the Swagger page to OAuth2 pop-ups (the API has no logins).
        opener = "unsafe-none" if path.endswith("/docs/") else "same-origin"
        assert answer.header("Cross-Origin-Opener-Policy") == opener, path


def test_cookies_are_secure_and_the_session_is_out_of_scripts_reach(base: str, analyst: str):
    login = Browser(base).request("GET", "/admin/login/")
    csrf = login.cookies()["csrftoken"]
    assert (csrf["secure"], csrf["samesite"]) == (True, "Lax")
    _, login = _log_in(base, analyst)
    morsel = login.cookies()["sessionid"]
    assert (morsel["secure"], morsel["httponly"], morsel["samesite"]) == (True, True, "Lax")


def test_plain_http_is_sent_to_https(base: str):
    answer = Browser(base).request("GET", "/api/v1/observations/", **{"X-Forwarded-Proto": "http"})
    assert answer.status == 301
    assert answer.header("Location").startswith("https://127.0.0.1:")
    # Probes are not: load balancers ask the app itself, over plain HTTP.
    probe = Browser(base).request("GET", "/readyz", **{"X-Forwarded-Proto": "http"})
    assert probe.status == 200


def test_an_unknown_host_is_refused(base: str):
    answer = Browser(base).request("GET", "/api/v1/observations/", Host="evil.example")
    assert answer.status == 400
    assert b"evil.example" not in answer.body  # Django's debug page would name it


@pytest.mark.parametrize(
    ("value", "debug"),
    [(None, False), ("", False), ("0", False), ("false", False), ("1", True), ("true", True)],
)
def test_debug_is_off_unless_asked_for(value: str | None, debug: bool):
    env = production_env()
    if value is not None:
        env["DJANGO_DEBUG"] = value
    result = subprocess.run(
        [BIN / "python", "-c", "from django.conf import settings; print(settings.DEBUG)"],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert result.stdout.strip() == str(debug)


#: What a committed secret looks like: a private key, a cloud or service token, a password in a
#: connection URL, a secret key given a literal value in Python (the Makefile passes one on
#: from the environment or var/, which is not committed).
SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36}\b"),
    "password in a URL": re.compile(r"\b[a-z+]+://[^/\s:@'\"]+:[^/\s@'\"]{3,}@"),
    "literal secret key": re.compile(r"SECRET_KEY\s*=\s*['\"][^'\"$]{8,}['\"]"),
}


def test_the_repository_holds_no_secrets():
    files = (
        subprocess.run(
            ["git", "ls-files", "-z"], cwd=settings.BASE_DIR, capture_output=True, check=True
        )
        .stdout.decode()
        .split("\0")
    )
    assert "manage.py" in files
    found = []
    for name in filter(None, files):
        path = settings.BASE_DIR / name
        if not path.is_file() or path.suffix in {".png", ".sqlite3"}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        found += [f"{name}: {kind}" for kind, p in SECRET_PATTERNS.items() if p.search(text)]
    assert found == []
    assert not any(name.startswith(("var/", ".env")) for name in files)


def test_the_secret_patterns_find_what_they_look_for():
    # Put together here, so that this file does not hold what it looks for.
    samples = {
        "private key": "-----BEGIN RSA " + "PRIVATE KEY-----",
        "AWS access key": "key = AKIA" + "IOSFODNN7EXAMPLE",
        "GitHub token": "ghp_" + "a" * 36,
        "password in a URL": "postgres://app:" + "hunter22@db.example/stats",
        "literal secret key": "SECRET_KEY = " + "'django-insecure-abcdefgh'",
    }
    for kind, sample in samples.items():
        assert SECRET_PATTERNS[kind].search(sample), kind
    assert not SECRET_PATTERNS["password in a URL"].search("postgres://postgres@127.0.0.1/test")
