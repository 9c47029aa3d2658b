"""Series keys, overlapping periods and the ranking of claims (stats.extraction.series)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from stats.extraction.series import Claim, Span, overlapping_pairs, periods_overlap, rank_claims
from stats.vocabulary import ClaimRank


def test_periods_that_share_a_day_overlap_and_unknown_ends_are_open():
    year_2020 = Span(date(2020, 1, 1), date(2020, 12, 31))
    assert periods_overlap(year_2020, Span(date(2020, 12, 31), date(2021, 6, 30)))
    assert not periods_overlap(year_2020, Span(date(2021, 1, 1), date(2021, 12, 31)))
    assert periods_overlap(year_2020, Span(None, date(2021, 7, 8)))  # since an unknown start
    assert not periods_overlap(Span(None, date(2019, 12, 31)), year_2020)


def test_overlapping_pairs_name_both_figures_in_text_order():
    # Huli's 633万平方米 in total and 日均…1.8万平方米 filed as one series: same campaign period.
    campaign = Span(date(2020, 5, 1), date(2020, 12, 31))
    pairs = overlapping_pairs(
        [("huli-2021:2335 '633万平方米'", campaign), ("huli-2021:2389 '超过1.8万平方米'", campaign)]
    )
    assert pairs == [("huli-2021:2335 '633万平方米'", "huli-2021:2389 '超过1.8万平方米'")]


def _claim(source: str, published: date, qualifier: str, low: int, high: int, given=None) -> Claim:
    return Claim(source, published, qualifier, Decimal(low), Decimal(high), given)


def test_a_lone_claim_is_preferred():
    assert rank_claims([_claim("huli-2021", date(2021, 12, 31), "exact", 5466, 5466)]) == [
        (ClaimRank.PREFERRED, "the only source for this period")
    ]


def test_the_exact_figure_is_preferred_over_a_rounded_later_one():
    ranks = rank_claims(
        [
            _claim("city-2024", date(2024, 7, 1), "more_than_bounded", 1100, 1200),
            _claim("jimei-2021", date(2021, 12, 31), "exact", 1126, 1126),
        ]
    )
    assert ranks == [
        (ClaimRank.NORMAL, "jimei-2021 is preferred: the most precise of 2 sources"),
        (ClaimRank.PREFERRED, "the most precise of 2 sources"),
    ]


def test_of_equally_precise_claims_the_later_source_is_preferred():
    ranks = rank_claims(
        [
            _claim("a-2021", date(2021, 7, 1), "exact", 16000, 16000),
            _claim("b-2022", date(2022, 7, 1), "exact", 16100, 16100),
        ]
    )
    assert [rank for rank, _ in ranks] == [ClaimRank.NORMAL, ClaimRank.PREFERRED]
    assert ranks[1][1] == "the latest of 2 equally precise sources"


def test_an_analysts_rank_wins_over_the_rule():
    ranks = rank_claims(
        [
            _claim("a-2021", date(2021, 7, 1), "exact", 16000, 16000, ClaimRank.DEPRECATED),
            _claim("b-2020", date(2020, 7, 1), "approximate", 15000, 17000),
        ]
    )
    assert ranks == [
        (ClaimRank.DEPRECATED, "deprecated by the analyst"),
        (ClaimRank.PREFERRED, "the only source not deprecated"),
    ]
    forced = rank_claims(
        [
            _claim("a-2021", date(2021, 7, 1), "exact", 16000, 16000),
            _claim("b-2020", date(2020, 7, 1), "approximate", 15000, 17000, ClaimRank.PREFERRED),
        ]
    )
    assert forced[1] == (ClaimRank.PREFERRED, "preferred by the analyst")
    assert forced[0][0] is ClaimRank.NORMAL
