"""HTTP behaviour shared by every API version: conditional GETs and a cache of rendered
responses, both keyed by the data version, and gzip. Nothing here knows about resources."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.middleware.gzip import GZipMiddleware
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe
from rest_framework.exceptions import ParseError, ValidationError

from stats.api.throttling import AnonymousRateThrottle
from stats.data_version import Version, current_version

API_PREFIX = "/api/"


def is_api_read(request: HttpRequest) -> bool:
    """A GET or HEAD of the API: what gets validators, and what may read from a replica."""
    return request.path.startswith(API_PREFIX) and request.method in ("GET", "HEAD")


def require_utf8_query(request: HttpRequest) -> None:
    """Refuse (400) a query string whose percent-decoded bytes are not UTF-8, rather than read
    it with U+FFFD in place of the bad bytes and answer a question nobody asked."""
    raw = request.META.get("QUERY_STRING", "").encode("latin-1", "replace")
    try:
        unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError as error:
        raise ParseError(
            f"the query string is not valid UTF-8: byte 0x{error.object[error.start]:02X} at "
            f"{error.start} of its decoded bytes; percent-encode UTF-8 (党 is %E5%85%9A)"
        ) from error


def refuse_unknown_parameters(request: HttpRequest, known: set[str]) -> None:
    """Refuse (400, naming them) query parameters the endpoint does not take: a typo would
    otherwise be answered as if it were not there, and every junk parameter would be a new
    entry of the response cache."""
    unknown = sorted(set(request.GET) - known)
    if unknown:
        names = ", ".join(repr(name[:40]) for name in unknown[:5])
        raise ValidationError(
            {
                unknown[0][:40]: [
                    f"unknown parameter(s) {names}; this endpoint takes: "
                    + (", ".join(sorted(known)) or "none")
                ]
            }
        )


class DataVersionConditionalMiddleware:
    """ETag, Last-Modified and Cache-Control on every successful API read, all derived from the
    data version. A request whose validators still match gets 304 before any view runs; one
    asked before in this data version gets the bytes rendered then (``API_RESPONSE_CACHE_*``).
    Both short cuts still count against the client's throttle."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not is_api_read(request):
            return self.get_response(request)
        version = current_version()
        # Bodies hold absolute links (next, previous, Link), so the scheme and host the client
        # used are part of what is cached and validated: one client's Host cannot reach another.
        variant = (
            str(settings.SPECTACULAR_SETTINGS["VERSION"]),
            request.scheme or "http",
            request.get_host(),
            request.get_full_path(),
            request.headers.get("Accept", ""),
        )
        etag = version.etag(*variant)
        response: HttpResponseBase | None
        if not_modified(request, version, etag, found=False) and throttle_allows(request):
            response = HttpResponseNotModified()
        else:
            response = RenderedResponses.lookup(request, version, variant)
            if response is None:
                response = self.get_response(request)
                if response.status_code != 200 or has_own_validator(response):
                    return response
                RenderedResponses.keep(request, version, variant, response)
            if not_modified(request, version, etag, found=True):
                response = HttpResponseNotModified()
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = http_date(version.changed_at.timestamp())
        response.headers.setdefault(
            "Cache-Control", f"public, max-age={settings.API_CACHE_MAX_AGE}"
        )
        patch_vary_headers(response, ["Accept"])
        return response


def not_modified(request: HttpRequest, version: Version, etag: str, *, found: bool) -> bool:
    """Whether the client's copy is still current (RFC 9110 §13.2.2, as Django's
    ``get_conditional_response`` judges it), asked before any view runs (``found`` False) and
    again once a representation was found. Only the validators of a read count here:

    - ``If-None-Match`` (weak comparison, any tag of a list), or without it ``If-Modified-Since``,
      which a date in the future does not make (RFC 9110 §13.1.3): ignored;
    - ``If-None-Match: *`` means "any current representation", so it matches only once one was
      found (§13.1.2): a 404 or a 400 is answered as such, never as 304;
    - ``If-Match`` and ``If-Unmodified-Since`` are left to the view: a download's ETag is its
      file's sha256 (stats.api.v1.downloads), not this data version's.
    """
    validators = HttpRequest()
    validators.method = request.method
    validators.path = request.path
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        if (if_none_match.strip() == "*") == found:
            validators.META["HTTP_IF_NONE_MATCH"] = if_none_match
    elif not found:
        since = request.META.get("HTTP_IF_MODIFIED_SINCE", "")
        parsed = parse_http_date_safe(since)
        if parsed is not None and parsed <= time.time():
            validators.META["HTTP_IF_MODIFIED_SINCE"] = since
    last_modified = int(version.changed_at.timestamp())
    return get_conditional_response(validators, etag=etag, last_modified=last_modified) is not None


