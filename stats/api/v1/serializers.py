"""Serializers of API v1. Fields are listed explicitly; nested references use a brief form
(code plus names). Quantities are decimal strings, never floats."""

from __future__ import annotations

from datetime import date
from typing import Any

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from stats import representations
from stats.extraction.quantities import QUANTITY_COLUMNS
from stats.models import (
    CLAIM_RANK_CHOICES,
    PERIOD_KIND_CHOICES,
    PUBLICATION_FIELDS,
    STATISTIC_CHOICES,
    STATUS_CHOICES,
    District,
    Indicator,
    Initiative,
    Observation,
    OrganisationTier,
    Series,
    SourceDocument,
    TierChain,
    TierChainLink,
)
from stats.vocabulary import MEANING_COLUMNS


def quantity_field(help_text: str) -> serializers.DecimalField:
    """A quantity as an exact decimal string without exponent or trailing zeros ("95.3")."""
    return serializers.DecimalField(
        max_digits=20,
        decimal_places=4,
        allow_null=True,
        coerce_to_string=True,
        normalize_output=True,
        help_text=help_text,
    )


def string_list(help_text: str) -> serializers.ListField:
    """A list of strings (names, aliases) kept in a JSON column."""
    return serializers.ListField(child=serializers.CharField(), read_only=True, help_text=help_text)


class BriefDistrictSerializer(serializers.ModelSerializer[District]):
    """A place referred to from elsewhere: its code and names."""

    class Meta:
        model = District
        fields = ["code", "name_zh", "name_en"]


class PlaceSerializer(BriefDistrictSerializer):
    """The place of a figure: its code, names, level and the code of the place above it, so a
    client can tell a city from its districts and avoid adding one to the other."""

    parent = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="code of the place it lies in; null for a province",
    )

    class Meta(BriefDistrictSerializer.Meta):
        fields = [*BriefDistrictSerializer.Meta.fields, "level", "parent"]

    def to_representation(self, instance: District) -> dict[str, Any]:
        """The fields above, read directly (a panel has a place per row); the parent should be
        selected with the place. tests/stats/api/test_serializers.py checks it equals DRF's."""
        parent = instance.parent if instance.parent_id is not None else None
        return {
            "code": instance.code,
            "name_zh": instance.name_zh,
            "name_en": instance.name_en,
            "level": instance.level,
            "parent": parent.code if parent is not None else None,
        }


class BriefTierSerializer(serializers.ModelSerializer[OrganisationTier]):
    """An organisation tier referred to from elsewhere."""

    class Meta:
        model = OrganisationTier
        fields = ["code", "name_zh", "name_en"]


class BriefIndicatorSerializer(serializers.ModelSerializer[Indicator]):
    """An indicator referred to from elsewhere."""

    class Meta:
        model = Indicator
        fields = ["code", "name_zh", "name_en", "unit"]


class BriefInitiativeSerializer(serializers.ModelSerializer[Initiative]):
    """An initiative referred to from elsewhere."""

    class Meta:
        model = Initiative
        fields = ["code", "name_zh", "name_en"]


class DocumentListSerializer(serializers.ModelSerializer[SourceDocument]):
    """A source document without its text."""

    id = serializers.CharField(source="slug", help_text="stable identifier (slug)")
    place = BriefDistrictSerializer(help_text="the place the document reports on")
    authors = string_list("authors as credited, in order; empty when none are named")

    class Meta:
        model = SourceDocument
        fields = [
            "id",
            "sha256",
            "title",
            "title_en",
            "outlet",
            "authors",
            "place",
            *PUBLICATION_FIELDS,
            "original_name",
        ]


class DocumentDetailSerializer(DocumentListSerializer):
    """A source document with its verbatim text; offsets count code points of ``text``."""

    class Meta(DocumentListSerializer.Meta):
        fields = [*DocumentListSerializer.Meta.fields, "text"]


class DistrictSerializer(serializers.ModelSerializer[District]):
    """A place with its parent and children (codes)."""

    parent = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="code of the parent place, or null for the province",
    )
    children = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text="codes of the places directly below"
    )
    aliases = string_list("other names texts use for the place")

    class Meta:
        model = District
        fields = [
            "code",
            "name_zh",
            "short_zh",
            "name_en",
            "pinyin",
            "level",
            "parent",
            "children",
            "aliases",
            "note",
        ]


class TierSerializer(serializers.ModelSerializer[OrganisationTier]):
    """A level of party organisation; rank 10 is the highest."""

    aliases = string_list("other words texts use for this tier")

    class Meta:
        model = OrganisationTier
        fields = ["code", "name_zh", "name_en", "rank", "description", "aliases"]


