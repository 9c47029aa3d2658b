"""Observations: one figure of one text each, with what it counts, where and when, its
quantity and the exact words it was read from."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from stats.models.common import (
    CLAIM_RANK_CHOICES,
    PERIOD_KIND_CHOICES,
    QUALIFIER_CHOICES,
    STATISTIC_CHOICES,
    STATUS_CHOICES,
    NaturalKeyManager,
    quantity_field,
    validate_breakdown,
)
from stats.models.dimensions import District, Indicator, Initiative, OrganisationTier
from stats.models.documents import SourceDocument
from stats.vocabulary import ClaimRank, Qualifier, Statistic, Status, series_key


def _unless_null(field: str, lookup: str, other: str, name: str) -> models.CheckConstraint:
    """``field`` compares to ``other`` by ``lookup`` (lte, gte) wherever neither is null."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True})
        | Q(**{f"{other}__isnull": True})
        | Q(**{f"{field}__{lookup}": F(other)}),
        name=name,
    )


class Observation(models.Model):
    """One figure from one text: what it counts, where and when, the quantity with its bounds
    and qualifier, and the exact words it was read from (``quote == document.text[start:end]``).

    ``value`` is the number as written (n); ``lower_bound``/``upper_bound`` say what the wording
    allows (``1100余`` is more than 1100 and, by convention, below 1200)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="observations")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="observations")
    sub_unit = models.CharField(
        max_length=128, blank=True, help_text="街道, 社区, 村, 小区 or enterprise named in the text"
    )
    tier = models.ForeignKey(
        OrganisationTier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="observations",
    )
    initiative = models.ForeignKey(
        Initiative, on_delete=models.PROTECT, null=True, blank=True, related_name="observations"
    )
    breakdown = models.CharField(
        max_length=255,
        blank=True,
        validators=[validate_breakdown],
        help_text="categories of the codelists, dimension:category joined by commas "
        "(sex:female); empty: the total",
    )
    statistic = models.CharField(
        max_length=24,
        choices=STATISTIC_CHOICES,
        default=Statistic.LEVEL.value,
        help_text="what kind of number: level, change, growth_rate, share …",
    )
    status = models.CharField(
        max_length=16,
        choices=STATUS_CHOICES,
        default=Status.ACTUAL.value,
        help_text="actual, or a target or estimate",
    )
    series = models.CharField(
        max_length=512,
        editable=False,
        default="",
        help_text="the series key: measure.place.sub_unit.breakdown.statistic.status.tier."
        "initiative (derived on save)",
    )
    rank = models.CharField(
        max_length=16,
        choices=CLAIM_RANK_CHOICES,
        default=ClaimRank.PREFERRED.value,
        help_text="among the sources for this series and period: preferred answers",
    )
    rank_reason = models.CharField(max_length=255, blank=True, help_text="why it has its rank")

    period_label = models.CharField(
        max_length=64, help_text="the period phrase as written: 去年, 截至2023年12月底"
    )
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    period_kind = models.CharField(max_length=16, choices=PERIOD_KIND_CHOICES)

    value = quantity_field(
        help_text="the number as written, scaled (1.6万 → 16000); null for ranges, vague figures",
    )
    lower_bound = quantity_field()
    lower_inclusive = models.BooleanField(
        null=True, blank=True, help_text="whether lower_bound itself is possible; null: no bound"
    )
    upper_bound = quantity_field()
    upper_inclusive = models.BooleanField(
        null=True, blank=True, help_text="whether upper_bound itself is possible; null: no bound"
    )
    upper_by_convention = models.BooleanField(
        default=False,
        help_text="the upper bound is a reading convention (余/多, vague words), not stated",
    )
    qualifier = models.CharField(
        max_length=24,
        choices=QUALIFIER_CHOICES,
        help_text="how the text bounds the figure: 超 more_than, 近 nearly, 约 approximate …",
    )
    unit = models.CharField(
        max_length=32, help_text="canonical unit: person, person_time, organisation, CNY …"
    )
    measure_word = models.CharField(
        max_length=16, blank=True, help_text="as written: 名, 个, 人次, 万元"
    )
    raw = models.CharField(
        "figure as written", max_length=64, help_text="the figure as written: 1.6万名, 超1300"
    )
    mantissa = models.CharField(max_length=32, blank=True, help_text="as written: 1.6, 一千三百")
    scale = models.CharField(max_length=8, blank=True, help_text="scale word as written: 万, 亿")
    scale_power = models.PositiveSmallIntegerField(
        default=0, help_text="the scale word as a power of ten: 万 is 4"
    )

    document = models.ForeignKey(
        SourceDocument, on_delete=models.PROTECT, related_name="observations"
    )
    start = models.PositiveIntegerField(help_text="offset of the quote, in code points")
    end = models.PositiveIntegerField(help_text="offset just after the quote")
    quote = models.TextField()
    figure_start = models.PositiveIntegerField(help_text="offset of the figure itself")
    figure_end = models.PositiveIntegerField(help_text="offset just after the figure")
    note = models.TextField(blank=True, help_text="the reviewer's remarks on the reading")
    departure_reason = models.TextField(
        "reason for departing from the words",
        blank=True,
        help_text="why the quantity differs from what its words read as; admin refuses such an "
        "edit without one, and verify_corpus lists it apart. Empty while they agree",
    )
    history = HistoricalRecords()

    objects = NaturalKeyManager("document__slug", "figure_start")

    class Meta:
        ordering = ["document", "figure_start"]
        verbose_name = "observation · 数据"
        verbose_name_plural = "observations · 数据"
        indexes = [
            models.Index(fields=["qualifier"], name="observation_qualifier"),
            models.Index(fields=["unit"], name="observation_unit"),
            models.Index(fields=["value"], name="observation_value"),
            models.Index(fields=["period_start", "period_end"], name="observation_period"),
            models.Index(fields=["period_end"], name="observation_period_end"),
            models.Index(fields=["period_kind"], name="observation_period_kind"),
            models.Index(fields=["indicator", "district", "period_end"], name="observation_latest"),
            # Cursor pages of one indicator or place, in the default (id) order, at any depth.
            models.Index(fields=["indicator", "id"], name="observation_indicator_page"),
            models.Index(fields=["district", "id"], name="observation_district_page"),
            models.Index(fields=["series", "period_end"], name="observation_series"),
            models.Index(fields=["statistic"], name="observation_statistic"),
            models.Index(fields=["status"], name="observation_status"),
            models.Index(fields=["breakdown"], name="observation_breakdown"),
            models.Index(fields=["rank"], name="observation_rank"),
            models.Index(fields=["sub_unit"], name="observation_sub_unit"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "figure_start"], name="observation_natural_key"
            ),
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="observation_offsets_ordered"
            ),
            models.CheckConstraint(
                condition=Q(
                    figure_start__gte=F("start"),
                    figure_end__lte=F("end"),
                    figure_start__lt=F("figure_end"),
                ),
                name="observation_figure_inside_quote",
            ),
            _unless_null("lower_bound", "lte", "upper_bound", "observation_bounds_ordered"),
            _unless_null("value", "gte", "lower_bound", "observation_value_above_lower_bound"),
            _unless_null("value", "lte", "upper_bound", "observation_value_below_upper_bound"),
            _unless_null("period_start", "lte", "period_end", "observation_period_ordered"),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{field}__in": [member.value for member in known]}),
                    name=f"observation_{field}_known",
                )
                for field, known in (
                    ("qualifier", Qualifier),
                    ("statistic", Statistic),
                    ("status", Status),
                    ("rank", ClaimRank),
                )
            ),
        ]

    def __str__(self) -> str:
        # Codes, not row ids: this names the row in the admin's history, breadcrumbs and
        # messages, and ids change when a database is rebuilt.
        return f"{self.raw} · {self.indicator.code} · {self.district.code}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The key is derived, so no writer (admin, load, accept) can leave it stale.
        self.series = self.series_key()
        super().save(*args, **kwargs)

    def natural_key(self) -> tuple[str, int]:
        return (self.document.slug, self.figure_start)

    def series_key(self) -> str:
        """The key of the series this observation belongs to (stats.vocabulary.series_key)."""
        return series_key(
            indicator=self.indicator.code,
            district=self.district.code,
            sub_unit=self.sub_unit,
            breakdown=self.breakdown,
            statistic=self.statistic,
            status=self.status,
            tier=self.tier.code if self.tier else None,
            initiative=self.initiative.code if self.initiative else None,
        )

    natural_key.dependencies = [  # type: ignore[attr-defined]
        "stats.sourcedocument",
        "stats.indicator",
        "stats.district",
        "stats.organisationtier",
        "stats.initiative",
    ]
