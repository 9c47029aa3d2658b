"""The ceilings the API is measured against, served by the same Django process:

- ``values_page``: the least a Django view can do for the same page: one ``.values()`` query
  over the same rows, joins and columns, rendered with orjson. No filters, validation, cursor
  links or nesting.
- ``prerendered``: the API's own bytes for a page (the file ``BENCH_PRERENDERED``), returned as
  they are: what any cache of rendered responses can at best approach.
"""

from __future__ import annotations

import os
from pathlib import Path

import orjson
from django.http import HttpRequest, HttpResponse

from stats.api.v1.serializers import ObservationSerializer
from stats.models import Observation

#: The same columns the API's page reads (its serializer's), fetched flat.
COLUMNS = ObservationSerializer.columns


def values_page(request: HttpRequest) -> HttpResponse:
    size = int(request.GET.get("page_size", "100"))
    queryset = Observation.objects.order_by("id")
    if "indicator" in request.GET:
        queryset = queryset.filter(indicator__code=request.GET["indicator"])
    rows = list(queryset.values(*COLUMNS)[:size])
    body = orjson.dumps({"results": rows}, default=str)
    return HttpResponse(body, content_type="application/json")


_PRERENDERED: bytes | None = None


def prerendered(request: HttpRequest) -> HttpResponse:
    global _PRERENDERED
    if _PRERENDERED is None:
        _PRERENDERED = Path(os.environ["BENCH_PRERENDERED"]).read_bytes()
    return HttpResponse(_PRERENDERED, content_type="application/json")
