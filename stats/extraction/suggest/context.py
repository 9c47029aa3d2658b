"""Where and when a figure is, and under what: district, period, initiative, tier, quote.

Each is read from the text around the figure: the nearest place named before it in its
sentence or the heading of its section; the nearest period phrase before it; the nearest
initiative; the tier of its indicator or noun; and the shortest clause, phrase or sentence
around it that the text holds once.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date

from stats.extraction.corpus import NOT_STATED
from stats.extraction.periods import RATE_WORDS, PeriodError, PublicationWindow, resolve_period
from stats.extraction.quantities import Quantity
from stats.extraction.suggest.lexicon import Place
from stats.extraction.suggest.nouns import TermMatch
from stats.extraction.suggest.text import Span, Text
from stats.vocabulary import PeriodKind


def district_at(doc: Text, position: int, default: str | None) -> str | None:
    lexicon = doc.lexicon
    context = default
    for start, code in doc.headings:
        if start > position:
            break
        context = code
    sentence_start = doc.segment(doc.sentence_marks, position, position + 1)[0]
    nearest: Place | None = None
    for start, end, place in doc.places:
        if start >= position:
            break
        if start >= sentence_start and end <= position:
            nearest = place
    if nearest is None:
        return context
    code = nearest.district.code
    if context is not None:
        if nearest.ambiguous and lexicon.cities.get(code) != lexicon.cities.get(context):
            return context
        ancestor = lexicon.parents.get(context)
        while ancestor is not None:
            if ancestor == code:
                return context  # 厦门 in a Jimei article: the more precise place stays
            ancestor = lexicon.parents.get(ancestor)
    return code


@dataclass(frozen=True)
class Period:
    """A figure's period: the phrase as read (or 累计, 未写明), its dates and kind."""

    label: str
    start: date | None
    end: date | None
    kind: PeriodKind


def _resolve(phrase: str, window: PublicationWindow) -> Period | None:
    """The phrase's dates as :func:`resolve_period` reads them, or None: a phrase it does not
    read (未来五年)."""
    try:
        resolved = resolve_period(phrase, window)
    except PeriodError:
        return None
    return Period(phrase, resolved.start, resolved.end, resolved.kind)


def period_of(doc: Text, figure: Span, window: PublicationWindow) -> Period:
    figure_start = figure[0]
    sentence_start = doc.segment(doc.sentence_marks, figure_start, figure_start + 1)[0]
    phrase_start = doc.segment(doc.phrase_marks, figure_start, figure_start + 1)[0]
    i = bisect.bisect_left(doc.period_starts, figure_start)
    while i > 0:
        i -= 1
        match = doc.periods[i]
        if match.start() < sentence_start:
            break
        if match.end() > figure_start:
            continue
        phrase = match.group()
        if phrase in RATE_WORDS and match.start() < phrase_start:
            continue
        resolved = None if doc.is_comparison(match) else _resolve(phrase, window)
        if resolved is None:
            break
        return resolved
    before = doc.text[sentence_start:figure_start]
    if doc.text.startswith("累计", figure_start):
        return Period("累计", None, window.latest, PeriodKind.CUMULATIVE)
    if "累计" in before:
        return Period(NOT_STATED, None, window.latest, PeriodKind.CUMULATIVE)
    if "新增" in before:
        return Period(NOT_STATED, None, window.latest, PeriodKind.FLOW)
    return Period(NOT_STATED, window.earliest, window.latest, PeriodKind.STOCK)


def initiative_of(doc: Text, figure: Span) -> str | None:
    sentence = doc.segment(doc.sentence_marks, *figure)
    before = [m for m in doc.initiatives if sentence[0] <= m.start and m.end <= figure[0]]
    if before:
        return before[-1].code
    phrase = doc.segment(doc.phrase_marks, *figure)
    after = [m for m in doc.initiatives if figure[1] <= m.start and m.end <= phrase[1]]
    return after[0].code if after else None


def tier_of(doc: Text, found: TermMatch | None, quantity: Quantity | None) -> str | None:
    if found is not None and found.term.indicator.tier is not None:
        return found.term.indicator.tier
    if found is None or found.noun is None or quantity is None:
        return None
    if quantity.unit not in ("count", "organisation"):
        return None
    start, end = found.noun
    inside = [m for m in doc.tiers if start <= m.start and m.end <= end]
    return inside[-1].code if inside else None


def quote_span(doc: Text, figure: Span) -> Span:
    span = figure
    for marks in (doc.clause_marks, doc.phrase_marks, doc.sentence_marks):
        span = doc.segment(marks, *figure)
        if doc.occurrences(doc.text[span[0] : span[1]]) == 1:
            break
    return span
