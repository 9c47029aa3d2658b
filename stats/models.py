"""The data model: source documents, places, organisation tiers, initiatives, indicators, and
the observations read from the texts, each traceable to its exact words.

Every model has a natural key (the code or the document offsets), which the fixtures use, so
the fixtures carry no database ids. References between rows are PROTECTed: a place, indicator
or document that observations point at cannot be deleted from under them. The parts of a tier
chain belong to it and go with it. Every change is recorded by django-simple-history.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from stats.vocabulary import (
    BreakdownError,
    ClaimRank,
    DatePrecision,
    DistrictLevel,
    InitiativeKind,
    NotStatisticReason,
    PeriodKind,
    Qualifier,
    Statistic,
    Status,
    breakdown_key,
    parse_breakdown,
    series_key,
)


def quantity_field(help_text: str = "") -> models.DecimalField[Any, Any]:
    """An exact quantity: up to 10^12 (万亿) with four decimals; null when not stated."""
    return models.DecimalField(
        max_digits=20, decimal_places=4, null=True, blank=True, help_text=help_text
    )


def validate_breakdown(value: str) -> None:
    """A breakdown must name codelist categories, written canonically (sex:female)."""
    try:
        canonical = breakdown_key(parse_breakdown(value))
    except BreakdownError as error:
        raise ValidationError(str(error)) from None
    if canonical != value:
        raise ValidationError(f"write it as {canonical!r}")


def _choices(enum: type[Any]) -> list[tuple[str, str]]:
    return [(member.value, member.value.replace("_", " ")) for member in enum]


#: Named choice sets, so the OpenAPI schema names each enum once.
DATE_PRECISION_CHOICES = _choices(DatePrecision)
QUALIFIER_CHOICES = _choices(Qualifier)
PERIOD_KIND_CHOICES = _choices(PeriodKind)
NOT_STATISTIC_CHOICES = _choices(NotStatisticReason)
STATISTIC_CHOICES = _choices(Statistic)
STATUS_CHOICES = _choices(Status)
CLAIM_RANK_CHOICES = _choices(ClaimRank)


class _NaturalKeys:
    """Rows by natural key, and the tables known to hold no other rows than those."""

    def __init__(self) -> None:
        self.found: dict[tuple[Any, ...], Any] = {}
        self.complete: dict[tuple[Any, str], bool] = {}


_natural_keys: ContextVar[_NaturalKeys | None] = ContextVar("natural_keys", default=None)


@contextmanager
def natural_keys_remembered() -> Iterator[None]:
    """Inside the block (a fixture load, which looks the same place, measure or document up
    thousands of times), a row found by its natural key is found again without a query, and
    a table that was empty when first asked answers from memory: the loader tells
    :func:`remember_created` each row it creates."""
    token = _natural_keys.set(_NaturalKeys())
    try:
        yield
    finally:
        _natural_keys.reset(token)


def remember_created(obj: models.Model, using: str) -> None:
    """A row saved inside :func:`natural_keys_remembered`: found by its natural key from now."""
    memory = _natural_keys.get()
    if memory is not None:
        memory.found[(type(obj), using, *obj.natural_key())] = obj  # type: ignore[attr-defined]


def _by_natural_key(manager: models.Manager[Any], key: tuple[Any, ...], **lookup: Any) -> Any:
    memory = _natural_keys.get()
    if memory is None:
        return manager.get(**lookup)
    remembered = (manager.model, manager.db, *key)
    if remembered in memory.found:
        return memory.found[remembered]
    table = (manager.model, manager.db)
    if table not in memory.complete:
        memory.complete[table] = not manager.exists()
    if memory.complete[table]:
        raise manager.model.DoesNotExist(f"no {manager.model.__name__} {key!r}")
    memory.found[remembered] = manager.get(**lookup)
    return memory.found[remembered]


class CodeManager(models.Manager[Any]):
    """Looks rows up by their ``code`` natural key."""

    def get_by_natural_key(self, code: str) -> Any:
        return _by_natural_key(self, (code,), code=code)


class District(models.Model):
    """A place figures are attributed to: a GB/T 2260 division, or a high-tech zone with the
    project's own code (``350200-HTZ``), which can never clash with a six-digit GB code."""

    code = models.CharField(
        max_length=16, unique=True, help_text="GB/T 2260 code, or the project's own code for a zone"
    )
    name_zh = models.CharField("name (Chinese)", max_length=64, help_text="full name: 集美区")
    short_zh = models.CharField(
        "short name (Chinese)", max_length=32, help_text="as texts usually write it: 集美, 湖里"
    )
    name_en = models.CharField(
        "name (English)", max_length=128, help_text="English name: Jimei District"
    )
    pinyin = models.CharField(max_length=64, help_text="with tone marks: Jíměi")
    level = models.CharField(
        max_length=24,
        choices=_choices(DistrictLevel),
        db_index=True,
        help_text="administrative level",
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    aliases = models.JSONField(default=list, blank=True, help_text="other names texts use")
    note = models.TextField(blank=True, help_text="remarks on the place or its code")
    history = HistoricalRecords()

    objects = CodeManager()

    class Meta:
        ordering = ["code"]
        verbose_name = "district · 地区"
        verbose_name_plural = "districts · 地区"

    def __str__(self) -> str:
        return f"{self.name_zh} ({self.code})"

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class OrganisationTier(models.Model):
    """A level of party organisation (区委, 街道党工委, 小区党支部 …); rank 10 is the highest."""

    code = models.SlugField(
        max_length=64, unique=True, help_text="stable identifier: residential_compound_branch"
    )
    name_zh = models.CharField("name (Chinese)", max_length=64, help_text="小区党支部")
    name_en = models.CharField(
        "name (English)", max_length=128, help_text="residential compound party branch"
    )
    rank = models.PositiveSmallIntegerField(
        help_text="smaller is higher: 20 district committee, 50 branch"
    )
    description = models.TextField(blank=True, help_text="what organisations of this tier are")
    aliases = models.JSONField(
        default=list, blank=True, help_text="spellings texts use for this tier"
    )
    history = HistoricalRecords()

    objects = CodeManager()

    class Meta:
        ordering = ["rank", "code"]
        verbose_name = "organisation tier · 组织层级"
        verbose_name_plural = "organisation tiers · 组织层级"

    def __str__(self) -> str:
        return f"{self.name_zh} · {self.name_en}"

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class SourceDocumentManager(models.Manager["SourceDocument"]):
    """Looks documents up by slug."""

    def get_by_natural_key(self, slug: str) -> SourceDocument:
        return _by_natural_key(self, (slug,), slug=slug)  # type: ignore[no-any-return]


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

    objects = SourceDocumentManager()

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


class Indicator(models.Model):
    """What is counted, shared across districts so that figures are comparable. Where it
    matches a term of the national 党内统计公报, ``national_term`` names it."""

    code = models.SlugField(
        max_length=80, unique=True, help_text="stable identifier: party_members"
    )
    name_zh = models.CharField("name (Chinese)", max_length=128, help_text="党员人数")
    name_en = models.CharField("name (English)", max_length=255, help_text="party members")
    definition = models.TextField(help_text="exactly what is counted, and what is not")
    unit = models.CharField(
        max_length=32, help_text="canonical unit: person, person_time, organisation, CNY …"
    )
    category = models.CharField(
        max_length=32, help_text="a grouping: membership, organisation, service, funding …"
    )
    tier = models.ForeignKey(
        OrganisationTier, on_delete=models.PROTECT, null=True, blank=True, related_name="indicators"
    )
    national_term = models.CharField(
        max_length=64, blank=True, help_text="党内统计公报 term; empty: the project's own indicator"
    )
    synonyms = models.JSONField(default=list, blank=True, help_text="nouns that name it in texts")
    replaces = models.JSONField(
        default=list,
        blank=True,
        help_text="codes this measure replaced; the API still accepts them as deprecated aliases",
    )
    history = HistoricalRecords()

    objects = CodeManager()

    class Meta:
        ordering = ["code"]
        verbose_name = "indicator · 指标"
        verbose_name_plural = "indicators · 指标"

    def __str__(self) -> str:
        return f"{self.name_zh} · {self.name_en}"

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    @property
    def is_national(self) -> bool:
        """Whether the indicator maps to the national statistical bulletin's vocabulary."""
        return bool(self.national_term)


class Initiative(models.Model):
    """A named programme, campaign, platform, method or brand (金牌引领·百支齐行, 厦门党建e家)."""

    code = models.SlugField(
        max_length=80, unique=True, help_text="stable identifier: jinpai-yinling-baizhi-qixing"
    )
    name_zh = models.CharField(
        "name (Chinese)", max_length=128, help_text="as written: 金牌引领·百支齐行"
    )
    name_en = models.CharField(
        "name (English)", max_length=255, help_text="an English rendering of the name"
    )
    kind = models.CharField(
        max_length=16,
        choices=_choices(InitiativeKind),
        help_text="programme, campaign, platform, method or brand",
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="parts"
    )
    districts = models.ManyToManyField(District, related_name="initiatives", blank=True)
    started_on = models.DateField(
        null=True, blank=True, help_text="when it started, to started_precision; null: unknown"
    )
    started_precision = models.CharField(
        max_length=8,
        choices=DATE_PRECISION_CHOICES,
        blank=True,
        help_text="how exactly started_on is known; empty when unknown",
    )
    description = models.TextField(blank=True, help_text="what it is, from the texts")
    aliases = models.JSONField(
        default=list, blank=True, help_text="other spellings searched for mentions"
    )
    history = HistoricalRecords(m2m_fields=[districts])

    objects = CodeManager()

    class Meta:
        ordering = ["code"]
        verbose_name = "initiative · 工作品牌"
        verbose_name_plural = "initiatives · 工作品牌"

    def __str__(self) -> str:
        return self.name_zh

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class InitiativeMentionManager(models.Manager["InitiativeMention"]):
    """Looks mentions up by initiative code, document slug and start offset."""

    def get_by_natural_key(self, initiative: str, document: str, start: int) -> InitiativeMention:
        return _by_natural_key(  # type: ignore[no-any-return]
            self,
            (initiative, document, start),
            initiative__code=initiative,
            document__slug=document,
            start=start,
        )


class InitiativeMention(models.Model):
    """A place where a text names an initiative; ``quote == document.text[start:end]``."""

    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="mentions")
    document = models.ForeignKey(
        SourceDocument, on_delete=models.PROTECT, related_name="initiative_mentions"
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()

    objects = InitiativeMentionManager()

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


class TierChainManager(models.Manager["TierChain"]):
    """Looks chains up by document slug and start offset."""

    def get_by_natural_key(self, document: str, start: int) -> TierChain:
        return _by_natural_key(  # type: ignore[no-any-return]
            self, (document, start), document__slug=document, start=start
        )


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

    objects = TierChainManager()

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


class TierChainLinkManager(models.Manager["TierChainLink"]):
    """Looks links up by their chain's natural key and position."""

    def get_by_natural_key(self, document: str, chain_start: int, position: int) -> TierChainLink:
        return _by_natural_key(  # type: ignore[no-any-return]
            self,
            (document, chain_start, position),
            chain__document__slug=document,
            chain__start=chain_start,
            position=position,
        )


class TierChainLink(models.Model):
    """One tier in a chain, in order from the top, with its words as written."""

    chain = models.ForeignKey(TierChain, on_delete=models.CASCADE, related_name="links")
    position = models.PositiveSmallIntegerField(help_text="1 is the top of the chain")
    tier = models.ForeignKey(OrganisationTier, on_delete=models.PROTECT, related_name="chain_links")
    words = models.CharField(max_length=64, help_text="as written in the text")
    start = models.PositiveIntegerField(help_text="offset of the words, in code points")
    end = models.PositiveIntegerField(help_text="offset just after the words")
    history = HistoricalRecords()

    objects = TierChainLinkManager()

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


class ObservationManager(models.Manager["Observation"]):
    """Looks observations up by document slug and the figure's start offset."""

    def get_by_natural_key(self, document: str, figure_start: int) -> Observation:
        return _by_natural_key(  # type: ignore[no-any-return]
            self, (document, figure_start), document__slug=document, figure_start=figure_start
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

    objects = ObservationManager()

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
            models.CheckConstraint(
                condition=Q(lower_bound__isnull=True)
                | Q(upper_bound__isnull=True)
                | Q(lower_bound__lte=F("upper_bound")),
                name="observation_bounds_ordered",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True)
                | Q(lower_bound__isnull=True)
                | Q(value__gte=F("lower_bound")),
                name="observation_value_above_lower_bound",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True)
                | Q(upper_bound__isnull=True)
                | Q(value__lte=F("upper_bound")),
                name="observation_value_below_upper_bound",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_start__lte=F("period_end")),
                name="observation_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(qualifier__in=[q.value for q in Qualifier]),
                name="observation_qualifier_known",
            ),
            models.CheckConstraint(
                condition=Q(statistic__in=[s.value for s in Statistic]),
                name="observation_statistic_known",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in Status]),
                name="observation_status_known",
            ),
            models.CheckConstraint(
                condition=Q(rank__in=[r.value for r in ClaimRank]),
                name="observation_rank_known",
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
