"""The admin of the dimensions figures are described in: places, organisation tiers,
indicators (measures) and initiatives, with the places where texts name an initiative."""

# simple_history ships no type information: its admin base class is Any.

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from stats.models import District, Indicator, Initiative, InitiativeMention, OrganisationTier


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
    list_filter = ["kind", ("districts", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "name_zh", "name_en", "description", "aliases"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["districts"]
    inlines = [InitiativeMentionInline]
