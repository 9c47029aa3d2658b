"""Renderers and content negotiation shared by every API version.

JSON is rendered with orjson. CSV flattens the JSON representation (nested keys joined with a
dot, "source.quote"), so both formats always carry the same fields; it starts with a UTF-8 byte
order mark and uses CRLF line ends, so Excel opens it with the Chinese intact.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

import orjson
from django.http import Http404
from django.utils.functional import Promise
from rest_framework import exceptions, serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request

BOM = "\ufeff"


def _default(value: Any) -> Any:
    if isinstance(value, Decimal | Promise):
        return str(value)
    raise TypeError(f"cannot render {type(value).__name__} as JSON")


def render_json(data: Any) -> bytes:
    """JSON bytes, UTF-8, Chinese unescaped."""
    return orjson.dumps(data, default=_default)


class OrjsonRenderer(BaseRenderer):
    """application/json through orjson."""

    media_type = "application/json"
    format = "json"
    charset = None

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        return b"" if data is None else render_json(data)


def csv_columns(serializer: serializers.BaseSerializer[Any], prefix: str = "") -> list[str]:
    """The dotted column names of a serializer's representation, in field order."""
    columns: list[str] = []
    for name, field in serializer.fields.items():  # type: ignore[attr-defined]
        if isinstance(field, serializers.BaseSerializer) and not isinstance(
            field, serializers.ListSerializer
        ):
            columns += csv_columns(field, f"{prefix}{name}.")
        else:
            columns.append(f"{prefix}{name}")
    return columns


#: A cell starting so is a formula to a spreadsheet (CSV injection): =HYPERLINK(…), +cmd|…
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet shows as text: a leading ' before what would start a formula (OWASP's
    advice for CSV). Numbers, negative ones included, are left as they are."""
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def _cell(item: Mapping[str, Any], path: Sequence[str]) -> Any:
    value: Any = item
    for key in path:
        if value is None:
            return ""
        value = value.get(key)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return spreadsheet_safe(render_json(value).decode())
    if isinstance(value, str):
        return spreadsheet_safe(value)
    return value


#: Lines written per chunk of a streamed CSV: a chunk per line costs the server a write each.
LINES_PER_CHUNK = 200


def csv_lines(columns: Sequence[str], items: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """The CSV text: a byte order mark and the header, then the items' lines, a few hundred to
    a chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    yield BOM + buffer.getvalue()
    paths = [column.split(".") for column in columns]
    pending = 0
    buffer.seek(0)
    buffer.truncate()
    for item in items:
        writer.writerow([_cell(item, path) for path in paths])
        pending += 1
        if pending == LINES_PER_CHUNK:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if pending:
        yield buffer.getvalue()


class CsvRenderer(BaseRenderer):
    """text/csv; the list view streams it, this renders single items and errors."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code >= 400:
            return render_json(data)  # errors stay problem+json
        view: Any = (renderer_context or {})["view"]
        columns = csv_columns(view.get_serializer())
        items = data if isinstance(data, list) else [data]
        return "".join(csv_lines(columns, items)).encode()


class StrictContentNegotiation(DefaultContentNegotiation):
    """406 with the formats on offer, for an unknown ?format= as for an unsupported Accept."""

    def select_renderer(
        self,
        request: Request,
        renderers: Iterable[BaseRenderer],
        format_suffix: str | None = None,
    ) -> tuple[BaseRenderer, str]:
        renderers = list(renderers)
        offered = ", ".join(f"{r.media_type} (format={r.format})" for r in renderers)
        try:
            return super().select_renderer(request, renderers, format_suffix)  # type: ignore[no-any-return]
        except Http404 as error:
            requested = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
            raise exceptions.NotAcceptable(
                f"format {str(requested)[:50]!r} is not available here; available: {offered}"
            ) from error
        except exceptions.NotAcceptable as error:
            accept = request.headers.get("Accept", "")[:100]
            raise exceptions.NotAcceptable(
                f"Accept {accept!r} cannot be served here; available: {offered}"
            ) from error
