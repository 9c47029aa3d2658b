"""Render a built corpus as Django fixtures: JSON with natural keys and no database ids.

The output is deterministic (same bytes on every run): records are sorted by natural key,
fields are written in a fixed order, Chinese is written as is, quantities are decimal strings.
The files load with ``manage.py load_corpus`` (or plain ``loaddata``) in the numbered order.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from stats.extraction.corpus import Corpus
from stats.extraction.places import place_pinyin
from stats.extraction.quantities import quantity_columns
from stats.extraction.sources import DistrictEntry, InitiativeEntry

__all__ = ["FIXTURE_FILES", "render_fixtures"]

_T = TypeVar("_T", DistrictEntry, InitiativeEntry)

#: Quantity columns that come after ``unit`` in an observation's fixture (a fixed field order).
_AFTER_UNIT = ("measure_word", "raw", "mantissa", "scale", "scale_power")

#: Fixture files in load order (a file only refers to rows of earlier files).
FIXTURE_FILES = (
    "01_districts.json",
    "02_tiers.json",
    "03_documents.json",
    "04_indicators.json",
    "05_initiatives.json",
    "06_initiative_mentions.json",
    "07_tier_chains.json",
    "08_tier_chain_links.json",
    "09_observations.json",
)


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _record(model: str, fields: dict[str, object]) -> dict[str, object]:
    return {"model": f"stats.{model}", "fields": {k: _plain(v) for k, v in fields.items()}}


def _parents_first(entries: Iterable[_T]) -> list[_T]:
    ordered: list[_T] = []
    pending = sorted(entries, key=lambda e: e.code)
    placed: set[str] = set()
    while pending:
        ready = [e for e in pending if e.parent is None or e.parent in placed]
        if not ready:  # a cycle or unknown parent; the corpus build reports it
            ordered.extend(pending)
            break
        for entry in ready:
            ordered.append(entry)
            placed.add(entry.code)
        pending = [e for e in pending if e.code not in placed]
    return ordered


def _nk(value: str | None) -> list[str] | None:
    return None if value is None else [value]


def render_fixtures(corpus: Corpus) -> dict[str, bytes]:
    """File name → bytes for every fixture file."""
    sources = corpus.sources
    files: dict[str, list[dict[str, object]]] = {name: [] for name in FIXTURE_FILES}

    for d in _parents_first(sources.districts):
        files["01_districts.json"].append(
            _record(
                "district",
                {
                    "code": d.code,
                    "name_zh": d.name_zh,
                    "short_zh": d.short_zh,
                    "name_en": d.name_en,
                    "pinyin": place_pinyin(d.short_zh),
                    "level": d.level.value,
                    "parent": _nk(d.parent),
                    "aliases": list(d.aliases),
                    "note": d.note,
                },
            )
        )
    for t in sorted(sources.tiers, key=lambda t: (t.rank, t.code)):
        files["02_tiers.json"].append(
            _record(
                "organisationtier",
                {
                    "code": t.code,
                    "name_zh": t.name_zh,
                    "name_en": t.name_en,
                    "rank": t.rank,
                    "description": t.description,
                    "aliases": list(t.aliases),
                },
            )
        )
    for doc in sorted(sources.documents, key=lambda d: d.slug):
        files["03_documents.json"].append(
            _record(
                "sourcedocument",
                {
                    "slug": doc.slug,
                    "title": doc.title,
                    "title_en": doc.title_en,
                    "outlet": doc.outlet,
                    "authors": list(doc.authors),
                    "place": [doc.place],
                    "published_precision": doc.published_precision.value,
                    "published_earliest": doc.published_earliest,
                    "published_latest": doc.published_latest,
                    "published_at": doc.published_at,
                    "published_basis": doc.published_basis,
                    "original_name": doc.original_name,
                    "sha256": doc.sha256,
                    "text": doc.text,
                },
            )
        )
    for i in sorted(sources.indicators, key=lambda i: i.code):
        files["04_indicators.json"].append(
            _record(
                "indicator",
                {
                    "code": i.code,
                    "name_zh": i.name_zh,
                    "name_en": i.name_en,
                    "definition": i.definition,
                    "unit": i.unit,
                    "category": i.category,
                    "tier": _nk(i.tier),
                    "national_term": i.national_term,
                    "synonyms": list(i.synonyms),
                    "replaces": list(i.replaces),
                },
            )
        )
    for n in _parents_first(sources.initiatives):
        files["05_initiatives.json"].append(
            _record(
                "initiative",
                {
                    "code": n.code,
                    "name_zh": n.name_zh,
                    "name_en": n.name_en,
                    "kind": n.kind.value,
                    "parent": _nk(n.parent),
                    "districts": [[c] for c in sorted(n.districts)],
                    "started_on": n.started_on,
                    "started_precision": n.started_precision.value if n.started_precision else "",
                    "description": n.description,
                    "aliases": list(n.aliases),
                },
            )
        )
    for m in corpus.mentions:
        files["06_initiative_mentions.json"].append(
            _record(
                "initiativemention",
                {
                    "initiative": [m.initiative],
                    "document": [m.document],
                    "start": m.start,
                    "end": m.end,
                    "quote": m.quote,
                },
            )
        )
    for chain in corpus.tier_chains:
        files["07_tier_chains.json"].append(
            _record(
                "tierchain",
                {
                    "document": [chain.document],
                    "district": [chain.district],
                    "label": chain.label,
                    "start": chain.start,
                    "end": chain.end,
                    "quote": chain.quote,
                },
            )
        )
        for link in chain.links:
            files["08_tier_chain_links.json"].append(
                _record(
                    "tierchainlink",
                    {
                        "chain": [chain.document, chain.start],
                        "position": link.position,
                        "tier": [link.tier],
                        "words": link.words,
                        "start": link.start,
                        "end": link.end,
                    },
                )
            )
    for o in corpus.observations:
        columns = quantity_columns(o.quantity)
        files["09_observations.json"].append(
            _record(
                "observation",
                {
                    "document": [o.document],
                    "figure_start": o.figure_start,
                    "figure_end": o.figure_end,
                    "start": o.start,
                    "end": o.end,
                    "quote": o.quote,
                    "indicator": [o.indicator],
                    "district": [o.district],
                    "sub_unit": o.sub_unit,
                    "tier": _nk(o.tier),
                    "initiative": _nk(o.initiative),
                    "breakdown": o.breakdown,
                    "statistic": o.statistic.value,
                    "status": o.status.value,
                    "series": o.series,
                    "rank": o.rank.value,
                    "rank_reason": o.rank_reason,
                    "period_label": o.period_label,
                    "period_start": o.period_start,
                    "period_end": o.period_end,
                    "period_kind": o.period_kind.value,
                    **{k: v for k, v in columns.items() if k not in _AFTER_UNIT},
                    "unit": o.unit,
                    **{k: columns[k] for k in _AFTER_UNIT},
                    "note": o.note,
                },
            )
        )
    return {name: _dump(records) for name, records in files.items()}


def _dump(records: list[dict[str, Any]]) -> bytes:
    return (json.dumps(records, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
