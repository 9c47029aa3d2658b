"""What every part of the load test shares: where it writes, its sizes and limits, the
paths it asks for, and its progress log (standard error); a few pure helpers."""

from __future__ import annotations

import math
import re
import sys
import time
import urllib.parse
from collections.abc import Sequence
from pathlib import Path

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