class TierChainLinkSerializer(serializers.ModelSerializer[TierChainLink]):
    """One link of a chain, with its words as written and their offsets."""

    tier = BriefTierSerializer(help_text="the organisation tier these words name")

    class Meta:
        model = TierChainLink
        fields = ["position", "tier", "words", "start", "end"]


class TierChainSerializer(serializers.ModelSerializer[TierChain]):
    """A chain of organisation tiers as a text spells it out, top first."""

    id = serializers.SerializerMethodField(help_text="stable identifier: document and offset")
    district = BriefDistrictSerializer(help_text="the place whose organisation this is")
    document = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text="id of the document it is read from"
    )
    links = TierChainLinkSerializer(many=True, help_text="the tiers in order, top first")

    class Meta:
        model = TierChain
        fields = ["id", "district", "label", "document", "start", "end", "quote", "links"]

    def get_id(self, obj: TierChain) -> str:
        return f"{obj.document.slug}:{obj.start}"


class InitiativeSerializer(serializers.ModelSerializer[Initiative]):
    """A named programme, campaign, platform, method or brand."""

    parent = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="code of the initiative this is part of, or null",
    )
    aliases = string_list("other names texts use for it")
    districts = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text="codes of the places running it"
    )
    observation_count = serializers.IntegerField(
        read_only=True, help_text="observations that refer to it"
    )

    class Meta:
        model = Initiative
        fields = [
            "code",
            "name_zh",
            "name_en",
            "kind",
            "parent",
            "districts",
            "started_on",
            "started_precision",
            "description",
            "aliases",
            "observation_count",
        ]


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    """What is counted, with how many observations there are and where and when."""

    tier = BriefTierSerializer(
        allow_null=True, help_text="the organisation tier it counts, when it counts one"
    )
    observation_count = serializers.IntegerField(
        read_only=True, help_text="observations of this indicator"
    )
    synonyms = string_list("nouns that name it in texts")
    replaces = string_list(
        "codes this measure replaced; they still work as filter values and detail URLs"
    )
    coverage = serializers.SerializerMethodField(
        help_text="districts with data and the span of their periods"
    )

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name_zh",
            "name_en",
            "definition",
            "unit",
            "category",
            "tier",
            "national_term",
            "synonyms",
            "replaces",
            "observation_count",
            "coverage",
        ]

    def get_coverage(self, obj: Indicator) -> dict[str, Any]:
        rows = getattr(obj, "coverage_rows", None) or []
        return {
            "districts": sorted({r["district__code"] for r in rows}),
            "period_start": min(
                (r["period_start"] for r in rows if r["period_start"]), default=None
            ),
            "period_end": max((r["period_end"] for r in rows if r["period_end"]), default=None),
        }


class PeriodSerializer(serializers.Serializer[Observation]):
    """The period a figure refers to."""

    label = serializers.CharField(source="period_label", help_text="the phrase as written")
    start = serializers.DateField(
        source="period_start", allow_null=True, help_text="first day, or null when not known"
    )
    end = serializers.DateField(
        source="period_end", allow_null=True, help_text="last day, or null when not known"
    )
    kind = serializers.ChoiceField(
        source="period_kind",
        choices=PERIOD_KIND_CHOICES,
        help_text="stock (a count on a date), flow (during the period) or cumulative (up to it)",
    )


class SourceSerializer(serializers.Serializer[Observation]):
    """Where a figure was read: ``quote == document.text[start:end]`` (code points)."""

    document = serializers.CharField(source="document.slug", help_text="id of the document")
    start = serializers.IntegerField(help_text="offset of the quote's first character")
    end = serializers.IntegerField(help_text="offset just after the quote's last character")
    quote = serializers.CharField(help_text="the sentence or clause the figure is read from")
    figure_start = serializers.IntegerField(help_text="offset of the figure's first character")
    figure_end = serializers.IntegerField(help_text="offset just after the figure")


