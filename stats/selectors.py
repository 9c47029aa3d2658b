"""Read-side queries shared by the API and admin: plain, typed functions."""

from __future__ import annotations

from datetime import date

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
