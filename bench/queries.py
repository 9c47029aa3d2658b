"""SQL queries per request, and deep cursors, for `make bench` (run against its database).

python -m bench.queries            {path: [queries at page_size 10, 100, 1000]}
python -m bench.queries --cursors  {name: path} for cursor pages at depth 0 and deep
"""

from __future__ import annotations

import json
import logging
import os
import sys
from urllib.parse import urlencode

import django

PATHS = ("/api/v1/observations/", "/api/v1/observations/?indicator=party_members")
SIZES = (10, 100, 1000)


def query_counts() -> dict[str, list[int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.get("/api/v1/tiers/")  # the data version is read once, then cached
    counts: dict[str, list[int]] = {}
    for path in PATHS:
        for size in SIZES:
            separator = "&" if "?" in path else "?"
            with CaptureQueriesContext(connection) as queries:
                response = client.get(f"{path}{separator}page_size={size}")
            assert response.status_code == 200, response.content
            assert len(response.json()["results"]) == size
            counts.setdefault(path, []).append(len(queries))
    return counts


def deep_cursors() -> dict[str, str]:
    from django.db.models import Count

    from bench.synthetic import cursor_at
    from stats.models import Observation

    place = (
        Observation.objects.values("district__code")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("district__code", "n")
        .first()
    )
    assert place is not None
    code, in_place = place
    indicator = "party_members"
    in_indicator = Observation.objects.filter(indicator__code=indicator).count()
    total = Observation.objects.count()
    paths = {}
    for label, filters, count in (
        ("indicator filter", {"indicator": indicator}, in_indicator),
        ("place filter", {"district": code}, in_place),
        ("no filter", {}, total),
    ):
        depth = count * 9 // 10
        paths[f"{label}, depth 0"] = "/api/v1/observations/?" + urlencode(filters)
        deep = urlencode({**filters, "cursor": cursor_at(filters, depth)})
        paths[f"{label}, row {depth:,} of {count:,}"] = "/api/v1/observations/?" + deep
    return paths


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    logging.disable(logging.CRITICAL)
    result = deep_cursors() if "--cursors" in sys.argv else query_counts()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