class ObservationSerializer(serializers.ModelSerializer[Observation]):
    """One figure with its meaning, quantity and source."""

    id = serializers.SerializerMethodField(help_text="stable identifier: document:figure_start")
    indicator = BriefIndicatorSerializer(help_text="what is counted (the measure)")
    district = PlaceSerializer(help_text="the place it is counted in")
    tier = BriefTierSerializer(
        allow_null=True, help_text="the organisation tier it is about, or null"
    )
    initiative = BriefInitiativeSerializer(
        allow_null=True, help_text="the named initiative it is about, or null"
    )
    breakdown = serializers.CharField(
        help_text="the categories counted, dimension:category joined by commas in codelist "
        'order ("sex:female", "age:35_or_under"); empty for the total (see /codelists/)'
    )
    statistic = serializers.ChoiceField(
        choices=STATISTIC_CHOICES,
        help_text="what kind of number: level (the count or amount), change (net increase), "
        "growth_rate, share (percent of a stated total), daily_average, per_unit_average, "
        "rank_change",
    )
    status = serializers.ChoiceField(
        choices=STATUS_CHOICES, help_text="actual, or target (a plan or goal) or estimate"
    )
    series = serializers.CharField(
        help_text="the key of its series: measure.place.sub_unit.breakdown.statistic.status."
        "tier.initiative, _T for a total and _Z where nothing scopes it (see /series/)"
    )
    rank = serializers.ChoiceField(
        choices=CLAIM_RANK_CHOICES,
        help_text="among the sources stating this series and period: preferred (the one that "
        "answers), normal or deprecated",
    )
    rank_reason = serializers.CharField(help_text="why it has its rank")
    period = PeriodSerializer(source="*", help_text="when the figure applies")
    lower_bound = quantity_field("lower bound as a decimal string; null when not stated")
    value = quantity_field('the number as written, scaled, as a decimal string: "16000"')
    upper_bound = quantity_field("upper bound as a decimal string; null when not stated")
    source = SourceSerializer(source="*", help_text="where in which document it is written")

    class Meta:
        model = Observation
        fields = [
            "id",
            *MEANING_COLUMNS,
            "status",
            "series",
            "rank",
            "rank_reason",
            "period",
            *QUANTITY_COLUMNS,
            "unit",
            "raw",
            "mantissa",
            "scale",
            "scale_power",
            "measure_word",
            "source",
            "note",
        ]

    def get_id(self, obj: Observation) -> str:
        return f"{obj.document.slug}:{obj.figure_start}"

    #: The columns of an observation row (``QuerySet.values``) that ``to_representation``
    #: reads: the views fetch pages as such rows, not as model instances.
    columns = representations.COLUMNS

    def to_representation(self, instance: dict[str, Any]) -> dict[str, Any]:  # type: ignore[override]
        """The representation the fields above declare, built straight from a row of
        ``columns`` (stats.representations, where it is also rendered and stored): pages of
        observations are the API's hot path, and model instances plus DRF's field-by-field walk
        were three quarters of a page's time. tests/stats/api/test_serializers.py checks it
        equals DRF's for every observation."""
        return representations.represent(instance)


class FacetValueSerializer(serializers.Serializer[Any]):
    """One value of a facet and how many observations have it."""

    value = serializers.CharField(
        allow_null=True,
        help_text='the value to filter by (a code, document id or choice), e.g. "350211"; '
        "null for observations without one (no tier, say)",
    )
    label = serializers.CharField(allow_null=True, help_text="its name, e.g. 集美区")
    count = serializers.IntegerField(
        help_text="observations with this value under the current filters, e.g. 48"
    )


def _facet(name: str) -> FacetValueSerializer:
    return FacetValueSerializer(
        many=True, required=False, help_text=f"counts per {name}, most frequent first"
    )


class ObservationFacetsSerializer(serializers.Serializer[Any]):
    """Counts per value of the facets asked for (?facets=), over every page."""

    indicator = _facet("indicator")
    district = _facet("district")
    tier = _facet("organisation tier")
    initiative = _facet("initiative")
    document = _facet("source document")
    qualifier = _facet("qualifier")
    unit = _facet("unit")
    period_kind = _facet("period kind")


@extend_schema_serializer(many=False, component_name="PaginatedObservationList")
class ObservationPageSerializer(serializers.Serializer[Any]):
    """One page of observations, the links to its neighbours and the facet counts."""

    next = serializers.URLField(
        allow_null=True, help_text="the next page (also in the Link header), or null"
    )
    previous = serializers.URLField(
        allow_null=True, help_text="the previous page (also in the Link header), or null"
    )
    results = ObservationSerializer(many=True, help_text="the observations of this page")
    facets = ObservationFacetsSerializer(
        required=False, help_text="only with ?facets=: counts per value under the filters"
    )


