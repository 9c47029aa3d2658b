"""The review queue of ingested articles: each figure awaiting review, with what the
suggestions made of it and, once reviewed, the decision."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from stats.models.common import (
    NOT_STATISTIC_CHOICES,
    PERIOD_KIND_CHOICES,
    STATISTIC_CHOICES,
    STATUS_CHOICES,
    validate_breakdown,
)
from stats.models.dimensions import District, Indicator, Initiative, OrganisationTier
from stats.models.documents import SourceDocument
from stats.vocabulary import Statistic, Status


class CandidateStatus(models.TextChoices):
    PENDING = "pending", "pending review"
    ACCEPTED = "accepted", "accepted: an observation"
    REJECTED = "rejected", "rejected: not a statistic"
    DUPLICATE = "duplicate", "duplicate of an observation"


class Candidate(models.Model):
    """A figure of an ingested article awaiting review, with what the suggestions made of it
    (stats.extraction.suggest) and, once reviewed, the decision: accepted (``observation`` is
    what it became), rejected as not a statistic (``reason``), or a duplicate of an observation
    the corpus already has. Decisions are kept, with their history, and exported as annotation
    files (stats.ingest), so the reviewed corpus rebuilds from ``seeds/``."""

    document = models.ForeignKey(
        SourceDocument, on_delete=models.CASCADE, related_name="candidates"
    )
    figure_start = models.PositiveIntegerField(help_text="offset of the figure")
    figure_end = models.PositiveIntegerField(help_text="offset just after the figure")
    raw = models.CharField("figure as written", max_length=64)
    start = models.PositiveIntegerField(help_text="offset of the quote")
    end = models.PositiveIntegerField(help_text="offset just after the quote")
    quote = models.TextField(help_text="the clause that says what is counted")
    reading_error = models.TextField(blank=True, help_text="why the figure cannot be read")

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sub_unit = models.CharField(max_length=128, blank=True)
    tier = models.ForeignKey(
        OrganisationTier, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    initiative = models.ForeignKey(
        Initiative, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.CharField(max_length=32, blank=True)
    period_label = models.CharField(max_length=64, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    period_kind = models.CharField(max_length=16, choices=PERIOD_KIND_CHOICES, blank=True)
    breakdown = models.CharField(
        max_length=255,
        blank=True,
        validators=[validate_breakdown],
        help_text="sex:female; empty: total",
    )
    statistic = models.CharField(
        max_length=24, choices=STATISTIC_CHOICES, default=Statistic.LEVEL.value
    )
    figure_status = models.CharField(
        "status",
        max_length=16,
        choices=STATUS_CHOICES,
        default=Status.ACTUAL.value,
        help_text="actual, or a target or estimate",
    )
    counted_noun = models.CharField(
        max_length=64, blank=True, help_text="what the figure counts, as the text words it"
    )
    suggested_reason = models.CharField(
        max_length=16,
        choices=NOT_STATISTIC_CHOICES,
        blank=True,
        help_text="why the suggestions think it is not a statistic",
    )

    status = models.CharField(
        max_length=16, choices=CandidateStatus.choices, default=CandidateStatus.PENDING
    )
    reason = models.CharField(
        max_length=16,
        choices=NOT_STATISTIC_CHOICES,
        blank=True,
        help_text="why it is not a statistic (rejected)",
    )
    duplicate_of = models.ForeignKey(
        "Observation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    observation = models.OneToOneField(
        "Observation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidate",
        help_text="what the accepted candidate became",
    )
    note = models.TextField(blank=True, help_text="the reviewer's remarks")
    history = HistoricalRecords()

    class Meta:
        ordering = ["document", "figure_start"]
        verbose_name = "candidate figure · 待审数据"
        verbose_name_plural = "candidate figures · 待审数据"
        constraints = [
            models.UniqueConstraint(
                fields=["document", "figure_start"], name="candidate_natural_key"
            ),
        ]
        indexes = [models.Index(fields=["status", "document"], name="candidate_queue")]

    def __str__(self) -> str:
        return f"{self.raw} · {self.document.slug}:{self.figure_start} · {self.status}"
