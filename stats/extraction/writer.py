"""Write annotations in the seed format: the inverse of the reader in stats.extraction.sources.

Pure and typed. :func:`annotations_yaml` turns a document's notes into the text of an
``annotations/<slug>.yaml`` file that the reader reads back into the same notes (a round trip,
tested on every seed file), leaving out what the reader would fill in anyway (the default
district, a level, an actual status). :func:`manifest_entry` writes a document's entry of
``manifest.yaml``; :func:`indicator_yaml` a measure's entry of ``vocabulary/indicators.yaml``,
appended to that file when a measure defined in review is exported.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import yaml

from stats.extraction.sources import (
    DocumentAnnotations,
    IndicatorEntry,
    NonStatisticNote,
    StatisticNote,
    TierChainNote,
)
from stats.vocabulary import Statistic, Status, parse_breakdown

__all__ = [
    "annotations_yaml",
    "dump_yaml",
    "indicator_yaml",
    "manifest_entry",
    "statistic_entry",
]


def dump_yaml(data: object) -> str:
    """YAML as the seed files are written: Chinese as is, keys in the order given."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def statistic_entry(note: StatisticNote, default_district: str | None = None) -> dict[str, Any]:
    """One ``statistics:`` entry, without the values the reader would fill in by default."""
    entry: dict[str, Any] = {"context": note.context}
    if note.figure is not None:
        entry["figure"] = note.figure
    entry["indicator"] = note.indicator
    if note.district != default_district:
        entry["district"] = note.district
    if note.sub_unit:
        entry["sub_unit"] = note.sub_unit
    if note.tier:
        entry["tier"] = note.tier
    if note.initiative:
        entry["initiative"] = note.initiative
    if note.breakdown:
        entry["breakdown"] = parse_breakdown(note.breakdown)
    if note.statistic is not Statistic.LEVEL:
        entry["statistic"] = note.statistic.value
    if note.status is not Status.ACTUAL:
        entry["status"] = note.status.value
    if note.rank is not None:
        entry["rank"] = note.rank.value
    entry["period"] = note.period
    if note.period_start is not None:
        entry["period_start"] = note.period_start.isoformat()
    if note.period_end is not None:
        entry["period_end"] = note.period_end.isoformat()
    if note.kind is not None:
        entry["kind"] = note.kind.value
    if note.unit is not None:
        entry["unit"] = note.unit
    if note.repeats:
        entry["repeats"] = True
    if note.note:
        entry["note"] = note.note
    return entry


def _non_statistic_entry(note: NonStatisticNote) -> dict[str, Any]:
    entry: dict[str, Any] = {"context": note.context}
    if note.numeral is not None:
        entry["numeral"] = note.numeral
    entry["reason"] = note.reason.value
    if note.occurrence is not None:
        entry["occurrence"] = "all" if note.occurrence == 0 else note.occurrence
    if note.note:
        entry["note"] = note.note
    return entry


def _tier_chain_entry(note: TierChainNote, default_district: str | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"context": note.context}
    if note.district != default_district:
        entry["district"] = note.district
    entry["tiers"] = list(note.tiers)
    if note.label:
        entry["label"] = note.label
    return entry


def annotations_yaml(notes: DocumentAnnotations, default_district: str | None = None) -> str:
    """The text of an annotation file holding ``notes``."""
    data: dict[str, Any] = {"document": notes.document}
    if default_district is not None:
        data["defaults"] = {"district": default_district}
    data["statistics"] = [statistic_entry(n, default_district) for n in notes.statistics]
    data["not_statistics"] = [_non_statistic_entry(n) for n in notes.not_statistics]
    if notes.tier_chains:
        data["tier_chains"] = [_tier_chain_entry(n, default_district) for n in notes.tier_chains]
    return dump_yaml(data)


def manifest_entry(
    *,
    slug: str,
    original_name: str,
    sha256: str,
    title: str,
    title_en: str,
    outlet: str,
    authors: list[str],
    place: str,
    precision: str,
    earliest: date,
    latest: date,
    at: datetime | None,
    basis: str,
) -> dict[str, Any]:
    """A document's entry of ``manifest.yaml``, as the reader expects it."""
    published: dict[str, Any] = {"precision": precision, "earliest": earliest, "latest": latest}
    if at is not None:
        published["at"] = at.isoformat()
    published["basis"] = basis
    return {
        "slug": slug,
        "file": f"{slug}.txt",
        "original_name": original_name,
        "sha256": sha256,
        "title": title,
        "title_en": title_en or title,
        "outlet": outlet,
        "authors": authors,
        "place": place,
        "published": published,
    }


def _indicator_entry(entry: IndicatorEntry) -> dict[str, Any]:
    """A measure's entry of ``vocabulary/indicators.yaml``, in the order of the file's entries;
    ``replaces`` only when it has codes, as the file writes it."""
    data: dict[str, Any] = {
        "code": entry.code,
        "name_zh": entry.name_zh,
        "name_en": entry.name_en,
        "definition": entry.definition,
        "unit": entry.unit,
        "category": entry.category,
        "tier": entry.tier,
        "national_term": entry.national_term,
        "synonyms": list(entry.synonyms),
    }
    if entry.replaces:
        data["replaces"] = list(entry.replaces)
    return data


def indicator_yaml(entry: IndicatorEntry) -> str:
    """The text of one item of ``vocabulary/indicators.yaml`` (a top-level list), to append at
    the end of the file: the reader reads it back as ``entry``."""
    return dump_yaml([_indicator_entry(entry)])