class SeriesLatestSerializer(serializers.ModelSerializer[Observation]):
    """The figure that answers "the latest" for a series, briefly."""

    id = serializers.SerializerMethodField(help_text="the observation's id: document:figure_start")
    period = PeriodSerializer(source="*", help_text="when the figure applies")
    value = quantity_field('the number as written, scaled, as a decimal string: "16000"')
    lower_bound = quantity_field("lower bound as a decimal string; null when not stated")
    upper_bound = quantity_field("upper bound as a decimal string; null when not stated")

    class Meta:
        model = Observation
        fields = ["id", "period", "value", "lower_bound", "upper_bound", "qualifier", "raw"]

    def get_id(self, obj: Observation) -> str:
        return f"{obj.document.slug}:{obj.figure_start}"


class SeriesSerializer(serializers.ModelSerializer[Series]):
    """A series: one measure for one place (and sub-unit), broken down one way, one kind of
    number and status, over time; with its span and latest figure."""

    indicator = BriefIndicatorSerializer(help_text="what is counted (the measure)")
    district = PlaceSerializer(help_text="the place it is counted in")
    sub_unit = serializers.CharField(
        help_text="the street, community, village or enterprise named; empty: the whole place"
    )
    breakdown = serializers.CharField(
        help_text="dimension:category joined by commas (sex:female); empty for the total"
    )
    tier = BriefTierSerializer(allow_null=True, help_text="the organisation tier it is about")
    initiative = BriefInitiativeSerializer(
        allow_null=True, help_text="the named initiative it counts within, or null"
    )
    statistic = serializers.ChoiceField(choices=STATISTIC_CHOICES, help_text="kind of number")
    status = serializers.ChoiceField(choices=STATUS_CHOICES, help_text="actual, target, estimate")
    period_start = serializers.DateField(
        allow_null=True, help_text="the earliest start of its observations' periods"
    )
    period_end = serializers.DateField(
        allow_null=True, help_text="the latest end of its observations' periods"
    )
    latest = SeriesLatestSerializer(
        allow_null=True, help_text="the preferred figure of its latest period"
    )

    class Meta:
        model = Series
        fields = [
            "key",
            "indicator",
            "district",
            "sub_unit",
            "breakdown",
            "statistic",
            "status",
            "tier",
            "initiative",
            "unit",
            "observation_count",
            "period_start",
            "period_end",
            "latest",
        ]

    def to_representation(self, instance: Series | dict[str, Any]) -> dict[str, Any]:
        """The representation the fields above declare, built directly from a row of
        ``SERIES_COLUMNS`` (a list reads those columns with ``.values()``, no model instances)
        or from a series and its related rows: DRF's walk of six nested serializers, then the
        model instances of seven tables per row, were most of a page's time.
        tests/stats/api/test_serializers.py checks it equals DRF's for every series."""
        row = instance if isinstance(instance, dict) else series_row(instance)
        return {
            "key": row["key"],
            "indicator": _prefixed(row, "indicator", "code", "name_zh", "name_en", "unit"),
            "district": {
                **_prefixed(row, "district", "code", "name_zh", "name_en", "level"),
                "parent": row["district__parent__code"],
            },
            "sub_unit": row["sub_unit"],
            "breakdown": row["breakdown"],
            "statistic": row["statistic"],
            "status": row["status"],
            "tier": _prefixed(row, "tier", "code", "name_zh", "name_en")
            if row["tier__code"] is not None
            else None,
            "initiative": _prefixed(row, "initiative", "code", "name_zh", "name_en")
            if row["initiative__code"] is not None
            else None,
            "unit": row["unit"],
            "observation_count": row["observation_count"],
            "period_start": _date(row["period_start"]),
            "period_end": _date(row["period_end"]),
            "latest": {
                "id": f"{row['latest__document__slug']}:{row['latest__figure_start']}",
                "period": {
                    "label": row["latest__period_label"],
                    "start": _date(row["latest__period_start"]),
                    "end": _date(row["latest__period_end"]),
                    "kind": row["latest__period_kind"],
                },
                "value": representations.decimal_string(row["latest__value"]),
                "lower_bound": representations.decimal_string(row["latest__lower_bound"]),
                "upper_bound": representations.decimal_string(row["latest__upper_bound"]),
                "qualifier": row["latest__qualifier"],
                "raw": row["latest__raw"],
            }
            if row["latest__figure_start"] is not None
            else None,
        }


