"""`make loadtest`: API reads and admin writes at once, against the production server on loopback.

One run, bounded in time, on a throwaway database:

1. A fresh database: an SQLite file in var/loadtest/ (WAL, as config/settings.py configures it),
   or with ``--database-url`` / ``LOADTEST_DATABASE_URL`` a PostgreSQL database this run drops
   and creates (its name must contain "loadtest"). ``migrate``, ``load_corpus`` and a few analyst
   superusers, each with a random password.
2. gunicorn (config.wsgi, gthread workers) on 127.0.0.1 at a free port, DEBUG off, a random
   secret key, no HTTPS redirect, API throttling off (one client address makes every request).
   The default cache is per-process memory; ``--redis-url`` / ``LOADTEST_REDIS_URL`` names a
   Redis database this run owns instead (it is flushed before and after: cached responses are
   keyed by data version number, which a fresh database starts again).
3. 32 persistent connections for ``--seconds`` (``LOADTEST_SECONDS``, default 60, at most 300):
   28 readers walk the API (observation lists with filters, search and orderings, cursor pages
   followed through ``next``, details, conditional reads, districts, indicators, CSV exports,
   gzip or not) and 4 writers, each logged into the admin with a session of its own, open an
   observation's change page and save it with a new ``note`` (a unique marker). Each writer
   has observations of its own and shares a few with the others, so rows are written
   concurrently; every save answered 302 to the change list is an acknowledged write.
4. Checks: (a) no errors: every response the expected 2xx/3xx (304 only for conditional reads),
   no connection errors, no 429, no 5xx, no error in the server's log; (b) no lost writes:
   each observation's note is that of its last acknowledged write in history order, and history
   order agrees with real time (a write acknowledged before another was sent comes first);
   (c) every acknowledged write is in ``stats_historicalobservation`` exactly once, as a change
   by its analyst, with one admin log entry, and nothing else was recorded; (d) after the data
   version settles (``DATA_VERSION_CACHE_SECONDS``), the API (details, a list page, a
   conditional read with an ETag from before the run, CSV) shows every final note.

Exit status 0 when every check passes, 1 otherwise (the failures are listed). The server log is
kept in var/loadtest/server.log; ``--keep`` keeps the database too. Loopback only: the server
binds 127.0.0.1 and a database or Redis URL naming another host is refused.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gzip
import http.client
import io
import itertools
import json
import math
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
import urllib.parse
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from email.message import Message
from html.parser import HTMLParser
from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "loadtest"
PYTHON = sys.executable
HOST = "127.0.0.1"
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
DEFAULT_SECONDS = 60
MAX_SECONDS = 300
CONNECTIONS = 32
WRITERS = 4
#: Observations each writer edits alone, and observations every writer edits.
OWN_PER_WRITER = 24
SHARED = 4
#: Chance that a writer's next edit goes to a shared observation.
SHARED_CHANCE = 0.5
#: How long a process may serve the data version it read (settings.DATA_VERSION_CACHE_SECONDS),
#: plus a margin: the API is read for the final check only after this long without writes.
SETTLE_SECONDS = 2 + 1.5
REQUEST_TIMEOUT = 60.0
#: What admin answers a save made over a change committed after the page was read.
EDIT_CONFLICT = "after you opened it; nothing was saved"
#: Failures listed per check; the rest are counted.
SHOWN = 12

API = "/api/v1"
ADMIN = "/admin"
CHANGELIST = f"{ADMIN}/stats/observation/"
SEARCHES = ("党建", "社区", "党支部", "load", "小区 党")
ETAG_VERSION = re.compile(r'W/"(\d+)-')
READ_WEIGHTS: dict[str, int] = {
    "list": 12,
    "list-filtered": 18,
    "search": 8,
    "detail": 24,
    "conditional": 10,
    "districts": 8,
    "indicators": 8,
    "csv": 6,
}


_BEGAN = time.monotonic()


def log(message: str) -> None:
    """Progress on standard error, with the seconds since the start (the summary goes to
    standard output)."""
    print(f"[{time.monotonic() - _BEGAN:5.1f} s] loadtest: {message}", file=sys.stderr, flush=True)


# --- pure helpers -----------------------------------------------------------------------------


def percentile(values: Sequence[float], p: float) -> float:
    """The nearest-rank ``p``-th percentile of ``values`` (0 for none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def is_loopback_url(url: str) -> bool:
    """Whether ``url`` names this machine: a loopback address, or no host (a local socket)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        return True
    host = parts.hostname
    if host is None or host == "" or host.startswith("/"):
        return True
    return host in LOOPBACK


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


def update_cookies(jar: dict[str, str], headers: Message) -> None:
    """Apply a response's Set-Cookie headers to ``jar`` (a deleted cookie is dropped). Secure
    cookies are kept too: the server is plain HTTP on loopback, which browsers trust."""
    for header in headers.get_all("Set-Cookie") or []:
        cookie: SimpleCookie = SimpleCookie()
        try:
            cookie.load(header)
        except CookieError:
            continue
        for name, morsel in cookie.items():
            if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                jar.pop(name, None)
            else:
                jar[name] = morsel.value


def cookie_header(jar: Mapping[str, str]) -> str:
    """The Cookie request header for ``jar``."""
    return "; ".join(f"{name}={value}" for name, value in jar.items())


class FormParser(HTMLParser):
    """The fields a browser would submit from the form with a given id: inputs (checkboxes and
    radios only when checked, no buttons), selects (the selected options, else the first) and
    textareas (less the newline after the opening tag), leaving out disabled controls."""

    _SKIPPED_INPUTS = frozenset({"submit", "button", "image", "reset", "file"})

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.found = False
        self.fields: list[tuple[str, str]] = []
        self._inside = False
        self._select: dict[str, Any] | None = None
        self._option: dict[str, Any] | None = None
        self._textarea: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open a form, field or option."""
        attributes = dict(attrs)
        if tag == "form" and attributes.get("id") == self.form_id:
            self._inside = self.found = True
            return
        if not self._inside:
            return
        name = attributes.get("name") or ""
        disabled = "disabled" in attributes
        if tag == "input":
            kind = (attributes.get("type") or "text").lower()
            if not name or disabled or kind in self._SKIPPED_INPUTS:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    value = attributes.get("value", "on")
                    self.fields.append((name, value or ""))
                return
            self.fields.append((name, attributes.get("value") or ""))
        elif tag == "select":
            self._select = {
                "name": name,
                "disabled": disabled,
                "multiple": "multiple" in attributes,
                "options": [],
            }
        elif tag == "option" and self._select is not None:
            self._end_option()
            self._option = {
                "value": attributes.get("value") if "value" in attributes else None,
                "selected": "selected" in attributes,
                "text": [],
            }
        elif tag == "textarea":
            self._textarea = {"name": name, "disabled": disabled, "text": []}

    def handle_data(self, data: str) -> None:
        """Text of an option or a textarea."""
        if self._option is not None:
            self._option["text"].append(data)
        elif self._textarea is not None:
            self._textarea["text"].append(data)

    def _end_option(self) -> None:
        if self._option is None or self._select is None:
            return
        value = self._option["value"]
        if value is None:
            value = "".join(self._option["text"]).strip()
        self._select["options"].append((value or "", self._option["selected"]))
        self._option = None

    def handle_endtag(self, tag: str) -> None:
        """Close a form, field or option, keeping what it submits."""
        if tag == "form" and self._inside:
            self._inside = False
        elif tag == "option":
            self._end_option()
        elif tag == "select" and self._select is not None:
            self._end_option()
            select, self._select = self._select, None
            if not select["name"] or select["disabled"] or not select["options"]:
                return
            chosen = [value for value, selected in select["options"] if selected]
            if select["multiple"]:
                self.fields.extend((select["name"], value) for value in chosen)
            else:
                value = chosen[-1] if chosen else select["options"][0][0]
                self.fields.append((select["name"], value))
        elif tag == "textarea" and self._textarea is not None:
            area, self._textarea = self._textarea, None
            text = "".join(area["text"])
            text = text[2:] if text.startswith("\r\n") else text.removeprefix("\n")
            if area["name"] and not area["disabled"]:
                self.fields.append((area["name"], text))


def parse_form(html: str, form_id: str) -> list[tuple[str, str]] | None:
    """The fields of the form ``form_id`` in ``html``, or None when there is no such form."""
    parser = FormParser(form_id)
    parser.feed(html)
    parser.close()
    return parser.fields if parser.found else None


def with_field(fields: Iterable[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    """``fields`` with every ``name`` replaced by one ``name=value`` (added when absent)."""
    kept = [(key, old) for key, old in fields if key != name]
    return [*kept, (name, value)]


@dataclass(frozen=True)
class Ack:
    """A write the server acknowledged: a 302 to the change list after saving ``marker``."""

    writer: int
    user: str
    pk: int
    marker: str
    sent_at: float
    acked_at: float


@dataclass(frozen=True)
class HistoryRow:
    """One row of ``stats_historicalobservation`` made during the run."""

    history_id: int
    pk: int
    note: str
    user: str | None
    type: str
    date: str


def limited(failures: list[str], check: str) -> list[str]:
    """At most ``SHOWN`` failures, then how many more there were."""
    if len(failures) <= SHOWN:
        return failures
    return [*failures[:SHOWN], f"… and {len(failures) - SHOWN} more ({check})"]


def check_history(
    acks: Sequence[Ack], attempted: Mapping[str, int], history: Sequence[HistoryRow]
) -> list[str]:
    """Every acknowledged write is in history exactly once, as a change (``~``) of its
    observation by its analyst, and every history row made during the run is such a write.
    ``attempted`` maps every marker a writer sent to its observation (acknowledged or not)."""
    failures: list[str] = []
    by_marker = {ack.marker: ack for ack in acks}
    seen: Counter[str] = Counter()
    for row in history:
        ack = by_marker.get(row.note)
        if ack is None:
            if row.note in attempted:
                failures.append(
                    f"history {row.history_id}: write {row.note!r} to observation {row.pk} "
                    "was committed but never acknowledged"
                )
            else:
                failures.append(
                    f"history {row.history_id}: observation {row.pk} changed ({row.type}) to "
                    f"note {row.note[:60]!r}, which no writer sent"
                )
            continue
        seen[row.note] += 1
        if row.type != "~":
            failures.append(f"history {row.history_id}: type {row.type!r} for {row.note!r}")
        if row.pk != ack.pk:
            failures.append(
                f"history {row.history_id}: {row.note!r} recorded on observation {row.pk}, "
                f"written to {ack.pk}"
            )
        if row.user != ack.user:
            failures.append(
                f"history {row.history_id}: {row.note!r} recorded as by {row.user!r}, "
                f"written by {ack.user!r}"
            )
    for ack in acks:
        count = seen[ack.marker]
        if count == 0:
            failures.append(
                f"acknowledged write {ack.marker!r} to observation {ack.pk} is not in history"
            )
        elif count > 1:
            failures.append(f"acknowledged write {ack.marker!r} is in history {count} times")
    return failures


def check_final_notes(
    acks: Sequence[Ack],
    history: Sequence[HistoryRow],
    initial: Mapping[int, str],
    final: Mapping[int, str],
) -> list[str]:
    """No lost writes: each observation's note is that of its last change in history, which is
    an acknowledged write, or its note before the run if it has none; history order agrees with
    real time (a write acknowledged before another was sent is recorded before it) and with
    history dates."""
    failures: list[str] = []
    by_marker = {ack.marker: ack for ack in acks}
    rows_by_pk: dict[int, list[HistoryRow]] = defaultdict(list)
    for row in history:
        rows_by_pk[row.pk].append(row)
    acked_pks = {ack.pk for ack in acks}
    for pk in sorted(set(initial) | set(final)):
        rows = sorted(rows_by_pk.get(pk, []), key=lambda row: row.history_id)
        note = final.get(pk)
        if note is None:
            failures.append(f"observation {pk} is gone")
            continue
        acked_rows = [row for row in rows if row.note in by_marker]
        if rows and note != rows[-1].note:
            failures.append(
                f"observation {pk}: note {note[:60]!r}, but its last change in history is "
                f"{rows[-1].note!r} (lost write)"
            )
        elif rows and rows[-1].note not in by_marker:
            last = repr(acked_rows[-1].note) if acked_rows else "none"
            failures.append(
                f"observation {pk}: note {note[:60]!r} is from a write that was not "
                f"acknowledged (the last acknowledged one in history: {last})"
            )
        elif not rows and pk in acked_pks:
            failures.append(f"observation {pk}: acknowledged writes but no history of them")
        elif not rows and note != initial.get(pk):
            failures.append(
                f"observation {pk}: note changed to {note[:60]!r} without an acknowledged write"
            )
        dates = [datetime.fromisoformat(row.date) for row in rows]
        if any(later < earlier for earlier, later in itertools.pairwise(dates)):
            failures.append(f"observation {pk}: history ids and history dates disagree on order")
        # Real time: scanning in history order, no earlier-recorded write may have been sent
        # after this one was acknowledged.
        latest_sent = -math.inf
        latest_marker = ""
        for row in acked_rows:
            ack = by_marker[row.note]
            if latest_sent > ack.acked_at:
                failures.append(
                    f"observation {pk}: {ack.marker!r} was acknowledged before {latest_marker!r} "
                    "was sent, yet history records it first"
                )
            if ack.sent_at > latest_sent:
                latest_sent, latest_marker = ack.sent_at, ack.marker
    return failures


def check_unchanged(
    before: Mapping[str, Mapping[str, Any]], after: Mapping[str, Mapping[str, Any]]
) -> list[str]:
    """The saves changed nothing but notes: every other column of every observation is as it
    was before the run (a form read or sent wrongly would change one quietly)."""
    failures = []
    for pk, columns in sorted(before.items(), key=lambda item: int(item[0])):
        now = after.get(pk, {})
        failures += [
            f"observation {pk}: {name} changed from {value!r} to {now.get(name)!r}"
            for name, value in columns.items()
            if now.get(name) != value
        ]
    return failures


def check_admin_log(acks: Sequence[Ack], entries: Mapping[str, int]) -> list[str]:
    """One admin log entry (a change of an observation) per acknowledged write, per analyst."""
    expected = Counter(ack.user for ack in acks)
    return [
        f"admin log: {entries.get(user, 0)} change entries by {user}, {expected.get(user, 0)} "
        "acknowledged writes"
        for user in sorted(set(expected) | set(entries))
        if entries.get(user, 0) != expected.get(user, 0)
    ]


def overlapping_writes(acks: Sequence[Ack]) -> int:
    """How many acknowledged writes were in flight at once with another write to the same row."""
    by_pk: dict[int, list[Ack]] = defaultdict(list)
    for ack in acks:
        by_pk[ack.pk].append(ack)
    overlapping = 0
    for writes in by_pk.values():
        writes.sort(key=lambda ack: ack.sent_at)
        for i, ack in enumerate(writes):
            before = any(other.acked_at > ack.sent_at for other in writes[:i])
            after = i + 1 < len(writes) and writes[i + 1].sent_at < ack.acked_at
            overlapping += before or after
    return overlapping


# --- the database, seen from Django (run in a subprocess with the server's settings) ----------


def django_prepare(request: dict[str, Any]) -> dict[str, Any]:
    """Migrate, load the corpus, create the analysts; return the catalog and a baseline."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_corpus", stdout=io.StringIO())
    users = get_user_model()
    for name in request["users"]:
        users.objects.create_superuser(name, f"{name}@loadtest.invalid", request["password"])
    from stats.models import District, Indicator, Observation, SourceDocument

    observations = list(
        Observation.objects.order_by("pk").values_list("pk", "document__slug", "figure_start")
    )
    return {
        "observations": [
            {"pk": pk, "api_id": f"{slug}:{start}"} for pk, slug, start in observations
        ],
        "indicators": sorted(
            Indicator.objects.filter(observations__isnull=False)
            .values_list("code", flat=True)
            .distinct()
        ),
        "districts": sorted(
            District.objects.filter(observations__isnull=False)
            .values_list("code", flat=True)
            .distinct()
        ),
        "all_districts": sorted(District.objects.values_list("code", flat=True)),
        "documents": sorted(SourceDocument.objects.values_list("slug", flat=True)),
        **django_state({"since_history": 0, "since_log": 0}),
    }


def django_state(request: dict[str, Any]) -> dict[str, Any]:
    """Every observation's note, the history and admin log made since the given ids, the row
    count of every historical table, and the data version."""
    from django.apps import apps
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.db.models import Count, Max

    from stats.models import Observation
    from stats.versioning import current_version

    history = Observation.history.model
    rows = (
        history.objects.filter(history_id__gt=request["since_history"])
        .order_by("history_id")
        .values_list(
            "history_id", "id", "note", "history_user__username", "history_type", "history_date"
        )
    )
    entries = (
        LogEntry.objects.filter(
            pk__gt=request["since_log"],
            content_type__app_label="stats",
            content_type__model="observation",
            action_flag=CHANGE,
        )
        .values_list("user__username")
        .annotate(count=Count("pk"))
    )
    counts = {
        model._meta.db_table: model._default_manager.count()
        for model in apps.get_app_config("stats").get_models()
        if model.__name__.startswith("Historical")
    }
    return {
        "notes": {str(pk): note for pk, note in Observation.objects.values_list("pk", "note")},
        "fields": {
            str(row.pop("id")): {name: plain(value) for name, value in row.items()}
            for row in Observation.objects.values(
                *(f.attname for f in Observation._meta.concrete_fields if f.name != "note")
            )
        },
        "history": [
            [hid, pk, note, user, kind, date.isoformat()]
            for hid, pk, note, user, kind, date in rows
        ],
        "max_history": history.objects.aggregate(m=Max("history_id"))["m"] or 0,
        "max_log": LogEntry.objects.aggregate(m=Max("pk"))["m"] or 0,
        "log_entries": dict(entries),
        "history_counts": counts,
        "data_version": current_version().number,
    }


def plain(value: Any) -> Any:
    """A column value as JSON: decimals as plain strings (16000, not 1.6E+4), dates in ISO."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    return value


DJANGO_ACTIONS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "prepare": django_prepare,
    "state": django_state,
}


def django_main(action: str) -> int:
    """Run a Django action: a JSON request on standard input, the JSON answer on standard
    output (anything else Django prints goes to standard error)."""
    import django

    request = json.load(sys.stdin)
    with contextlib.redirect_stdout(sys.stderr):
        django.setup()
        answer = DJANGO_ACTIONS[action](request)
    print(json.dumps(answer))
    return 0


def django_call(env: Mapping[str, str], action: str, request: dict[str, Any]) -> dict[str, Any]:
    """``django_main(action)`` in a subprocess with the server's environment."""
    result = subprocess.run(
        [PYTHON, "-m", "loadtest.run", "--django-action", action],
        cwd=ROOT, env=dict(env), input=json.dumps(request), capture_output=True, text=True,
        timeout=600, check=False,
    )  # fmt: skip
    if result.returncode:
        raise SystemExit(f"loadtest: Django action {action} failed:\n{result.stderr[-4000:]}")
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


# --- databases --------------------------------------------------------------------------------


class Database:
    """The throwaway database: an SQLite file in var/loadtest/, or a PostgreSQL database."""

    def __init__(self, url: str | None) -> None:
        self.postgres = url is not None
        if url is None:
            self.path = OUT / "loadtest.sqlite3"
            self.url = f"sqlite:///{self.path}"
            self.name = str(self.path.relative_to(ROOT))
            return
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("postgres", "postgresql"):
            raise SystemExit(f"loadtest: --database-url must be postgres://…, not {parts.scheme}")
        self.name = parts.path.lstrip("/")
        if "loadtest" not in self.name:
            raise SystemExit(
                f"loadtest: the database {self.name!r} would be dropped; name one with "
                "'loadtest' in it (e.g. party_stats_loadtest)"
            )
        self.url = url
        self.admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))

    def describe(self) -> str:
        """What and where, for the summary."""
        return f"PostgreSQL ({self.name})" if self.postgres else f"SQLite ({self.name}, WAL)"

    def _sqlite_files(self) -> list[Path]:
        return [self.path.with_name(self.path.name + suffix) for suffix in ("", "-wal", "-shm")]

    def _execute(self, statement: str) -> None:
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(sql.SQL(statement).format(sql.Identifier(self.name)))

    def create(self) -> None:
        """Drop any leftover and create it empty."""
        if self.postgres:
            self._execute("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            self._execute("CREATE DATABASE {}")
        else:
            for path in self._sqlite_files():
                path.unlink(missing_ok=True)

    def drop(self) -> None:
        """Remove it."""
        if self.postgres:
            self._execute("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        else:
            for path in self._sqlite_files():
                path.unlink(missing_ok=True)


def flush_redis(url: str) -> None:
    """Empty the Redis database this run owns; refuse one holding keys of anything but this
    app's caches (``party-stats…``)."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        foreign = [
            key for key in client.scan_iter(count=1000) if not key.startswith(b"party-stats")
        ]
        if foreign:
            raise SystemExit(
                f"loadtest: {url} holds other keys ({foreign[0]!r} …); name an empty database"
            )
        client.flushdb()
    finally:
        client.close()


def server_env(database_url: str, redis_url: str | None, secret_key: str) -> dict[str, str]:
    """The environment of the server and of the Django subprocesses: production settings on
    loopback, nothing inherited that would change them."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "API_", "REDIS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secret_key,
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_SSL_REDIRECT="0",
        DJANGO_LOG_FORMAT="json",
        API_ANON_RATE="off",  # one client address makes every request
        PYTHONPATH=str(ROOT),
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


# --- the server -------------------------------------------------------------------------------


def free_port() -> int:
    """A port on 127.0.0.1 nobody listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    """gunicorn in a process group of its own."""

    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    def stop(self) -> None:
        """Stop the group (master and workers): TERM, then KILL after a grace period."""
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def gunicorn_private_options() -> list[str]:
    """No control socket where gunicorn has one (23 has none; 27 opens ~/.gunicorn/gunicorn.ctl
    by default, which another server on this machine, or another run, may be using)."""
    from gunicorn.config import KNOWN_SETTINGS

    known = {setting.name for setting in KNOWN_SETTINGS}
    return ["--no-control-socket"] if "control_socket_disable" in known else []


def start_server(env: Mapping[str, str], workers: int, threads: int) -> Server:
    """gunicorn with config.wsgi on 127.0.0.1 at a free port, answering /readyz."""
    port = free_port()
    log_path = OUT / "server.log"
    command = [
        PYTHON, "-m", "gunicorn", "config.wsgi",
        "--bind", f"{HOST}:{port}",
        "--worker-class", "gthread", "--workers", str(workers), "--threads", str(threads),
        "--keep-alive", "30", "--timeout", "60", "--graceful-timeout", "10",
    ]  # fmt: skip
    command += gunicorn_private_options()
    with open(log_path, "wb") as output:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=dict(env),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(process, port, log_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"loadtest: gunicorn exited:\n{log_path.read_text()[-4000:]}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/readyz")
            if connection.getresponse().status == 200:
                connection.close()
                return server
            connection.close()
        except OSError:
            pass
        time.sleep(0.2)
    server.stop()
    raise SystemExit(f"loadtest: gunicorn did not answer /readyz in 60 s (see {log_path})")


def server_log_problems(path: Path) -> list[str]:
    """Errors the server logged: Django records at ERROR or above, 5xx answers, gunicorn
    errors (worker timeouts, crashes) and tracebacks."""
    problems: list[str] = []
    gunicorn_error = re.compile(r"\[(ERROR|CRITICAL)\]")
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            try:
                entry = json.loads(line)
            except ValueError:
                problems.append(line[:300])
                continue
            status = entry.get("status", 0)
            if entry.get("level") in ("ERROR", "CRITICAL") or (
                isinstance(status, int) and status >= 500
            ):
                problems.append(line[:300])
        elif gunicorn_error.search(line) or line.startswith("Traceback"):
            problems.append(line[:300])
    return problems


# --- clients ----------------------------------------------------------------------------------


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


# --- the run ----------------------------------------------------------------------------------


@dataclass
class Load:
    """What the connections did."""

    seconds: float
    recorders: list[Recorder]
    acks: list[Ack]
    attempted: dict[str, int]
    version_regressions: int


def drive(
    port: int,
    catalog: Catalog,
    writers: list[Writer],
    readers: int,
    seconds: float,
    seed: int,
) -> Load:
    """Run the readers and writers together for ``seconds`` (after the writers have logged in)."""
    clock = Clock()
    workers: list[Reader | Writer] = [
        Reader(i + 1, port, catalog, seed * 1000 + i) for i in range(readers)
    ]
    workers += writers
    start = threading.Barrier(len(workers) + 1, action=lambda: clock.start(seconds))
    threads = [
        threading.Thread(target=worker.run, args=(start, clock), name=worker.recorder.name)
        for worker in workers
    ]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    try:
        start.wait(timeout=120)
        started = time.monotonic()
        for thread in threads:
            thread.join(timeout=max(1.0, clock.deadline - time.monotonic()) + REQUEST_TIMEOUT * 2)
    finally:
        clock.stopped.set()
        with contextlib.suppress(threading.BrokenBarrierError):
            start.abort()
        for thread in threads:
            thread.join(timeout=REQUEST_TIMEOUT * 2)
    stuck = [thread.name for thread in threads if thread.is_alive()]
    recorders = [worker.recorder for worker in workers]
    if stuck:
        recorders[0].errors.append(f"connections still busy after the run: {stuck}")
    return Load(
        seconds=time.monotonic() - started,
        recorders=recorders,
        acks=[ack for writer in writers for ack in writer.acks],
        attempted={m: pk for writer in writers for m, pk in writer.attempted.items()},
        version_regressions=sum(
            worker.version_regressions for worker in workers if isinstance(worker, Reader)
        ),
    )


def read_note(port: int, api_id: str, headers: Mapping[str, str]) -> tuple[int, str | None]:
    """GET an observation's detail on a new connection: status and note."""
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request("GET", f"{API}/observations/{api_id}/", headers=dict(headers))
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    if response.status != 200:
        return response.status, None
    note: str = json.loads(body)["note"]
    return response.status, note


def capture_etags(port: int, api_ids: Iterable[str]) -> dict[str, str]:
    """The ETag of each observation's detail before the run."""
    etags = {}
    for api_id in api_ids:
        connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request("GET", f"{API}/observations/{api_id}/")
            response = connection.getresponse()
            response.read()
            etags[api_id] = response.headers.get("ETag", "")
        finally:
            connection.close()
    return etags


def check_api(
    port: int,
    catalog: Catalog,
    final: Mapping[int, str],
    written: Iterable[int],
    old_etags: Mapping[str, str],
    reads_each: int,
) -> tuple[list[str], int]:
    """After the run: every written observation's detail (on several new connections, so every
    worker answers, and once with its ETag from before the run), a whole list page and a CSV
    export show the final notes. The failures and how many reads were checked."""
    failures: list[str] = []
    reads = 0
    for pk in sorted(written):
        api_id = catalog.api_ids[pk]
        for attempt in range(reads_each + 1):
            headers = {"If-None-Match": old_etags[api_id]} if attempt == reads_each else {}
            try:
                status, note = read_note(port, api_id, headers)
            except (OSError, http.client.HTTPException, ValueError) as error:
                failures.append(f"API detail {api_id}: {type(error).__name__}: {error}")
                continue
            reads += 1
            if status != 200:
                how = " (with the ETag from before the run)" if headers else ""
                failures.append(f"API detail {api_id}{how}: {status}, expected 200")
            elif note != final[pk]:
                failures.append(
                    f"API detail {api_id} (observation {pk}): stale note {note!r}, "
                    f"the database has {final[pk]!r}"
                )
    by_api_id = {api_id: final[pk] for pk, api_id in catalog.api_ids.items()}
    for attempt in range(reads_each):
        connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        try:
            # Every figure: targets and every source's claim too (the list's defaults hide them).
            every = "status=any&rank=any"
            connection.request("GET", f"{API}/observations/?page_size=1000&{every}")
            page = json.loads(connection.getresponse().read())["results"]
            connection.request(
                "GET", f"{API}/observations/?{every}", headers={"Accept": "text/csv"}
            )
            text = connection.getresponse().read().decode("utf-8").lstrip("\ufeff")
        except (OSError, http.client.HTTPException, ValueError, KeyError) as error:
            failures.append(f"API list/CSV read {attempt + 1}: {type(error).__name__}: {error}")
            continue
        finally:
            connection.close()
        reads += 2
        rows = [(item["id"], item["note"]) for item in page]
        rows_csv = [(row["id"], row["note"]) for row in csv.DictReader(io.StringIO(text))]
        for source, pairs in (("list page", rows), ("CSV", rows_csv)):
            if len(pairs) != len(by_api_id):
                failures.append(f"API {source}: {len(pairs)} observations, not {len(by_api_id)}")
            failures += [
                f"API {source}: {api_id} stale note {note!r}, the database has "
                f"{by_api_id.get(api_id)!r}"
                for api_id, note in pairs
                if by_api_id.get(api_id) != note
            ]
    return failures, reads


# --- the summary ------------------------------------------------------------------------------

READ_KINDS = (*READ_WEIGHTS, "page")
WRITE_KINDS = ("admin-login", "admin-get", "admin-post")


def latency_line(label: str, samples: Sequence[Sample], seconds: float) -> str:
    """Count, rate and p50/p95/p99 in milliseconds of ``samples``."""
    times = [sample.seconds * 1000 for sample in samples]
    rate = len(samples) / seconds if seconds else 0.0
    return (
        f"  {label:<15} {len(samples):7d} {rate:8.1f}/s  p50 {percentile(times, 50):7.1f}  "
        f"p95 {percentile(times, 95):7.1f}  p99 {percentile(times, 99):7.1f} ms"
    )


def summary(
    load: Load,
    checks: list[tuple[str, list[str]]],
    facts: Mapping[str, str],
) -> str:
    """The report: requests by kind with latencies and statuses, then every check."""
    samples = [sample for recorder in load.recorders for sample in recorder.samples]
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_kind[sample.kind].append(sample)
    lines = [f"{name}: {value}" for name, value in facts.items()]
    lines.append(f"requests by kind (over {load.seconds:.1f} s):")
    for kind in (*READ_KINDS, *WRITE_KINDS):
        if by_kind.get(kind):
            lines.append(latency_line(kind, by_kind[kind], load.seconds))
    reads = [sample for sample in samples if sample.kind in READ_KINDS]
    writes = by_kind.get("admin-post", [])
    lines.append(latency_line("ALL READS", reads, load.seconds))
    lines.append(latency_line("WRITES (POST)", writes, load.seconds))
    statuses = Counter(sample.status for sample in samples)
    lines.append(
        "statuses: "
        + ", ".join(
            f"{status or 'no answer'}: {count}" for status, count in sorted(statuses.items())
        )
    )
    lines.append("checks:")
    for name, failures in checks:
        lines.append(f"  [{'FAIL' if failures else ' ok '}] {name}")
        lines += [f"         {failure}" for failure in failures]
    return "\n".join(lines)


def evaluate(
    load: Load,
    prepared: Mapping[str, Any],
    state: Mapping[str, Any],
    history: Sequence[HistoryRow],
    api: tuple[list[str], int],
    log_path: Path,
) -> list[tuple[str, list[str]]]:
    """Every check of the run, each with its failures (none: passed)."""
    initial = {int(pk): note for pk, note in prepared["notes"].items()}
    final = {int(pk): note for pk, note in state["notes"].items()}
    api_failures, api_reads = api
    errors = [error for recorder in load.recorders for error in recorder.errors]
    log_problems = server_log_problems(log_path)
    other_tables = {
        table: (count, state["history_counts"].get(table))
        for table, count in prepared["history_counts"].items()
        if table != "stats_historicalobservation" and state["history_counts"].get(table) != count
    }
    history_failures = check_history(load.acks, load.attempted, history)
    history_failures += [
        f"{table}: {before} rows before the run, {after} after" for table, (before, after) in
        other_tables.items()
    ]  # fmt: skip
    history_failures += check_admin_log(load.acks, state["log_entries"])
    # Every committed save (a history row) bumps the data version once; a save whose bump
    # failed leaves the API's ETags and cached responses on the version before it.
    bumps = state["data_version"] - prepared["data_version"]
    if bumps != len(history):
        history_failures.append(
            f"data version went up {bumps} times for {len(history)} committed saves"
        )
    if not load.acks:
        history_failures.append("no write was acknowledged")
    return [
        (
            f"no errors: every response as expected, no connection errors, no 429/5xx "
            f"({sum(len(r.samples) for r in load.recorders)} requests)",
            limited(errors, "errors"),
        ),
        (
            f"server log: no errors, 5xx answers, worker timeouts or tracebacks "
            f"({log_path.relative_to(ROOT)})",
            limited(log_problems, "server log"),
        ),
        (
            f"no lost writes: every observation's note is its last acknowledged write in "
            f"history order, history order agrees with real time ({len(final)} observations, "
            f"{len({ack.pk for ack in load.acks})} written)",
            limited(check_final_notes(load.acks, history, initial, final), "lost writes"),
        ),
        (
            "saves changed nothing but notes (every other column as before the run)",
            limited(check_unchanged(prepared["fields"], state["fields"]), "columns"),
        ),
        (
            f"history: each of {len(load.acks)} acknowledged writes exactly once in "
            f"stats_historicalobservation with its analyst, one admin log entry each, one "
            f"data version per committed save, nothing else recorded ({len(history)} history "
            "rows checked)",
            limited(history_failures, "history"),
        ),
        (
            f"API after the run: details (on new connections, and with a pre-run ETag), a list "
            f"page and CSV show the final notes ({api_reads} reads)",
            limited(api_failures, "API"),
        ),
    ]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options, defaulting to LOADTEST_* environment variables."""
    parser = argparse.ArgumentParser(
        prog="python -m loadtest.run", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--seconds",
        type=float,
        default=float(os.environ.get("LOADTEST_SECONDS", DEFAULT_SECONDS)),
        help=f"how long the load runs (default {DEFAULT_SECONDS}, at most {MAX_SECONDS})",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOADTEST_DATABASE_URL") or None,
        help="a PostgreSQL database on this machine to drop and create (default: SQLite)",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("LOADTEST_REDIS_URL") or None,
        help="a Redis database on this machine the run owns and flushes (default: none)",
    )
    parser.add_argument(
        "--connections", type=int, default=CONNECTIONS, help=f"default {CONNECTIONS}"
    )
    parser.add_argument(
        "--writers", type=int, default=WRITERS, help=f"connections that write (default {WRITERS})"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--threads", type=int, help="threads per worker (default: one per connection in all)"
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=int(os.environ.get("LOADTEST_SEED", "1")),
        help="which observations each writer edits, and the order of requests",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--django-action", choices=sorted(DJANGO_ACTIONS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not 1 <= args.seconds <= MAX_SECONDS:
        parser.error(f"--seconds must be from 1 to {MAX_SECONDS}")
    if not 1 <= args.writers < args.connections:
        parser.error("--writers must be at least 1 and fewer than --connections")
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    if args.threads is None:
        args.threads = math.ceil(args.connections / args.workers)
    for option in ("database_url", "redis_url"):
        url = getattr(args, option)
        if url and not is_loopback_url(url):
            parser.error(f"--{option.replace('_', '-')} must name this machine (loopback only)")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Build, serve, load, check, report; 0 when every check passes."""
    args = parse_args(argv)
    if args.django_action:
        return django_main(args.django_action)
    began = time.monotonic()
    OUT.mkdir(parents=True, exist_ok=True)
    database = Database(args.database_url)
    env = server_env(database.url, args.redis_url, secrets.token_urlsafe(50))
    password = secrets.token_urlsafe(24)
    run_id = secrets.token_hex(3)
    users = [f"loadtest-analyst-{i + 1}" for i in range(args.writers)]
    server: Server | None = None
    try:
        log(f"building {database.describe()}")
        database.create()
        if args.redis_url:
            flush_redis(args.redis_url)
        prepared = django_call(env, "prepare", {"users": users, "password": password})
        catalog = Catalog(
            api_ids={item["pk"]: item["api_id"] for item in prepared["observations"]},
            indicators=prepared["indicators"],
            districts=prepared["districts"],
            all_districts=prepared["all_districts"],
            documents=prepared["documents"],
        )
        log(f"{len(catalog.api_ids)} observations loaded, {len(users)} analysts; starting gunicorn")
        own, shared = assign_observations(
            sorted(catalog.api_ids), args.writers, OWN_PER_WRITER, SHARED, args.seed
        )
        written = sorted({pk for pks in own for pk in pks} | set(shared))
        server = start_server(env, args.workers, args.threads)
        log(
            f"gunicorn on {HOST}:{server.port} ({args.workers} workers x "
            f"{args.threads} threads); {args.connections} connections for {args.seconds:g} s"
        )
        old_etags = capture_etags(server.port, [catalog.api_ids[pk] for pk in written])
        writers = [
            Writer(i + 1, server.port, user, password, own[i], shared, run_id, args.seed + i)
            for i, user in enumerate(users)
        ]
        load = drive(
            server.port,
            catalog,
            writers,
            args.connections - args.writers,
            args.seconds,
            args.seed,
        )
        ended = time.monotonic()
        log(f"{len(load.acks)} writes acknowledged; checking")
        state = django_call(
            env,
            "state",
            {"since_history": prepared["max_history"], "since_log": prepared["max_log"]},
        )
        final = {int(pk): note for pk, note in state["notes"].items()}
        history = [HistoryRow(*row) for row in state["history"]]
        time.sleep(max(0.0, SETTLE_SECONDS - (time.monotonic() - ended)))
        log("reading the final notes through the API")
        api_failures, api_reads = check_api(
            server.port, catalog, final, written, old_etags, reads_each=2 * args.workers
        )
    finally:
        if server is not None:
            server.stop()
        if not args.keep:
            with contextlib.suppress(Exception):
                database.drop()
            if args.redis_url:
                with contextlib.suppress(Exception, SystemExit):
                    flush_redis(args.redis_url)

    checks = evaluate(load, prepared, state, history, (api_failures, api_reads), server.log_path)
    samples = [sample for recorder in load.recorders for sample in recorder.samples]
    facts = {
        "database": database.describe(),
        "cache": "Redis (" + args.redis_url + ")" if args.redis_url else "per-process memory",
        "server": f"gunicorn gthread, {args.workers} workers x {args.threads} threads, "
        f"{HOST}:{server.port}, DEBUG off, throttling off",
        "connections": f"{args.connections} ({args.connections - args.writers} readers, "
        f"{args.writers} writers, {users[0]} … {users[-1]})",
        "writes": f"{len(load.acks)} acknowledged of {len(load.attempted)} sent, to "
        f"{len({ack.pk for ack in load.acks})} observations ({len(shared)} shared by every "
        f"writer); {overlapping_writes(load.acks)} overlapped another write to the same row; "
        f"{sum(len(w.conflicts) for w in writers)} refused as made over another writer's save",
        "304 answers to conditional reads": str(sum(s.status == 304 for s in samples)),
        "answers older than one already served on the same connection (ETag version)": str(
            load.version_regressions
        ),
        "data version": f"{prepared['data_version']} before, {state['data_version']} after",
    }
    print(summary(load, checks, facts))
    failed = [name for name, failures in checks if failures]
    elapsed = time.monotonic() - began
    print(f"result: {'FAIL' if failed else 'PASS'} (whole run {elapsed:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
