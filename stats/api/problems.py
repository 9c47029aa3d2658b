"""Errors as RFC 9457 problem details (application/problem+json), for every API version."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_TYPE = "about:blank"
PROBLEM_CONTENT_TYPE = "application/problem+json"


def _messages(data: Any, prefix: str = "") -> list[str]:
    """Flatten DRF error data into "parameter: message" lines."""
    if isinstance(data, dict):
        lines = []
        for key, value in data.items():
            name = key if key not in ("non_field_errors", "detail") else ""
            lines += _messages(value, f"{prefix}{name}: " if name else prefix)
        return lines
    if isinstance(data, list):
        return [line for item in data for line in _messages(item, prefix)]
    return [f"{prefix}{data}"]


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with the body rewritten as a problem document."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    errors = response.data if isinstance(exc, exceptions.ValidationError) else None
    detail = "; ".join(_messages(response.data)) or response.status_text
    response.data = {
        "type": PROBLEM_TYPE,
        "title": response.status_text,
        "status": response.status_code,
        "detail": detail,
        **({"errors": errors} if errors is not None else {}),
    }
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def problem_response(status: int, title: str, detail: str) -> JsonResponse:
    """A problem document outside DRF (unknown paths and versions)."""
    return JsonResponse(
        {"type": PROBLEM_TYPE, "title": title, "status": status, "detail": detail},
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


#: What every API resource answers to; anything else is a write, which the API never takes.
READ_METHODS = ("GET", "HEAD", "OPTIONS")


@csrf_exempt  # no sessions on the API: a write gets 405 below, not the CSRF failure page
def api_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """404 for paths under /api/: says which versions exist. A write to any API path is 405, as
    it is on the resources themselves: the API is read-only."""
    path = request.path
    if request.method not in READ_METHODS:
        response = problem_response(
            405,
            "Method Not Allowed",
            f"the API is read-only: {request.method} is not allowed; use GET",
        )
        response["Allow"] = ", ".join(READ_METHODS)
        return response
    if path.startswith("/api/") and not path.startswith("/api/v1/"):
        return problem_response(
            404, "Not Found", f"unknown API version in {path!r}; available: /api/v1/"
        )
    return problem_response(404, "Not Found", f"no resource at {path!r}; see /api/v1/docs/")
