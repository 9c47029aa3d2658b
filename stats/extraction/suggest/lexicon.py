"""The vocabulary prepared for matching: indicators' words, places' names, initiatives, tiers.

:class:`Vocabulary` is what suggestions may name; :func:`lexicon_of` turns it, once per
vocabulary (cached), into tables by first character, longest word first, with each place's
parents and city. The codelists' category words are prepared once at import.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from stats.extraction.quantities import MEASURE_WORDS
from stats.extraction.reading import fold
from stats.extraction.sources import DistrictEntry, IndicatorEntry, InitiativeEntry, TierEntry
from stats.extraction.suggest.language import (
    AFTER_SINGLE,
    BRACKETS,
    CLAUSE_MARKS,
    IGNORED_MARKS,
    NAME_SUFFIXES,
)
from stats.vocabulary import CODELISTS


@dataclass(frozen=True)
class Vocabulary:
    """What suggestions may name: the codes and words of the reviewed vocabularies."""

    districts: tuple[DistrictEntry, ...]
    indicators: tuple[IndicatorEntry, ...]
    tiers: tuple[TierEntry, ...]
    initiatives: tuple[InitiativeEntry, ...]


_P = TypeVar("_P")


@dataclass(frozen=True)
class Term:
    word: str
    indicator: IndicatorEntry


@dataclass(frozen=True)
class Place:
    word: str
    district: DistrictEntry
    ambiguous: bool  # also part of another place's name (高新区 in 厦门火炬高新区)


@dataclass(frozen=True)
class Lexicon:
    terms: dict[str, tuple[Term, ...]]  # first character → words, longest first
    places: dict[str, tuple[Place, ...]]
    initiatives: dict[str, tuple[tuple[str, str], ...]]  # first character → (word, code)
    tiers: dict[str, tuple[tuple[str, str], ...]]
    indicators: tuple[IndicatorEntry, ...]
    words: dict[str, frozenset[str]]  # an indicator's words, by code
    parents: dict[str, str | None]
    cities: dict[str, str | None]  # district → its prefecture-level city or province


def _by_first_char(entries: Iterable[tuple[str, str, _P]]) -> dict[str, tuple[_P, ...]]:
    """(word, code, payload) by the word's first character, longest word first; equal words by
    code, so that the result does not depend on the vocabulary's order."""
    table: dict[str, list[tuple[str, str, _P]]] = {}
    for entry in entries:
        if entry[0]:
            table.setdefault(entry[0][0], []).append(entry)
    return {
        first: tuple(e[2] for e in sorted(rows, key=lambda e: (-len(e[0]), e[0], e[1])))
        for first, rows in table.items()
    }


def plain(word: str) -> str:
    """A word as matched: folded like the text, without quotation marks, white space and
    bracketed asides."""
    word = BRACKETS.sub("", fold(word).text)
    return "".join(c for c in word if not c.isspace() and c not in IGNORED_MARKS)


def _indicator_words(indicator: IndicatorEntry) -> set[str]:
    """The indicator's synonyms and name, and the name without its counting suffix (党员人数 →
    党员). Single characters and bare measure words (人次, 轮) say nothing of what is counted."""
    words = {plain(w) for w in indicator.synonyms}
    name = plain(indicator.name_zh)
    words.add(name)
    for suffix in NAME_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            words.add(name[: -len(suffix)])
            break
    return {w for w in words if len(w) >= 2 and w not in MEASURE_WORDS}


#: Levels whose short names texts use alone all over China (泉州, 宁德, 广西, 恩施).
_SHORT_NAME_LEVELS = frozenset({"province", "prefecture_city", "prefecture", "development_zone"})

#: Codes (a prefix) of the province whose county-level short names are read alone too: the
#: product's own (晋江, 鲤城, 湖里). Elsewhere a county-level place is read by its full name
#: (通州区, not 通州) or an alias: two-character short names of counties are too often ordinary
#: words (和平, 富民, 安定, 东方).
_SHORT_NAME_PROVINCES = ("35",)

#: Levels that count as "the city" of a place below them.
_CITY_LEVELS = frozenset({"prefecture_city", "prefecture", "province"})

