"""The ceilings the API is measured against, served by the same Django process under /bench/:

- the hand-written views: the least a Django view can do for the same question as the API,
  the same rows (the API's defaults: actual figures, the preferred claim), joins and columns,
  read with ``.values()`` in as few queries as the question allows and dumped with orjson. No
  filter forms, validation, cursor links or nesting. A page after a given row takes
  ``after=<id>`` (the API's default order is by id), so the view answers the same page as a
  cursor of the API;
  - ``values_page``: observations, optionally ``indicator=``, ``district=``, ``latest=true``;
  - ``values_detail``: one observation by its id, ``document:figure_start``;
  - ``series_page`` and ``series_detail``: series with their latest figure, and one series
    with all its observations in the API's time order;
  - ``panel_table``: one measure for many places by year, built from one joined query;
- ``prerendered``: the API's own bytes for a page (the file ``BENCH_PRERENDERED``), returned as
  they are: what any cache of rendered responses can at best approach.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import orjson
from django.db.models import QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse

from stats.api.v1.serializers import SERIES_COLUMNS, ObservationSerializer
from stats.models import Observation, Series
from stats.selectors import latest_observations

#: The same columns the API's observation page reads (its serializer's), fetched flat.
COLUMNS = ObservationSerializer.columns
ACTUAL = {"status": "actual"}
ANSWERING = {"status": "actual", "rank": "preferred"}
#: An unknown period sorts last, as in the API.
LAST_DATE = Value(date.max)


def _json(data: Any) -> HttpResponse:
    return HttpResponse(orjson.dumps(data, default=str), content_type="application/json")


def _size(request: HttpRequest) -> int:
    return int(request.GET.get("page_size", "100"))


def observation_rows(request: HttpRequest) -> QuerySet[Any]:
    """The observations the API's list answers for the same parameters (the subset of its
    filters the benchmark asks), in its default order."""
    queryset = Observation.objects.filter(**ANSWERING)
    if "indicator" in request.GET:
        queryset = queryset.filter(indicator__code=request.GET["indicator"])
    if "district" in request.GET:
        queryset = queryset.filter(district__code=request.GET["district"])
    if request.GET.get("latest") == "true":
        queryset = latest_observations(queryset)
    if "after" in request.GET:
        queryset = queryset.filter(id__gt=int(request.GET["after"]))
    return queryset.order_by("id")


def values_page(request: HttpRequest) -> HttpResponse:
    rows = list(observation_rows(request).values(*COLUMNS)[: _size(request)])
    return _json({"results": rows})


def values_detail(request: HttpRequest, document: str, figure_start: int) -> HttpResponse:
    row = (
        Observation.objects.filter(document__slug=document, figure_start=figure_start)
        .values(*COLUMNS)
        .first()
    )
    if row is None:
        raise Http404(document)
    return _json(row)


def series_rows(request: HttpRequest) -> QuerySet[Any]:
    queryset = Series.objects.filter(**ACTUAL)
    if "indicator" in request.GET:
        queryset = queryset.filter(indicator__code=request.GET["indicator"])
    if "after" in request.GET:
        queryset = queryset.filter(id__gt=int(request.GET["after"]))
    return queryset.order_by("id")


def series_page(request: HttpRequest) -> HttpResponse:
    rows = list(series_rows(request).values(*SERIES_COLUMNS)[: _size(request)])
    return _json({"results": rows})


def series_detail(request: HttpRequest, key: str) -> HttpResponse:
    series = Series.objects.filter(key=key).values(*SERIES_COLUMNS).first()
    if series is None:
        raise Http404(key)
    series["observations"] = list(
        Observation.objects.filter(series=key)
        .order_by(
            Coalesce("period_end", LAST_DATE),
            Coalesce("period_start", LAST_DATE),
            "document__slug",
            "figure_start",
        )
        .values(*COLUMNS)
    )
    return _json(series)


PANEL_COLUMNS = (
    "series",
    "period_end",
    "value",
    "qualifier",
    "raw",
    "rank",
    "figure_start",
    "document__slug",
    "district__code",
    "district__name_zh",
    "district__name_en",
    "district__level",
    "district__parent__code",
)


def panel_table(request: HttpRequest) -> HttpResponse:
    """The panel's question (one measure, the whole place, total, level, actual, optionally
    ``place_level=``; the preferred figure ending latest in each year) from one joined query,
    pivoted in Python."""
    rows = (
        Observation.objects.filter(
            indicator__code=request.GET["indicator"],
            sub_unit="",
            initiative__isnull=True,
            breakdown="",
            statistic="level",
            status="actual",
            period_end__isnull=False,
        )
        .exclude(rank="deprecated")
        .filter(
            **(
                {"district__level": request.GET["place_level"]}
                if "place_level" in request.GET
                else {}
            )
        )
        .values_list(*PANEL_COLUMNS)
    )
    cells: dict[str, dict[str, Any]] = {}
    newest: dict[tuple[str, str], tuple[Any, ...]] = {}
    places: dict[str, tuple[Any, ...]] = {}
    for series, end, value, qualifier, raw, rank, start, slug, *place in rows:
        year = str(end.year)
        order = (end, rank == "preferred", start)
        if newest.get((series, year), order) > order:
            continue
        newest[series, year] = order
        places[series] = tuple(place)
        cells.setdefault(series, {})[year] = {
            "id": f"{slug}:{start}",
            "value": value,
            "qualifier": qualifier,
            "raw": raw,
        }
    periods = sorted({year for values in cells.values() for year in values})
    table = [
        {"district": places[key], "values": {p: cells[key].get(p) for p in periods}}
        for key in sorted(cells, key=lambda key: (places[key][0], key))
    ]
    return _json({"periods": periods, "rows": table})


_PRERENDERED: bytes | None = None


def prerendered(request: HttpRequest) -> HttpResponse:
    global _PRERENDERED
    if _PRERENDERED is None:
        _PRERENDERED = Path(os.environ["BENCH_PRERENDERED"]).read_bytes()
    return HttpResponse(_PRERENDERED, content_type="application/json")
