"""Serializers of API v1. Fields are listed explicitly; nested references use a brief form
(code plus names). Quantities are decimal strings, never floats."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from stats.models import (
    District,
    Indicator,
    Initiative,
    Observation,
    OrganisationTier,
    SourceDocument,
    TierChain,
    TierChainLink,
)


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


class BriefDistrictSerializer(serializers.ModelSerializer[District]):
    """A place referred to from elsewhere: its code and names."""

    class Meta:
        model = District
        fields = ["code", "name_zh", "name_en"]


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
    place = BriefDistrictSerializer()

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
            "published_precision",
            "published_earliest",
            "published_latest",
            "published_at",
            "published_basis",
            "original_name",
        ]


class DocumentDetailSerializer(DocumentListSerializer):
    """A source document with its verbatim text; offsets count code points of ``text``."""

    class Meta(DocumentListSerializer.Meta):
        fields = [*DocumentListSerializer.Meta.fields, "text"]


class DistrictSerializer(serializers.ModelSerializer[District]):
    """A place with its parent and children (codes)."""

    parent = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="code of the parent place, or null"
    )
    children = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text="codes of the places directly below"
    )

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

    class Meta:
        model = OrganisationTier
        fields = ["code", "name_zh", "name_en", "rank", "description", "aliases"]


class TierChainLinkSerializer(serializers.ModelSerializer[TierChainLink]):
    """One link of a chain, with its words as written and their offsets."""

    tier = BriefTierSerializer()

    class Meta:
        model = TierChainLink
        fields = ["position", "tier", "words", "start", "end"]


class TierChainSerializer(serializers.ModelSerializer[TierChain]):
    """A chain of organisation tiers as a text spells it out, top first."""

    id = serializers.SerializerMethodField(help_text="stable identifier: document and offset")
    district = BriefDistrictSerializer()
    document = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    links = TierChainLinkSerializer(many=True)

    class Meta:
        model = TierChain
        fields = ["id", "district", "label", "document", "start", "end", "quote", "links"]

    def get_id(self, obj: TierChain) -> str:
        return f"{obj.document.slug}:{obj.start}"


class InitiativeSerializer(serializers.ModelSerializer[Initiative]):
    """A named programme, campaign, platform, method or brand."""

    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)
    districts = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    observation_count = serializers.IntegerField(read_only=True)

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

    tier = BriefTierSerializer(allow_null=True)
    observation_count = serializers.IntegerField(read_only=True)
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
    start = serializers.DateField(source="period_start", allow_null=True)
    end = serializers.DateField(source="period_end", allow_null=True)
    kind = serializers.CharField(source="period_kind", help_text="stock, flow or cumulative")


class SourceSerializer(serializers.Serializer[Observation]):
    """Where a figure was read: ``quote == document.text[start:end]`` (code points)."""

    document = serializers.CharField(source="document.slug")
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    quote = serializers.CharField()
    figure_start = serializers.IntegerField()
    figure_end = serializers.IntegerField()


class ObservationSerializer(serializers.ModelSerializer[Observation]):
    """One figure with its meaning, quantity and source."""

    id = serializers.SerializerMethodField(help_text="stable identifier: document:figure_start")
    indicator = BriefIndicatorSerializer()
    district = BriefDistrictSerializer()
    tier = BriefTierSerializer(allow_null=True)
    initiative = BriefInitiativeSerializer(allow_null=True)
    period = PeriodSerializer(source="*")
    lower_bound = quantity_field("lower bound as a decimal string; null when not stated")
    value = quantity_field('the number as written, scaled, as a decimal string: "16000"')
    upper_bound = quantity_field("upper bound as a decimal string; null when not stated")
    source = SourceSerializer(source="*")

    class Meta:
        model = Observation
        fields = [
            "id",
            "indicator",
            "district",
            "sub_unit",
            "tier",
            "initiative",
            "period",
            "value",
            "lower_bound",
            "lower_inclusive",
            "upper_bound",
            "upper_inclusive",
            "upper_by_convention",
            "qualifier",
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
