"""Database rows as the pure records the extraction code works on (stats.extraction.sources).

The one adapter between the two worlds: the suggestions read the vocabularies as the database
has them (analysts may have added to them), and an export writes reviewed observations back as
annotation notes. Nothing else converts rows to entries.
"""

from __future__ import annotations

from stats.extraction.sources import (
    DistrictEntry,
    IndicatorEntry,
    InitiativeEntry,
    StatisticNote,
    TierEntry,
)
from stats.extraction.suggest import Vocabulary
from stats.models import District, Indicator, Initiative, Observation, OrganisationTier
from stats.vocabulary import (
    ClaimRank,
    DatePrecision,
    DistrictLevel,
    InitiativeKind,
    PeriodKind,
    Statistic,
    Status,
)

__all__ = ["indicator_entry", "statistic_note", "vocabulary"]


def indicator_entry(i: Indicator) -> IndicatorEntry:
    """A measure as the extraction code sees it."""
    return IndicatorEntry(
        code=i.code,
        name_zh=i.name_zh,
        name_en=i.name_en,
        definition=i.definition,
        unit=i.unit,
        category=i.category,
        tier=i.tier.code if i.tier else None,
        national_term=i.national_term,
        synonyms=tuple(i.synonyms),
        replaces=tuple(i.replaces),
    )


def vocabulary() -> Vocabulary:
    """The vocabularies as the database has them (analysts may have added to them)."""
    return Vocabulary(
        districts=tuple(
            DistrictEntry(
                code=d.code,
                name_zh=d.name_zh,
                name_en=d.name_en,
                level=DistrictLevel(d.level),
                parent=d.parent.code if d.parent else None,
                short_zh=d.short_zh,
                aliases=tuple(d.aliases),
                note=d.note,
            )
            for d in District.objects.select_related("parent").order_by("code")
        ),
        indicators=tuple(
            indicator_entry(i) for i in Indicator.objects.select_related("tier").order_by("code")
        ),
        tiers=tuple(
            TierEntry(
                code=t.code,
                name_zh=t.name_zh,
                name_en=t.name_en,
                rank=t.rank,
                description=t.description,
                aliases=tuple(t.aliases),
            )
            for t in OrganisationTier.objects.order_by("code")
        ),
        initiatives=tuple(
            InitiativeEntry(
                code=i.code,
                name_zh=i.name_zh,
                name_en=i.name_en,
                kind=InitiativeKind(i.kind),
                parent=i.parent.code if i.parent else None,
                districts=tuple(d.code for d in i.districts.all()),
                started_on=i.started_on,
                started_precision=(
                    DatePrecision(i.started_precision) if i.started_precision else None
                ),
                description=i.description,
                aliases=tuple(i.aliases),
            )
            for i in Initiative.objects.select_related("parent")
            .prefetch_related("districts")
            .order_by("code")
        ),
    )


def statistic_note(observation: Observation, context: str) -> StatisticNote:
    """An observation as the annotation that rebuilds it, with ``context`` as its context; the
    tier is named only where it differs from its measure's."""
    indicator = observation.indicator
    tier = observation.tier.code if observation.tier else None
    return StatisticNote(
        context=context,
        figure=observation.raw,
        indicator=indicator.code,
        district=observation.district.code,
        sub_unit=observation.sub_unit,
        tier=tier if tier != (indicator.tier.code if indicator.tier else None) else None,
        initiative=observation.initiative.code if observation.initiative else None,
        period=observation.period_label,
        period_start=observation.period_start,
        period_end=observation.period_end,
        kind=PeriodKind(observation.period_kind),
        unit=observation.unit if observation.unit != indicator.unit else None,
        repeats=False,
        note=observation.note,
        breakdown=observation.breakdown,
        statistic=Statistic(observation.statistic),
        status=Status(observation.status),
        rank=ClaimRank.DEPRECATED if observation.rank == ClaimRank.DEPRECATED else None,
    )
