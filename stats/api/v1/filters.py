"""Filter sets of API v1: every relation can be filtered by its natural key."""

from __future__ import annotations

from datetime import date
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from stats.api.v1.filtering import (
    AnyOrChoicesFilter,
    BreakdownFilter,
    ChoicesFilter,
    CodeMultipleFilter,
    DateBoundFilter,
    FacetsFilter,
    FilterSet,
    IndicatorCodeChoiceField,
    IndicatorCodeFilter,
    QuantityFilter,
    SeriesKeyFilter,
    StrictBooleanFilter,
    WithinFilter,
    bounded_text,
    values,
)
from stats.models import (
    CLAIM_RANK_CHOICES,
    PERIOD_KIND_CHOICES,
    QUALIFIER_CHOICES,
    STATISTIC_CHOICES,
    STATUS_CHOICES,
    District,
    Indicator,
    Initiative,
    Observation,
    OrganisationTier,
    Series,
    TierChain,
)
from stats.models import SourceDocument as Document
from stats.search import MAX_TERMS, matching
from stats.selectors import latest_observations
from stats.vocabulary import (
    ClaimRank,
    DistrictLevel,
    InitiativeKind,
    Statistic,
    Status,
)

PLACE_LEVEL_CHOICES = [(level.value, level.value) for level in DistrictLevel]


class DistrictFilterSet(FilterSet):
    """Filters for places."""

    within = WithinFilter(
        field_name="code", help_text="a place code: that place and every place below it"
    )
    level = django_filters.ChoiceFilter(
        choices=PLACE_LEVEL_CHOICES, help_text="administrative level"
    )

    class Meta:
        model = District
        fields = ["within", "level"]


class DocumentFilterSet(FilterSet):
    """Filters for source documents."""

    place = CodeMultipleFilter(
        field_name="place__code", queryset=District.objects.all(), help_text="place code(s)"
    )
    within = WithinFilter(
        field_name="place__code",
        help_text="a place code: documents about that place or any place below it",
    )
    published_after = DateBoundFilter(
        field_name="published_latest",
        lookup_expr="gte",
        help_text="documents that can have appeared on or after this date (YYYY-MM-DD)",
    )
    published_before = DateBoundFilter(
        field_name="published_earliest",
        lookup_expr="lte",
        help_text="documents that can have appeared on or before this date (YYYY-MM-DD)",
    )

    class Meta:
        model = Document
        fields = ["place", "within", "published_after", "published_before"]


class InitiativeFilterSet(FilterSet):
    """Filters for initiatives."""

    kind = ChoicesFilter(
        choices=[(kind.value, kind.value) for kind in InitiativeKind],
        help_text="kind(s) of initiative",
    )
    district = CodeMultipleFilter(
        field_name="districts__code",
        queryset=District.objects.all(),
        help_text="place code(s) where the initiative runs",
    )

    class Meta:
        model = Initiative
        fields = ["kind", "district"]

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # A place filter joins the many-to-many: an initiative of two named places is one row.
        filtered = super().filter_queryset(queryset)
        return filtered.distinct() if self.form.cleaned_data.get("district") else filtered


class TierChainFilterSet(FilterSet):
    """Filters for tier chains."""

    district = CodeMultipleFilter(
        field_name="district__code", queryset=District.objects.all(), help_text="place code(s)"
    )
    document = CodeMultipleFilter(
        field_name="document__slug",
        queryset=Document.objects.all(),
        to_field_name="slug",
        help_text="document id(s)",
    )

    class Meta:
        model = TierChain
        fields = ["district", "document"]


class ObservationFilterForm(forms.Form):
    """Checks that need two filters at once."""

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        low, high = data.get("value_min"), data.get("value_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "value_max", f"must not be less than value_min ({low}): no value is both"
            )
        return data


#: The parameters of the dimensions observations and series share.
STATISTICAL_FIELDS = [
    "indicator",
    "district",
    "within",
    "sub_unit",
    "place_level",
    "tier",
    "initiative",
    "breakdown",
    "statistic",
    "status",
    "series",
]


