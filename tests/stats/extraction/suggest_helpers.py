"""What the suggestion tests (``test_suggest*.py``) share: the seeds' vocabularies, the test
articles with their places and publication windows, and how one suggestion is found and checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from stats.extraction.periods import PublicationWindow
from stats.extraction.sources import read_seed_sources
from stats.extraction.suggest import Suggestion, Vocabulary, suggest
from stats.vocabulary import Statistic, Status

REPO = Path(__file__).resolve().parents[3]
SOURCES = read_seed_sources(REPO / "seeds")
VOCABULARY = Vocabulary(SOURCES.districts, SOURCES.indicators, SOURCES.tiers, SOURCES.initiatives)
#: Published some time in March 2024: 去年 is 2023, 今年 is 2024.
WINDOW = PublicationWindow(date(2024, 3, 1), date(2024, 3, 31))
JIMEI, HAICANG = "350211", "350205"

ARTICLES = Path(__file__).resolve().parent / "articles"
BULLETIN = (ARTICLES / "tongan-bulletin-2023.txt").read_text(encoding="utf-8")
WORK_REPORT = (ARTICLES / "xindian-report-2023.txt").read_text(encoding="utf-8")
TONGAN, XIANGAN = "350212", "350213"
#: The bulletin is dated 28 June 2024; the report was published in December 2023.
BULLETIN_WINDOW = PublicationWindow(date(2024, 6, 28), date(2024, 6, 28))
REPORT_WINDOW = PublicationWindow(date(2023, 12, 1), date(2023, 12, 31))


@dataclass(frozen=True)
class Meaning:
    """What a figure is, as an analyst would type it."""

    context: str  # the figure is the first occurrence of ``raw`` in this piece of the text
    raw: str
    indicator: str | None
    breakdown: str
    statistic: Statistic
    status: Status
    value: Decimal | None
    unit: str


LEVEL, CHANGE, GROWTH, SHARE = (
    Statistic.LEVEL,
    Statistic.CHANGE,
    Statistic.GROWTH_RATE,
    Statistic.SHARE,
)
ACTUAL, TARGET, ESTIMATE = Status.ACTUAL, Status.TARGET, Status.ESTIMATE


def by_raw(suggestions: list[Suggestion], raw: str) -> Suggestion:
    """The one suggestion whose figure is written ``raw``."""
    found = [s for s in suggestions if s.raw == raw]
    assert len(found) == 1, [s.raw for s in suggestions]
    return found[0]


def suggestion_of(
    text: str, expected: Meaning, window: PublicationWindow, district: str
) -> Suggestion:
    """The one suggestion whose figure overlaps the first ``expected.raw`` in its context."""
    start = text.index(expected.context) + expected.context.index(expected.raw)
    end = start + len(expected.raw)
    found = [
        s
        for s in suggest(text, window, VOCABULARY, district)
        if s.figure_start < end and start < s.figure_end
    ]
    assert len(found) == 1
    return found[0]


def check_meaning(suggestion: Suggestion, expected: Meaning) -> None:
    """The suggestion says what the analyst would: a statistic of this meaning."""
    assert suggestion.not_statistic is None
    assert suggestion.indicator == expected.indicator
    assert suggestion.breakdown == expected.breakdown
    assert suggestion.statistic is expected.statistic
    assert suggestion.status is expected.status
    assert suggestion.unit == expected.unit
    assert suggestion.quantity is not None
    assert suggestion.quantity.value == expected.value
