"""Anonymous throttling for every API version.

A client is its connection's address (``REMOTE_ADDR``), or, behind ``API_TRUSTED_PROXIES``
proxies, the address the nearest of them saw (``X-Forwarded-For`` read from the right), never a
value the client chose. Counts are fixed windows of the rate's duration, kept in the
``throttle`` cache with an atomic increment (Redis INCR, or a lock in local memory), so
concurrent requests never get past the rate, and no other traffic shares that cache, so a flood
of other keys cannot evict a throttled client's count.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


def client_address(request: Any) -> str:
    """The client's address: the connection's, or the one the trusted proxies recorded."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies: int = settings.API_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in str(forwarded).split(",") if hop.strip()]
    # Each trusted proxy appends the address it saw; what lies left of those is the client's
    # to write, so only the entry the outermost trusted proxy appended counts.
    return hops[-min(proxies, len(hops))] if hops else remote


class AnonymousRateThrottle(SimpleRateThrottle):
    """At most the number of ``settings.API_ANON_RATE`` requests per client in each window of
    its duration (None: unthrottled)."""

    scope = "anon"
    cache = caches["throttle"]

    def __init__(self) -> None:
        self.rate = self.get_rate()
        self.wait_seconds: float | None = None

    def get_rate(self) -> str | None:
        rate: str | None = settings.API_ANON_RATE
        return rate

    def get_cache_key(self, request: Request, view: APIView) -> str:
        return f"{self.scope}:{client_address(request)}"

    def allow_request(self, request: Request, view: APIView) -> bool:
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        limit, duration = self.parse_rate(self.rate)
        assert limit is not None and duration is not None
        now = time.time()
        window = int(now // duration)
        key = f"{self.get_cache_key(request, view)}:{window}"
        # add() creates the window's count only if absent; incr() is atomic on every backend.
        self.cache.add(key, 0, timeout=duration + 1)
        try:
            count = self.cache.incr(key)
        except ValueError:  # expired between add and incr: this is the window's first request
            self.cache.add(key, 1, timeout=duration + 1)
            count = 1
        if count > limit:
            self.wait_seconds = (window + 1) * duration - now
            return False
        return True

    def wait(self) -> float | None:
        return None if self.wait_seconds is None else math.ceil(self.wait_seconds)
