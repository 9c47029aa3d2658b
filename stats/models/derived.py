"""Derived data, rebuilt from the observations whenever they change and so without history:
the series, each observation's stored API representation, the search index, and the data
version the API's validators come from."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from stats.models.common import STATISTIC_CHOICES, STATUS_CHOICES
from stats.models.dimensions import District, Indicator, Initiative, OrganisationTier
from stats.models.observations import Observation


class Series(models.Model):
    """One series: the observations sharing a measure, place, sub-unit, breakdown, statistic,
    status, tier and initiative (the key, stats.vocabulary.series_key), over time.

    Derived data, kept by stats.series whenever observations are saved, deleted or loaded, so
    it has no history: its dimensions, how many observations it has, the span of their periods
    and the observation that answers "the latest" (the preferred claim of the latest period).
    """

    key = models.CharField(max_length=512, unique=True, help_text="the series key")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="series")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="series")
    sub_unit = models.CharField(max_length=128, blank=True)
    breakdown = models.CharField(max_length=255, blank=True)
    statistic = models.CharField(max_length=24, choices=STATISTIC_CHOICES)
    status = models.CharField(max_length=16, choices=STATUS_CHOICES)
    tier = models.ForeignKey(
        OrganisationTier, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    unit = models.CharField(max_length=32, help_text="the unit of its observations")
    observation_count = models.PositiveIntegerField(help_text="observations in the series")
    period_start = models.DateField(null=True, blank=True, help_text="earliest period start")
    period_end = models.DateField(null=True, blank=True, help_text="latest period end")
    latest = models.ForeignKey(
        "Observation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="the preferred figure of the latest period",
    )

    class Meta:
        ordering = ["key"]
        verbose_name = "series · 序列"
        verbose_name_plural = "series · 序列"
        indexes = [
            models.Index(fields=["indicator", "key"], name="series_indicator"),
            models.Index(fields=["district", "key"], name="series_district"),
        ]

    def __str__(self) -> str:
        return self.key


class RenderedObservation(models.Model):
    """An observation's API v1 JSON representation, rendered once when it changes and stored.

    Derived data, kept by stats.api.v1.representations whenever an observation, its measure,
    place, tier, initiative or document is saved or its claim rank changes, so it has no
    history. ``format`` fingerprints the code that rendered it: a body rendered by other code
    (an older release) is never served, the page renders that row afresh instead.
    """

    observation = models.OneToOneField(
        "Observation", on_delete=models.CASCADE, primary_key=True, related_name="rendered"
    )
    format = models.CharField(max_length=16, help_text="fingerprint of the rendering code")
    body = models.BinaryField(help_text="the representation as UTF-8 JSON bytes")

    class Meta:
        verbose_name = "rendered observation"

    def __str__(self) -> str:
        return f"{self.observation_id} ({self.format})"


class DataVersion(models.Model):
    """One row: a number that goes up whenever the corpus changes (a load or an edit), and when.

    The API derives its ETag and Last-Modified from it (see stats.data_version); it is bumped once
    per committed transaction that saved or deleted any corpus row.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    number = models.PositiveBigIntegerField(default=0, help_text="goes up on every change")
    changed_at = models.DateTimeField(help_text="when the corpus last changed")

    class Meta:
        verbose_name = "data version"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="data_version_singleton")]

    def __str__(self) -> str:
        return f"data version {self.number} ({self.changed_at:%Y-%m-%d %H:%M:%S})"


class ObservationTerm(models.Model):
    """One term of the search index: an observation's own text (quote, figure as written,
    sub-unit, note) contains this character bigram (see stats.extraction.search_terms).

    Derived data, rebuilt by stats.search whenever an observation is saved or loaded, so it has
    no history; it goes with its observation. The unique constraint's index, led by ``term``,
    serves the lookups of the ``q`` filter.
    """

    observation = models.ForeignKey(
        Observation, on_delete=models.CASCADE, related_name="search_terms"
    )
    term = models.CharField(max_length=16, help_text="a character bigram, folded")

    class Meta:
        verbose_name = "observation search term"
        constraints = [
            models.UniqueConstraint(fields=["term", "observation"], name="observation_term_unique")
        ]

    def __str__(self) -> str:
        return f"{self.term} · {self.observation_id}"
