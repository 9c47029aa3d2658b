"""Anonymous throttling for every API version."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class AnonymousRateThrottle(AnonRateThrottle):
    """Requests per client address at ``settings.API_ANON_RATE`` (None: unthrottled). The
    counts live in the default cache, so a shared Redis cache throttles across servers."""

    def get_rate(self) -> str | None:
        rate: str | None = settings.API_ANON_RATE
        return rate

    def get_cache_key(self, request: Request, view: APIView) -> str:
        # The API has no logins: every client is counted by address, including requests
        # answered from the middleware before DRF wraps them (see stats.api.http).
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request: Request, view: APIView) -> bool:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)