#: What a series' representation reads: its columns and its related rows' (``a__b`` paths).
SERIES_COLUMNS = (
    "id",
    "key",
    *(f"indicator__{name}" for name in ("code", "name_zh", "name_en", "unit")),
    *(f"district__{name}" for name in ("code", "name_zh", "name_en", "level")),
    "district__parent__code",
    "sub_unit",
    "breakdown",
    "statistic",
    "status",
    *(f"tier__{name}" for name in ("code", "name_zh", "name_en")),
    *(f"initiative__{name}" for name in ("code", "name_zh", "name_en")),
    "unit",
    "observation_count",
    "period_start",
    "period_end",
    *(
        f"latest__{name}"
        for name in (
            "period_label", "period_start", "period_end", "period_kind", "value",
            "lower_bound", "upper_bound", "qualifier", "raw", "figure_start",
        )
    ),
    "latest__document__slug",
)  # fmt: skip


def series_row(series: Series) -> dict[str, Any]:
    """``series`` as a row of ``SERIES_COLUMNS``: each path followed through its related rows
    (None past a missing one)."""
    row: dict[str, Any] = {}
    for column in SERIES_COLUMNS:
        value: Any = series
        for name in column.split("__"):
            value = None if value is None else getattr(value, name)
        row[column] = value
    return row


def _prefixed(row: dict[str, Any], relation: str, *names: str) -> dict[str, Any]:
    return {name: row[f"{relation}__{name}"] for name in names}


def _date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


class SeriesDetailSerializer(SeriesSerializer):
    """A series with all its observations in time order (FRED's series/observations)."""

    observations = serializers.SerializerMethodField(
        help_text="every observation of the series, every claim, oldest period first"
    )

    class Meta(SeriesSerializer.Meta):
        fields = [*SeriesSerializer.Meta.fields, "observations"]

    def to_representation(self, instance: Series | dict[str, Any]) -> dict[str, Any]:
        assert isinstance(instance, Series)  # a detail reads the series with its observations
        return {
            **super().to_representation(instance),
            "observations": self.get_observations(instance),
        }

    @extend_schema_field(ObservationSerializer(many=True))
    def get_observations(self, obj: Series) -> list[Any]:
        """The stored representations of the rows the view read (stats.representations)."""
        return representations.bodies(getattr(obj, "observation_ids", []))


class CategorySerializer(serializers.Serializer[Any]):
    """One category of a codelist."""

    code = serializers.CharField(help_text="the code used in filters and keys: female")
    name_zh = serializers.CharField(help_text="女")
    name_en = serializers.CharField(help_text="female")
    lower = serializers.IntegerField(
        allow_null=True, help_text="an age band's lowest age, inclusive; null: open or not a band"
    )
    upper = serializers.IntegerField(
        allow_null=True, help_text="an age band's highest age, inclusive; null: open or not a band"
    )


class CodelistSerializer(serializers.Serializer[Any]):
    """A codelist: the codes one dimension or attribute of an observation may take."""

    code = serializers.CharField(help_text="the codelist's id: sex, age, statistic …")
    name_zh = serializers.CharField(help_text="its name in Chinese: 性别")
    name_en = serializers.CharField(help_text="its name in English: sex")
    description = serializers.CharField(help_text="what the codes classify")
    breakdown = serializers.BooleanField(
        help_text="whether its codes are breakdown categories (used as code:category)"
    )
    categories = CategorySerializer(many=True, help_text="its codes, in order")


class PanelCellSerializer(serializers.Serializer[Any]):
    """One place's figure for one period of a panel."""

    id = serializers.CharField(help_text="the observation's id: document:figure_start")
    value = serializers.CharField(allow_null=True, help_text="decimal string; null when vague")
    qualifier = serializers.CharField(help_text="how the text bounds it: exact, more_than …")
    raw = serializers.CharField(help_text="as written")


class PanelRowSerializer(serializers.Serializer[Any]):
    """One place of a panel with its figure per period."""

    district = PlaceSerializer(help_text="the place of the row")
    values = serializers.DictField(
        child=PanelCellSerializer(allow_null=True),
        help_text="period (year of the period's end) → its figure, or null",
    )


@extend_schema_serializer(many=False)  # the panel's list action answers one table
class PanelSerializer(serializers.Serializer[Any]):
    """One measure for many places over time: places as rows, periods as columns."""

    indicator = BriefIndicatorSerializer(help_text="the measure shown")
    breakdown = serializers.CharField(help_text="the breakdown shown; empty for the total")
    statistic = serializers.CharField(help_text="the kind of number shown: level by default")
    status = serializers.CharField(help_text="actual by default, or target or estimate")
    unit = serializers.CharField(allow_null=True, help_text="the unit of the figures")
    periods = serializers.ListField(
        child=serializers.CharField(), help_text="the columns: years of the periods' ends"
    )
    rows = PanelRowSerializer(many=True, help_text="one row per place, by place code")
