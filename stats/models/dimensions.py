"""The dimensions observations are described in, shared across texts so that figures compare:
places (districts and zones), organisation tiers, indicators (measures) and initiatives. Each
has a ``code`` natural key and its history."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from stats.models.common import DATE_PRECISION_CHOICES, CodeManager, _choices
from stats.vocabulary import DistrictLevel, InitiativeKind


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
