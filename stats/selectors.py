"""Read-side queries shared by the API and admin: plain, typed functions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, QuerySet

from stats.models import PERIOD_KIND_CHOICES, QUALIFIER_CHOICES, District, Indicator, Observation


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


#: Facets of observations: the value and label columns of each, or a label per choice.
FACETS: dict[str, tuple[str, str | dict[str, str]]] = {
    "indicator": ("indicator__code", "indicator__name_zh"),
    "district": ("district__code", "district__name_zh"),
    "tier": ("tier__code", "tier__name_zh"),
    "initiative": ("initiative__code", "initiative__name_zh"),
    "document": ("document__slug", "document__title"),
    "qualifier": ("qualifier", dict(QUALIFIER_CHOICES)),
    "unit": ("unit", "unit"),
    "period_kind": ("period_kind", dict(PERIOD_KIND_CHOICES)),
}


def facet_counts(
    queryset: QuerySet[Observation], names: list[str]
) -> dict[str, list[dict[str, Any]]]:
    """Per facet, each value's label and number of observations in ``queryset``, most frequent
    first; one GROUP BY query per facet. Observations without the facet (no tier, say) are
    counted under the value null."""
    counts: dict[str, list[dict[str, Any]]] = {}
    base = queryset.order_by()
    for name in names:
        value_column, label = FACETS[name]
        columns = [value_column] if isinstance(label, dict) else [value_column, label]
        rows = base.values(*columns).annotate(count=Count("id"))
        counts[name] = sorted(
            (
                {
                    "value": row[value_column],
                    "label": (
                        label.get(row[value_column], row[value_column])
                        if isinstance(label, dict)
                        else row[label]
                    ),
                    "count": row["count"],
                }
                for row in rows
            ),
            key=lambda item: (-item["count"], item["value"] is None, item["value"] or ""),
        )
    return counts
