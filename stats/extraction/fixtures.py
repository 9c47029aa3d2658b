"""Render a built corpus as Django fixtures: JSON with natural keys and no database ids.

The output is deterministic (same bytes on every run): records are sorted by natural key,
fields are written in a fixed order, Chinese is written as is, quantities are decimal strings.
The files load with ``manage.py load_corpus`` (or plain ``loaddata``) in the numbered order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from stats.extraction.places import place_pinyin
from stats.extraction.quantities import quantity_columns
from stats.extraction.records import Corpus
from stats.extraction.sources import DistrictEntry, InitiativeEntry

__all__ = ["FIXTURE_FILES", "render_fixtures"]

_T = TypeVar("_T", DistrictEntry, InitiativeEntry)

#: Quantity columns that come after ``unit`` in an observation's fixture (a fixed field order).
_AFTER_UNIT = ("measure_word", "raw", "mantissa", "scale", "scale_power")


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
    return {
        name: _dump([_record(model, fields) for fields in rows(corpus)])
        for name, (model, rows) in _FILES.items()
    }


_Rows = Iterator[dict[str, object]]


def _districts(corpus: Corpus) -> _Rows:
    for d in _parents_first(corpus.sources.districts):
        yield {
            "code": d.code,
            "name_zh": d.name_zh,
            "short_zh": d.short_zh,
            "name_en": d.name_en,
            "pinyin": place_pinyin(d.short_zh),
            "level": d.level.value,
            "parent": _nk(d.parent),
            "aliases": list(d.aliases),
            "note": d.note,
        }


def _tiers(corpus: Corpus) -> _Rows:
    for t in sorted(corpus.sources.tiers, key=lambda t: (t.rank, t.code)):
        yield {
            "code": t.code,
            "name_zh": t.name_zh,
            "name_en": t.name_en,
            "rank": t.rank,
            "description": t.description,
            "aliases": list(t.aliases),
        }


def _documents(corpus: Corpus) -> _Rows:
    for doc in sorted(corpus.sources.documents, key=lambda d: d.slug):
        yield {
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
        }


def _indicators(corpus: Corpus) -> _Rows:
    for i in sorted(corpus.sources.indicators, key=lambda i: i.code):
        yield {
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
        }


def _initiatives(corpus: Corpus) -> _Rows:
    for n in _parents_first(corpus.sources.initiatives):
        yield {
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
        }


def _mentions(corpus: Corpus) -> _Rows:
    for m in corpus.mentions:
        yield {
            "initiative": [m.initiative],
            "document": [m.document],
            "start": m.start,
            "end": m.end,
            "quote": m.quote,
        }


def _tier_chains(corpus: Corpus) -> _Rows:
    for chain in corpus.tier_chains:
        yield {
            "document": [chain.document],
            "district": [chain.district],
            "label": chain.label,
            "start": chain.start,
            "end": chain.end,
            "quote": chain.quote,
        }


def _tier_chain_links(corpus: Corpus) -> _Rows:
    for chain in corpus.tier_chains:
        for link in chain.links:
            yield {
                "chain": [chain.document, chain.start],
                "position": link.position,
                "tier": [link.tier],
                "words": link.words,
                "start": link.start,
                "end": link.end,
            }


def _observations(corpus: Corpus) -> _Rows:
    for o in corpus.observations:
        columns = quantity_columns(o.quantity)
        yield {
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
        }


#: Each fixture file in load order (a file only refers to rows of earlier files): the model
#: of its records and their fields, in a fixed order.
_FILES: dict[str, tuple[str, Callable[[Corpus], _Rows]]] = {
    "01_districts.json": ("district", _districts),
    "02_tiers.json": ("organisationtier", _tiers),
    "03_documents.json": ("sourcedocument", _documents),
    "04_indicators.json": ("indicator", _indicators),
    "05_initiatives.json": ("initiative", _initiatives),
    "06_initiative_mentions.json": ("initiativemention", _mentions),
    "07_tier_chains.json": ("tierchain", _tier_chains),
    "08_tier_chain_links.json": ("tierchainlink", _tier_chain_links),
    "09_observations.json": ("observation", _observations),
}
FIXTURE_FILES = tuple(_FILES)


def _dump(records: list[dict[str, Any]]) -> bytes:
    return (json.dumps(records, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