#: Words after a short name that make it the name of something else: 古田会议, 延安精神.
NOT_A_PLACE_AFTER = ("会议", "精神")


def _words_of_place(district: DistrictEntry) -> list[str]:
    """The words a text names the place by: its full name (of three characters or more: 和县,
    城区 are read only as part of a longer phrase), its aliases, and its short name where
    short names are read alone (:data:`_SHORT_NAME_LEVELS`, :data:`_SHORT_NAME_PROVINCES`)."""
    words = [fold(w).text for w in district.aliases]
    if len(district.name_zh) >= 3:
        words.append(fold(district.name_zh).text)
    short_names_read = district.level.value in _SHORT_NAME_LEVELS or district.code.startswith(
        _SHORT_NAME_PROVINCES
    )
    if len(district.short_zh) >= 2 and short_names_read:
        words.append(fold(district.short_zh).text)
    return list(dict.fromkeys(w for w in words if w))


@lru_cache(maxsize=8)
def lexicon_of(vocabulary: Vocabulary) -> Lexicon:
    place_words = [
        (word, district) for district in vocabulary.districts for word in _words_of_place(district)
    ]
    # Which words are part of another place's longer word (高新区 in 厦门火炬高新区): every
    # substring of every word, looked up once (the table has some ten thousand words).
    known = {word for word, _ in place_words}
    inside: dict[str, set[str]] = {}
    for w, other in place_words:
        for a in range(len(w)):
            for b in range(a + 1, len(w) + 1):
                if b - a < len(w) and w[a:b] in known:
                    inside.setdefault(w[a:b], set()).add(other.code)
    places = [
        (
            word,
            district.code,
            Place(word, district, bool(inside.get(word, set()) - {district.code})),
        )
        for word, district in place_words
    ]
    parents = {d.code: d.parent for d in vocabulary.districts}
    levels = {d.code: d.level.value for d in vocabulary.districts}

    def city(code: str) -> str | None:
        seen: str | None = code
        while seen is not None and levels.get(seen) not in _CITY_LEVELS:
            seen = parents.get(seen)
        return seen

    return Lexicon(
        terms=_by_first_char(
            (word, indicator.code, Term(word, indicator))
            for indicator in vocabulary.indicators
            for word in _indicator_words(indicator)
        ),
        places=_by_first_char(places),
        initiatives=_by_first_char(
            (name, i.code, (name, i.code))
            for i in vocabulary.initiatives
            for name in (fold(n).text for n in (i.name_zh, *i.aliases))
        ),
        tiers=_by_first_char(
            (name, t.code, (name, t.code))
            for t in vocabulary.tiers
            for name in (fold(n).text for n in (t.name_zh, *t.aliases))
        ),
        indicators=tuple(sorted(vocabulary.indicators, key=lambda i: i.code)),
        words={i.code: frozenset(_indicator_words(i)) for i in vocabulary.indicators},
        parents=parents,
        cities={code: city(code) for code in parents},
    )


@dataclass(frozen=True)
class CategoryWord:
    word: str
    dimension: str
    code: str


def _category_words() -> dict[str, tuple[CategoryWord, ...]]:
    entries = []
    for dimension, codelist in CODELISTS.items():
        for category in codelist.categories:
            for word in {plain(w) for w in (*category.words, category.name_zh)}:
                if any(c in CLAUSE_MARKS for c in word):
                    continue  # 生产、工作一线: the text's 、 cuts it; 一线 is a word of its own
                if len(word) >= 2 or word in AFTER_SINGLE:
                    entries.append(
                        (word, category.code, CategoryWord(word, dimension, category.code))
                    )
    return _by_first_char(entries)


CATEGORY_WORDS = _category_words()


def ancestors(parents: dict[str, str | None], code: str) -> list[str]:
    """``code`` and the codes above it, nearest first."""
    chain: list[str] = []
    seen: str | None = code
    while seen is not None and seen not in chain:
        chain.append(seen)
        seen = parents.get(seen)
    return chain


def root(parents: dict[str, str | None], code: str) -> str:
    """The province (the top) above ``code``."""
    return ancestors(parents, code)[-1]
