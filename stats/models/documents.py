"""The source texts and what they say besides figures: each report verbatim, the places where
a text names an initiative, and the chains of organisation tiers a text spells out, each
traceable to its offsets (``quote == document.text[start:end]``)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from stats.models.common import DATE_PRECISION_CHOICES, NaturalKeyManager
from stats.models.dimensions import District, Initiative, OrganisationTier

#: What is known of when a document appeared, as its columns name it: how precisely, the
#: window it can have appeared in, the time printed on the page, and how that is known.
PUBLICATION_FIELDS = (
    "published_precision",
    "published_earliest",
    "published_latest",
    "published_at",
    "published_basis",
)


class SourceDocument(models.Model):
    """One report text, verbatim, with what is known of its origin. Offsets of observations
    count Unicode code points of ``text``, which is the file decoded with nothing stripped."""

    slug = models.SlugField(max_length=64, unique=True)
    title = models.CharField(max_length=255, help_text="the title as published")
    title_en = models.CharField(
        "title (English)", max_length=255, help_text="an English rendering of the title"
    )
    outlet = models.CharField(max_length=255, help_text="where it was published")
    authors = models.JSONField(default=list, blank=True, help_text="as credited, in order")
    place = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="documents",
        help_text="the place the document is about",
    )
    published_precision = models.CharField(
        max_length=8,
        choices=DATE_PRECISION_CHOICES,
        help_text="how exactly the publication date is known",
    )
    published_earliest = models.DateField(help_text="earliest day the text can have appeared")
    published_latest = models.DateField(help_text="latest day the text can have appeared")
    published_at = models.DateTimeField(null=True, blank=True, help_text="when printed on the page")
    published_basis = models.TextField(help_text="how the publication date is known")
    original_name = models.CharField(
        max_length=255, help_text="file name the text was delivered under"
    )
    sha256 = models.CharField(max_length=64, unique=True, help_text="of the file's UTF-8 bytes")
    text = models.TextField(help_text="the text verbatim; offsets count its code points")
    history = HistoricalRecords(excluded_fields=["text"])

    objects = NaturalKeyManager("slug")

    class Meta:
        ordering = ["slug"]
        verbose_name = "source document · 来源文献"
        verbose_name_plural = "source documents · 来源文献"
        constraints = [
            models.CheckConstraint(
                condition=Q(published_earliest__lte=F("published_latest")),
                name="document_published_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class InitiativeMention(models.Model):
    """A place where a text names an initiative; ``quote == document.text[start:end]``."""

    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="mentions")
    document = models.ForeignKey(
        SourceDocument, on_delete=models.PROTECT, related_name="initiative_mentions"
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()

    objects = NaturalKeyManager("initiative__code", "document__slug", "start")

    class Meta:
        ordering = ["document", "start", "initiative"]
        verbose_name = "initiative mention · 提及"
        verbose_name_plural = "initiative mentions · 提及"
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "document", "start"], name="mention_natural_key"
            ),
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="mention_offsets_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.quote} @ {self.document_id}:{self.start}"

    def natural_key(self) -> tuple[str, str, int]:
        return (self.initiative.code, self.document.slug, self.start)

    natural_key.dependencies = ["stats.initiative", "stats.sourcedocument"]  # type: ignore[attr-defined]


class TierChain(models.Model):
    """A chain of organisation tiers as a text spells it out, such as
    区委—街道大党工委—社区大党委—小区党支部."""

    document = models.ForeignKey(
        SourceDocument, on_delete=models.PROTECT, related_name="tier_chains"
    )
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="tier_chains")
    label = models.CharField(max_length=255, blank=True, help_text="what the text calls it")
    start = models.PositiveIntegerField(help_text="offset of the quote, in code points")
    end = models.PositiveIntegerField(help_text="offset just after the quote")
    quote = models.TextField(help_text="the chain as written: 区委—街道大党工委—…")
    history = HistoricalRecords()

    objects = NaturalKeyManager("document__slug", "start")

    class Meta:
        ordering = ["document", "start"]
        verbose_name = "tier chain · 组织链条"
        verbose_name_plural = "tier chains · 组织链条"
        constraints = [
            models.UniqueConstraint(fields=["document", "start"], name="tier_chain_natural_key"),
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="tier_chain_offsets_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.quote

    def natural_key(self) -> tuple[str, int]:
        return (self.document.slug, self.start)

    natural_key.dependencies = ["stats.sourcedocument"]  # type: ignore[attr-defined]


class TierChainLink(models.Model):
    """One tier in a chain, in order from the top, with its words as written."""

    chain = models.ForeignKey(TierChain, on_delete=models.CASCADE, related_name="links")
    position = models.PositiveSmallIntegerField(help_text="1 is the top of the chain")
    tier = models.ForeignKey(OrganisationTier, on_delete=models.PROTECT, related_name="chain_links")
    words = models.CharField(max_length=64, help_text="as written in the text")
    start = models.PositiveIntegerField(help_text="offset of the words, in code points")
    end = models.PositiveIntegerField(help_text="offset just after the words")
    history = HistoricalRecords()

    objects = NaturalKeyManager("chain__document__slug", "chain__start", "position")

    class Meta:
        ordering = ["chain", "position"]
        verbose_name = "tier chain link · 链条层级"
        verbose_name_plural = "tier chain links · 链条层级"
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "position"], name="tier_chain_link_natural_key"
            ),
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="tier_chain_link_offsets_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.words}"

    def natural_key(self) -> tuple[str, int, int]:
        return (*self.chain.natural_key(), self.position)

    natural_key.dependencies = ["stats.tierchain"]  # type: ignore[attr-defined]
