"""The connections: readers walking the API and writers saving observations in the admin, each
recording its requests and what went wrong."""

from __future__ import annotations

import gzip
import http.client
import json
import math
import random
import re
import threading
import time
import traceback
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

from loadtest.base import (
    ADMIN,
    API,
    CHANGELIST,
    EDIT_CONFLICT,
    ETAG_VERSION,
    HOST,
    READ_WEIGHTS,
    REQUEST_TIMEOUT,
    SEARCHES,
    SHARED_CHANCE,
)
from loadtest.browser import cookie_header, parse_form, update_cookies, with_field
from loadtest.checks import Ack


def assign_observations(
    pks: Sequence[int], writers: int, own: int, shared: int, seed: int
) -> tuple[list[list[int]], list[int]]:
    """Split observations (shuffled by ``seed``) into ``shared`` ones every writer edits and up to
    ``own`` for each writer alone; the writers' own sets are disjoint."""
    order = list(pks)
    random.Random(seed).shuffle(order)
    common = sorted(order[:shared])
    rest = order[shared:]
    per_writer = min(own, len(rest) // writers) if writers else 0
    sets = [sorted(rest[i * per_writer : (i + 1) * per_writer]) for i in range(writers)]
    return sets, common


@dataclass
class Reply:
    """A response, read whole."""

    status: int
    headers: Message
    body: bytes
    seconds: float

    def text(self) -> str:
        """The body as text (gunzipped when it came compressed)."""
        body = self.body
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return body.decode("utf-8")


@dataclass
class Sample:
    """One request: its kind, status (0: no response) and time, and whether it was right."""

    kind: str
    status: int
    seconds: float
    ok: bool


@dataclass
class Recorder:
    """The requests of one connection, and what went wrong with them."""

    name: str
    samples: list[Sample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def fail(self, kind: str, message: str) -> None:
        """Note a problem with the last request of ``kind``."""
        if self.samples and self.samples[-1].kind == kind:
            self.samples[-1].ok = False
        self.errors.append(f"{self.name} {kind}: {message}")


class Connection:
    """One persistent HTTP/1.1 connection to the server (opened again only when the server
    closes it, or after a failure, which is recorded)."""

    def __init__(self, port: int, recorder: Recorder) -> None:
        self.port = port
        self.recorder = recorder
        self._connection: http.client.HTTPConnection | None = None

    def close(self) -> None:
        """Close the connection."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def request(
        self,
        kind: str,
        method: str,
        path: str,
        expect: Iterable[int],
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
    ) -> Reply | None:
        """Send a request and read the whole answer; record it under ``kind``, as an error when
        its status is not one of ``expect`` or no answer came. None when there was no answer."""
        if self._connection is None:
            self._connection = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
        started = time.perf_counter()
        try:
            self._connection.request(method, path, body=body, headers=dict(headers or {}))
            response = self._connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            seconds = time.perf_counter() - started
            self.close()
            self.recorder.samples.append(Sample(kind, 0, seconds, False))
            self.recorder.errors.append(
                f"{self.recorder.name} {kind}: {method} {path}: {type(error).__name__}: {error}"
            )
            return None
        seconds = time.perf_counter() - started
        if response.will_close:
            self.close()
        reply = Reply(response.status, response.msg, data, seconds)
        ok = reply.status in set(expect)
        self.recorder.samples.append(Sample(kind, reply.status, seconds, ok))
        if not ok:
            snippet = data[:300].decode("utf-8", "replace").replace("\n", " ")
            self.recorder.errors.append(
                f"{self.recorder.name} {kind}: {method} {path} answered {reply.status}: {snippet}"
            )
        return reply


@dataclass
class Catalog:
    """What the readers and writers ask about."""

    api_ids: dict[int, str]
    indicators: list[str]
    districts: list[str]
    all_districts: list[str]
    documents: list[str]


class Reader:
    """Reads the API in a loop: a weighted mix of list, filtered, search, detail, conditional,
    vocabulary and CSV requests, following cursor links."""

    def __init__(self, index: int, port: int, catalog: Catalog, seed: int) -> None:
        self.recorder = Recorder(f"reader {index}")
        self.connection = Connection(port, self.recorder)
        self.catalog = catalog
        self.rng = random.Random(seed)
        self.etags: dict[str, str] = {}
        self.port = port
        #: The newest data version this connection has been served, and how often a later
        #: answer carried an older one (the per-process version cache going back).
        self.newest_version = 0
        self.version_regressions = 0
        self.clock = Clock()
        kinds = list(READ_WEIGHTS)
        self._choices = self.rng.choices(kinds, [READ_WEIGHTS[k] for k in kinds], k=10_000)

    def _headers(self, accept: str = "application/json") -> dict[str, str]:
        headers = {"Accept": accept}
        if self.rng.random() < 0.5:
            headers["Accept-Encoding"] = "gzip"
        return headers

    def _saw(self, reply: Reply | None) -> None:
        """Follow the data version in the answers' ETags (W/"<version>-<variant>")."""
        found = ETAG_VERSION.match(reply.headers.get("ETag", "")) if reply is not None else None
        if found is None:
            return
        version = int(found.group(1))
        if version < self.newest_version:
            self.version_regressions += 1
        self.newest_version = max(self.newest_version, version)

    def _json(self, kind: str, reply: Reply | None) -> Any:
        """The JSON body of a 200, or None (a bad body is recorded as an error)."""
        self._saw(reply)
        if reply is None or reply.status != 200:
            return None
        try:
            return json.loads(reply.text())
        except (ValueError, OSError, EOFError) as error:
            self.recorder.fail(kind, f"unreadable JSON: {error}")
            return None

    def get(self, kind: str, path: str, pages: int = 0) -> Any:
        """GET ``path`` (and up to ``pages`` further pages through ``next``); the first body."""
        reply = self.connection.request(kind, "GET", path, (200,), self._headers())
        first = body = self._json(kind, reply)
        if reply is not None and reply.status == 200 and "ETag" in reply.headers:
            self.etags[path] = reply.headers["ETag"]
        for _ in range(pages):
            if not isinstance(body, dict) or not body.get("next") or self.clock.over():
                break
            link = urllib.parse.urlsplit(body["next"])
            if link.netloc != f"{HOST}:{self.port}":
                self.recorder.fail(kind, f"next link to another host: {body['next']}")
                break
            path = f"{link.path}?{link.query}"
            body = self._json("page", self.connection.request("page", "GET", path, (200,)))
        return first

    def list(self) -> None:
        """The observations, page by page."""
        size = self.rng.choice((10, 25, 50, 100))
        body = self.get("list", f"{API}/observations/?page_size={size}", pages=3)
        if body is not None and not isinstance(body.get("results"), list):
            self.recorder.fail("list", "no results list")

    def _filter(self) -> dict[str, str]:
        catalog, rng = self.catalog, self.rng
        choice = rng.randrange(9)
        if choice == 0:
            return {"indicator": rng.choice(catalog.indicators)}
        if choice == 1:
            return {"district": rng.choice(catalog.districts)}
        if choice == 2:
            return {"within": rng.choice(("350000", "350100", "350200"))}
        if choice == 3:
            return {"qualifier": rng.choice(("exact", "more_than", "more_than_bounded"))}
        if choice == 4:
            return {"period_kind": "stock", "ordering": "-value"}
        if choice == 5:
            return {"value_min": "100", "ordering": rng.choice(("period_end", "-district__code"))}
        if choice == 6:
            return {"latest": "true", "indicator": rng.choice(catalog.indicators)}
        if choice == 7:
            return {"document": rng.choice(catalog.documents)}
        return {"facets": "indicator,district,qualifier"}

    def list_filtered(self) -> None:
        """A filtered list, every page."""
        query = {**self._filter(), "page_size": str(self.rng.choice((5, 20, 100)))}
        self.get("list-filtered", f"{API}/observations/?{urllib.parse.urlencode(query)}", 20)

    def search(self) -> None:
        """Text search (which reads the index the writers' saves rebuild)."""
        query = {"q": self.rng.choice(SEARCHES), "page_size": "20"}
        self.get("search", f"{API}/observations/?{urllib.parse.urlencode(query)}", pages=5)

    def detail(self) -> None:
        """One observation."""
        api_id = self.rng.choice(list(self.catalog.api_ids.values()))
        body = self.get("detail", f"{API}/observations/{api_id}/")
        if body is not None and body.get("id") != api_id:
            self.recorder.fail("detail", f"asked for {api_id}, got {body.get('id')!r}")

    def conditional(self) -> None:
        """A path read before, asked again with its ETag: 304, or 200 when the data changed."""
        if not self.etags:
            self.detail()
            return
        path = self.rng.choice(list(self.etags))
        headers = {**self._headers(), "If-None-Match": self.etags[path]}
        reply = self.connection.request("conditional", "GET", path, (200, 304), headers)
        self._saw(reply)
        if reply is not None and reply.status == 200:
            self._json("conditional", reply)
            self.etags[path] = reply.headers.get("ETag", "")

    def districts(self) -> None:
        """The districts list or one district."""
        if self.rng.random() < 0.5:
            self.get("districts", f"{API}/districts/?page_size=100")
        else:
            self.get("districts", f"{API}/districts/{self.rng.choice(self.catalog.all_districts)}/")

    def indicators(self) -> None:
        """The indicators list or one indicator."""
        if self.rng.random() < 0.5:
            self.get("indicators", f"{API}/indicators/")
        else:
            self.get("indicators", f"{API}/indicators/{self.rng.choice(self.catalog.indicators)}/")

    def csv(self) -> None:
        """A CSV export, asked by ?format=csv or by Accept: text/csv, whole or filtered."""
        query: dict[str, str] = {}
        if self.rng.random() < 0.5:
            query["indicator"] = self.rng.choice(self.catalog.indicators)
        if self.rng.random() < 0.5:
            query["format"] = "csv"
            headers = self._headers("*/*")
        else:
            headers = self._headers("text/csv")
        path = f"{API}/observations/?{urllib.parse.urlencode(query)}"
        reply = self.connection.request("csv", "GET", path, (200,), headers)
        self._saw(reply)
        if reply is None or reply.status != 200:
            return
        try:
            text = reply.text()
        except (ValueError, OSError, EOFError) as error:
            self.recorder.fail("csv", f"unreadable body: {error}")
            return
        lines = text.lstrip("\ufeff").splitlines()
        if not reply.headers.get("Content-Type", "").startswith("text/csv"):
            self.recorder.fail("csv", f"Content-Type {reply.headers.get('Content-Type')}")
        elif not lines or not lines[0].startswith("id,") or not text.endswith("\n"):
            self.recorder.fail("csv", f"not a whole CSV file: {text[:80]!r} … {text[-80:]!r}")

    def run(self, start: threading.Barrier, clock: Clock) -> None:
        """Read until the deadline."""
        actions = {
            "list": self.list,
            "list-filtered": self.list_filtered,
            "search": self.search,
            "detail": self.detail,
            "conditional": self.conditional,
            "districts": self.districts,
            "indicators": self.indicators,
            "csv": self.csv,
        }
        self.clock = clock
        start.wait()
        n = 0
        try:
            while not clock.over():
                actions[self._choices[n % len(self._choices)]]()
                n += 1
        except Exception:  # a bug here must fail the run, not end a thread quietly
            self.recorder.errors.append(f"{self.recorder.name} crashed:\n{traceback.format_exc()}")
        self.connection.close()


@dataclass
class Clock:
    """When the load stops: at the deadline, or at once when told to."""

    deadline: float = math.inf
    stopped: threading.Event = field(default_factory=threading.Event)

    def start(self, seconds: float) -> None:
        """Start the clock (the barrier's action, once every connection is ready)."""
        self.deadline = time.monotonic() + seconds

    def over(self) -> bool:
        """Whether the load should stop."""
        return self.stopped.is_set() or time.monotonic() >= self.deadline


class Writer:
    """An analyst in the admin: logs in, then opens observation change pages and saves each
    with a new note, ``load-<run>-w<writer>-<n>``."""

    def __init__(
        self,
        index: int,
        port: int,
        user: str,
        password: str,
        own: Sequence[int],
        shared: Sequence[int],
        run_id: str,
        seed: int,
    ) -> None:
        self.index = index
        self.user = user
        self.password = password
        self.own = list(own)
        self.shared = list(shared)
        self.run_id = run_id
        self.port = port
        self.rng = random.Random(seed)
        self.recorder = Recorder(f"writer {index} ({user})")
        self.connection = Connection(port, self.recorder)
        self.cookies: dict[str, str] = {}
        self.acks: list[Ack] = []
        #: Every marker sent, acknowledged or not: observation id.
        self.attempted: dict[str, int] = {}
        #: Saves refused because another analyst saved the row after this one opened it.
        self.conflicts: list[int] = []
        self.written = 0

    def _headers(self, referer: str, form: bool = False) -> dict[str, str]:
        headers = {
            "Accept": "text/html",
            # Analysts read Chinese; half of them use the admin in English.
            "Accept-Language": "zh-hans,en;q=0.5" if self.index % 2 else "en",
            "Cookie": cookie_header(self.cookies),
            "Referer": f"http://{HOST}:{self.port}{referer}",
        }
        if form:
            headers["Origin"] = f"http://{HOST}:{self.port}"
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return headers

    def _page_form(self, kind: str, path: str, form_id: str) -> list[tuple[str, str]] | None:
        reply = self.connection.request(kind, "GET", path, (200,), self._headers(path))
        if reply is None or reply.status != 200:
            return None
        update_cookies(self.cookies, reply.headers)
        fields = parse_form(reply.body.decode("utf-8", "replace"), form_id)
        if fields is None:
            self.recorder.fail(kind, f"no form #{form_id} in {path}")
        return fields

    def login(self) -> bool:
        """Log in through the admin's login page; whether it worked."""
        path = f"{ADMIN}/login/?next={ADMIN}/"
        fields = self._page_form("admin-login", path, "login-form")
        if fields is None:
            return False
        fields = with_field(with_field(fields, "username", self.user), "password", self.password)
        body = urllib.parse.urlencode(fields).encode()
        reply = self.connection.request(
            "admin-login", "POST", path, (302,), self._headers(path, form=True), body
        )
        if reply is None or reply.status != 302:
            return False
        update_cookies(self.cookies, reply.headers)
        if "sessionid" not in self.cookies:
            self.recorder.fail("admin-login", "no session cookie after logging in")
            return False
        return True

    def write(self, pk: int) -> None:
        """Open the change page of observation ``pk`` and save it with a new note."""
        path = f"{ADMIN}/stats/observation/{pk}/change/"
        fields = self._page_form("admin-get", path, "observation_form")
        if fields is None:
            return
        self.written += 1
        marker = f"load-{self.run_id}-w{self.index}-{self.written}"
        fields = [*with_field(fields, "note", marker), ("_save", "Save")]
        body = urllib.parse.urlencode(fields).encode()
        self.attempted[marker] = pk
        sent_at = time.monotonic()
        reply = self.connection.request(
            "admin-post", "POST", path, (302, 200), self._headers(path, form=True), body
        )
        acked_at = time.monotonic()
        if reply is None or reply.status != 302:
            if reply is not None and reply.status == 200:
                errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', reply.text())
                if len(errors) == 1 and EDIT_CONFLICT in errors[0]:
                    # Another writer saved this row after the page was read: refused, nothing
                    # saved (optimistic locking), as it should be; not acknowledged.
                    self.conflicts.append(pk)
                else:
                    self.recorder.fail("admin-post", f"form refused: {errors[:3]}")
            return
        update_cookies(self.cookies, reply.headers)
        location = urllib.parse.urlsplit(reply.headers.get("Location", "")).path
        if location != CHANGELIST:
            self.recorder.fail("admin-post", f"redirected to {location!r}, not the change list")
            return
        self.acks.append(Ack(self.index, self.user, pk, marker, sent_at, acked_at))

    def run(self, start: threading.Barrier, clock: Clock) -> None:
        """Log in, then write until the deadline."""
        try:
            logged_in = self.login()
        finally:
            start.wait()
        try:
            while logged_in and not clock.over():
                pool = self.shared if self.rng.random() < SHARED_CHANCE else self.own
                self.write(self.rng.choice(pool or self.own or self.shared))
        except Exception:  # a bug here must fail the run, not end a thread quietly
            self.recorder.errors.append(f"{self.recorder.name} crashed:\n{traceback.format_exc()}")
        self.connection.close()
