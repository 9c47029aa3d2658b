"""Django admin for analysts who read Chinese: search by Chinese names and quotes, filter by
district, indicator, tier, initiative and qualifier, see each quote in its sentence, and
revert any change from its history (django-simple-history). Provenance is read-only."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from simple_history.admin import SimpleHistoryAdmin

from stats import ingest
from stats.models import (
    Candidate,
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
from stats.vocabulary import DatePrecision

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
        "statistic",
        "status",
        "rank",
        "period_label",
        "quote_short",
    ]
    list_filter = [
        "district",
        "indicator",
        "statistic",
        "status",
        "rank",
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
        "series",
    ]
    fieldsets = [
        ("Meaning · 含义", {"fields": ["indicator", "district", "sub_unit", "tier", "initiative"]}),
        (
            "Statistic · 统计",
            {"fields": ["breakdown", "statistic", "status", "series", "rank", "rank_reason"]},
        ),
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


# --- review of ingested articles -------------------------------------------------------------


class IngestForm(forms.Form):
    """A new article: its text file and what is known of it."""

    file = forms.FileField(help_text="the article as UTF-8 text")
    title = forms.CharField(max_length=255)
    title_en = forms.CharField(max_length=255, required=False, label="title (English)")
    outlet = forms.CharField(max_length=255)
    published = forms.DateField(help_text="YYYY-MM-DD")
    precision = forms.ChoiceField(
        choices=[(p.value, p.value) for p in DatePrecision], initial=DatePrecision.DAY.value
    )
    district = forms.ModelChoiceField(
        queryset=District.objects.order_by("code"),
        to_field_name="code",
        required=False,
        help_text="whose figures these are unless the text says otherwise",
    )
    slug = forms.SlugField(max_length=64, required=False, help_text="default: from the title")


DECISIONS = [
    ("", "keep pending"),
    ("accept", "accept: make it an observation"),
    ("reject", "reject: not a statistic (give the reason)"),
    ("duplicate", "duplicate of an observation (give which)"),
]


class CandidateForm(forms.ModelForm):
    decision = forms.ChoiceField(choices=DECISIONS, required=False)

    class Meta:
        model = Candidate
        fields = [
            "indicator",
            "district",
            "sub_unit",
            "tier",
            "initiative",
            "breakdown",
            "statistic",
            "figure_status",
            "period_label",
            "period_start",
            "period_end",
            "period_kind",
            "unit",
            "reason",
            "duplicate_of",
            "note",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decision = data.get("decision")
        if decision == "reject" and not data.get("reason"):
            self.add_error("reason", "say why it is not a statistic")
        if decision == "duplicate" and not data.get("duplicate_of"):
            self.add_error("duplicate_of", "say which observation it repeats")
        return data


@admin.register(Candidate)
class CandidateAdmin(SimpleHistoryAdmin):
    """The review queue: pending figures with their sentence, the suggestions filled in."""

    form = CandidateForm
    change_list_template = "admin/stats/candidate/change_list.html"
    list_display = [
        "raw",
        "in_sentence",
        "indicator_or_gap",
        "district",
        "statistic",
        "period_label",
        "suggested_reason",
        "status",
    ]
    list_filter = ["status", "suggested_reason", "document"]
    search_fields = ["quote", "raw", "document__slug"]
    list_select_related = ["indicator", "district", "document"]
    autocomplete_fields = ["indicator", "district", "tier", "initiative"]
    raw_id_fields = ["duplicate_of"]
    readonly_fields = [
        "in_sentence",
        "document",
        "raw",
        "quote",
        "reading_error",
        "suggested_reason",
        "status",
        "observation",
        "counted_noun",
    ]
    fieldsets = [
        ("Figure · 数字", {"fields": ["in_sentence", "document", "raw", "quote", "reading_error"]}),
        (
            "Meaning · 含义",
            {
                "fields": [
                    "counted_noun",
                    "indicator",
                    "district",
                    "sub_unit",
                    "tier",
                    "initiative",
                    "breakdown",
                    "statistic",
                    "figure_status",
                ]
            },
        ),
        (
            "Period · 时期",
            {"fields": ["period_label", "period_start", "period_end", "period_kind", "unit"]},
        ),
        (
            "Decision · 审核",
            {
                "fields": [
                    "status",
                    "suggested_reason",
                    "decision",
                    "reason",
                    "duplicate_of",
                    "note",
                    "observation",
                ]
            },
        ),
    ]
    actions = ["accept_selected", "reject_as_suggested"]

    @admin.display(description="in its sentence · 原句")
    def in_sentence(self, obj: Candidate) -> SafeString:
        before, figure, after = sentence_around(obj.document.text, obj.figure_start, obj.figure_end)
        return format_html("{}<mark><strong>{}</strong></mark>{}", before, figure, after)

    @admin.display(description="measure · 指标", ordering="indicator__code")
    def indicator_or_gap(self, obj: Candidate) -> str:
        """The suggested measure, or what is counted when no measure fits it."""
        if obj.indicator is not None:
            return str(obj.indicator)
        if obj.counted_noun:
            return f"no measure fits «{obj.counted_noun}»: define one"
        return "—"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # candidates come from ingested articles

    def save_model(self, request: HttpRequest, obj: Candidate, form: Any, change: bool) -> None:
        decision = form.cleaned_data.get("decision")
        try:
            with transaction.atomic():
                super().save_model(request, obj, form, change)
                if decision == "accept":
                    ingest.accept(obj)
                elif decision == "reject":
                    ingest.reject(obj, obj.reason, obj.note)
                elif decision == "duplicate" and obj.duplicate_of is not None:
                    ingest.mark_duplicate(obj, obj.duplicate_of, obj.note)
        except ingest.ReviewError as error:
            self.message_user(request, f"{obj.raw}: {error}; nothing was saved", messages.ERROR)

    @admin.action(description="Accept selected candidates as they stand")
    def accept_selected(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> None:
        self._each(request, queryset, ingest.accept, "accepted")

    @admin.action(description="Reject selected candidates for the suggested reason")
    def reject_as_suggested(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> None:
        def decide(candidate: Candidate) -> None:
            if not candidate.suggested_reason:
                raise ingest.ReviewError("no reason was suggested; reject it on its page")
            ingest.reject(candidate, candidate.suggested_reason)

        self._each(request, queryset, decide, "rejected")

    def _each(
        self,
        request: HttpRequest,
        queryset: QuerySet[Candidate],
        decide: Callable[[Candidate], object],
        done: str,
    ) -> None:
        count, problems = 0, []
        for candidate in queryset.select_related("document", "indicator__tier", "district"):
            try:
                with transaction.atomic():
                    decide(candidate)
                count += 1
            except ingest.ReviewError as error:
                problems.append(f"{candidate.raw} ({candidate.figure_start}): {error}")
        self.message_user(request, f"{count} candidate(s) {done}", messages.SUCCESS)
        for problem in problems:
            self.message_user(request, problem, messages.WARNING)

    def get_urls(self) -> list[Any]:
        view = self.admin_site.admin_view(self.ingest_view)
        return [path("ingest/", view, name="stats_candidate_ingest"), *super().get_urls()]

    def ingest_view(self, request: HttpRequest) -> HttpResponse:
        """Upload an article: store it and queue its figures for review."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = IngestForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                text = data["file"].read().decode("utf-8")
                district = data["district"]
                document, candidates = ingest.ingest_article(
                    ingest.Article(
                        text=text,
                        title=data["title"],
                        title_en=data["title_en"],
                        outlet=data["outlet"],
                        published=data["published"],
                        precision=DatePrecision(data["precision"]),
                        district=district.code if district else None,
                        original_name=data["file"].name,
                        slug=data["slug"],
                    )
                )
            except UnicodeDecodeError as error:
                form.add_error("file", f"not UTF-8 text: {error.reason} at byte {error.start}")
            except ingest.IngestError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(
                    request,
                    f"{document.slug}: {len(candidates)} figure(s) queued for review",
                    messages.SUCCESS,
                )
                changelist = reverse("admin:stats_candidate_changelist")
                return redirect(f"{changelist}?document__id__exact={document.pk}&status=pending")
        context = {
            **self.admin_site.each_context(request),
            "title": "Ingest an article · 导入文章",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/stats/candidate/ingest.html", context)
