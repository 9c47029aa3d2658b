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
    "RATE_WORDS",
    "SINCE_UNKNOWN_WORDS",
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


_CN_SMALL = {
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
    return int(text) if text.isdigit() else _CN_SMALL[text]


_NOW_WORDS = ("目前", "截至目前", "如今", "现有", "现在", "当前", "至今")
#: A cumulative count whose start the text does not give (suggestions look for these too).
SINCE_UNKNOWN_WORDS = ("近年来", "近几年", "多年来", "长期以来", "近年")
#: … and two more an annotation may give, which in running text rarely state a period.
_SINCE_UNKNOWN = (*SINCE_UNKNOWN_WORDS, "此前", "先后")
#: A rate: no dates (每年新增, 日均).
RATE_WORDS = ("每年", "每月", "每周", "年均", "日均")


def resolve_period(phrase: str, window: PublicationWindow) -> ResolvedPeriod:
    """Dates and kind for ``phrase``; :class:`PeriodError` when it is not a known form.

    The phrase is read folded (:func:`stats.extraction.reading.fold`): ``截至２０２３年底`` and
    ``截至2023年12月底`` in traditional script read like their simplified, ASCII-digit forms."""
    p = fold(phrase.strip()).text
    if p in _NOW_WORDS:
        return ResolvedPeriod(window.earliest, window.latest, PeriodKind.STOCK)
    if p in _SINCE_UNKNOWN:
        return ResolvedPeriod(None, window.latest, PeriodKind.CUMULATIVE)
    if p == "去年":
        year = window.earliest.year - 1
        return ResolvedPeriod(date(year, 1, 1), _year_end(year), PeriodKind.FLOW)
    if p in ("今年", "当年"):
        year = window.earliest.year
        return ResolvedPeriod(date(year, 1, 1), window.latest, PeriodKind.FLOW)
    if p in ("去年以来", "去年至今"):
        return ResolvedPeriod(
            date(window.earliest.year - 1, 1, 1), window.latest, PeriodKind.CUMULATIVE
        )
    if p in RATE_WORDS:
        return ResolvedPeriod(None, None, PeriodKind.FLOW)
    if m := re.fullmatch(r"去年(\d{1,2})[—–-](\d{1,2})月", p):
        year = window.earliest.year - 1
        return ResolvedPeriod(
            date(year, int(m[1]), 1), _month_end(year, int(m[2])), PeriodKind.FLOW
        )
    if m := re.fullmatch(r"去年(\d{1,2})月", p):
        year = window.earliest.year - 1
        return ResolvedPeriod(
            date(year, int(m[1]), 1), _month_end(year, int(m[1])), PeriodKind.FLOW
        )
    if m := re.fullmatch(r"截至(\d{4})年(\d{1,2})月底?", p):
        day = _month_end(int(m[1]), int(m[2]))
        return ResolvedPeriod(day, day, PeriodKind.STOCK)
    if m := re.fullmatch(r"截至(\d{4})年底?", p):
        day = _year_end(int(m[1]))
        return ResolvedPeriod(day, day, PeriodKind.STOCK)
    if m := re.fullmatch(r"(\d{4})年底", p):
        day = _year_end(int(m[1]))
        return ResolvedPeriod(day, day, PeriodKind.STOCK)
    if m := re.fullmatch(r"(?:自|从)?(\d{4})年(?:(\d{1,2})月)?(?:以来|起|来)", p):
        start = date(int(m[1]), int(m[2] or 1), 1)
        return ResolvedPeriod(start, window.latest, PeriodKind.CUMULATIVE)
    # 7年来, 近三年: a count of years (one or two digits), not a year number like 2020年.
    if m := (
        re.fullmatch(r"(\d{1,2}|[一二两三四五六七八九十])年(?:来|以来)", p)
        or re.fullmatch(r"近(\d{1,2}|[一二两三四五六七八九十])年(?:来|以来)?", p)
    ):
        years = _small_number(m[1])
        return ResolvedPeriod(
            _minus_years(window.earliest, years), window.latest, PeriodKind.CUMULATIVE
        )
    if m := re.fullmatch(r"(\d{4})年(\d{1,2})[—–-](\d{1,2})月", p):
        year = int(m[1])
        return ResolvedPeriod(
            date(year, int(m[2]), 1), _month_end(year, int(m[3])), PeriodKind.FLOW
        )
    if m := re.fullmatch(r"(\d{4})年(\d{1,2})月", p):
        year, month = int(m[1]), int(m[2])
        return ResolvedPeriod(date(year, month, 1), _month_end(year, month), PeriodKind.FLOW)
    if m := re.fullmatch(r"(\d{4})年", p):
        year = int(m[1])
        return ResolvedPeriod(date(year, 1, 1), _year_end(year), PeriodKind.FLOW)
    if m := re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", p):
        day = date(int(m[1]), int(m[2]), int(m[3]))
        return ResolvedPeriod(day, day, PeriodKind.FLOW)
    raise PeriodError(
        f"unknown period phrase {phrase!r}: give period_start and period_end (YYYY-MM-DD) "
        "and kind in the annotation"
    )
