"""The questions `make bench` asks of a database, and the SQL queries each costs per request
(run against the benchmark's database, with its settings).

python -m bench.queries --counts     {question: [queries at page_size 10, 100, 1000]}
python -m bench.queries --questions  {name: {"api": path, "ceiling": path}}: pages at depth 0 and
                                     about 90% deep for every filter, the series list, one series
                                     and the panel; the ceiling answers the same page
                                     (bench/views.py), after the same row as the API's cursor.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from typing import Any
from urllib.parse import urlencode

import django

SIZES = (10, 100, 1000)
INDICATOR = "party_members"
OBSERVATIONS = "/api/v1/observations/"
SERIES = "/api/v1/series/"
#: The panel question: one measure for the districts (a city beside them would be refused).
PANEL = f"indicator={INDICATOR}&place_level=district"


def busiest_place() -> str:
    """The place with the most figures the list answers (the place filter's hardest case)."""
    from django.db.models import Count

    from stats.models import Observation

    place = (
        Observation.objects.filter(status="actual", rank="preferred")
        .values("district__code")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("district__code", flat=True)
        .first()
    )
    assert place is not None, "no observations"
    return str(place)


def busiest_series() -> str:
    from stats.models import Series

    key = Series.objects.order_by("-observation_count", "key").values_list("key", flat=True)[0]
    return str(key)


def list_questions() -> dict[str, tuple[str, dict[str, str]]]:
    """name: (list path, filters) for every list the benchmark pages through."""
    return {
        "no filter": (OBSERVATIONS, {}),
        "indicator filter": (OBSERVATIONS, {"indicator": INDICATOR}),
        "place filter": (OBSERVATIONS, {"district": busiest_place()}),
        "latest=true": (OBSERVATIONS, {"latest": "true"}),
        "series": (SERIES, {}),
    }


def query_counts() -> dict[str, list[int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.get("/api/v1/tiers/")  # the data version is read once, then cached
    counts: dict[str, list[int]] = {}
    for name, (path, filters) in list_questions().items():
        client.get(f"{path}?{urlencode(filters)}")  # once, so per-process caches are warm
        for size in SIZES:
            query = urlencode({**filters, "page_size": size})
            with CaptureQueriesContext(connection) as queries:
                response = client.get(f"{path}?{query}")
            assert response.status_code == 200, response.content
            results = response.json()["results"]
            assert results, f"{name}: an empty page"
            counts.setdefault(name, []).append(len(queries))
    return counts


def answered(path: str, filters: dict[str, str]) -> Any:
    """The rows the API's list at ``path`` answers for ``filters`` (its defaults included), as
    a queryset of ids in its default (id) order."""
    from django.http import QueryDict

    from stats.api.v1.filters import ObservationFilterSet, SeriesFilterSet
    from stats.models import Observation, Series
    from stats.selectors import latest_observations

    data = QueryDict(mutable=True)  # as a request's: list filters read getlist()
    data.update({k: v for k, v in filters.items() if k != "latest"})
    if path == SERIES:
        filterset: Any = SeriesFilterSet(data, queryset=Series.objects.all())
    else:
        filterset = ObservationFilterSet(data, queryset=Observation.objects.all())
    if not filterset.is_valid():
        raise SystemExit(f"{path} {filters}: {filterset.errors}")
    queryset = filterset.qs
    if path == SERIES:
        return queryset.order_by("id")
    if filters.get("latest") == "true":
        queryset = latest_observations(queryset)
    return queryset.order_by("id")


def cursor_after(path: str, row_id: int) -> str:
    """The API's cursor for the page after row ``row_id`` of the list at ``path`` in its
    default order: the same bytes the API's own next link would carry."""
    from stats.api.pagination import KeysetPagination

    paginator = KeysetPagination()
    paginator.ordering = ["id"]
    paginator.path = path
    return paginator.encode_cursor({"id": row_id}, False)


CEILINGS = {OBSERVATIONS: "/bench/values/", SERIES: "/bench/series/"}


def questions() -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for name, (path, filters) in list_questions().items():
        rows = answered(path, filters)
        count = rows.count()
        depth = count * 9 // 10
        found[f"{name}, depth 0"] = {
            "api": f"{path}?{urlencode(filters)}",
            "ceiling": f"{CEILINGS[path]}?{urlencode(filters)}",
            "rows": str(count),
        }
        after = rows.values_list("id", flat=True)[depth - 1]
        api = urlencode({**filters, "cursor": cursor_after(path, after)})
        ceiling = urlencode({**filters, "after": after})
        found[f"{name}, row {depth:,} of {count:,}"] = {
            "api": f"{path}?{api}",
            "ceiling": f"{CEILINGS[path]}?{ceiling}",
            "rows": str(count),
        }
    key = busiest_series()
    found["one series (the longest)"] = {
        "api": f"{SERIES}{key}/",
        "ceiling": f"/bench/series/{key}/",
        "rows": "",
    }
    found["panel"] = {
        "api": f"/api/v1/panel/?{PANEL}",
        "ceiling": f"/bench/panel/?{PANEL}",
        "rows": "",
    }
    return found


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    logging.disable(logging.CRITICAL)
    result: Any = questions() if "--questions" in sys.argv else query_counts()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
