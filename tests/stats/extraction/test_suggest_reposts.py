"""Reading that does not depend on script, width or spacing: a district report as reposted in
traditional script, with ASCII punctuation and stray spaces, with full-width digits. The
suggestions read each like the simplified original; every quote is the repost's own text.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from stats.extraction.quantities import Qualifier
from stats.extraction.scanner import scan_numerals
from stats.extraction.suggest import Suggestion, suggest
from stats.vocabulary import NotStatisticReason
from tests.stats.extraction.suggest_helpers import (
    ARTICLES,
    JIMEI,
    VOCABULARY,
    WINDOW,
)

REPOST = (ARTICLES / "jimei-repost-2024.txt").read_text(encoding="utf-8")
REPOST_TRADITIONAL = (ARTICLES / "jimei-repost-traditional-2024.txt").read_text(encoding="utf-8")
REPOST_ASCII = (ARTICLES / "jimei-repost-ascii-2024.txt").read_text(encoding="utf-8")
REPOST_FULL_WIDTH = REPOST.translate(
    str.maketrans("0123456789.%", "".join(chr(0xFF10 + d) for d in range(10)) + "．％")
)
_WHERE = ("figure_start", "figure_end", "raw", "start", "end", "quote")


def _reading(suggestion: Suggestion) -> dict[str, object]:
    fields = {k: v for k, v in vars(suggestion).items() if k not in _WHERE}
    quantity = suggestion.quantity
    fields["quantity"] = None if quantity is None else {**vars(quantity), "raw": None}
    return fields


def _quoted_as_written(text: str, suggestions: list[Suggestion]) -> None:
    for s in suggestions:
        assert text[s.start : s.end] == s.quote
        assert text[s.figure_start : s.figure_end] == s.raw
        assert s.quantity is None or s.quantity.raw == s.raw
        assert s.start <= s.figure_start < s.figure_end <= s.end


@pytest.mark.parametrize(
    "variant",
    [REPOST_TRADITIONAL, REPOST_ASCII, REPOST_FULL_WIDTH],
    ids=["traditional", "ascii-punctuation-and-spaces", "full-width-digits"],
)
def test_a_repost_reads_like_the_original(variant: str) -> None:
    expected = suggest(REPOST, WINDOW, VOCABULARY, None)
    suggestions = suggest(variant, WINDOW, VOCABULARY, None)
    _quoted_as_written(variant, suggestions)
    assert [_reading(s) for s in suggestions] == [_reading(s) for s in expected]


def test_the_traditional_repost_reads_its_figures_right() -> None:
    suggestions = suggest(REPOST_TRADITIONAL, WINDOW, VOCABULARY, None)
    by_raw = {s.raw: s for s in suggestions}
    members = by_raw["近4萬名"]
    assert members.quantity is not None
    assert (members.quantity.qualifier, members.quantity.upper_bound, members.unit) == (
        Qualifier.NEARLY,
        Decimal(40000),
        "person",
    )
    assert (members.indicator, members.district) == ("party_members", JIMEI)
    assert members.quote == "集美區共有黨員近4萬名"
    money = by_raw["超過1.2億元"]
    assert money.quantity is not None
    assert (money.quantity.qualifier, money.quantity.value, money.unit) == (
        Qualifier.MORE_THAN,
        Decimal(120000000),
        "CNY",
    )
    times = by_raw["超過12萬人次"]
    assert times.quantity is not None and times.quantity.unit == "person_time"
    assert by_raw["1100餘個"].quantity is not None
    assert by_raw["2024年2月20日"].not_statistic is NotStatisticReason.DATE
    assert (members.period_label, members.period_end) == ("截至2023年底", date(2023, 12, 31))


def test_stray_spaces_stay_in_the_quote() -> None:
    suggestions = suggest(REPOST_ASCII, WINDOW, VOCABULARY, None)
    raws = [s.raw for s in suggestions]
    assert "近 4万名" in raws and "1100 余个" in raws and "3200\t余场" in raws
    members = next(s for s in suggestions if s.raw == "近 4万名")
    assert members.quantity is not None and members.quantity.upper_bound == Decimal(40000)


def test_a_long_traditional_article_gives_one_suggestion_per_numeral_quoted_as_written() -> None:
    text = ((REPOST_TRADITIONAL + REPOST_ASCII) * 20)[:10_000]
    suggestions = suggest(text, WINDOW, VOCABULARY, JIMEI)
    assert [s.raw for s in suggestions] == [m.text for m in scan_numerals(text)]
    assert all(text[s.start : s.end] == s.quote for s in suggestions)
