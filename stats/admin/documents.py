"""The admin of the source texts (read-only where they are evidence) and of the chains of
organisation tiers they spell out."""

# simple_history ships no type information: its admin base class is Any.

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from stats.models import SourceDocument, TierChain, TierChainLink


@admin.register(SourceDocument)
class SourceDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["slug", "title", "place", "published_earliest", "published_precision"]
    list_filter = ["published_precision", ("place", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["slug", "title", "title_en", "outlet", "text"]
    readonly_fields = ["sha256", "text", "original_name"]


class TierChainLinkInline(admin.TabularInline):
    model = TierChainLink
    extra = 0
    fields = ["position", "tier", "words", "start", "end"]
    readonly_fields = ["words", "start", "end"]


@admin.register(TierChain)
class TierChainAdmin(SimpleHistoryAdmin):
    list_display = ["quote", "district", "document", "label"]
    list_filter = [("district", admin.RelatedOnlyFieldListFilter), "document"]
    search_fields = ["quote", "label", "links__words"]
    readonly_fields = ["document", "start", "end", "quote"]
    inlines = [TierChainLinkInline]
