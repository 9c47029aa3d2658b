"""What kind of statistic, on a subdistrict's work report written for these tests
(tests/stats/extraction/articles/xindian-report-2023.txt) with plans, daily averages and
shares: each figure's meaning, counted nouns no measure fits, plans and estimates, and both
articles repeated to a long text.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from stats.extraction.scanner import scan_numerals
from stats.extraction.suggest import suggest
from stats.vocabulary import Statistic, Status
from tests.stats.extraction.suggest_helpers import (
    ACTUAL,
    BULLETIN,
    BULLETIN_WINDOW,
    ESTIMATE,
    GROWTH,
    LEVEL,
    REPORT_WINDOW,
    SHARE,
    TARGET,
    TONGAN,
    VOCABULARY,
    WORK_REPORT,
    XIANGAN,
    Meaning,
    by_raw,
    check_meaning,
    suggestion_of,
)

REPORT_MEANINGS = [
    # 今年以来，…组建征迁攻坚临时党支部6个，…
    Meaning(
        "临时党支部6个",
        "6个",
        "project_party_branches",
        "",
        LEVEL,
        ACTUAL,
        Decimal(6),
        "organisation",
    ),
    # 项目启动后，街道日均签约房屋42户，日均拆除1.8万平方米，…
    Meaning(
        "日均拆除1.8万平方米",
        "1.8万平方米",
        "area_demolished",
        "",
        Statistic.DAILY_AVERAGE,
        ACTUAL,
        Decimal(18000),
        "m2",
    ),
    # 全街道共有党员1865名，其中35岁及以下党员占比达到27.3%。
    Meaning(
        "全街道共有党员1865名",
        "1865名",
        "party_members",
        "",
        LEVEL,
        ACTUAL,
        Decimal(1865),
        "person",
    ),
    Meaning(
        "占比达到27.3%",
        "27.3%",
        "party_members",
        "age:35_or_under",
        SHARE,
        ACTUAL,
        Decimal("27.3"),
        "percent",
    ),
    Meaning(
        "组建党员志愿服务队18支", "18支", "service_teams", "", LEVEL, ACTUAL, Decimal(18), "team"
    ),
    # 村均集体经济收入达到86万元，同比增长12.5%。
    Meaning(
        "村均集体经济收入达到86万元",
        "86万元",
        "village_collective_income",
        "",
        Statistic.PER_UNIT_AVERAGE,
        ACTUAL,
        Decimal(860000),
        "CNY",
    ),
    Meaning(
        "同比增长12.5%",
        "12.5%",
        "village_collective_income",
        "",
        GROWTH,
        ACTUAL,
        Decimal("12.5"),
        "percent",
    ),
    # 在全区平安建设群众满意度测评中，新店街道排名上升6位。: places, not people
    Meaning(
        "排名上升6位",
        "6位",
        "public_safety_survey_rank",
        "",
        Statistic.RANK_CHANGE,
        ACTUAL,
        Decimal(6),
        "place",
    ),
    # 未来五年，将新增党群服务中心12个，培育党员中心户300户，力争…；预计2024年底前完成…
    Meaning(
        "将新增党群服务中心12个",
        "12个",
        "party_service_venues",
        "",
        LEVEL,
        TARGET,
        Decimal(12),
        "count",
    ),
    Meaning(
        "培育党员中心户300户",
        "300户",
        "party_member_households",
        "",
        LEVEL,
        TARGET,
        Decimal(300),
        "person",
    ),
    Meaning(
        "村级集体经济收入全部超过100万元",
        "100万元",
        "village_collective_income",
        "",
        LEVEL,
        TARGET,
        Decimal(1000000),
        "CNY",
    ),
]


@pytest.mark.parametrize("expected", REPORT_MEANINGS, ids=lambda m: m.context)
def test_each_figure_of_the_work_report(expected: Meaning) -> None:
    check_meaning(suggestion_of(WORK_REPORT, expected, REPORT_WINDOW, XIANGAN), expected)


@pytest.mark.parametrize(
    ("context", "raw", "counted_noun", "statistic", "status"),
    [
        # No measure of the vocabulary counts these: the review queue says what is counted.
        ("整治背街小巷48条", "48条", "背街小巷", LEVEL, ACTUAL),
        ("加装电梯35部", "35部", "电梯", LEVEL, ACTUAL),
        ("收集群众诉求560件", "560件", "群众诉求", LEVEL, ACTUAL),
        ("办结率96.4%", "96.4%", "办结率", SHARE, ACTUAL),
        ("开展入户走访3200余人次", "3200余人次", "入户走访", LEVEL, ACTUAL),
        # 党员 is only the modifier of 党员干部: not a count of party members.
        ("选派党员干部136名", "136名", "党员干部", LEVEL, ACTUAL),
        ("预计2024年底前完成剩余1.2万平方米征迁任务", "1.2万平方米", "征迁任务", LEVEL, ESTIMATE),
    ],
)
def test_a_noun_no_measure_fits_gets_no_indicator_and_is_named(
    context: str, raw: str, counted_noun: str, statistic: Statistic, status: Status
) -> None:
    start = WORK_REPORT.index(context) + context.index(raw)
    suggestion = next(
        s
        for s in suggest(WORK_REPORT, REPORT_WINDOW, VOCABULARY, XIANGAN)
        if s.figure_start == start
    )
    assert suggestion.indicator is None
    assert suggestion.counted_noun == counted_noun
    assert (suggestion.statistic, suggestion.status) == (statistic, status)


@pytest.mark.parametrize(
    ("text", "raw", "status"),
    [
        ("全区将近1200名党员参加培训。", "将近1200名", ACTUAL),  # 将近 is "nearly", not a plan
        ("将120名党员编入网格。", "120名", ACTUAL),  # 将 as 把: what was done
        ("全区将新建党群服务中心5个。", "5个", TARGET),
        ("到2026年，全区党员达到3万名。", "达到3万名", TARGET),
        ("预计全年发展党员300名。", "300名", ESTIMATE),
        ("去年计划发展党员500名，实际发展党员520名。", "520名", ACTUAL),
        ("选派党员参加“两年轮训计划”共600人次。", "共600人次", ACTUAL),  # 计划 names a plan
    ],
)
def test_plans_and_estimates(text: str, raw: str, status: Status) -> None:
    assert by_raw(suggest(text, BULLETIN_WINDOW, VOCABULARY, TONGAN), raw).status is status


def test_the_articles_repeated_to_10000_characters_give_one_suggestion_per_numeral() -> None:
    text = ((BULLETIN + WORK_REPORT) * 4)[:10_000]
    suggestions = suggest(text, BULLETIN_WINDOW, VOCABULARY, TONGAN)
    assert [s.raw for s in suggestions] == [m.text for m in scan_numerals(text)]
    # Each repeat is read as the first was: the same reading at the same place in the copy.
    first = len(BULLETIN + WORK_REPORT)
    once = [(s.raw, s.indicator, s.statistic) for s in suggestions if s.figure_end <= first]
    twice = [
        (s.raw, s.indicator, s.statistic)
        for s in suggestions
        if first <= s.figure_start and s.figure_end <= 2 * first
    ]
    assert once and twice == once
