"""What kind of statistic, on a district's annual party statistics bulletin written for these
tests (tests/stats/extraction/articles/tongan-bulletin-2023.txt): measure, breakdown,
statistic and status of each figure, age bands, and a measure named by its own share.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from stats.extraction.suggest import suggest
from stats.vocabulary import NotStatisticReason
from tests.stats.extraction.suggest_helpers import (
    ACTUAL,
    BULLETIN,
    BULLETIN_WINDOW,
    CHANGE,
    GROWTH,
    LEVEL,
    SHARE,
    TARGET,
    TONGAN,
    VOCABULARY,
    Meaning,
    by_raw,
    check_meaning,
    suggestion_of,
)

BULLETIN_MEANINGS = [
    # 截至2023年12月31日，全区共有党员2.46万名，比上年净增512名，增幅2.1%。
    Meaning(
        "全区共有党员2.46万名",
        "2.46万名",
        "party_members",
        "",
        LEVEL,
        ACTUAL,
        Decimal(24600),
        "person",
    ),
    Meaning(
        "比上年净增512名", "512名", "party_members", "", CHANGE, ACTUAL, Decimal(512), "person"
    ),
    Meaning("增幅2.1%", "2.1%", "party_members", "", GROWTH, ACTUAL, Decimal("2.1"), "percent"),
    # 其中，女党员8312名，占党员总数33.8%；少数民族党员312名，占1.3%；…
    Meaning(
        "女党员8312名",
        "8312名",
        "party_members",
        "sex:female",
        LEVEL,
        ACTUAL,
        Decimal(8312),
        "person",
    ),
    Meaning(
        "占党员总数33.8%",
        "33.8%",
        "party_members",
        "sex:female",
        SHARE,
        ACTUAL,
        Decimal("33.8"),
        "percent",
    ),
    Meaning(
        "少数民族党员312名",
        "312名",
        "party_members",
        "ethnicity:ethnic_minority",
        LEVEL,
        ACTUAL,
        Decimal(312),
        "person",
    ),
    Meaning(
        "占1.3%",
        "1.3%",
        "party_members",
        "ethnicity:ethnic_minority",
        SHARE,
        ACTUAL,
        Decimal("1.3"),
        "percent",
    ),
    Meaning(
        "35岁及以下党员5120名",
        "5120名",
        "party_members",
        "age:35_or_under",
        LEVEL,
        ACTUAL,
        Decimal(5120),
        "person",
    ),
    Meaning(
        "占20.8%",
        "20.8%",
        "party_members",
        "age:35_or_under",
        SHARE,
        ACTUAL,
        Decimal("20.8"),
        "percent",
    ),
    Meaning(
        "大专及以上学历党员1.52万名",
        "1.52万名",
        "party_members",
        "education:junior_college_or_higher",
        LEVEL,
        ACTUAL,
        Decimal(15200),
        "person",
    ),
    Meaning(
        "占61.8%",
        "61.8%",
        "party_members",
        "education:junior_college_or_higher",
        SHARE,
        ACTUAL,
        Decimal("61.8"),
        "percent",
    ),
    # 从年龄看，30岁及以下党员2860名，31至35岁党员2260名，36至60岁党员1.29万名，…
    Meaning(
        "30岁及以下党员2860名",
        "2860名",
        "party_members",
        "age:30_or_under",
        LEVEL,
        ACTUAL,
        Decimal(2860),
        "person",
    ),
    Meaning(
        "31至35岁党员2260名",
        "2260名",
        "party_members",
        "age:31_35",
        LEVEL,
        ACTUAL,
        Decimal(2260),
        "person",
    ),
    Meaning(
        "36至60岁党员1.29万名",
        "1.29万名",
        "party_members",
        "age:36_60",
        LEVEL,
        ACTUAL,
        Decimal(12900),
        "person",
    ),
    Meaning(
        "61岁及以上党员6580名",
        "6580名",
        "party_members",
        "age:61_or_over",
        LEVEL,
        ACTUAL,
        Decimal(6580),
        "person",
    ),
    # 从职业看，工人（工勤技能人员）2130名，农牧渔民4870名，…: members by occupation
    Meaning(
        "工人（工勤技能人员）2130名",
        "2130名",
        "party_members",
        "occupation:worker",
        LEVEL,
        ACTUAL,
        Decimal(2130),
        "person",
    ),
    Meaning(
        "农牧渔民4870名",
        "4870名",
        "party_members",
        "occupation:farmer_herder_fisher",
        LEVEL,
        ACTUAL,
        Decimal(4870),
        "person",
    ),
    Meaning(
        "学生410名",
        "410名",
        "party_members",
        "occupation:student",
        LEVEL,
        ACTUAL,
        Decimal(410),
        "person",
    ),
    Meaning(
        "离退休人员6850名",
        "6850名",
        "party_members",
        "occupation:retired",
        LEVEL,
        ACTUAL,
        Decimal(6850),
        "person",
    ),
    # 2023年，全区共发展党员486名。其中，女党员198名，占40.7%；…: women among the recruits
    Meaning(
        "全区共发展党员486名",
        "486名",
        "members_recruited",
        "",
        LEVEL,
        ACTUAL,
        Decimal(486),
        "person",
    ),
    Meaning(
        "女党员198名",
        "198名",
        "members_recruited",
        "sex:female",
        LEVEL,
        ACTUAL,
        Decimal(198),
        "person",
    ),
    Meaning(
        "占40.7%",
        "40.7%",
        "members_recruited",
        "sex:female",
        SHARE,
        ACTUAL,
        Decimal("40.7"),
        "percent",
    ),
    Meaning(
        "35岁及以下党员402名",
        "402名",
        "members_recruited",
        "age:35_or_under",
        LEVEL,
        ACTUAL,
        Decimal(402),
        "person",
    ),
    Meaning(
        "工作一线发展党员268名",
        "268名",
        "members_recruited",
        "work_position:frontline",
        LEVEL,
        ACTUAL,
        Decimal(268),
        "person",
    ),
    Meaning(
        "入党申请人1830名",
        "1830名",
        "membership_applicants",
        "",
        LEVEL,
        ACTUAL,
        Decimal(1830),
        "person",
    ),
    Meaning(
        "入党积极分子1265名",
        "1265名",
        "membership_activists",
        "",
        LEVEL,
        ACTUAL,
        Decimal(1265),
        "person",
    ),
    # 全区共有基层党组织1291个，比上年净增35个，增长2.8%。其中，基层党委41个、党总支63个、…
    Meaning(
        "基层党组织1291个",
        "1291个",
        "grassroots_party_organisations",
        "",
        LEVEL,
        ACTUAL,
        Decimal(1291),
        "organisation",
    ),
    Meaning(
        "比上年净增35个",
        "35个",
        "grassroots_party_organisations",
        "",
        CHANGE,
        ACTUAL,
        Decimal(35),
        "organisation",
    ),
    Meaning(
        "增长2.8%",
        "2.8%",
        "grassroots_party_organisations",
        "",
        GROWTH,
        ACTUAL,
        Decimal("2.8"),
        "percent",
    ),
    Meaning(
        "基层党委41个",
        "41个",
        "grassroots_party_committees",
        "",
        LEVEL,
        ACTUAL,
        Decimal(41),
        "organisation",
    ),
    Meaning(
        "党总支63个",
        "63个",
        "general_party_branches",
        "",
        LEVEL,
        ACTUAL,
        Decimal(63),
        "organisation",
    ),
    Meaning(
        "党支部1187个", "1187个", "party_branches", "", LEVEL, ACTUAL, Decimal(1187), "organisation"
    ),
    # 全区2个街道、6个镇均已建立党组织。全区118个社区、151个行政村已全部建立党组织。
    Meaning(
        "2个街道",
        "2个",
        "units_with_party_organisation",
        "unit_kind:subdistrict",
        LEVEL,
        ACTUAL,
        Decimal(2),
        "count",
    ),
    Meaning(
        "6个镇",
        "6个",
        "units_with_party_organisation",
        "unit_kind:township",
        LEVEL,
        ACTUAL,
        Decimal(6),
        "count",
    ),
    Meaning(
        "118个社区",
        "118个",
        "units_with_party_organisation",
        "unit_kind:community",
        LEVEL,
        ACTUAL,
        Decimal(118),
        "count",
    ),
    Meaning(
        "151个行政村",
        "151个",
        "units_with_party_organisation",
        "unit_kind:village",
        LEVEL,
        ACTUAL,
        Decimal(151),
        "count",
    ),
    # 全区机关基层党组织186个，…企业基层党组织517个…
    Meaning(
        "机关基层党组织186个",
        "186个",
        "grassroots_party_organisations",
        "unit_kind:government_agency",
        LEVEL,
        ACTUAL,
        Decimal(186),
        "organisation",
    ),
    Meaning(
        "企业基层党组织517个",
        "517个",
        "grassroots_party_organisations",
        "unit_kind:enterprise",
        LEVEL,
        ACTUAL,
        Decimal(517),
        "organisation",
    ),
    # 全区412个非公有制企业已建立党组织，覆盖率86.3%；
    Meaning(
        "412个非公有制企业",
        "412个",
        "units_with_party_organisation",
        "unit_kind:non_public_enterprise",
        LEVEL,
        ACTUAL,
        Decimal(412),
        "count",
    ),
    Meaning(
        "覆盖率86.3%",
        "86.3%",
        "units_with_party_organisation",
        "unit_kind:non_public_enterprise",
        SHARE,
        ACTUAL,
        Decimal("86.3"),
        "percent",
    ),
    # 2024年全区计划发展党员500名，其中35岁及以下党员占比不低于80%。力争到2025年底，…
    Meaning(
        "计划发展党员500名", "500名", "members_recruited", "", LEVEL, TARGET, Decimal(500), "person"
    ),
    Meaning(
        "占比不低于80%",
        "80%",
        "members_recruited",
        "age:35_or_under",
        SHARE,
        TARGET,
        Decimal(80),
        "percent",
    ),
    Meaning(
        "非公企业党组织覆盖率达到90%以上",
        "90%",
        "units_with_party_organisation",
        "unit_kind:non_public_enterprise",
        SHARE,
        TARGET,
        Decimal(90),
        "percent",
    ),
]


@pytest.mark.parametrize("expected", BULLETIN_MEANINGS, ids=lambda m: m.context)
def test_each_figure_of_the_party_statistics_bulletin(expected: Meaning) -> None:
    check_meaning(suggestion_of(BULLETIN, expected, BULLETIN_WINDOW, TONGAN), expected)


def test_the_bounds_of_an_age_band_are_not_statistics() -> None:
    suggestions = suggest(BULLETIN, BULLETIN_WINDOW, VOCABULARY, TONGAN)
    bands = [s for s in suggestions if s.raw in ("35岁", "30岁", "31至35岁", "36至60岁", "61岁")]
    assert len(bands) == 7  # 35岁 three times
    assert {s.not_statistic for s in bands} == {NotStatisticReason.STRUCTURE}


def test_a_measure_of_its_own_name_is_a_level() -> None:
    # 一肩挑比例 is a word of the count of units with one person in both posts: 95.3% is their
    # share; a percent measure itself (its unit percent) would be a level.
    suggestion = by_raw(
        suggest("全区书记、主任“一肩挑”比例达95.3%。", BULLETIN_WINDOW, VOCABULARY, TONGAN),
        "达95.3%",
    )
    assert (suggestion.indicator, suggestion.statistic) == (
        "units_with_concurrent_secretary_director",
        SHARE,
    )
