"""Suggestions on articles written for these tests (not the seeds), with the seeds' vocabularies.

The articles are short made-up reports about districts that exist in the vocabulary (集美区
350211, 海沧区 350205); they hold figures the seeds do not have: a range (3至5名), a vague figure
(数十个), a Chinese numeral (一千三百余人次), and period phrases the seeds do not use (今年以来).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from stats.extraction.accuracy import vocabulary_of
from stats.extraction.periods import PublicationWindow
from stats.extraction.quantities import Qualifier
from stats.extraction.scanner import scan_numerals
from stats.extraction.sources import read_seed_sources
from stats.extraction.suggest import Suggestion, Vocabulary, suggest
from stats.extraction.suggest.lexicon import lexicon_of
from stats.vocabulary import NotStatisticReason, Statistic, Status

REPO = Path(__file__).resolve().parents[3]
SOURCES = read_seed_sources(REPO / "seeds")
VOCABULARY = Vocabulary(SOURCES.districts, SOURCES.indicators, SOURCES.tiers, SOURCES.initiatives)
#: Published some time in March 2024: 去年 is 2023, 今年 is 2024.
WINDOW = PublicationWindow(date(2024, 3, 1), date(2024, 3, 31))
JIMEI, HAICANG = "350211", "350205"

#: A report with a title line naming the district, a date, an ordinal and seven statistics.
REPORT = (
    "集美区：党建引领社区治理见实效\n\n"
    "2023年12月，集美区召开基层党建工作会议。截至2023年底，全区共有党员1.8万名，"
    "基层党组织1250个。去年，全区各级党组织开展走访慰问一千三百余人次，"
    "组建党员志愿服务队数十个。\n\n"
    "一是强化队伍建设。今年以来，集美区新招录专职党群工作者3至5名，"
    "第一个试点社区已建成党群服务中心。此外，海沧区组织党员志愿者860余名参与社区治理。"
    "依托“厦门党建e家”平台，全区发送工作提醒2.6万次。\n"
)

#: A digest by place: a heading line per district, no district named in the sentences.
DIGEST = (
    "  集美\n\n  集美区累计培训党员2300余人次。\n\n"
    "  海沧\n\n  新增党支部12个。党员志愿者近900名参与疫情防控。\n"
)


@dataclass(frozen=True)
class Expected:
    raw: str
    quote: str
    district: str
    indicator: str
    unit: str
    period: tuple[str, date | None, date | None, str]  # label, start, end, kind
    qualifier: str
    value: Decimal | None
    lower_bound: Decimal | None
    upper_bound: Decimal | None
    tier: str | None = None
    initiative: str | None = None


LAST_YEAR = ("去年", date(2023, 1, 1), date(2023, 12, 31), "flow")
NOT_STATED_STOCK = ("未写明", date(2024, 3, 1), date(2024, 3, 31), "stock")
END_2023 = ("截至2023年底", date(2023, 12, 31), date(2023, 12, 31), "stock")

REPORT_STATISTICS = [
    Expected(
        "1.8万名",
        "全区共有党员1.8万名",
        JIMEI,
        "party_members",
        "person",
        END_2023,
        "exact",
        Decimal(18000),
        Decimal(18000),
        Decimal(18000),
    ),
    Expected(
        "1250个",
        "基层党组织1250个",
        JIMEI,
        "grassroots_party_organisations",
        "organisation",
        END_2023,
        "exact",
        Decimal(1250),
        Decimal(1250),
        Decimal(1250),
    ),
    Expected(
        "一千三百余人次",
        "全区各级党组织开展走访慰问一千三百余人次",
        JIMEI,
        "visits_to_people_in_need",
        "person_time",
        LAST_YEAR,
        "more_than_bounded",
        Decimal(1300),
        Decimal(1300),
        Decimal(1400),
    ),
    Expected(
        "数十个",
        "组建党员志愿服务队数十个",
        JIMEI,
        "service_teams",
        "team",
        LAST_YEAR,
        "vague",
        None,
        Decimal(20),
        Decimal(100),
    ),
    Expected(
        "3至5名",
        "集美区新招录专职党群工作者3至5名",
        JIMEI,
        "party_workers_recruited",
        "person",
        ("今年以来", date(2024, 1, 1), date(2024, 3, 31), "cumulative"),
        "range",
        None,
        Decimal(3),
        Decimal(5),
    ),
    Expected(
        "860余名",
        "海沧区组织党员志愿者860余名参与社区治理",
        HAICANG,
        "volunteers",
        "person",
        NOT_STATED_STOCK,
        "more_than_bounded",
        Decimal(860),
        Decimal(860),
        Decimal(870),
    ),
    Expected(
        "2.6万次",
        "全区发送工作提醒2.6万次",
        JIMEI,
        "platform_reminders_sent",
        "occurrence",
        NOT_STATED_STOCK,
        "exact",
        Decimal(26000),
        Decimal(26000),
        Decimal(26000),
        initiative="xiamen-dangjian-ejia",
    ),
]

DIGEST_STATISTICS = [
    Expected(
        "2300余人次",
        "集美区累计培训党员2300余人次",
        JIMEI,
        "training_participants",
        "person_time",
        ("未写明", None, date(2024, 3, 31), "cumulative"),  # 累计: to publication
        "more_than_bounded",
        Decimal(2300),
        Decimal(2300),
        Decimal(2400),
    ),
    Expected(
        "12个",
        "新增党支部12个",
        HAICANG,  # from the heading line 海沧
        "party_branches",
        "organisation",
        ("未写明", None, date(2024, 3, 31), "flow"),  # 新增: a flow
        "exact",
        Decimal(12),
        Decimal(12),
        Decimal(12),
        tier="party_branch",
    ),
    Expected(
        "近900名",
        "党员志愿者近900名参与疫情防控",
        HAICANG,
        "party_members_mobilised",  # 参与疫情防控 says what the members are counted for
        "person",
        NOT_STATED_STOCK,
        "nearly",
        Decimal(900),
        None,
        Decimal(900),
    ),
]


def _by_raw(suggestions: list[Suggestion], raw: str) -> Suggestion:
    found = [s for s in suggestions if s.raw == raw]
    assert len(found) == 1, [s.raw for s in suggestions]
    return found[0]


def _check(text: str, suggestion: Suggestion, expected: Expected) -> None:
    assert suggestion.figure_start == text.index(expected.raw)
    assert suggestion.figure_end == suggestion.figure_start + len(expected.raw)
    assert suggestion.quote == expected.quote
    assert text[suggestion.start : suggestion.end] == suggestion.quote
    assert suggestion.start <= suggestion.figure_start < suggestion.figure_end <= suggestion.end
    assert suggestion.not_statistic is None
    assert suggestion.reading_error is None
    assert suggestion.district == expected.district
    assert suggestion.indicator == expected.indicator
    assert suggestion.unit == expected.unit
    label, start, end, kind = expected.period
    assert (
        suggestion.period_label,
        suggestion.period_start,
        suggestion.period_end,
        suggestion.period_kind,
    ) == (label, start, end, kind)
    assert suggestion.tier == expected.tier
    assert suggestion.initiative == expected.initiative
    quantity = suggestion.quantity
    assert quantity is not None
    assert quantity.qualifier.value == expected.qualifier
    assert (quantity.value, quantity.lower_bound, quantity.upper_bound) == (
        expected.value,
        expected.lower_bound,
        expected.upper_bound,
    )


@pytest.mark.parametrize("expected", REPORT_STATISTICS, ids=lambda e: e.raw)
def test_each_statistic_of_the_report(expected: Expected) -> None:
    suggestions = suggest(REPORT, WINDOW, VOCABULARY, JIMEI)
    _check(REPORT, _by_raw(suggestions, expected.raw), expected)


@pytest.mark.parametrize("expected", DIGEST_STATISTICS, ids=lambda e: e.raw)
def test_each_statistic_of_the_digest_by_place(expected: Expected) -> None:
    # No default district: the heading lines say whose figures they are.
    suggestions = suggest(DIGEST, WINDOW, VOCABULARY)
    _check(DIGEST, _by_raw(suggestions, expected.raw), expected)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("2023年12月", NotStatisticReason.DATE),
        ("2023年", NotStatisticReason.DATE),  # in 截至2023年底: the date is the period phrase
        ("一", NotStatisticReason.ORDINAL),  # 一是强化队伍建设
        ("一个", NotStatisticReason.ORDINAL),  # 第一个试点社区
    ],
)
def test_dates_and_ordinals_are_flagged(raw: str, reason: NotStatisticReason) -> None:
    suggestion = _by_raw(suggest(REPORT, WINDOW, VOCABULARY, JIMEI), raw)
    assert suggestion.not_statistic is reason


def test_a_date_is_not_read_and_counts_nothing() -> None:
    suggestion = _by_raw(suggest(REPORT, WINDOW, VOCABULARY, JIMEI), "2023年12月")
    assert suggestion.quantity is None
    assert suggestion.reading_error == "'2023年12' is not a number"
    assert suggestion.indicator is None


@pytest.mark.parametrize(
    ("text", "raw", "reason"),
    [
        ("全区构建“区委—街道党工委—社区党组织”三级组织架构。", "三", NotStatisticReason.STRUCTURE),
        ("该社区夺得全市文明社区“三连冠”。", "三", NotStatisticReason.TITLE),
        ("推行“1+N”服务模式。", "1", NotStatisticReason.NAME),
        ("集美区在全市考评中排名第二。", "二", NotStatisticReason.RANK),
        ("党员干部下沉一线开展服务。", "一", NotStatisticReason.WORD),
        ("近三年，社区面貌焕然一新。", "近三年", NotStatisticReason.PERIOD),
        ("学习贯彻党的二十大精神。", "二十", NotStatisticReason.CITATION),
    ],
)
def test_other_non_statistics(text: str, raw: str, reason: NotStatisticReason) -> None:
    suggestion = _by_raw(suggest(text, WINDOW, VOCABULARY, JIMEI), raw)
    assert suggestion.not_statistic is reason


def test_one_suggestion_per_numeral_in_text_order() -> None:
    for text in (REPORT, DIGEST):
        suggestions = suggest(text, WINDOW, VOCABULARY, JIMEI)
        matches = scan_numerals(text)
        assert len(suggestions) == len(matches)
        for suggestion, match in zip(suggestions, matches, strict=True):
            assert suggestion.figure_start < match.end and match.start < suggestion.figure_end
            assert suggestion.raw == text[suggestion.figure_start : suggestion.figure_end]
            assert suggestion.quote == text[suggestion.start : suggestion.end]


def test_persons_never_serve_a_person_time_indicator() -> None:
    # 培训 names training_participants (person-times); a count of persons cannot serve it.
    suggestion = _by_raw(suggest("全区培训党员2300名。", WINDOW, VOCABULARY, JIMEI), "2300名")
    assert suggestion.unit == "person"
    assert suggestion.indicator != "training_participants"


def test_the_default_district_and_no_district() -> None:
    text = "全区共有党员500名。"
    assert _by_raw(suggest(text, WINDOW, VOCABULARY, JIMEI), "500名").district == JIMEI
    assert _by_raw(suggest(text, WINDOW, VOCABULARY), "500名").district is None


def test_a_repeated_clause_is_widened_to_be_unique() -> None:
    text = "甲社区，党员120名。乙社区，党员120名。"
    first, second = suggest(text, WINDOW, VOCABULARY, JIMEI)
    assert (first.quote, second.quote) == ("甲社区，党员120名", "乙社区，党员120名")


def test_texts_without_numerals() -> None:
    assert suggest("", WINDOW, VOCABULARY) == []
    assert suggest("坚持党建引领。", WINDOW, VOCABULARY, JIMEI) == []


def test_the_order_of_the_vocabulary_does_not_matter() -> None:
    reversed_vocabulary = Vocabulary(
        districts=VOCABULARY.districts[::-1],
        indicators=VOCABULARY.indicators[::-1],
        tiers=VOCABULARY.tiers[::-1],
        initiatives=VOCABULARY.initiatives[::-1],
    )
    for document in SOURCES.documents:
        assert suggest(document.text, document.window, VOCABULARY, document.place) == suggest(
            document.text, document.window, reversed_vocabulary, document.place
        )


def test_an_equal_vocabulary_is_prepared_once_and_reused_for_a_long_article() -> None:
    text = "".join(d.text for d in SOURCES.documents)[:10_000]
    suggest(text, WINDOW, VOCABULARY, JIMEI)
    before = lexicon_of.cache_info()
    # Read anew, as each upload in admin does: equal, not the same object.
    again = vocabulary_of(read_seed_sources(REPO / "seeds"))
    suggestions = suggest(text, WINDOW, again, JIMEI)
    after = lexicon_of.cache_info()
    assert (after.hits - before.hits, after.misses - before.misses) == (1, 0)
    assert [s.raw for s in suggestions] == [m.text for m in scan_numerals(text)]


# --------------------------------------------------------------------------------------------
# What kind of statistic: measure, breakdown, statistic, status and the counted noun, on two
# articles written for these tests (tests/stats/extraction/articles/): a district's annual party
# statistics bulletin and a subdistrict's work report with plans, daily averages and shares.

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


def _meaning(text: str, expected: Meaning, window: PublicationWindow, district: str) -> Suggestion:
    start = text.index(expected.context) + expected.context.index(expected.raw)
    end = start + len(expected.raw)
    found = [
        s
        for s in suggest(text, window, VOCABULARY, district)
        if s.figure_start < end and start < s.figure_end
    ]
    assert len(found) == 1
    return found[0]


def _check_meaning(suggestion: Suggestion, expected: Meaning) -> None:
    assert suggestion.not_statistic is None
    assert suggestion.indicator == expected.indicator
    assert suggestion.breakdown == expected.breakdown
    assert suggestion.statistic is expected.statistic
    assert suggestion.status is expected.status
    assert suggestion.unit == expected.unit
    assert suggestion.quantity is not None
    assert suggestion.quantity.value == expected.value


@pytest.mark.parametrize("expected", BULLETIN_MEANINGS, ids=lambda m: m.context)
def test_each_figure_of_the_party_statistics_bulletin(expected: Meaning) -> None:
    _check_meaning(_meaning(BULLETIN, expected, BULLETIN_WINDOW, TONGAN), expected)


@pytest.mark.parametrize("expected", REPORT_MEANINGS, ids=lambda m: m.context)
def test_each_figure_of_the_work_report(expected: Meaning) -> None:
    _check_meaning(_meaning(WORK_REPORT, expected, REPORT_WINDOW, XIANGAN), expected)


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


def test_the_bounds_of_an_age_band_are_not_statistics() -> None:
    suggestions = suggest(BULLETIN, BULLETIN_WINDOW, VOCABULARY, TONGAN)
    bands = [s for s in suggestions if s.raw in ("35岁", "30岁", "31至35岁", "36至60岁", "61岁")]
    assert len(bands) == 7  # 35岁 three times
    assert {s.not_statistic for s in bands} == {NotStatisticReason.STRUCTURE}


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
    assert _by_raw(suggest(text, BULLETIN_WINDOW, VOCABULARY, TONGAN), raw).status is status


def test_a_measure_of_its_own_name_is_a_level() -> None:
    # 一肩挑比例 is a word of the count of units with one person in both posts: 95.3% is their
    # share; a percent measure itself (its unit percent) would be a level.
    suggestion = _by_raw(
        suggest("全区书记、主任“一肩挑”比例达95.3%。", BULLETIN_WINDOW, VOCABULARY, TONGAN),
        "达95.3%",
    )
    assert (suggestion.indicator, suggestion.statistic) == (
        "units_with_concurrent_secretary_director",
        SHARE,
    )


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


# --------------------------------------------------------------------------------------------
# Reading that does not depend on script, width or spacing: a district report as reposted in
# traditional script, with ASCII punctuation and stray spaces, with full-width digits. The
# suggestions read each like the simplified original; every quote is the repost's own text.

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
