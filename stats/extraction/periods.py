"""Resolve a period phrase as written (``去年``, ``截至2023年12月底``, ``7年来``) to dates.

Relative words resolve against the article's publication window: the earliest and latest dates
the article can have appeared on (one day when the timestamp is printed, a whole year when only
the year can be inferred). A figure "as of now" is a stock observed somewhere in that window.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from stats.extraction.reading import fold
from stats.vocabulary import PeriodKind

__all__ = [
    "PERIOD_IN_TEXT",
    "RATE_WORDS",
    "SINCE_UNKNOWN_WORDS",
    "YEAR_COUNT",
    "PeriodError",
    "PeriodKind",
    "PublicationWindow",
    "ResolvedPeriod",
    "resolve_period",
]


class PeriodError(ValueError):
    """A period phrase the resolver does not know; give explicit dates in the annotation."""


@dataclass(frozen=True)
class PublicationWindow:
    """The earliest and latest day the article can have been published on."""

    earliest: date
    latest: date


@dataclass(frozen=True)
class ResolvedPeriod:
    """Start and end dates (either may be unknown) and the kind the phrase implies."""

    start: date | None
    end: date | None
    kind: PeriodKind


def _year_end(year: int) -> date:
    return date(year, 12, 31)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _minus_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


_SMALL_NUMBERS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}


def _small_number(text: str) -> int:
    return int(text) if text.isdigit() else _SMALL_NUMBERS[text]


# The period phrases, once: the resolver reads them whole, the suggestions find them in running
# text (PERIOD_IN_TEXT). Groups capture the numbers.

#: Now: a stock observed somewhere in the publication window.
_NOW_WORDS = ("目前", "截至目前", "如今", "现有", "现在", "当前", "至今")
#: A cumulative count whose start the text does not give (suggestions look for these too).
SINCE_UNKNOWN_WORDS = ("近年来", "近几年", "多年来", "长期以来", "近年")
#: … and two more an annotation may give, which in running text rarely state a period.
_SINCE_UNKNOWN = (*SINCE_UNKNOWN_WORDS, "此前", "先后")
#: A rate: no dates (每年新增, 日均).
RATE_WORDS = ("每年", "每月", "每周", "年均", "日均")
_LAST_YEAR = "去年"
_THIS_YEAR = ("今年", "当年")
_SINCE_LAST_YEAR = ("去年以来", "去年至今")
_SINCE_THIS_YEAR = "今年以来"
_YEAR = r"(\d{4})年"
_MONTH = r"(\d{1,2})"
_MONTH_RANGE = rf"{_MONTH}[—–-]{_MONTH}月"
#: A count of years as written: one or two digits, or a numeral up to ten (7年来, 近三年).
YEAR_COUNT = rf"(\d{{1,2}}|[{''.join(_SMALL_NUMBERS)}])"
_UNTIL_MONTH = rf"截至{_YEAR}{_MONTH}月底?"
_UNTIL_YEAR = rf"截至{_YEAR}底?"
_SINCE_YEAR_OR_MONTH = rf"(?:自|从)?{_YEAR}(?:{_MONTH}月)?"
_SINCE_DATE_WRITTEN = rf"{_SINCE_YEAR_OR_MONTH}(?:以来|起|来)"
#: … in running text without 来, which after a year is more often "came" (2020年来厦).
_SINCE_DATE = rf"{_SINCE_YEAR_OR_MONTH}(?:以来|起)"
_LAST_YEAR_MONTHS = rf"{_LAST_YEAR}{_MONTH_RANGE}"
_LAST_YEAR_MONTH = rf"{_LAST_YEAR}{_MONTH}月"
_MONTHS = rf"{_YEAR}{_MONTH_RANGE}"
_YEAR_END = rf"{_YEAR}底"
_DAY = rf"{_YEAR}{_MONTH}月(\d{{1,2}})日"
_MONTH_OF_YEAR = rf"{_YEAR}{_MONTH}月"
_YEARS_SINCE = rf"{YEAR_COUNT}年(?:以来|来)"
_RECENT_YEARS = rf"近{YEAR_COUNT}年(?:以来|来)?"
#: Not 现有 or 现在 inside a word: 实现有效, 发现在, 表现在.
_NOW_IN_TEXT = "|".join(
    rf"(?<![实发表体出呈展]){word}" if word.startswith("现") else word for word in _NOW_WORDS
)

#: The period phrases the resolver reads, as they stand in running text (but 此前 and 先后): a
#: longer form before a shorter one it begins with (截至2023年12月底 before 截至2023年, 近年来
#: before 近年).
PERIOD_IN_TEXT = "|".join(
    [
        _UNTIL_MONTH,
        _UNTIL_YEAR,
        _SINCE_DATE,
        *_SINCE_LAST_YEAR,
        _LAST_YEAR_MONTHS,
        _LAST_YEAR_MONTH,
        _SINCE_THIS_YEAR,
        _LAST_YEAR,
        *_THIS_YEAR,
        _MONTHS,
        _YEAR_END,
        _DAY,
        _MONTH_OF_YEAR,
        _YEAR,
        _YEARS_SINCE,
        _RECENT_YEARS,
        *SINCE_UNKNOWN_WORDS,
        _NOW_IN_TEXT,
        *RATE_WORDS,
    ]
)


def resolve_period(phrase: str, window: PublicationWindow) -> ResolvedPeriod:
    """Dates and kind for ``phrase``; :class:`PeriodError` when it is not a known form.

    The phrase is read folded (:func:`stats.extraction.reading.fold`): ``截至２０２３年底`` and
    ``截至2023年12月底`` in traditional script read like their simplified, ASCII-digit forms."""
    p = fold(phrase.strip()).text
    if p in _NOW_WORDS:
        return ResolvedPeriod(window.earliest, window.latest, PeriodKind.STOCK)
    if p in _SINCE_UNKNOWN:
        return ResolvedPeriod(None, window.latest, PeriodKind.CUMULATIVE)
    if p == _LAST_YEAR:
        year = window.earliest.year - 1
        return ResolvedPeriod(date(year, 1, 1), _year_end(year), PeriodKind.FLOW)
    if p in _THIS_YEAR:
        year = window.earliest.year
        return ResolvedPeriod(date(year, 1, 1), window.latest, PeriodKind.FLOW)
    if p in _SINCE_LAST_YEAR:
        return ResolvedPeriod(
            date(window.earliest.year - 1, 1, 1), window.latest, PeriodKind.CUMULATIVE
        )
    if p == _SINCE_THIS_YEAR:
        return ResolvedPeriod(
            date(window.earliest.year, 1, 1), window.latest, PeriodKind.CUMULATIVE
        )
    if p in RATE_WORDS:
        return ResolvedPeriod(None, None, PeriodKind.FLOW)
    if m := re.fullmatch(_LAST_YEAR_MONTHS, p):
        year = window.earliest.year - 1
        return ResolvedPeriod(
            date(year, int(m[1]), 1), _month_end(year, int(m[2])), PeriodKind.FLOW
        )
    if m := re.fullmatch(_LAST_YEAR_MONTH, p):
        year = window.earliest.year - 1
        return ResolvedPeriod(
            date(year, int(m[1]), 1), _month_end(year, int(m[1])), PeriodKind.FLOW
        )
    if m := re.fullmatch(_UNTIL_MONTH, p):
        day = _month_end(int(m[1]), int(m[2]))
        return ResolvedPeriod(day, day, PeriodKind.STOCK)
    if m := re.fullmatch(_UNTIL_YEAR, p) or re.fullmatch(_YEAR_END, p):
        day = _year_end(int(m[1]))
        return ResolvedPeriod(day, day, PeriodKind.STOCK)
    if m := re.fullmatch(_SINCE_DATE_WRITTEN, p):
        start = date(int(m[1]), int(m[2] or 1), 1)
        return ResolvedPeriod(start, window.latest, PeriodKind.CUMULATIVE)
    # 7年来, 近三年: a count of years (one or two digits), not a year number like 2020年.
    if m := re.fullmatch(_YEARS_SINCE, p) or re.fullmatch(_RECENT_YEARS, p):
        years = _small_number(m[1])
        return ResolvedPeriod(
            _minus_years(window.earliest, years), window.latest, PeriodKind.CUMULATIVE
        )
    if m := re.fullmatch(_MONTHS, p):
        year = int(m[1])
        return ResolvedPeriod(
            date(year, int(m[2]), 1), _month_end(year, int(m[3])), PeriodKind.FLOW
        )
    if m := re.fullmatch(_MONTH_OF_YEAR, p):
        year, month = int(m[1]), int(m[2])
        return ResolvedPeriod(date(year, month, 1), _month_end(year, month), PeriodKind.FLOW)
    if m := re.fullmatch(_YEAR, p):
        year = int(m[1])
        return ResolvedPeriod(date(year, 1, 1), _year_end(year), PeriodKind.FLOW)
    if m := re.fullmatch(_DAY, p):
        day = date(int(m[1]), int(m[2]), int(m[3]))
        return ResolvedPeriod(day, day, PeriodKind.FLOW)
    raise PeriodError(
        f"unknown period phrase {phrase!r}: give period_start and period_end (YYYY-MM-DD) "
        "and kind in the annotation"
    )
