"""Views of API v1's downloads: the whole corpus of the current data version as files (an
SQLite database, Parquet files, a Frictionless data package), built by stats.publishing.

The index lists each file with its size, sha256 and URL. A file answers with a strong ETag (its
sha256: the bytes, not the data version, name it), Content-Length and ``Cache-Control:
immutable`` (a name holds one data version's bytes for ever), and conditional GETs get 304.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers, viewsets
from rest_framework.exceptions import APIException, NotFound
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from stats.api.renderers import OrjsonRenderer, render_json
from stats.api.v1.base import ApiView
from stats.publishing.formats import Written
from stats.publishing.store import Snapshot, SnapshotBuilding, current_snapshot, find_file

#: Seconds a client is asked to wait while another process builds the files.
RETRY_AFTER_SECONDS = 5
#: A file's name holds one data version's bytes for ever: caches may keep it for a year.
FILE_CACHE_CONTROL = "public, max-age=31536000, immutable"
FILE_NAME = r"[A-Za-z0-9][A-Za-z0-9._-]*"

PROBLEM = {"$ref": "#/components/schemas/Problem"}


class SnapshotUnavailable(APIException):
    """503 while another process builds the files of the current data version."""

    status_code = 503
    default_detail = (
        "the files of the current data version are being built; retry after "
        f"{RETRY_AFTER_SECONDS} seconds"
    )
    default_code = "building"
    wait = RETRY_AFTER_SECONDS  # DRF's handler turns it into Retry-After


def _current() -> Snapshot:
    try:
        return current_snapshot()
    except SnapshotBuilding:
        raise SnapshotUnavailable from None


class DownloadFileSerializer(serializers.Serializer[Written]):
    """One downloadable file."""

    name = serializers.CharField(
        help_text="file name, with its data version: observations-v12.parquet"
    )
    format = serializers.CharField(
        help_text="sqlite (every table), parquet (one table) or datapackage (Frictionless zip)"
    )
    media_type = serializers.CharField(help_text="the Content-Type it is served with")
    table = serializers.CharField(
        allow_null=True, help_text="the table a Parquet file holds; null for whole-corpus files"
    )
    description = serializers.CharField(help_text="what it holds")
    size = serializers.IntegerField(help_text="bytes (its Content-Length)")
    sha256 = serializers.CharField(help_text="hex sha256 of its bytes; also its ETag, quoted")
    data_version = serializers.IntegerField(help_text="the data version it holds")
    url = serializers.URLField(help_text="where to download it")


@extend_schema_serializer(many=False)  # one index, though the action is "list"
class DownloadIndexSerializer(serializers.Serializer[Snapshot]):
    """The downloadable files of the current data version."""

    data_version = serializers.IntegerField(help_text="the data version the files hold")
    changed_at = serializers.DateTimeField(help_text="when the corpus last changed")
    files = DownloadFileSerializer(many=True, help_text="every file, whole-corpus files first")


def file_entry(request: Request, snapshot: Snapshot, written: Written) -> dict[str, Any]:
    """A file as the index lists it."""
    url = reverse("v1:download-file", kwargs={"name": written.name})
    return {
        "name": written.name,
        "format": written.format,
        "media_type": written.media_type,
        "table": written.table,
        "description": written.description,
        "size": written.size,
        "sha256": written.sha256,
        "data_version": snapshot.data_version,
        "url": request.build_absolute_uri(url),
    }


class DownloadViewSet(ApiView, viewsets.ViewSet):
    """The whole corpus as files: SQLite, Parquet, a Frictionless data package."""

    renderer_classes = [OrjsonRenderer]

    @extend_schema(
        summary="List the downloadable files of the current data version",
        description=(
            "The whole corpus (every observation, whatever its status or rank, and the "
            "tables it refers to) as an SQLite database, one Parquet file per table, and a "
            "Frictionless data package (a zip of datapackage.json and CSV files). Names carry "
            "the data version; each file's sha256 is its ETag. The first request after the "
            "corpus changes builds them; while another process builds them the answer is 503 "
            "with Retry-After."
        ),
        parameters=[
            OpenApiParameter("format", str, enum=["json"], description="json (the only format)")
        ],
        responses={
            (200, "application/json"): DownloadIndexSerializer,
            (503, "application/problem+json"): OpenApiResponse(
                response=PROBLEM, description="the files are being built; see Retry-After"
            ),
        },
    )
    def list(self, request: Request) -> Response:
        snapshot = _current()
        return Response(
            {
                "data_version": snapshot.data_version,
                "changed_at": snapshot.changed_at.isoformat(),
                "files": [file_entry(request, snapshot, f) for f in snapshot.files],
            }
        )


class AnyMediaTypeRenderer(BaseRenderer):
    """A file is sent with its own media type whatever the client accepts (a client asking
    for application/vnd.apache.parquet gets it); errors are still problem+json."""

    media_type = "*/*"
    format = "file"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Any = None,
    ) -> bytes:
        return b"" if data is None else render_json(data)


FILE_MEDIA_TYPES = ("application/vnd.sqlite3", "application/vnd.apache.parquet", "application/zip")
FILE_RESPONSE = OpenApiResponse(
    response=OpenApiTypes.BINARY,
    description="the file's bytes, with its media type: the SQLite database "
    "(application/vnd.sqlite3), a Parquet file of one table (application/vnd.apache.parquet) or "
    "the data package (application/zip: datapackage.json and data/<table>.csv); ETag is its "
    "sha256, quoted",
)


class DownloadFileViewSet(ApiView, viewsets.ViewSet):
    """One published file, by name."""

    renderer_classes = [AnyMediaTypeRenderer]

    @extend_schema(
        summary="Download one file (SQLite, Parquet or data package) by name",
        description=(
            "The bytes of a file listed at /api/v1/downloads/. ETag is the file's sha256 "
            "(strong, quoted), so If-None-Match with it gets 304; the name holds one data "
            "version for ever (Cache-Control: immutable). Files of the previous data version "
            "stay available until the next one is built."
        ),
        parameters=[
            OpenApiParameter(
                "name",
                str,
                OpenApiParameter.PATH,
                pattern=f"^{FILE_NAME}$",
                description="a file name from the index: party-stats-v12.sqlite3",
            )
        ],
        responses={
            **{(200, media_type): FILE_RESPONSE for media_type in FILE_MEDIA_TYPES},
            (503, "application/problem+json"): OpenApiResponse(
                response=PROBLEM, description="the files are being built; see Retry-After"
            ),
        },
    )
    def retrieve(self, request: Request, name: str) -> HttpResponseBase:
        found = find_file(name)
        if found is None:
            current = _current()  # builds the current files if this is the first ask
            written = current.file(name)
            if written is None:
                raise NotFound(
                    f"no file {name[:80]!r}; the files of data version "
                    f"{current.data_version} are listed at /api/v1/downloads/"
                )
            found = current, written
        snapshot, written = found
        etag = f'"{written.sha256}"'
        headers = {
            "ETag": etag,
            "Last-Modified": http_date(snapshot.changed_at.timestamp()),
            "Cache-Control": FILE_CACHE_CONTROL,
        }
        conditional = get_conditional_response(
            request,
            etag=etag,
            last_modified=int(snapshot.changed_at.timestamp()),
            response=HttpResponse(headers=headers),
        )
        if conditional is not None and conditional.status_code != 200:
            return conditional  # 304 Not Modified (or 412 for an If-Match that fails)
        try:
            handle = snapshot.path(written).open("rb")
        except FileNotFoundError:  # pruned between the lookup and now
            raise NotFound(f"file {name!r} was replaced; see /api/v1/downloads/") from None
        response = FileResponse(
            handle, as_attachment=True, filename=written.name, content_type=written.media_type
        )
        for header, value in headers.items():
            response[header] = value
        return response
