"""The pure invariants verify_corpus applies: every qualifier's shape, and re-reading raw."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from stats.extraction.invariants import bound_problems, quote_problems, reading_problems
from stats.extraction.quantities import StoredQuantity, parse_quantity


def stored(raw: str) -> StoredQuantity:
    """A figure as load_corpus stores it."""
    return StoredQuantity.of(parse_quantity(raw))


@pytest.mark.parametrize(
    ("raw", "qualifier"),
    [
        ("1.6万名", "exact"),  # 全区1.6万名党员 (Jimei)
        ("约49万人", "approximate"),
        ("超1300人次", "more_than"),
        ("1100余个", "more_than_bounded"),  # 1100余个基层党组织
        ("不少于30名", "at_least"),
        ("近600人次", "nearly"),
        ("不到10%", "less_than"),
        ("不超过5名", "at_most"),
        ("10至20万元", "range"),
        ("数十万人", "vague"),
    ],
)
def test_every_qualifier_as_read_keeps_its_shape(raw: str, qualifier: str):
    figure = stored(raw)
    assert figure.qualifier == qualifier
    assert bound_problems(figure) == []
    assert reading_problems(figure) == []


def test_a_more_than_figure_with_an_upper_bound_breaks_its_shape():
    figure = replace(stored("超1300人次"), upper_bound=Decimal(1400), upper_inclusive=False)
    assert bound_problems(figure) == ["has a upper bound (1400) that its qualifier does not give"]


def test_an_included_lower_bound_of_more_than_is_named():
    figure = replace(stored("超1300人次"), lower_inclusive=True)
    assert bound_problems(figure) == ["lower bound 1300 should be excluded"]
    assert reading_problems(figure) == ["lower_inclusive is True, but '超1300人次' reads False"]


def test_a_range_with_a_value_and_a_wrong_convention_flag_is_named():
    figure = replace(stored("10至20万元"), value=Decimal(150000), upper_by_convention=True)
    assert bound_problems(figure) == [
        "range states no single value, but value is 150000",
        "upper_by_convention is True, but range does not take its upper bound by convention",
    ]


def test_an_unknown_qualifier_and_an_unreadable_raw_are_named():
    figure = replace(stored("1.6万名"), qualifier="roughly", raw="1.6.6万名")
    assert bound_problems(figure) == ["unknown qualifier 'roughly'"]
    assert reading_problems(figure) == ["raw '1.6.6万名' cannot be read: '1.6.6万' is not a number"]


def test_quotes_and_figures_must_be_the_text_at_their_offsets():
    text = "去年，全区1.6万名党员"
    assert quote_problems(text, 3, 12, "全区1.6万名党员", (5, 10, "1.6万名")) == []
    assert quote_problems(text, 3, 12, "全区1.7万名党员") == [
        "quote '全区1.7万名党员' is not the text at 3–12: '全区1.6万名党员'"
    ]
    assert quote_problems(text, 3, 40, "全区") == [
        "offsets 3–40 are outside the text (12 characters)"
    ]
    assert quote_problems(text, 3, 12, "全区1.6万名党员", (2, 10, "1.6万名")) == [
        "figure offsets 2–10 are not inside the quote"
    ]
    assert quote_problems(text, 3, 12, "全区1.6万名党员", (5, 9, "1.6万名")) == [
        "figure as written '1.6万' is not raw '1.6万名'"
    ]
