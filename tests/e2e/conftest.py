"""Browser tests: headless Chromium from Debian, driven by Playwright, against ``live_server``.

**The browser.** Playwright's Python package drives the Chromium at ``CHROMIUM_PATH`` (default
``/usr/bin/chromium``, Debian's ``chromium`` package); Playwright's own browser download is never
used. Without that executable the tests are skipped, saying how to install it. Nothing leaves
the machine: every request a page makes to another host than the live server is recorded and
aborted, and the browser resolves no host name but localhost, so even a ``<link rel=preconnect>``
cannot reach a CDN.

**The database.** ``live_server`` makes its tests transactional (pytest-django), and a
transactional test ends by flushing every table: that would throw away the corpus that
``tests/conftest.py`` loads once per session, for the e2e tests after the first and for every
test that runs after them. Serialized rollback cannot help here, since Django serializes the
database when it is created, before the corpus is loaded. So, with the project's own
``load_corpus`` (idempotent, by natural key, the same call that loaded the session's corpus):

* each e2e test starts with ``corpus``, which loads the fixtures again (a no-op when nothing
  is missing, about a second after a flush);
* when the last test of this package is done (after its flush), a package-scoped fixture loads
  the corpus again for whatever tests run next (pytest-django runs transactional tests after
  the ``db`` ones, so that is only the tests that do not use the database, but the order is not
  relied on).

Row ids (not the API's stable ``document:offset`` ids) differ after a reload; no test uses them.

**The settings.** With ``DJANGO_DEBUG`` off, ``SECURE_SSL_REDIRECT`` is on and the live server
would send the browser to https. ``SecurityMiddleware`` reads it once, when the server thread
builds its handler, so it is switched off only while ``live_server`` starts. The Secure session
and CSRF cookies work as they are: Chromium keeps them for http://localhost.

**Playwright and the ORM.** Playwright's sync API keeps an asyncio loop running in this thread,
and Django refuses ORM calls from a thread with a running loop. Nothing here runs
asynchronously, so ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set while the browser is open (this package's
tests only), and unset before the corpus is loaded again.

Screenshots go to ``var/e2e-artifacts/``; a failed test leaves ``FAILED-<test>.png`` there.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test.utils import override_settings
from playwright.sync_api import Browser, Page, Request, Route, expect, sync_playwright
from pytest_django import DjangoDbBlocker
from pytest_django.live_server_helper import LiveServer

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "var" / "e2e-artifacts"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    # No proxy, and no host name resolves but localhost: the browser cannot reach the network.
    "--no-proxy-server",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
#: Milliseconds Playwright waits for a page, a selector or an ``expect``.
TIMEOUT_MS = 15_000


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """Keep each phase's report on the test (``rep_setup``, ``rep_call``), for ``page``."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def chromium_path() -> Path:
    return Path(os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM)


@pytest.fixture(scope="package", autouse=True)
def _corpus_back_after_e2e(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[None]:
    """After this package's tests (and their flushes), the corpus again, for later tests."""
    yield
    from stats.loading import load_corpus

    with django_db_blocker.unblock():
        load_corpus(settings.FIXTURES_DIR)


@pytest.fixture
def corpus(transactional_db: None) -> None:
    """The whole corpus in the database, as ``tests/conftest.py`` loaded it: an earlier e2e test
    (or any transactional test) may have flushed it."""
    from stats.loading import load_corpus

    load_corpus(settings.FIXTURES_DIR)


@pytest.fixture(scope="session")
def _ssl_redirect_off() -> Iterator[Callable[[], None]]:
    """SECURE_SSL_REDIRECT off until the returned function is called (or the session ends)."""
    override = override_settings(SECURE_SSL_REDIRECT=False)
    override.enable()
    on = [True]

    def restore() -> None:
        if on:
            on.clear()
            override.disable()

    yield restore
    restore()


@pytest.fixture(scope="session")
def live_server(_ssl_redirect_off: Callable[[], None], live_server: LiveServer) -> LiveServer:
    """pytest-django's live server, answering plain HTTP even with DEBUG off: its thread built
    its middleware (and SecurityMiddleware read the setting) before it said it was ready."""
    _ssl_redirect_off()
    return live_server


@pytest.fixture(scope="package", autouse=True)
def _artifacts() -> None:
    """An empty var/e2e-artifacts/ for this run's screenshots."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, for this package's tests."""
    executable = chromium_path()
    if not (executable.is_file() and os.access(executable, os.X_OK)):
        pytest.skip(
            f"Chromium not found at {executable}: install Debian's chromium package "
            "(apt-get install chromium) or set CHROMIUM_PATH"
        )
    expect.set_options(timeout=TIMEOUT_MS)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(
                executable_path=str(executable), args=CHROMIUM_ARGS, headless=True
            )
            try:
                yield launched
            finally:
                launched.close()


class Traffic:
    """Every URL the pages of one test requested, and those stopped for leaving the server."""

    def __init__(self, server_url: str) -> None:
        self.origin = urlsplit(server_url).netloc
        self.requested: list[str] = []
        self.blocked: list[str] = []
        self.responses: list[tuple[str, int]] = []
        #: URLs the page's own Content-Security-Policy stopped: the browser never sent them.
        self.refused_by_policy: list[str] = []

    def off_server(self) -> list[str]:
        """Requested URLs (other than data:, blob: and about:) not on the live server, that the
        page's policy did not stop before they left the browser."""
        return [
            url
            for url in self.requested
            if urlsplit(url).scheme not in {"data", "blob", "about"}
            and urlsplit(url).netloc != self.origin
            and url not in self.refused_by_policy
        ]

    def status_of(self, pattern: str) -> list[int]:
        """Statuses of the responses whose URL path matches ``pattern`` (a regex)."""
        return [status for url, status in self.responses if re.search(pattern, urlsplit(url).path)]


@pytest.fixture
def traffic(live_server: LiveServer) -> Traffic:
    return Traffic(live_server.url)


@pytest.fixture
def page(
    browser: Browser,
    live_server: LiveServer,
    corpus: None,
    traffic: Traffic,
    request: pytest.FixtureRequest,
) -> Generator[Page]:
    """A fresh browser context (no cookies) on the live server, English, light colours.

    Requests to any other host are recorded in ``traffic`` and aborted; a failed test leaves a
    screenshot of the page as it was."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-US",
        color_scheme="light",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)

    def guard(route: Route, req: Request) -> None:
        if urlsplit(req.url).netloc == traffic.origin:
            route.continue_()
        else:
            traffic.blocked.append(req.url)
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    context.on("request", lambda req: traffic.requested.append(req.url))
    context.on("response", lambda resp: traffic.responses.append((resp.url, resp.status)))

    def failed(req: Request) -> None:
        if req.failure == "csp":  # Chromium: blocked by the page's Content-Security-Policy
            traffic.refused_by_policy.append(req.url)

    context.on("requestfailed", failed)
    opened = context.new_page()
    try:
        yield opened
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            name = re.sub(r"[^\w.-]+", "_", request.node.name)
            try:
                opened.screenshot(path=ARTIFACTS / f"FAILED-{name}.png", full_page=True)
            except Exception as error:  # the test's own failure matters more
                print(f"could not take the failure screenshot: {error}")
        context.close()


@pytest.fixture
def shot(page: Page) -> Callable[..., Path]:
    """``shot("01-login")`` saves a full-page screenshot to var/e2e-artifacts/01-login.png
    (``full_page=False``: only what the window shows)."""

    def take(name: str, *, full_page: bool = True) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=path, full_page=full_page)
        return path

    return take
