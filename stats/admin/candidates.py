"""The review queue of ingested articles: each candidate figure with its sentence and the
suggestions filled in, decided (accepted, rejected, a duplicate) on its page or in bulk; the
pages to upload an article (:mod:`stats.admin.articles`) and to define a measure no measure
fits (:mod:`stats.admin.measures`) hang from it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils.html import format_html

from stats import ingest
from stats.admin.articles import ingest_article_page
from stats.admin.editing import FigureAdmin, VersionedForm
from stats.admin.measures import define_measure_page
from stats.models import Candidate
from stats.vocabulary import MEANING_COLUMNS

DECISIONS = [
    ("", "keep pending"),
    ("accept", "accept: make it an observation"),
    ("reject", "reject: not a statistic (give the reason)"),
    ("duplicate", "duplicate of an observation (give which)"),
]


class CandidateForm(VersionedForm):
    record_name = "candidate"

    decision = forms.ChoiceField(choices=DECISIONS, required=False)

    class Meta:
        model = Candidate
        fields = [
            *MEANING_COLUMNS,
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

    def _post_clean(self) -> None:
        # The candidate as edited (the model's own validation has run): a decision that cannot
        # be taken is an ordinary form error, so nothing is saved and nothing is logged.
        super()._post_clean()  # type: ignore[misc]
        decision = self.cleaned_data.get("decision") if hasattr(self, "cleaned_data") else None
        if decision and not self.errors:
            problem = ingest.refusal(self.instance, decision)
            if problem:
                self.add_error("decision", problem)


@admin.register(Candidate)
class CandidateAdmin(FigureAdmin):
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
        "define_measure_link",
    ]
    fieldsets = [
        (
            "Figure · 数字",
            {
                "fields": [
                    "in_sentence",
                    "document",
                    "raw",
                    "quote",
                    "reading_error",
                    "loaded_version",
                ]
            },
        ),
        (
            "Meaning · 含义",
            {
                "fields": [
                    "counted_noun",
                    "indicator",
                    "define_measure_link",  # beside the measure it offers to define
                    *MEANING_COLUMNS[1:],
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

    @admin.display(description="measure · 指标", ordering="indicator__code")
    def indicator_or_gap(self, obj: Candidate) -> str:
        """The suggested measure, or what is counted when no measure fits it, with a link to
        define one."""
        if obj.indicator is not None:
            return str(obj.indicator)
        if obj.counted_noun:
            return format_html(
                '<a href="{}">no measure fits «{}»: define one</a>',
                reverse("admin:stats_candidate_define_measure", args=[obj.pk]),
                obj.counted_noun,
            )
        return "—"

    @admin.display(description="define a measure · 定义指标")
    def define_measure_link(self, obj: Candidate) -> str:
        if obj.pk is None or obj.status != "pending":
            return "—"
        what = f"for «{obj.counted_noun}»" if obj.counted_noun else "for this figure"
        return format_html(
            '<a href="{}">define a new measure {}</a> when none of the vocabulary fits',
            reverse("admin:stats_candidate_define_measure", args=[obj.pk]),
            what,
        )

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
        define = self.admin_site.admin_view(self.define_measure_view)
        return [
            path("ingest/", view, name="stats_candidate_ingest"),
            path(
                "<path:object_id>/define-measure/",
                define,
                name="stats_candidate_define_measure",
            ),
            *super().get_urls(),
        ]

    def define_measure_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """A new measure from a candidate that no measure fits (:mod:`stats.admin.measures`)."""
        if not (
            self.has_change_permission(request) and request.user.has_perm("stats.add_indicator")
        ):
            raise PermissionDenied
        candidate = self.get_object(request, object_id)
        if candidate is None:
            response: HttpResponse = self._get_obj_does_not_exist_redirect(
                request, self.opts, object_id
            )
            return response
        return define_measure_page(self, request, candidate)

    def ingest_view(self, request: HttpRequest) -> HttpResponse:
        """Upload an article: store it and queue its figures for review."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        return ingest_article_page(self, request)
