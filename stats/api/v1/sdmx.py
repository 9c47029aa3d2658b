"""SDMX in API v1: the renderers the observation and series endpoints negotiate
(``Accept: application/vnd.sdmx.data+csv;version=2.0.0`` or ``?format=sdmx-csv``, and the
same for SDMX-JSON), the responses they hand their filtered sets to, the structure endpoint,
and the OpenAPI hook that documents the SDMX media types. What the messages hold is
``stats.sdmx``; docs/sdmx.md says how to read them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import NotAcceptable, NotFound, ValidationError
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request

from stats.api.renderers import render_json
from stats.api.v1.base import ApiView
from stats.models import Observation, Series
from stats.sdmx.codelists import codelists
from stats.sdmx.data import CSV_MEDIA_TYPE, JSON_MEDIA_TYPE, DuplicateKeyError, csv_lines
from stats.sdmx.data import json_message as sdmx_json_message
from stats.sdmx.dsd import OBSERVATION_COLUMNS
from stats.sdmx.structure import STRUCTURE_MEDIA_TYPE, structure_message
from stats.vocabulary import ClaimRank

__all__ = [
    "FORMATS",
    "SdmxCsvRenderer",
    "SdmxJsonRenderer",
    "SdmxStructureViewSet",
    "document_sdmx",
    "observations_response",
    "series_response",
]


class _SdmxRenderer(BaseRenderer):
    """An SDMX format. The media type is matched without its version parameter, so that
    ``Accept: application/vnd.sdmx.data+csv`` (the latest version, as SDMX REST has it) is
    served too; a version other than the one served is a 406 (:func:`_check_version`).
    Errors stay problem+json."""

    charset = "utf-8"
    version = ""

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        return b"" if data is None else render_json(data)


class SdmxCsvRenderer(_SdmxRenderer):
    """SDMX-CSV 2.0 data (application/vnd.sdmx.data+csv;version=2.0.0)."""

    media_type = "application/vnd.sdmx.data+csv"
    format = "sdmx-csv"
    version = "2.0.0"


class SdmxJsonRenderer(_SdmxRenderer):
    """SDMX-JSON 2.0 data (application/vnd.sdmx.data+json;version=2.0.0)."""

    media_type = "application/vnd.sdmx.data+json"
    format = "sdmx-json"
    version = "2.0.0"


class SdmxStructureRenderer(_SdmxRenderer):
    """The SDMX-ML 3.0 structure message (application/vnd.sdmx.structure+xml;version=3.0.0)."""

    media_type = "application/vnd.sdmx.structure+xml"
    format = "sdmx-ml"
    version = "3.0.0"


#: The formats of the SDMX data renderers: a view hands its filtered set to this module when
#: ``request.accepted_renderer.format`` is one of them.
FORMATS = frozenset({SdmxCsvRenderer.format, SdmxJsonRenderer.format})


def _check_version(request: Request) -> None:
    """406 when the Accept header asks for another version of the SDMX format than the one
    served (``version=1.0.0``); no version means the one served."""
    renderer: Any = request.accepted_renderer
    parameters = dict(
        part.strip().partition("=")[::2] for part in request.accepted_media_type.split(";")[1:]
    )
    asked = parameters.get("version", "").strip('"')
    if asked and asked != renderer.version:
        raise NotAcceptable(
            f"{renderer.media_type} is served in version {renderer.version} only, not "
            f"{asked[:20]!r}"
        )


def _data_response(request: Request, observations: QuerySet[Observation], name: str) -> Any:
    """The observations as the SDMX data format the request negotiated."""
    _check_version(request)
    rows = observations.values(*OBSERVATION_COLUMNS)
    if not rows.query.order_by:
        rows = rows.order_by("id")
    if request.accepted_renderer.format == SdmxCsvRenderer.format:
        response: Any = StreamingHttpResponse(
            csv_lines(rows.iterator(chunk_size=1000)),
            content_type=f"{CSV_MEDIA_TYPE}; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.sdmx.csv"'
        return response
    try:
        message = sdmx_json_message(
            list(rows), prepared=timezone.now(), message_id=name.upper().replace("-", "_")
        )
    except DuplicateKeyError as error:
        raise ValidationError({"rank": [str(error)]}) from None
    return HttpResponse(orjson.dumps(message), content_type=JSON_MEDIA_TYPE)


def observations_response(request: Request, observations: QuerySet[Observation]) -> Any:
    """The filtered observations (a list, or the one a detail URL names) as SDMX data. SDMX
    has one observation per key (series key and period), so only the preferred claim of each
    series and period: ``rank`` other than ``preferred`` is a 400."""
    rank = request.query_params.get("rank") or ClaimRank.PREFERRED.value
    if rank != ClaimRank.PREFERRED.value:
        raise ValidationError(
            {
                "rank": [
                    f"SDMX data has one observation per series and period, the preferred "
                    f"claim: rank={rank[:20]!r} is available as JSON and CSV"
                ]
            }
        )
    return _data_response(request, observations, "observations")


def one_observation(identifier: str) -> QuerySet[Observation]:
    """The observation ``document:figure_start`` names, as a queryset; 404 when none does."""
    slug, _, offset = identifier.partition(":")
    if not (offset.isascii() and offset.isdigit()):
        raise NotFound()
    observations = Observation.objects.filter(document__slug=slug, figure_start=int(offset))
    if not observations.exists():
        raise NotFound()
    return observations


def series_response(request: Request, series: QuerySet[Series]) -> Any:
    """The preferred observations of the filtered series (or of the one a detail URL names) as
    SDMX data, series by series, oldest period first."""
    observations = Observation.objects.filter(
        series__in=series.values("key"), rank=ClaimRank.PREFERRED.value
    ).order_by("series", "period_end", "period_start", "id")
    return _data_response(request, observations, "series")


def one_series(key: str) -> QuerySet[Series]:
    """The series ``key`` names, as a queryset; 404 when none does."""
    series = Series.objects.filter(key=key)
    if not series.exists():
        raise NotFound()
    return series


@extend_schema(
    summary="The SDMX structure: dataflow, data structure definition, concepts, codelists",
    description=(
        "An SDMX-ML 3.0 structure message: the dataflow FJ_PARTY_STATS:PARTY_BUILDING(1.0.0), "
        "its data structure definition (dimensions, measure, attributes), the concept scheme "
        "and every codelist (measures, places, breakdown categories, statistic, status, tiers, "
        "initiatives, units, qualifiers, period kinds, documents). The observation and series "
        "endpoints give the data as SDMX-CSV 2.0 and SDMX-JSON 2.0 (docs/sdmx.md)."
    ),
    parameters=[
        OpenApiParameter("format", str, enum=["sdmx-ml"], description="sdmx-ml (the only format)")
    ],
    responses={
        (200, STRUCTURE_MEDIA_TYPE): OpenApiResponse(
            response=OpenApiTypes.STR, description="the SDMX-ML 3.0 structure message"
        )
    },
)
class SdmxStructureViewSet(ApiView, viewsets.ViewSet):
    """The SDMX structure of the dataset."""

    renderer_classes = [SdmxStructureRenderer]

    def list(self, request: Request) -> HttpResponse:
        _check_version(request)
        body = structure_message(codelists(), prepared=timezone.now())
        response = HttpResponse(body, content_type=f"{STRUCTURE_MEDIA_TYPE}; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="structure.xml"'
        return response


#: The operations that answer SDMX data, and what each holds.
_SDMX_OPERATIONS = {
    "/api/v1/observations/": "every observation of the filtered set (not one page)",
    "/api/v1/observations/{id}/": "the observation",
    "/api/v1/series/": "the preferred observations of every series of the filtered set",
    "/api/v1/series/{key}/": "the preferred observations of the series",
}


def document_sdmx(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: the SDMX media types of the observation and
    series operations, and their ``format`` values."""
    for path, holds in _SDMX_OPERATIONS.items():
        operation = result.get("paths", {}).get(path, {}).get("get")
        if operation is None:
            continue
        content = operation["responses"]["200"].setdefault("content", {})
        for media_type in list(content):
            if media_type.startswith("application/vnd.sdmx"):
                del content[media_type]
        content[f"{CSV_MEDIA_TYPE}"] = {
            "schema": {
                "type": "string",
                "description": f"SDMX-CSV 2.0: {holds}, one row per observation, the "
                "columns of the structure's components (docs/sdmx.md)",
            }
        }
        content[f"{JSON_MEDIA_TYPE}"] = {
            "schema": {
                "type": "object",
                "additionalProperties": {},
                "description": f"an SDMX-JSON 2.0 data message: {holds}, by series",
            }
        }
        parameters = operation.setdefault("parameters", [])
        format_parameter = next(
            (p for p in parameters if p["in"] == "query" and p["name"] == "format"), None
        )
        if format_parameter is None:
            format_parameter = {
                "in": "query",
                "name": "format",
                "schema": {"type": "string", "enum": ["json"]},
                "description": "json (default)",
            }
            parameters.append(format_parameter)
        enum = format_parameter["schema"].setdefault("enum", [])
        enum[:] = sorted({*enum, *FORMATS})
        format_parameter["description"] = (
            format_parameter.get("description", "").rstrip(".")
            + "; sdmx-csv or sdmx-json: SDMX-CSV 2.0 or SDMX-JSON 2.0 data, as Accept: "
            f"{CSV_MEDIA_TYPE} or {JSON_MEDIA_TYPE}"
        )
    return result
