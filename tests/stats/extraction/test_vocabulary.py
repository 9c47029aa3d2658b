"""The domain vocabulary: breakdowns, series keys and the unit rule (stats.vocabulary)."""

from __future__ import annotations

import re

import pytest

from stats.vocabulary import (
    CODELISTS,
    BreakdownError,
    Statistic,
    breakdown_key,
    observation_unit,
    parse_breakdown,
    series_key,
    unit_problem,
)


def test_a_breakdown_reads_from_text_or_mapping_and_writes_in_codelist_order():
    assert parse_breakdown("sex:female") == {"sex": "female"}
    assert breakdown_key(parse_breakdown({"age": "35_or_under", "sex": "female"})) == (
        "sex:female,age:35_or_under"
    )
    assert parse_breakdown("total") == parse_breakdown("_T") == parse_breakdown("") == {}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("gender:female", "unknown breakdown dimension 'gender'"),
        ("sex:woman", "unknown sex category 'woman'; known: female, male"),
        ("sex", "breakdown 'sex' is not dimension:category (sex:female)"),
        ("sex:female,sex:male", "breakdown names 'sex' twice"),
    ],
)
def test_a_bad_breakdown_says_what_is_wrong(text: str, problem: str):
    with pytest.raises(BreakdownError, match=re.escape(problem)):
        parse_breakdown(text)


def test_age_bands_keep_their_own_bounds():
    age = CODELISTS["age"]
    bands = {c.code: (c.lower, c.upper) for c in age.categories}
    assert bands["35_or_under"] == (None, 35)
    assert bands["36_60"] == (36, 60)
    assert bands["61_or_over"] == (61, None)


def test_the_series_key_lists_every_dimension_with_sdmx_codes_for_none():
    assert series_key(indicator="party_members", district="350206") == (
        "party_members.350206._T._T.level.actual._Z._Z"
    )
    assert series_key(
        indicator="party_members",
        district="350206",
        breakdown="sex:female",
        statistic=Statistic.SHARE,
    ) == ("party_members.350206._T.sex:female.share.actual._Z._Z")
    # A dot inside a name cannot shift the positions of the key.
    assert series_key(indicator="m", district="1", sub_unit="A.B").split(".")[2] == "A·B"


def test_a_share_of_members_is_in_percent_and_persons_never_count_person_times():
    assert (
        unit_problem("33.8%", "percent", None, "party_members", "person", Statistic.SHARE) is None
    )
    assert observation_unit("percent", None, "person", Statistic.SHARE) == "percent"
    assert observation_unit("person", None, "person", Statistic.CHANGE) == "person"
    assert unit_problem("600人次", "person_time", None, "party_members", "person") == (
        "figure '600人次' is in person_time but a level of 'party_members' is in person; "
        "set 'unit', 'statistic' or choose another indicator"
    )
    assert "is in percent" in (
        unit_problem("512名", "person", None, "party_members", "person", Statistic.SHARE) or ""
    )


def test_a_growth_rate_is_in_the_unit_its_figure_is_written_in():
    # 增长3.9% of a yuan measure is a percent, 增长一倍 a multiple: neither needs a unit given.
    assert unit_problem("3.9%", "percent", None, "gdp", "CNY", Statistic.GROWTH_RATE) is None
    assert observation_unit("percent", None, "CNY", Statistic.GROWTH_RATE) == "percent"
    assert observation_unit("multiple", None, "CNY", Statistic.GROWTH_RATE) == "multiple"