def has_own_validator(response: HttpResponseBase) -> bool:
    """A response whose view gave it a strong ETag (a downloaded file's sha256) names exact
    bytes: it keeps that validator, and is sent as it is (not gzipped, which would change it)."""
    return str(response.get("ETag", "")).startswith('"')


def throttle_allows(request: HttpRequest) -> bool:
    """Count a request answered before any view ran against the client's rate; when it is over,
    the caller lets the view answer (and DRF's throttle say 429 with Retry-After)."""
    return AnonymousRateThrottle().allow_request(request, None)  # type: ignore[arg-type]


class RenderedResponses:
    """Successful API bodies kept per data version, path and Accept header in the
    ``responses`` cache (shared through Redis), so a repeated read costs a cache get."""

    @staticmethod
    def _key(version: Version, variant: tuple[str, ...]) -> str:
        digest = hashlib.blake2b("\x1f".join(variant).encode(), digest_size=16).hexdigest()
        return f"{version.number}:{digest}"

    @classmethod
    def lookup(
        cls, request: HttpRequest, version: Version, variant: tuple[str, ...]
    ) -> HttpResponse | None:
        if settings.API_RESPONSE_CACHE_SECONDS <= 0:
            return None
        kept = caches["responses"].get(cls._key(version, variant))
        if kept is None or not throttle_allows(request):
            return None
        content, headers = kept
        response = HttpResponse(content)
        for name, value in headers:
            response.headers[name] = value
        return response

    @classmethod
    def keep(
        cls,
        request: HttpRequest,
        version: Version,
        variant: tuple[str, ...],
        response: HttpResponseBase,
    ) -> None:
        if (
            settings.API_RESPONSE_CACHE_SECONDS <= 0
            or request.method != "GET"
            or not isinstance(response, HttpResponse)  # streamed (CSV): too big to keep
            or len(response.content) > settings.API_RESPONSE_CACHE_MAX_BYTES
            or "Set-Cookie" in response.headers
        ):
            return
        if not cls._within_budget(len(response.content)):
            return
        caches["responses"].set(
            cls._key(version, variant),
            (response.content, list(response.headers.items())),
            settings.API_RESPONSE_CACHE_SECONDS,
        )

    @staticmethod
    def _within_budget(size: int) -> bool:
        """Count ``size`` against the bytes the cache may take in this window of its lifetime
        (``API_RESPONSE_CACHE_BUDGET_BYTES``); False once the window's budget is spent."""
        seconds = settings.API_RESPONSE_CACHE_SECONDS
        key = f"budget:{int(time.time() // seconds)}"
        cache = caches["responses"]
        cache.add(key, 0, timeout=2 * seconds)
        try:
            spent = cache.incr(key, size)
        except ValueError:  # the window's count expired meanwhile
            return False
        return bool(spent <= settings.API_RESPONSE_CACHE_BUDGET_BYTES)


class ApiLanguageMiddleware:
    """The API speaks English whatever Accept-Language asks (its promise, docs/api.md); the
    admin follows the browser's language (LocaleMiddleware, which this follows)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path.startswith(API_PREFIX):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class ApiGZipMiddleware(GZipMiddleware):
    """gzip for API responses only: admin pages carry CSRF tokens (BREACH)."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not request.path.startswith(API_PREFIX) or has_own_validator(response):
            return response
        return super().process_response(request, response)
