"""Keyset (cursor) pagination shared by every API version (its orderings: stats.api.ordering).

A page is found by the sort key of the last row seen, never by an offset: pages stay correct
while rows are added, take one query at any depth (an index on the key serves it), and walk
back exactly as they walk forward, even through long runs of equal values. For that every
ordering ends with the primary key, and every key is never null: a view maps nullable or
related fields to annotated sort keys (``sort_keys``), where an unknown value sorts as the
largest on every database.

Why not DRF's ``CursorPagination``: it gave 500s when the ordering named a nullable or related
field (its cursor encodes one position value and compares it with ``>``, which a NULL never
satisfies and a related path cannot always take), and it lost rows through ties (it skips an
offset of equal values, which goes wrong when rows with that value are added or removed
between two requests). The cursor here carries every sort key of the last row and the
primary key, so equal values, nulls (mapped to sort keys) and related orderings all page
exactly.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

import orjson
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # the same cursor on every database
    if isinstance(value, date):
        return value.isoformat()
    return value


#: A number written with an exponent: a cursor never holds one (decimals are written out), and
#: one such as 1e999999999 overflows PostgreSQL's numeric when compared.
_EXPONENT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+")
#: Bigint's range: ids beyond it are no row's.
_BIGINT = 2**63


def _sort_value_ok(value: Any) -> bool:
    """A sort key a cursor may carry: a short string that is not an exponent, or an integer
    a database column can hold."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -_BIGINT < value < _BIGINT
    return isinstance(value, str) and len(value) <= 255 and not _EXPONENT.fullmatch(value)


class KeysetPagination(BasePagination):
    """Cursor pages over the ordering's sort keys, with a capped page size."""

    page_size = 100
    max_page_size = 1000
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    invalid_cursor_message = "invalid cursor: use the next or previous link of a response"

    def __init__(self) -> None:
        self.page: list[Any] = []
        self.has_next = self.has_previous = False
        self.ordering: list[str] = ["id"]
        self.path = ""  # the list's path: a cursor works on the list that made it only

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if not raw:  # absent or empty: the default
            return self.page_size
        # isdigit() alone takes ² and ①, which int() refuses: only ASCII digits are a number.
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 4) or not (
            1 <= int(raw) <= self.max_page_size
        ):
            raise ValidationError(
                {
                    "page_size": [
                        f"must be a whole number from 1 to {self.max_page_size}, not {raw[:50]!r}"
                    ]
                }
            )
        return int(raw)

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> list[str]:
        for backend in getattr(view, "filter_backends", []):
            if hasattr(backend, "get_ordering"):
                ordering = backend().get_ordering(request, queryset, view)
                if ordering:
                    return list(ordering)
        return ["id"]

    # --- cursors ---------------------------------------------------------------------------

    def _bad_cursor(self, problem: str = "") -> ValidationError:
        return ValidationError({"cursor": [self.invalid_cursor_message + problem]})

    def encode_cursor(self, row: Any, reverse: bool) -> str:
        get = row.__getitem__ if isinstance(row, dict) else partial(getattr, row)
        values = [_json_value(get(term.lstrip("-"))) for term in self.ordering]
        payload = orjson.dumps({"p": self.path, "o": self.ordering, "v": values, "r": reverse})
        return base64.urlsafe_b64encode(payload).decode().rstrip("=")

    def decode_cursor(self, request: Request) -> tuple[list[Any], bool] | None:
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:  # absent or empty (?cursor=): the first page, as an empty filter is no filter
            return None
        try:
            payload = orjson.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        except (binascii.Error, ValueError) as error:
            raise self._bad_cursor() from error
        if not (
            isinstance(payload, dict)
            and isinstance(payload.get("v"), list)
            and isinstance(payload.get("r"), bool)
            and len(payload["v"]) == len(self.ordering)
            and all(_sort_value_ok(v) for v in payload["v"])
        ):
            raise self._bad_cursor()
        if payload.get("p") != request.path:
            raise self._bad_cursor(" (it was made for another list)")
        if payload.get("o") != self.ordering:
            raise self._bad_cursor(" (it was made for another ordering)")
        return payload["v"], payload["r"]

    def _beyond(self, values: Sequence[Any], reverse: bool) -> Q:
        """Rows after ``values`` in the ordering (before them when walking back)."""
        condition = Q(pk__in=[])
        equal = Q()
        for term, value in zip(self.ordering, values, strict=True):
            name = term.lstrip("-")
            ascending = not term.startswith("-")
            lookup = "gt" if ascending != reverse else "lt"
            condition |= equal & Q(**{f"{name}__{lookup}": value})
            equal &= Q(**{name: value})
        return condition

    # --- pages -----------------------------------------------------------------------------

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any]:
        self.request = request
        self.path = request.path
        self.page_size = self.get_page_size(request)
        self.ordering = self.get_ordering(request, queryset, view)
        cursor = self.decode_cursor(request)
        queryset = queryset.order_by(*self.ordering)
        reverse = False
        if cursor is not None:
            values, reverse = cursor
            try:
                queryset = queryset.filter(self._beyond(values, reverse))
            except (DjangoValidationError, ValueError, TypeError) as error:
                raise self._bad_cursor() from error
            if reverse:
                queryset = queryset.reverse()
        rows = list(queryset[: self.page_size + 1])
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if reverse:
            rows.reverse()
            self.has_previous, self.has_next = more, True
        else:
            self.has_previous, self.has_next = cursor is not None, more
        self.page = rows
        return rows

    def _link(self, row: Any, reverse: bool) -> str:
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self.encode_cursor(row, reverse))

    def get_next_link(self) -> str | None:
        return self._link(self.page[-1], False) if self.has_next and self.page else None

    def get_previous_link(self) -> str | None:
        return self._link(self.page[0], True) if self.has_previous and self.page else None

    def get_paginated_response(self, data: Any) -> Response:
        next_link, previous_link = self.get_next_link(), self.get_previous_link()
        response = Response({"next": next_link, "previous": previous_link, "results": data})
        links = [
            f'<{url}>; rel="{rel}"'
            for url, rel in ((next_link, "next"), (previous_link, "prev"))
            if url
        ]
        if links:
            response.headers["Link"] = ", ".join(links)
        return response

    # --- schema ----------------------------------------------------------------------------

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        link = {"type": "string", "format": "uri", "nullable": True}
        if not isinstance(schema, dict):
            # drf-spectacular asks with a placeholder to wrap an item's example in a page.
            return {
                "properties": {
                    "next": {"example": None},
                    "previous": {"example": None},
                    "results": schema,
                }
            }
        return {
            "type": "object",
            "description": "One page of results and the links to its neighbours.",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {**link, "description": "the next page (also in the Link header), or null"},
                "previous": {
                    **link,
                    "description": "the previous page (also in the Link header), or null",
                },
                "results": {**schema, "description": "the items of this page"},
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "where the page starts: copy it from a next or previous link",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": (
                    f"rows per page, 1 to {self.max_page_size} (default {self.page_size})"
                ),
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
