"""The entry: a :class:`Suggestion` for every numeral of an article's text.

:func:`suggest` folds the text, reads every numeral the scanner finds (``interpret``,
``context``, ``triage``) and maps the result back to the original text's offsets.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from stats.extraction.periods import PublicationWindow
from stats.extraction.quantities import FigureError, Quantity, parse_quantity
from stats.extraction.reading import Folded, fold
from stats.extraction.scanner import NumeralKind, NumeralMatch, scan_folded
from stats.extraction.sources import IndicatorEntry
from stats.extraction.suggest.context import (
    district_at,
    initiative_of,
    period_of,
    quote_span,
    tier_of,
)
from stats.extraction.suggest.interpret import Reading, interpret
from stats.extraction.suggest.lexicon import Vocabulary, lexicon_of
from stats.extraction.suggest.nouns import unit_fits
from stats.extraction.suggest.text import Span, Text
from stats.extraction.suggest.triage import not_statistic_reason, owns_no_noun
from stats.vocabulary import NotStatisticReason, Statistic, Status, breakdown_key, observation_unit


@dataclass(frozen=True)
class Suggestion:
    """One figure of the text and what it probably means.

    ``figure_start``/``figure_end`` delimit the figure as the parser reads it (``text[...]``
    with the layout's white space is ``raw``); ``start``/``end`` the quote, a clause around
    it that says what is counted, unique in the text where possible. ``quantity`` is None and
    ``reading_error`` says why when the figure cannot be read. ``not_statistic`` is a
    suggested reason when the numeral is probably not a statistic (a date, an ordinal, a
    name); the other fields are then best guesses or None."""

    figure_start: int
    figure_end: int
    raw: str
    start: int
    end: int
    quote: str
    quantity: Quantity | None
    reading_error: str | None
    not_statistic: NotStatisticReason | None
    district: str | None
    indicator: str | None
    unit: str | None
    period_label: str | None
    period_start: date | None
    period_end: date | None
    period_kind: str | None
    tier: str | None
    initiative: str | None
    breakdown: str  # canonical key (sex:female, age:35_or_under,sex:female); "" the total
    statistic: Statistic
    status: Status
    counted_noun: str | None  # what the figure counts, as written (志愿服务队), if it says


def _read_figure(text: str, match: NumeralMatch) -> tuple[int, int, Quantity | None, str | None]:
    """The figure span the parser reads, its quantity, or why it cannot be read."""
    try:
        return match.start, match.end, parse_quantity(match.text), None
    except FigureError as error:
        first_error = str(error)
    if match.kind is not NumeralKind.DATE:
        # The longest part that reads: an unknown word after the number, a stray prefix.
        for length in range(match.end - match.start - 1, 0, -1):
            for start in range(match.start, match.end - length + 1):
                piece = text[start : start + length]
                if piece != piece.strip():
                    continue
                try:
                    return start, start + length, parse_quantity(piece), None
                except FigureError:
                    continue
    return match.start, match.end, None, first_error


def suggest(
    text: str,
    window: PublicationWindow,
    vocabulary: Vocabulary,
    default_district: str | None = None,
) -> list[Suggestion]:
    """A suggestion for every numeral of ``text``, in text order.

    The rules read the text folded (:func:`stats.extraction.reading.fold`: simplified script,
    ASCII digits and punctuation, no stray spaces inside figures); every offset, ``raw``,
    ``quote`` and ``quantity.raw`` is the original text's. Period labels and the counted noun
    are given as read (folded)."""
    folded = fold(text)
    return [
        _to_original(folded, s) for s in _suggest(folded.text, window, vocabulary, default_district)
    ]


def _to_original(folded: Folded, suggestion: Suggestion) -> Suggestion:
    """The suggestion with the original text's offsets, figure and quote."""
    if folded.identity and folded.text == folded.original:
        return suggestion
    figure_start, figure_end = folded.original_span(suggestion.figure_start, suggestion.figure_end)
    start, end = folded.original_span(suggestion.start, suggestion.end)
    raw = folded.original[figure_start:figure_end]
    quantity = suggestion.quantity
    if quantity is not None:
        quantity = dataclasses.replace(quantity, raw=raw)
    return dataclasses.replace(
        suggestion,
        figure_start=figure_start,
        figure_end=figure_end,
        raw=raw,
        start=start,
        end=end,
        quote=folded.original[start:end],
        quantity=quantity,
    )


def _bounds(
    figures: Sequence[NumeralMatch], starts: Sequence[int], match: NumeralMatch, length: int
) -> Span:
    """Where the search for the figure's noun ends on either side: at the nearest counting
    figures, but figures side by side (425支1000余人, 570批次13.19万件) share their noun."""
    before = bisect.bisect_left(starts, match.start) - 1
    cursor = match.start
    while before >= 0 and figures[before].end >= cursor:
        cursor = min(cursor, figures[before].start)
        before -= 1
    after = bisect.bisect_right(starts, match.start)
    cursor = match.end
    while after < len(figures) and figures[after].start <= cursor:
        cursor = max(cursor, figures[after].end)
        after += 1
    return (
        figures[before].end if before >= 0 else 0,
        figures[after].start if after < len(figures) else length,
    )


def _unit(
    quantity: Quantity | None, indicator: IndicatorEntry | None, statistic: Statistic
) -> str | None:
    """The unit an observation would store: the statistic's unit of the measure when the
    figure's unit can serve it, places for a rank change, percent for a share; else the
    figure's own."""
    unit = quantity.unit if quantity else None
    if statistic is Statistic.RANK_CHANGE:
        return "place"  # 上升24位: places, not people
    if indicator is not None and unit is not None:
        if statistic is not Statistic.LEVEL or unit_fits(unit, indicator.unit):
            return observation_unit(unit, None, indicator.unit, statistic)
        return unit
    if statistic is Statistic.SHARE:
        return "percent"
    return unit


def _suggest(
    text: str,
    window: PublicationWindow,
    vocabulary: Vocabulary,
    default_district: str | None,
) -> list[Suggestion]:
    """:func:`suggest` on a folded text, with the folded text's offsets."""
    doc = Text(text, lexicon_of(vocabulary), default_district)
    matches = scan_folded(text)
    figures = [m for m in matches if not owns_no_noun(doc, m)]
    starts = [m.start for m in figures]
    counting = {m.start for m in figures}
    quiet = [(m.start, m.end) for m in matches if m.start not in counting]
    readings: list[Reading] = []
    suggestions = []
    for match in matches:
        figure_start, figure_end, quantity, error = _read_figure(text, match)
        figure = (figure_start, figure_end)
        bounds = _bounds(figures, starts, match, len(text))
        reading: Reading | None = None
        if match.start in counting:
            reading = interpret(doc, figure, quantity, bounds, quiet, readings, window, starts)
            readings.append(reading)
        found = reading.found if reading else None
        indicator = found.term.indicator if found else None
        statistic = reading.statistic if reading else Statistic.LEVEL
        period = period_of(doc, figure, window)
        start, end = quote_span(doc, figure)
        suggestions.append(
            Suggestion(
                figure_start=figure_start,
                figure_end=figure_end,
                raw=text[figure_start:figure_end],
                start=start,
                end=end,
                quote=text[start:end],
                quantity=quantity,
                reading_error=error,
                not_statistic=not_statistic_reason(
                    doc, match, quantity, found is not None and found.own
                ),
                district=district_at(doc, figure_start, default_district),
                indicator=indicator.code if indicator else None,
                unit=_unit(quantity, indicator, statistic),
                period_label=period.label,
                period_start=period.start,
                period_end=period.end,
                period_kind=period.kind.value,
                tier=tier_of(doc, found, quantity),
                initiative=initiative_of(doc, figure),
                breakdown=breakdown_key(reading.breakdown) if reading else "",
                statistic=statistic,
                status=reading.status if reading else Status.ACTUAL,
                counted_noun=reading.noun if reading else None,
            )
        )
    return suggestions
