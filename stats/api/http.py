"""HTTP behaviour shared by every API version: conditional GETs from the data version and
gzip. Nothing here knows about resources."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, HttpResponseNotModified
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

from stats.versioning import Version, current_version

API_PREFIX = "/api/"


def is_api_read(request: HttpRequest) -> bool:
    """A GET or HEAD of the API: what gets validators, and what may read from a replica."""
    return request.path.startswith(API_PREFIX) and request.method in ("GET", "HEAD")


def _etag_matches(header: str, etag: str) -> bool:
    """Weak comparison (RFC 9110 §8.8.3.2) against an If-None-Match list."""
    if header.strip() == "*":
        return True
    opaque = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == opaque for tag in header.split(","))


class DataVersionConditionalMiddleware:
    """ETag, Last-Modified and Cache-Control on every successful API read, all derived from the
    data version; a request whose validators still match gets 304 before any view runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not is_api_read(request):
            return self.get_response(request)
        version = current_version()
        etag = version.etag(
            str(settings.SPECTACULAR_SETTINGS["VERSION"]),
            request.get_full_path(),
            request.headers.get("Accept", ""),
        )
        if self._not_modified(request, version, etag):
            response: HttpResponseBase = HttpResponseNotModified()
        else:
            response = self.get_response(request)
            if response.status_code != 200:
                return response
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = http_date(version.changed_at.timestamp())
        response.headers.setdefault(
            "Cache-Control", f"public, max-age={settings.API_CACHE_MAX_AGE}"
        )
        patch_vary_headers(response, ["Accept"])
        return response

    @staticmethod
    def _not_modified(request: HttpRequest, version: Version, etag: str) -> bool:
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match is not None:
            return _etag_matches(if_none_match, etag)
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        return since is not None and int(version.changed_at.timestamp()) <= since


class ApiGZipMiddleware(GZipMiddleware):
    """gzip for API responses only: admin pages carry CSRF tokens (BREACH)."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not request.path.startswith(API_PREFIX):
            return response
        return super().process_response(request, response)