class StatisticalFilters(FilterSet):
    """The dimensions observations and series share: measure, place, breakdown, statistic,
    status, tier, initiative."""

    indicator = IndicatorCodeFilter(
        field_name="indicator__code",
        queryset=Indicator.objects.all(),
        help_text="indicator (measure) code(s); codes a measure replaced still work",
    )
    district = CodeMultipleFilter(
        field_name="district__code", queryset=District.objects.all(), help_text="place code(s)"
    )
    within = WithinFilter(
        field_name="district__code",
        help_text="a place code: figures of that place and every place below it",
    )
    sub_unit = bounded_text(
        "the sub-unit as named (禾山街道, 科华数能); empty value: the place as a whole",
        128,
        method="filter_sub_unit",
    )
    place_level = ChoicesFilter(
        field_name="district__level",
        choices=PLACE_LEVEL_CHOICES,
        help_text="administrative level(s) of the place: district, prefecture_city …",
    )
    tier = CodeMultipleFilter(
        field_name="tier__code",
        queryset=OrganisationTier.objects.all(),
        help_text="organisation tier code(s)",
    )
    initiative = CodeMultipleFilter(
        field_name="initiative__code",
        queryset=Initiative.objects.all(),
        help_text="initiative code(s)",
    )
    breakdown = BreakdownFilter(
        field_name="breakdown",
        help_text="breakdown(s) as dimension:category, e.g. sex:female, age:35_or_under "
        "(several dimensions joined by commas), or total; absent: every breakdown",
    )
    statistic = ChoicesFilter(
        choices=STATISTIC_CHOICES,
        help_text="kind(s) of number: level, change, growth_rate, share, daily_average, "
        "per_unit_average, rank_change",
    )
    status = AnyOrChoicesFilter(
        choices=STATUS_CHOICES,
        help_text="actual (the default), target, estimate, or any",
    )
    series = SeriesKeyFilter(field_name="series", help_text="series key(s)")

    defaults = {"status": ("status", Status.ACTUAL.value)}

    def filter_sub_unit(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(sub_unit=value)


class ObservationFilterSet(StatisticalFilters):
    """Filters for observations; several values of one filter are ORed, filters are ANDed.
    Unless asked otherwise, only actual figures (not targets or estimates) and only the
    preferred claim of each series and period."""

    rank = AnyOrChoicesFilter(
        choices=CLAIM_RANK_CHOICES,
        help_text="preferred (the default: one figure per series and period), normal, "
        "deprecated, or any (every source's claim)",
    )
    document = CodeMultipleFilter(
        field_name="document__slug",
        queryset=Document.objects.all(),
        to_field_name="slug",
        help_text="document id(s)",
    )
    qualifier = ChoicesFilter(choices=QUALIFIER_CHOICES, help_text="qualifier(s)")
    unit = bounded_text("canonical unit, e.g. person, person_time", 32)
    period_kind = ChoicesFilter(
        choices=PERIOD_KIND_CHOICES, help_text="stock (a count on a date), flow or cumulative"
    )
    period_after = DateBoundFilter(
        method="filter_period_after",
        help_text="periods that end on or after this date (YYYY-MM-DD), or have no end",
    )
    period_before = DateBoundFilter(
        method="filter_period_before",
        help_text="periods that start on or before this date (YYYY-MM-DD), or have no start",
    )
    value_min = QuantityFilter(lookup_expr="gte", help_text="value at least this")
    value_max = QuantityFilter(lookup_expr="lte", help_text="value at most this")
    q = bounded_text(
        "text search in quotes and names (Chinese or English): 党建, 社区, 小区党支部",
        200,
        method="filter_q",
    )
    latest = StrictBooleanFilter(
        method="filter_latest",
        help_text="only the most recent observation of each series among the filtered ones "
        "(latest period end, then the preferred claim, then the later document)",
    )
    facets = FacetsFilter(
        help_text="count the filtered observations per value of these fields, as Datasette "
        "does: ?facets=district&facets=qualifier (or facets=district,qualifier)",
    )

    class Meta:
        model = Observation
        form = ObservationFilterForm
        fields = [
            *STATISTICAL_FIELDS,
            "rank",
            "document",
            "qualifier",
            "unit",
            "period_kind",
            "period_after",
            "period_before",
            "value_min",
            "value_max",
            "q",
            "latest",
            "facets",
        ]

    defaults = {
        "status": ("status", Status.ACTUAL.value),
        "rank": ("rank", ClaimRank.PREFERRED.value),
    }

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """The filters and their defaults, then ``latest`` over the whole filtered set."""
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("latest"):
            queryset = latest_observations(queryset, whole_series=self.names_whole_series())
        return queryset

    def filter_latest(
        self, queryset: QuerySet[Observation], name: str, value: bool | None
    ) -> QuerySet[Observation]:
        return queryset  # applied last, by filter_queryset: it ranks what the others leave

    def names_whole_series(self) -> bool:
        """Whether the filtered set is whole series: every filter named is a series dimension
        (measure, place, breakdown, statistic, status, tier, initiative, key) and the claims
        are the preferred ones, as by default."""
        named = {name for name in self.base_filters if any(values(self.data, name))}
        dimensions = set(StatisticalFilters.base_filters) | {"latest", "facets"}
        rank = [value for value in values(self.data, "rank") if value]
        return named - {"rank"} <= dimensions and rank in ([], [ClaimRank.PREFERRED.value])

    def filter_period_after(
        self, queryset: QuerySet[Observation], name: str, value: date
    ) -> QuerySet[Observation]:
        return queryset.filter(Q(period_end__gte=value) | Q(period_end__isnull=True))

    def filter_period_before(
        self, queryset: QuerySet[Observation], name: str, value: date
    ) -> QuerySet[Observation]:
        return queryset.filter(Q(period_start__lte=value) | Q(period_start__isnull=True))

    def filter_q(
        self, queryset: QuerySet[Observation], name: str, value: str
    ) -> QuerySet[Observation]:
        # Substring matching, served by the character-bigram index of stats.search: the
        # databases' full-text search does not segment Chinese, so 党建 would not match as a word.
        terms = len(value.split())
        if terms > MAX_TERMS:
            raise serializers.ValidationError(
                {"q": [f"at most {MAX_TERMS} terms (separated by spaces), not {terms}"]}
            )
        return matching(queryset, value)


class IndicatorFilterSet(FilterSet):
    """Filters for indicators (measures)."""

    q = bounded_text(
        "search codes, names (Chinese or English), definitions and synonyms: 党员, branches",
        100,
        method="filter_q",
    )
    category = bounded_text("category: membership, organisation, cadres, activity …", 32)
    unit = bounded_text("canonical unit: person, organisation, percent …", 32)
    national_term = bounded_text(
        "the national bulletin's term (党员总数, 支部); empty value: the project's own measures",
        64,
        method="filter_national_term",
    )
    in_bulletin = StrictBooleanFilter(
        method="filter_in_bulletin",
        help_text="true: measures of the national party statistics bulletin; false: the "
        "project's own",
    )

    class Meta:
        model = Indicator
        fields = ["q", "category", "unit", "national_term", "in_bulletin"]

    def filter_q(self, queryset: QuerySet[Indicator], name: str, value: str) -> QuerySet[Indicator]:
        for term in value.split():
            queryset = queryset.filter(
                Q(code__icontains=term)
                | Q(name_zh__icontains=term)
                | Q(name_en__icontains=term)
                | Q(definition__icontains=term)
                # JSON text of the list: a substring of one synonym is a substring of it.
                | Q(synonyms__icontains=term)
            )
        return queryset

    def filter_national_term(
        self, queryset: QuerySet[Indicator], name: str, value: str
    ) -> QuerySet[Indicator]:
        return queryset.filter(national_term=value)

    def filter_in_bulletin(
        self, queryset: QuerySet[Indicator], name: str, value: bool | None
    ) -> QuerySet[Indicator]:
        if value is None:
            return queryset
        return queryset.exclude(national_term="") if value else queryset.filter(national_term="")


class SeriesFilterSet(StatisticalFilters):
    """Filters for series: the dimensions they share with their observations. Unless asked
    otherwise, only series of actual figures."""

    series = SeriesKeyFilter(field_name="key", help_text="series key(s)")

    class Meta:
        model = Series
        fields = STATISTICAL_FIELDS


class PanelFilterSet(SeriesFilterSet):
    """The series of a panel: one measure, the total unless a breakdown is named, levels unless
    a statistic is named, actual figures unless a status is named."""

    indicator = django_filters.ModelChoiceFilter(
        field_name="indicator",
        queryset=Indicator.objects.all(),
        to_field_name="code",
        required=True,
        help_text="the indicator (measure) code, exactly one; a code a measure replaced works",
    )
    indicator.field_class = IndicatorCodeChoiceField
    extend_schema_field(
        {
            "type": "string",
            "pattern": r"^[-a-zA-Z0-9_]+$",
            "description": indicator.extra["help_text"],
        }
    )(indicator)

    defaults = {
        "status": ("status", Status.ACTUAL.value),
        "statistic": ("statistic", Statistic.LEVEL.value),
        "breakdown": ("breakdown", ""),
    }
