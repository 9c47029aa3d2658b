"""Suggestions on articles written for these tests (not the seeds), with the seeds' vocabularies.

The articles are short made-up reports about districts that exist in the vocabulary (集美区
350211, 海沧区 350205); they hold figures the seeds do not have: a range (3至5名), a vague figure
(数十个), a Chinese numeral (一千三百余人次), and period phrases the seeds do not use (今年以来).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from stats.extraction.accuracy import vocabulary_of
from stats.extraction.scanner import scan_numerals
from stats.extraction.sources import read_seed_sources
from stats.extraction.suggest import Suggestion, Vocabulary, suggest
from stats.extraction.suggest.lexicon import lexicon_of
from stats.vocabulary import NotStatisticReason
from tests.stats.extraction.suggest_helpers import (
    HAICANG,
    JIMEI,
    REPO,
    SOURCES,
    VOCABULARY,
    WINDOW,
    by_raw,
)

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
    _check(REPORT, by_raw(suggestions, expected.raw), expected)


@pytest.mark.parametrize("expected", DIGEST_STATISTICS, ids=lambda e: e.raw)
def test_each_statistic_of_the_digest_by_place(expected: Expected) -> None:
    # No default district: the heading lines say whose figures they are.
    suggestions = suggest(DIGEST, WINDOW, VOCABULARY)
    _check(DIGEST, by_raw(suggestions, expected.raw), expected)


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
    suggestion = by_raw(suggest(REPORT, WINDOW, VOCABULARY, JIMEI), raw)
    assert suggestion.not_statistic is reason


def test_a_date_is_not_read_and_counts_nothing() -> None:
    suggestion = by_raw(suggest(REPORT, WINDOW, VOCABULARY, JIMEI), "2023年12月")
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
    suggestion = by_raw(suggest(text, WINDOW, VOCABULARY, JIMEI), raw)
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
    suggestion = by_raw(suggest("全区培训党员2300名。", WINDOW, VOCABULARY, JIMEI), "2300名")
    assert suggestion.unit == "person"
    assert suggestion.indicator != "training_participants"


def test_the_default_district_and_no_district() -> None:
    text = "全区共有党员500名。"
    assert by_raw(suggest(text, WINDOW, VOCABULARY, JIMEI), "500名").district == JIMEI
    assert by_raw(suggest(text, WINDOW, VOCABULARY), "500名").district is None


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
