"""Read-side queries of the API (its filters and views): plain, typed functions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Case, Count, F, QuerySet, Value, When, Window
from django.db.models.functions import Coalesce, ExtractYear, RowNumber

from stats.models import (
    CLAIM_RANK_CHOICES,
    PERIOD_KIND_CHOICES,
    QUALIFIER_CHOICES,
    STATISTIC_CHOICES,
    STATUS_CHOICES,
    District,
    Indicator,
    Observation,
    Series,
)
from stats.vocabulary import ClaimRank


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


#: Up to this many series, ``latest=true`` over whole series names their latest figures as a
#: list of ids: PostgreSQL then reads the page's rows by key; given the same ids as a subquery
#: it walks the table's key order until a page is full (34 ms against 10 at a million rows).
LATEST_AS_LIST = 10_000


def latest_observations(
    queryset: QuerySet[Observation], whole_series: bool = False
) -> QuerySet[Observation]:
    """The most recent observation of every series in ``queryset``: per series key, the latest
    period end (an unknown end counts as oldest), then the preferred claim, then the later
    source and the later figure in it. Every series of ``queryset`` keeps exactly one row.

    ``whole_series`` says that ``queryset`` holds every preferred claim of its series and no
    other row (only series dimensions filter it). Then the answer is the latest observation the
    series table already holds (``Series.latest``, the same order over the claims that are not
    deprecated, kept by ``stats.series``), read by key instead of ranking the whole filtered
    set. It is used only while every series' latest is a preferred claim, as it is unless an
    analyst demoted a lone claim: the query that reads the latest ids checks it (beyond
    ``LATEST_AS_LIST`` series, a query that asks the database whether any is not).
    Otherwise the database ranks the rows with a window function (the same SQL on SQLite and
    PostgreSQL)."""
    if whole_series:
        # At most one more than the list holds: beyond it, whether every latest figure is a
        # preferred claim is asked of the database instead of read series by series.
        latest = list(Series.objects.values_list("latest_id", "latest__rank")[: LATEST_AS_LIST + 1])
        if len(latest) <= LATEST_AS_LIST:
            if all(rank == ClaimRank.PREFERRED for _, rank in latest):
                return queryset.filter(id__in=[id_ for id_, _ in latest])
        elif not Series.objects.exclude(latest__rank=ClaimRank.PREFERRED.value).exists():
            return queryset.filter(id__in=Series.objects.values("latest_id"))
    newest_first = [
        Coalesce("period_end", Value(date.min)).desc(),
        Case(When(rank=ClaimRank.PREFERRED.value, then=Value(0)), default=Value(1)).asc(),
        F("document__published_latest").desc(),
        F("document__slug").desc(),
        F("figure_start").desc(),
    ]
    ranked = (
        queryset.order_by()
        .annotate(newest=Window(RowNumber(), partition_by=[F("series")], order_by=newest_first))
        .filter(newest=1)
        .values("id")
    )
    return queryset.filter(id__in=ranked)


def indicator_aliases() -> dict[str, str]:
    """Codes that measures replaced → the code of the measure that replaced them."""
    return {
        old: code
        for code, replaced in Indicator.objects.values_list("code", "replaces")
        for old in replaced or []
    }


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
    "breakdown": ("breakdown", "breakdown"),
    "statistic": ("statistic", dict(STATISTIC_CHOICES)),
    "status": ("status", dict(STATUS_CHOICES)),
    "rank": ("rank", dict(CLAIM_RANK_CHOICES)),
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


class PanelError(ValueError):
    """A panel that cannot be answered as asked: ``parameter`` is the one to change."""

    def __init__(self, parameter: str, problem: str) -> None:
        self.parameter, self.problem = parameter, problem
        super().__init__(f"{parameter}: {problem}")


def _latest_in_each_year(keys: list[str]) -> QuerySet[Observation, dict[str, Any]]:
    """Per series of ``keys`` and year in which periods end, the figure ending latest in that
    year (the preferred claim before others, then the later figure in its text), ranked by the
    database; deprecated claims and periods without an end take no part."""
    year = ExtractYear("period_end")
    newest_first = [
        F("period_end").desc(),
        Case(When(rank=ClaimRank.PREFERRED.value, then=Value(0)), default=Value(1)).asc(),
        F("figure_start").desc(),
        F("document__slug").desc(),
    ]
    return (
        Observation.objects.filter(series__in=keys, period_end__isnull=False)
        .exclude(rank=ClaimRank.DEPRECATED.value)
        .annotate(
            year=year,
            newest=Window(RowNumber(), partition_by=[F("series"), year], order_by=newest_first),
        )
        .filter(newest=1)
        .values("series", "year", "value", "qualifier", "raw", "figure_start", "document__slug")
    )


def panel(series: QuerySet[Series], *, mix_levels: bool = False) -> dict[str, Any]:
    """One measure for many places over time: the rows (one per place) and the columns (the
    years in which the periods end) of the series in ``series``, each cell the preferred figure
    of that place ending latest in that year.

    Only series of the place as a whole count (no sub-unit, no initiative): a figure of one
    street or campaign is not the place's. Places of several administrative levels (a city
    and its districts) are refused unless ``mix_levels``: adding them would count twice."""
    rows = list(
        series.filter(sub_unit="", initiative__isnull=True)
        .select_related("district__parent", "indicator")
        .order_by("district__code", "key")
    )
    if len({s.indicator_id for s in rows}) > 1:
        raise PanelError("indicator", "a panel shows one measure: name exactly one")
    by_place: dict[int, Series] = {}
    for item in rows:
        other = by_place.get(item.district_id)
        if other is not None:
            differs = next(
                (
                    d
                    for d in ("breakdown", "statistic", "status")
                    if getattr(item, d) != getattr(other, d)
                ),
                "tier",
            )
            raise PanelError(
                differs,
                f"series {other.key} and {item.key} are both of {item.district.code}: "
                "name one breakdown, statistic, status and tier",
            )
        by_place[item.district_id] = item
    levels = sorted({s.district.level for s in rows})
    if len(levels) > 1 and not mix_levels:
        raise PanelError(
            "place_level",
            f"the places are of several levels ({', '.join(levels)}) and a city would be "
            "added to its own districts; choose place_level, or set mix_levels=true",
        )
    cells: dict[str, dict[str, dict[str, Any]]] = {}
    for row in _latest_in_each_year([s.key for s in rows]):
        value = row["value"]
        cells.setdefault(row["series"], {})[str(row["year"])] = {
            "id": f"{row['document__slug']}:{row['figure_start']}",
            "value": None if value is None else format(value.normalize(), "f"),
            "qualifier": row["qualifier"],
            "raw": row["raw"],
        }
    periods = sorted({year for values in cells.values() for year in values})
    return {
        "indicator": rows[0].indicator if rows else None,
        "unit": rows[0].unit if rows else None,
        "periods": periods,
        "rows": [
            {
                "district": s.district,
                "values": {p: cells.get(s.key, {}).get(p) for p in periods},
            }
            for s in rows
        ],
    }
