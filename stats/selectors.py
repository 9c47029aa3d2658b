"""Read-side queries shared by the API and admin: plain, typed functions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, QuerySet

from stats.models import District, Indicator, Observation


def district_subtree_codes(code: str) -> set[str]:
    """The code and the codes of every place below it."""
    children: dict[str | None, list[str]] = {}
    for child, parent in District.objects.values_list("code", "parent__code"):
        children.setdefault(parent, []).append(child)
    found, pending = {code}, [code]
    while pending:
        for child in children.get(pending.pop(), []):
            if child not in found:
                found.add(child)
                pending.append(child)
    return found


def latest_observations(queryset: QuerySet[Observation]) -> QuerySet[Observation]:
    """The most recent observation per indicator, district and sub-unit: the latest period
    end (an unknown end counts as oldest), then the latest figure in the text."""
    best: dict[tuple[int, int, str], tuple[tuple[date, str, int], int]] = {}
    rows = queryset.values_list(
        "id",
        "indicator_id",
        "district_id",
        "sub_unit",
        "period_end",
        "document__slug",
        "figure_start",
    )
    for pk, indicator, district, sub_unit, end, slug, start in rows:
        rank = (end or date.min, slug, start)
        key = (indicator, district, sub_unit)
        if key not in best or rank > best[key][0]:
            best[key] = (rank, pk)
    return queryset.filter(id__in=[pk for _, pk in best.values()])


def indicators_with_counts() -> QuerySet[Indicator]:
    """Indicators annotated with their number of observations."""
    indicators: QuerySet[Indicator] = Indicator.objects.select_related("tier").annotate(
        observation_count=Count("observations")
    )
    return indicators


def attach_coverage(indicators: list[Indicator]) -> None:
    """Set ``coverage_rows`` on each indicator (district code and period of each of its
    observations) with one query for all of them."""
    rows: dict[int, list[Any]] = {}
    for row in Observation.objects.filter(indicator__in=indicators).values(
        "indicator_id", "district__code", "period_start", "period_end"
    ):
        rows.setdefault(row["indicator_id"], []).append(row)
    for indicator in indicators:
        indicator.coverage_rows = rows.get(indicator.pk, [])  # type: ignore[attr-defined]
