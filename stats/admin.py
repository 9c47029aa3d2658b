"""Django admin for analysts who read Chinese: search by Chinese names and quotes, filter by
district, indicator, tier, initiative and qualifier, see each quote in its sentence, and
revert any change from its history (django-simple-history). Provenance is read-only."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from simple_history.admin import SimpleHistoryAdmin

from stats.models import (
    District,
    Indicator,
    Initiative,
    InitiativeMention,
    Observation,
    OrganisationTier,
    SourceDocument,
    TierChain,
    TierChainLink,
)

_SENTENCE_END = re.compile(r"[。！？；\n]")


def sentence_around(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The sentence holding ``text[start:end]``, split into before, the span, and after."""
    left = start
    while left > 0 and not _SENTENCE_END.match(text[left - 1]):
        left -= 1
    right = end
    while right < len(text) and not _SENTENCE_END.match(text[right]):
        right += 1
    if right < len(text):
        right += 1
    return text[left:start], text[start:end], text[end:right]


@admin.register(District)
class DistrictAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_zh", "name_en", "pinyin", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name_zh", "short_zh", "name_en", "pinyin"]
    autocomplete_fields = ["parent"]


@admin.register(OrganisationTier)
class OrganisationTierAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_zh", "name_en", "rank"]
    search_fields = ["code", "name_zh", "name_en", "aliases"]
    ordering = ["rank"]


@admin.register(SourceDocument)
class SourceDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["slug", "title", "place", "published_earliest", "published_precision"]
    list_filter = ["published_precision", "place"]
    search_fields = ["slug", "title", "title_en", "outlet", "text"]
    readonly_fields = ["sha256", "text", "original_name"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_zh", "name_en", "unit", "category", "tier", "national_term"]
    list_filter = ["category", "unit", "tier"]
    search_fields = ["code", "name_zh", "name_en", "definition", "national_term", "synonyms"]
    autocomplete_fields = ["tier"]


class InitiativeMentionInline(admin.TabularInline):
    model = InitiativeMention
    extra = 0
    fields = ["document", "start", "end", "quote"]
    readonly_fields = ["document", "start", "end", "quote"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Initiative)
class InitiativeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_zh", "name_en", "kind", "parent", "started_on"]
    list_filter = ["kind", "districts"]
    search_fields = ["code", "name_zh", "name_en", "description", "aliases"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["districts"]
    inlines = [InitiativeMentionInline]


class TierChainLinkInline(admin.TabularInline):
    model = TierChainLink
    extra = 0
    fields = ["position", "tier", "words", "start", "end"]
    readonly_fields = ["words", "start", "end"]


@admin.register(TierChain)
class TierChainAdmin(SimpleHistoryAdmin):
    list_display = ["quote", "district", "document", "label"]
    list_filter = ["district", "document"]
    search_fields = ["quote", "label", "links__words"]
    readonly_fields = ["document", "start", "end", "quote"]
    inlines = [TierChainLinkInline]


@admin.register(Observation)
class ObservationAdmin(SimpleHistoryAdmin):
    list_display = [
        "raw",
        "indicator",
        "district",
        "sub_unit",
        "value",
        "qualifier",
        "unit",
        "period_label",
        "quote_short",
    ]
    list_filter = [
        "district",
        "indicator",
        "tier",
        "initiative",
        "qualifier",
        "unit",
        "period_kind",
        "document",
    ]
    search_fields = [
        "quote",
        "raw",
        "sub_unit",
        "indicator__name_zh",
        "indicator__code",
        "district__name_zh",
        "district__short_zh",
        "initiative__name_zh",
        "tier__name_zh",
        "note",
    ]
    list_select_related = ["indicator", "district", "document"]
    autocomplete_fields = ["indicator", "district", "tier", "initiative"]
    readonly_fields = [
        "document",
        "start",
        "end",
        "quote",
        "figure_start",
        "figure_end",
        "raw",
        "mantissa",
        "scale",
        "scale_power",
        "measure_word",
        "in_sentence",
    ]
    fieldsets = [
        ("Meaning · 含义", {"fields": ["indicator", "district", "sub_unit", "tier", "initiative"]}),
        (
            "Period · 时期",
            {"fields": ["period_label", "period_start", "period_end", "period_kind"]},
        ),
        (
            "Quantity · 数值",
            {
                "fields": [
                    "value",
                    ("lower_bound", "lower_inclusive"),
                    ("upper_bound", "upper_inclusive"),
                    "upper_by_convention",
                    "qualifier",
                    "unit",
                    "note",
                ]
            },
        ),
        (
            "Source · 出处 (read-only)",
            {
                "fields": [
                    "in_sentence",
                    "document",
                    ("start", "end"),
                    "quote",
                    ("figure_start", "figure_end"),
                    "raw",
                    ("mantissa", "scale", "scale_power", "measure_word"),
                ]
            },
        ),
    ]

    @admin.display(description="quote")
    def quote_short(self, obj: Observation) -> str:
        return obj.quote if len(obj.quote) <= 40 else obj.quote[:39] + "…"

    @admin.display(description="in its sentence · 原句")
    def in_sentence(self, obj: Observation) -> SafeString:
        before, figure, after = sentence_around(obj.document.text, obj.figure_start, obj.figure_end)
        return format_html("{}<mark><strong>{}</strong></mark>{}", before, figure, after)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Observations come from annotated texts; a new one without a source would be untraceable.
        return False
