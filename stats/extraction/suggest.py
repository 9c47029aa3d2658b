"""Suggestions for a new article's figures: what an analyst would otherwise type for each one.

Pure and typed, no database: given an article's text, its publication window, an optional
default district and the vocabularies (districts, indicators, tiers, initiatives), every
numeral the scanner finds becomes a :class:`Suggestion` with its figure read, its quote (the
clause around it), and a suggested district, indicator (the measure), breakdown, statistic,
status, period, tier and initiative (district, indicator, tier and initiative ``None`` when
nothing fits), with the counted noun as written. ``stats.ingest`` stores them as candidates
for review; ``stats.extraction.accuracy`` measures them against the curated annotations of the
seeds and against a held-out article.

The rules come from the vocabularies and from how Chinese report texts are written, not from
particular texts:

- figure: the scanner's candidate (qualifiers, 余/多, scale words, ranges, vague figures and
  the measure word are taken in there), read with :func:`parse_quantity`; when that fails the
  candidate is narrowed to the longest part the parser reads, else ``reading_error`` says why.
- quote: the clause around the figure, cut at clause punctuation (，、；：。！？ and their ASCII
  forms) and at paragraph breaks; a line break in a narrow-column layout (captions a few
  characters a line) is not a break. A clause found more than once in the text is widened to
  the comma-level phrase, then to the sentence.
- not_statistic: calendar dates and weekdays; numerals in an initiative's name or in a word
  that holds a numeral character without being a number (一线, 进一步, 之一, 三会一课, 十九届 …);
  ordinals and ranks (第一, 一是, 全市第二, 9次位列第一); names, titles and slogans in short
  quotation marks (“六连冠”, “5+X”) and of the shape 1+3+8, N2, 95后, 2.0版; titles of documents
  in 《》; periods (N年来, 近三年, 1—9月, 两年); 周年 and 届 (citations); structures (四级, 三大,
  N个方面, N项机制, N类, the parts listed in brackets after a quoted name); bare scale words
  (万翔, 百万人民); small counts written in Chinese (三项行动, 一支队伍) unless an indicator's
  word names them (两轮, 翻一倍); small counts after 每 (rules: 每月安排1个).
- indicator (the measure): the indicator whose word (name without its counting suffix, or a
  synonym) is the head of the counted noun: after the figure (``1100余个基层党组织``, up to the
  first predicate word: 参与, 成立 …) or, when the figure closes its clause, before it
  (``讲党课215场``), with only linking words between it and the figure (共有, 总数为, 占比达到,
  比上年净增). A word followed by another head noun (基层党组织|书记, 招商项目|组) or modifying
  another noun before the figure (党员|干部136名) is not the head, unless the measure's name has
  that noun; a verb that is a measure's word counts the action (培训党员2300人次) when the
  figure is in the measure's own unit; a predicate right after the noun names what the counted
  did (党员志愿者近900名|参与疫情防控, 118个社区、151个行政村|已建立党组织). Only indicators the
  figure's unit can serve are considered (persons never count person-times); a percent or a
  rank change may be of any measure. When the clause has a counted noun that no indicator's
  word heads, **no indicator** is suggested and ``counted_noun`` names it (志愿服务队, 电梯): a
  wrong measure is worse than none. When the clause has no noun of its own: a change, growth
  rate or share takes the measure and breakdown of the figure just before it in its sentence
  (党员2.46万名，比上年净增512名，增幅2.1%); a bare category (工人2130名, 学生410名) takes the
  measure of the nearest level figure before it (this paragraph or the one before); else the
  nearest word in the phrase, then before the figure in its sentence. After 其中, a more general
  measure (党员 in 女党员) becomes the measure of the figure the list divides (发展党员486名。其中，
  女党员198名: recruits), whose breakdown and status it inherits.
- breakdown: the codelists' category words (``stats.vocabulary.CODELISTS``: 女党员, 少数民族,
  35岁及以下, 大专及以上学历, 工人, 离退休人员, 一线, 村, 社区, 机关, 非公企业 …) in the counted
  noun, unless the measure's own name says it (小区党支部数); sex, age, education, occupation …
  for counts of people, kinds of unit for counts of units, organisations or people. Two
  categories of one dimension (村（社区）) give none; a place-like word after a Chinese
  character that is not a measure word, 各, 的 or a conjunction is the end of a name (大同社区).
  The numerals of an age band (35岁 in 35岁及以下) are not statistics (structure).
- statistic: from the nearest word before the figure in its clause: 占, 占比, 比例, 覆盖率 (a
  percent) → share; 增长, 增幅, 同比增长 (a percent or multiple) → growth rate; 净增, 净减, or
  增加/减少/提高 after a comparison base (比上年, 较2022年底), or 增加/减少 right before the figure
  → change (新增 is a flow, a level); 日均 → daily average and 村均, 人均, 户均 → per-unit average
  (anywhere before it in the phrase); 上升/前移N位 → rank change (unit place). A percent without a
  word is a share; a measure in percent, or whose own name holds the word (an average measure),
  gives a level.
- status: the nearest word before the figure in its sentence, up to a ；, not inside a short
  quotation or a title: 将 (followed by a verb: 将新增, 将达到; not 将近, nor 将 as 把 before a
  noun), 即将, 力争, 争取, 确保, 计划, 拟, 谋划, 目标是, 预计到, 未来N年 → target; 预计, 预估 →
  estimate; 已, 目前, 截至, 实际 → actual; failing those, a year after the publication (or
  到/…前 with a year not before it) → target; else actual.
- unit: the statistic's unit of the measure (``stats.vocabulary.observation_unit``: a share in
  percent, a rank change in places, else the measure's unit when the figure's unit can serve
  it), else the figure's.
- district: the nearest place named before the figure in its sentence; else the place of the
  latest heading (a title line, ``厦门火炬高新区：…``, or in a digest by place ``鼓楼``); else
  ``default_district``. A place that contains the current one (厦门 in a Jimei article) does not
  override it, nor does a short name that is part of another place's name (高新区) outside the
  current place's city.
- period: the nearest period phrase before the figure in its sentence (去年, 2020年以来,
  截至2023年12月底, 目前, 7年来 …) as :func:`resolve_period` reads it; a rate word (每年, 日均)
  only in the figure's phrase; a comparison base (较2019年底) or a phrase the resolver does not
  read (未来五年) ends the search. Else a 累计 written in the figure gives 累计 (cumulative to
  publication); else ``未写明``: after 累计 or 新增 in the sentence a cumulative count or a flow
  ending by publication, otherwise a stock in the publication window.
- tier: the indicator's tier, else a tier word in the counted noun of an organisation count.
- initiative: the nearest initiative named (name or alias) before the figure in its sentence,
  else one named after it in its phrase.

Performance: everything is computed once per text (segmentation, mentions of places,
initiatives, tiers, words and periods); a 10,000-character article takes about a tenth of
a second. The vocabulary is prepared once and cached (up to 8 vocabularies).
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import TypeVar

from stats.extraction.corpus import NOT_STATED
from stats.extraction.periods import (
    RATE_WORDS,
    SINCE_UNKNOWN_WORDS,
    PeriodError,
    PublicationWindow,
    resolve_period,
)
from stats.extraction.quantities import (
    CHINESE_NUMERAL_CHARS,
    MEASURE_WORDS,
    FigureError,
    Qualifier,
    Quantity,
    parse_quantity,
)
from stats.extraction.reading import Folded, fold
from stats.extraction.scanner import NumeralKind, NumeralMatch, scan_folded
from stats.extraction.sources import (
    DistrictEntry,
    IndicatorEntry,
    InitiativeEntry,
    TierEntry,
)
from stats.vocabulary import (
    CODELISTS,
    COUNTED_THING_UNITS,
    NotStatisticReason,
    PeriodKind,
    Statistic,
    Status,
    breakdown_key,
    observation_unit,
)

__all__ = ["Suggestion", "Vocabulary", "suggest"]


@dataclass(frozen=True)
class Vocabulary:
    """What suggestions may name: the codes and words of the reviewed vocabularies."""

    districts: tuple[DistrictEntry, ...]
    indicators: tuple[IndicatorEntry, ...]
    tiers: tuple[TierEntry, ...]
    initiatives: tuple[InitiativeEntry, ...]


@dataclass(frozen=True)
class Suggestion:
    """One figure of the text and what it probably means.

    ``figure_start``/``figure_end`` delimit the figure as the parser reads it (``text[...]``
    with the layout's white space is ``raw``); ``start``/``end`` the quote, a clause around
    it that says what is counted, unique in the text where possible. ``quantity`` is None and
    ``reading_error`` says why when the figure cannot be read. ``not_statistic`` is a
    suggested reason when the numeral is probably not a statistic (a date, an ordinal, a
    name); the other fields are then best guesses or None."""

    figure_start: int
    figure_end: int
    raw: str
    start: int
    end: int
    quote: str
    quantity: Quantity | None
    reading_error: str | None
    not_statistic: NotStatisticReason | None
    district: str | None
    indicator: str | None
    unit: str | None
    period_label: str | None
    period_start: date | None
    period_end: date | None
    period_kind: str | None
    tier: str | None
    initiative: str | None
    breakdown: str  # canonical key (sex:female, age:35_or_under,sex:female); "" the total
    statistic: Statistic
    status: Status
    counted_noun: str | None  # what the figure counts, as written (志愿服务队), if it says


# --------------------------------------------------------------------------------------------
# The language: punctuation, words holding numeral characters, period phrases

#: Clause punctuation (full-width and ASCII). ``.`` is not one: it is a decimal point.
_CLAUSE_MARKS = "，、；：。！？…,;:!?"
#: Phrase punctuation: the clause marks without the enumeration comma 、.
_PHRASE_MARKS = "，；：。！？…,;:!?"
#: Sentence ends. ； does not end a sentence: a period phrase carries over it.
_SENTENCE_MARKS = "。！？!?"
#: A line of a narrow-column layout (a caption): this short and not ended by punctuation.
_NARROW_LINE = 8
_LEFT_SINGLE, _RIGHT_SINGLE = "\u2018", "\u2019"
_QUOTE_PAIRS = {"“": "”", _LEFT_SINGLE: _RIGHT_SINGLE, "「": "」", "『": "』", '"': '"'}
#: Quoted text this short is a name, title or slogan, not speech.
_SHORT_QUOTE = 16
#: Marks skipped when matching words: quotation marks and book-title marks.
_IGNORED_MARKS = f'“”{_LEFT_SINGLE}{_RIGHT_SINGLE}"《》「」『』'
_FULL_WIDTH_DIGITS = "".join(chr(0xFF10 + d) for d in range(10))
_DIGITS = f"0-9{_FULL_WIDTH_DIGITS[0]}-{_FULL_WIDTH_DIGITS[-1]}"
_NUMERAL_CHARS = frozenset(CHINESE_NUMERAL_CHARS + "0123456789" + _FULL_WIDTH_DIGITS)
_PLUS = "+\uff0b"
_CN_SMALL = "一二两三四五六七八九十"
_HAN = re.compile(r"[\u4e00-\u9fff]")
_CHINESE_ONLY = re.compile(rf"^[^{_DIGITS}]*$")
_WEEKDAY = re.compile(r"(?:周|星期|礼拜)[一二三四五六日天]")
_YEARS_OR_MONTHS = re.compile(rf"[{_DIGITS}{CHINESE_NUMERAL_CHARS}]+[年月]")

#: Words that hold a numeral character without being a number, with the reason: general
#: Chinese and fixed terms of party writing. A text's own slogans are found by the rules.
_WORDS: dict[str, NotStatisticReason] = {
    word: reason
    for reason, words in (
        (
            NotStatisticReason.WORD,
            "进一步 一线 一体化 一体 一系列 一批 一座 一声 一旦 一般 一方面 另一方面 不一样 "
            "一样 一起 一些 一切 一致 一直 一定 一同 一道 一律 一贯 一向 一再 一度 一举 "
            "一流 一票否决 一件件 一个个 一项项 一次次 一张网 一盘棋 一站式 一揽子 一把手 "
            "一对一 统一 唯一 万一 之一 第一时间 第一书记 老百姓 百姓 二者 两者 两岸 两新 "
            "两委 三农 欢聚一堂 焕然一新 一半 一新 四面八方 千方百计 千家万户 四梁八柱 "
            "五湖四海 一心一意 三心二意 七嘴八舌 十全十美 十分 万众一心 一马当先 一往无前 "
            "数一数二 独一无二 一蹴而就 一以贯之 一张蓝图 两头 两手 一手 一把 一口气 一时 "
            "一下 一边 一面 一番 一点 一味 一生 一次性",
        ),
        (
            NotStatisticReason.NAME,
            "三会一课 四个意识 四个自信 两个维护 两个确立 四史 一肩挑 两学一做 三严三实 五四 "
            "七一 八一 十四五 十三五 一带一路 两个覆盖 五个一批 双一流 一国两制 两个一百年 "
            "四个全面 五位一体 三重一大 一岗双责 四风 八项规定 两个责任 三个代表 五大发展理念",
        ),
        (
            NotStatisticReason.CITATION,
            "十九大 二十大 十八大 十九届 二十届 十八届 一中全会 二中全会 三中全会 四中全会 "
            "五中全会 六中全会 七中全会 建党百年 百年大党",
        ),
    )
    for word in words.split()
}

#: Before 第N or after a count of placings (9次位列…第一): a ranking, not an ordinal.
_RANK_MARKERS = ("排名", "位列", "名列", "排在", "位居", "居")
#: Nouns that name the parts of a structure or programme, not things counted in the world.
_STRUCTURE_NOUNS = (
    "方面",
    "篇章",
    "章节",
    "环节",
    "板块",
    "维度",
    "原则",
    "机制",
    "体系",
    "方案",
    "专项行动",
    "专项活动",
    "大行动",
    "功能",
    "步骤",
    "层级",
    "梯队",
)
#: After the number: an honour or award (三等奖, 六连冠, 十佳, 百强).
_TITLE_AFTER = ("等奖", "连冠", "佳", "强", "优")
#: Words that make a quoted name a title.
_TITLE_IN_QUOTE = ("冠", "奖", "佳", "强", "优秀", "先进", "示范", "标兵")
#: Markers of a comparison base: 较2019年 is not the period of the figure after it.
_COMPARISON_MARKERS = ("较", "比", "同比", "相比", "与")
#: Suffix qualifiers a figure may leave outside its clause's noun.
_TRAILING_QUALIFIERS = ("以上", "左右", "以下", "以内")

_PERIOD_PHRASE = re.compile(
    "|".join(
        [
            r"截至目前",
            rf"截至[{_DIGITS}]{{4}}年[{_DIGITS}]{{1,2}}月底?",
            rf"截至[{_DIGITS}]{{4}}年底?",
            rf"(?:自|从)?[{_DIGITS}]{{4}}年(?:[{_DIGITS}]{{1,2}}月)?(?:以来|起)",
            r"去年以来|去年至今",
            rf"去年[{_DIGITS}]{{1,2}}[—–-][{_DIGITS}]{{1,2}}月",
            rf"去年[{_DIGITS}]{{1,2}}月",
            r"今年以来",
            r"去年|今年|当年",
            rf"[{_DIGITS}]{{4}}年[{_DIGITS}]{{1,2}}[—–-][{_DIGITS}]{{1,2}}月",
            rf"[{_DIGITS}]{{4}}年底",
            rf"[{_DIGITS}]{{4}}年[{_DIGITS}]{{1,2}}月[{_DIGITS}]{{1,2}}日",
            rf"[{_DIGITS}]{{4}}年[{_DIGITS}]{{1,2}}月",
            rf"[{_DIGITS}]{{4}}年",
            rf"(?:[{_DIGITS}]{{1,2}}|[{_CN_SMALL}])年(?:以来|来)",
            rf"近(?:[{_DIGITS}]{{1,2}}|[{_CN_SMALL}])年(?:以来|来)?",
            "|".join(SINCE_UNKNOWN_WORDS),  # 近年来 before 近年: the longer is taken
            r"目前|如今|(?<![实发表体出呈展])现有|(?<![实发表体出呈展])现在|当前|至今",
            "|".join(RATE_WORDS),
            # Not read by the resolver: they end the search for an earlier phrase.
            rf"(?:未来|今后)(?:[{_DIGITS}]{{1,2}}|[{_CN_SMALL}])?年",
        ]
    )
)
_DIGIT_BEFORE = re.compile(rf"[{_DIGITS}]$")
_TO_ASCII_DIGITS = str.maketrans(_FULL_WIDTH_DIGITS, "0123456789")

#: Suffixes of indicator names that say how it is counted (党员人数 → 党员).
_NAME_SUFFIXES = ("人数", "人次", "场次", "次数", "件数", "页数", "批次", "金额", "面积", "数")
_BRACKETS = re.compile(r"[（(][^（）()]*[）)]")


# --------------------------------------------------------------------------------------------
# The vocabulary, prepared once

_P = TypeVar("_P")


@dataclass(frozen=True)
class _Term:
    word: str
    indicator: IndicatorEntry


@dataclass(frozen=True)
class _Place:
    word: str
    district: DistrictEntry
    ambiguous: bool  # also part of another place's name (高新区 in 厦门火炬高新区)


@dataclass(frozen=True)
class _Lexicon:
    terms: dict[str, tuple[_Term, ...]]  # first character → words, longest first
    places: dict[str, tuple[_Place, ...]]
    initiatives: dict[str, tuple[tuple[str, str], ...]]  # first character → (word, code)
    tiers: dict[str, tuple[tuple[str, str], ...]]
    indicators: tuple[IndicatorEntry, ...]
    words: dict[str, frozenset[str]]  # an indicator's words, by code
    parents: dict[str, str | None]
    cities: dict[str, str | None]  # district → its prefecture-level city or province


def _by_first_char(entries: Iterable[tuple[str, str, _P]]) -> dict[str, tuple[_P, ...]]:
    """(word, code, payload) by the word's first character, longest word first; equal words by
    code, so that the result does not depend on the vocabulary's order."""
    table: dict[str, list[tuple[str, str, _P]]] = {}
    for entry in entries:
        if entry[0]:
            table.setdefault(entry[0][0], []).append(entry)
    return {
        first: tuple(e[2] for e in sorted(rows, key=lambda e: (-len(e[0]), e[0], e[1])))
        for first, rows in table.items()
    }


def _plain(word: str) -> str:
    """A word as matched: folded like the text, without quotation marks, white space and
    bracketed asides."""
    word = _BRACKETS.sub("", fold(word).text)
    return "".join(c for c in word if not c.isspace() and c not in _IGNORED_MARKS)


def _indicator_words(indicator: IndicatorEntry) -> set[str]:
    """The indicator's synonyms and name, and the name without its counting suffix (党员人数 →
    党员). Single characters and bare measure words (人次, 轮) say nothing of what is counted."""
    words = {_plain(w) for w in indicator.synonyms}
    name = _plain(indicator.name_zh)
    words.add(name)
    for suffix in _NAME_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            words.add(name[: -len(suffix)])
            break
    return {w for w in words if len(w) >= 2 and w not in MEASURE_WORDS}


#: Levels whose short names texts use alone all over China (泉州, 宁德, 广西, 恩施).
_SHORT_NAME_LEVELS = frozenset({"province", "prefecture_city", "prefecture", "development_zone"})

#: Codes (a prefix) of the province whose county-level short names are read alone too: the
#: product's own (晋江, 鲤城, 湖里). Elsewhere a county-level place is read by its full name
#: (通州区, not 通州) or an alias: two-character short names of counties are too often ordinary
#: words (和平, 富民, 安定, 东方).
_SHORT_NAME_PROVINCES = ("35",)

#: Levels that count as "the city" of a place below them.
_CITY_LEVELS = frozenset({"prefecture_city", "prefecture", "province"})

#: Words after a short name that make it the name of something else: 古田会议, 延安精神.
_NOT_A_PLACE_AFTER = ("会议", "精神")


def _place_words(district: DistrictEntry) -> list[str]:
    """The words a text names the place by: its full name (of three characters or more: 和县,
    城区 are read only as part of a longer phrase), its aliases, and its short name where
    short names are read alone (:data:`_SHORT_NAME_LEVELS`, :data:`_SHORT_NAME_PROVINCES`)."""
    words = [fold(w).text for w in district.aliases]
    if len(district.name_zh) >= 3:
        words.append(fold(district.name_zh).text)
    if len(district.short_zh) >= 2 and (
        district.level.value in _SHORT_NAME_LEVELS
        or district.code.startswith(_SHORT_NAME_PROVINCES)
    ):
        words.append(fold(district.short_zh).text)
    return list(dict.fromkeys(w for w in words if w))


@lru_cache(maxsize=8)
def _lexicon(vocabulary: Vocabulary) -> _Lexicon:
    place_words = [
        (word, district) for district in vocabulary.districts for word in _place_words(district)
    ]
    # Which words are part of another place's longer word (高新区 in 厦门火炬高新区): every
    # substring of every word, looked up once (the table has some ten thousand words).
    known = {word for word, _ in place_words}
    inside: dict[str, set[str]] = {}
    for w, other in place_words:
        for a in range(len(w)):
            for b in range(a + 1, len(w) + 1):
                if b - a < len(w) and w[a:b] in known:
                    inside.setdefault(w[a:b], set()).add(other.code)
    places = [
        (
            word,
            district.code,
            _Place(word, district, bool(inside.get(word, set()) - {district.code})),
        )
        for word, district in place_words
    ]
    parents = {d.code: d.parent for d in vocabulary.districts}
    levels = {d.code: d.level.value for d in vocabulary.districts}

    def city(code: str) -> str | None:
        seen: str | None = code
        while seen is not None and levels.get(seen) not in _CITY_LEVELS:
            seen = parents.get(seen)
        return seen

    return _Lexicon(
        terms=_by_first_char(
            (word, indicator.code, _Term(word, indicator))
            for indicator in vocabulary.indicators
            for word in _indicator_words(indicator)
        ),
        places=_by_first_char(places),
        initiatives=_by_first_char(
            (name, i.code, (name, i.code))
            for i in vocabulary.initiatives
            for name in (fold(n).text for n in (i.name_zh, *i.aliases))
        ),
        tiers=_by_first_char(
            (name, t.code, (name, t.code))
            for t in vocabulary.tiers
            for name in (fold(n).text for n in (t.name_zh, *t.aliases))
        ),
        indicators=tuple(sorted(vocabulary.indicators, key=lambda i: i.code)),
        words={i.code: frozenset(_indicator_words(i)) for i in vocabulary.indicators},
        parents=parents,
        cities={code: city(code) for code in parents},
    )


# --------------------------------------------------------------------------------------------
# What kind of number: statistic, status, breakdown, the counted noun

#: Words between a counted noun and its figure that leave the noun the head of what is
#: counted (党员总数为, 占比达到, 比上年净增): being and reaching, totals, qualifiers, comparison
#: bases and statistic words. Stripped from the end of the gap, repeatedly.
_LINKING = re.compile(
    "(?:"
    + "|".join(
        [
            rf"(?:比|较|与|同)(?:上年|去年|上一年|前一年|同期|[{_DIGITS}]{{4}}年)(?:底|末)?"
            r"(?:同期)?(?:相比)?",
            r"同比|环比",
            r"所占比例|占比|比例|比重|覆盖率|占",
            r"净增加|净减少|净增|净减|增加|减少|增长率|增长|增幅|增速|涨幅|上升|下降|提高|提升|降低",
            r"总数|人数|数量|总量|总计|合计|共计|累计|总额|规模",
            r"共有|现有|拥有|已有|共|有",
            r"已达到|已达|达到|高达|多达|达",
            r"分别|均|全部|都|已经|已|仅|只有|为|是|约|了|的|中|至|到",
            r"超过|突破|不低于|不少于|不超过|不足|接近|近|逾|超|等|由|从|在|内|就|也|还|才|又",
            r"最初|当初|起初|原来|原有|此前|目前|现在|如今|当时|年初|年底|年末",
        ]
    )
    + r")$"
)
#: Heads that a counted noun may go on with after an indicator's word: 基层党组织书记 counts
#: secretaries, 招商项目组 teams, not organisations or projects.
_NOUN_HEADS = (
    "书记",
    "委员",
    "干部",
    "人员",
    "成员",
    "代表",
    "群众",
    "工作者",
    "负责人",
    "组",
    "队",
    "员",
    "者",
    "长",
    "站",
    "点",
    "室",
    "中心",
    "基地",
    "阵地",
    "指挥部",
    "项目",
    "领导",
)
#: Verbs and adverbs that end a subject or begin a predicate: the counted noun is after the
#: last of them before the figure (组建|党员志愿服务队18支) or before the first after it
#: (12个小区|加装电梯).
_PREDICATE_WORDS = """
    参与 参加 投身 深入 成立 建立 建成 建有 组建 开展 完成 实现 获得 获评 荣获 被 全部 全面
    共同 担任 挂任 兼任 下沉 纳入 入驻 报到 签约 落地 涌现 通过 奋战 坚守 结对 联系 帮扶 走访
    得到 受到 进驻 进入 加入 覆盖 设立 设置 配备 选派 派驻 派出 认领 承接 发挥 带动 吸纳 提供
    开设 打造 形成 成为 率先 主动 积极 自发 先后 相继 陆续 同步 集中 定期 携手 联合 共建 推动
    实施 加装 整治 改造 新建 新增 收集 办理 办结 解决 化解 排查 培训 开放 认定 评选 命名 共有
    现有 拥有 招录 招聘 选聘 引进 培育 举办 召开 发放 发送 发布 慰问 转移 出动 抽调 聘请 安置
    帮助 惠及 吸引 孵化 培养 选树 表彰 挖掘 整合 盘活 投入 筹集 募集 捐赠 签订 征集 受理 调解
    开通 上线 注册 参训 轮训 宣讲 累计 达到 超过 突破 推广 落户 实行 进行 挂钩
    有 达 为 是 在 到 赴 向 对 从 与 和 及
"""
_PREDICATE = re.compile("|".join(sorted(_PREDICATE_WORDS.split(), key=len, reverse=True)))
#: An indicator's word that says what units did rather than what they are (已建立党组织).
_PREDICATE_START = re.compile(rf"(?:已|全|均|都)?(?:{_PREDICATE.pattern})")
#: Single-character predicates that end a noun after a figure (850名干部|到机场).
_GOING = frozenset("到在向对从赴")
#: Words that open a noun phrase without being part of what is counted.
_LEADING = re.compile(
    r"^(?:其中|全(?:区|市|县|省|镇|乡|街道|国)|辖区内?|各级|各类|各|共|累计|今年以来|今年|"
    r"去年以来|去年|目前|当前|现已|已|年底|年末|新|占|计划|力争|预计|将)+"
)

#: Words before a figure that make it a statistic other than a level (``_statistic``).
_RANK_CUE = re.compile(r"(?:上升|提升|前移|跃升|前进|进位|攀升|提高|下降|后退|下滑|后移)了?$")
_RANKING = re.compile(r"排名|排位|位次|名次")
_DAILY_CUE = re.compile(r"日均|平均每天|每天平均|每日平均")
_PER_UNIT_CUE = re.compile(r"村均|人均|户均|校均|企均|平均每(?:个|户|人|村|名|家|所)")
_SHARE_CUE = re.compile(r"所占比例|占比|比例|比重|覆盖率|占(?![地用领据])")
_GROWTH_CUE = re.compile(
    r"(?:增长率|增长|增幅|增速|涨幅|提高|提升|上升|下降|降低|减少|增加|下滑|翻)了?(?![到至为])"
)
_CHANGE_CUE = re.compile(
    r"(?:净增加|净减少|净增|净减|增加|减少|增长|下降|提高|提升|上升|降低)了?(?![到至为])"
)
_COMPARISON_BASE = re.compile(r"比|较|同比|环比")
#: Change words that make a change without a comparison base when right before the figure
#: (增加22个); 提高102名干部素质 raises something else.
_ADJACENT_CHANGE = frozenset({"增加", "减少", "增长", "下降"})

#: Words before a figure in its sentence that make it a plan or an estimate (``_status``).
_FUTURE_AFTER_JIANG_WORDS = """
    会 要 再 继续 进一步 全面 持续 逐步 陆续 分批 重点 不断 新 增 达 建 实现 完成 开展 组织 发展
    培育 打造 推 累计 有 突破 超 投入 提 于 在 吸纳 招 选 覆盖 形成 成为 迎来 举办 启动 落实 扩大
    开通 惠及 带动 创建 深化 加快 加大 围绕 聚焦 坚持 着力 大力 集中 统筹 进行 开设 设立 配备 培训
    实施 构建 健全 完善 探索 出台 召开 全力 努力 积极 切实 更加 每年
"""
_FUTURE_AFTER_JIANG = _FUTURE_AFTER_JIANG_WORDS.split()
_STATUS_CUE = re.compile(
    "|".join(
        [
            r"(?P<target>力争|争取|确保|计划(?!生育|单列)|目标(?=是|为|：|:|到|达)|预计到|拟|谋划"
            rf"|规划(?!面积)|(?:未来|今后)(?:[{_DIGITS}]{{1,2}}|[{_CN_SMALL}])?年|即将"
            rf"|(?<!即)将(?={'|'.join(_FUTURE_AFTER_JIANG)}))",
            r"(?P<estimate>预计|预估|估计|预期)",
            r"(?P<actual>已经|已|目前|截至|现有|实际|如今)",
            rf"(?P<year>(?P<until>到|至)?(?P<number>[{_DIGITS}]{{4}})年(?:底|末)?(?P<before>前|以前)?)",
        ]
    )
)

#: How texts name the categories of a breakdown: each category's words and its name.
#: Single characters (村, 镇) only where their neighbours show they are the kind of unit.
_PLACE_LIKE = frozenset({"village", "community", "subdistrict", "township", "residential_compound"})
_NAME_PREFIXES = ("全区", "全市", "全县", "全省", "城市", "农村", "城乡", "城镇")
_AFTER_SINGLE = {"村": "民均庄落道里口头委务史容貌", "镇": "长政府江区上里"}
#: Dimensions that break down counts of people; unit_kind breaks down counts of units.
_UNIT_DIMENSIONS = frozenset({"unit_kind"})
#: Characters after which a place-like word is a kind of unit, not the end of a name: measure
#: words (118个社区, 28名农村…), 各, 的, conjunctions.
_BEFORE_KIND = frozenset("各的和及与等或在" + "".join(w for w in MEASURE_WORDS if len(w) == 1))


@dataclass(frozen=True)
class _CategoryWord:
    word: str
    dimension: str
    code: str


def _category_words() -> dict[str, tuple[_CategoryWord, ...]]:
    entries = []
    for dimension, codelist in CODELISTS.items():
        for category in codelist.categories:
            for word in {_plain(w) for w in (*category.words, category.name_zh)}:
                if any(c in _CLAUSE_MARKS for c in word):
                    continue  # 生产、工作一线: the text's 、 cuts it; 一线 is a word of its own
                if len(word) >= 2 or word in _AFTER_SINGLE:
                    entries.append(
                        (word, category.code, _CategoryWord(word, dimension, category.code))
                    )
    return _by_first_char(entries)


_CATEGORY_WORDS = _category_words()

# --------------------------------------------------------------------------------------------
# The text: paragraphs, clauses, quotations, mentions


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    code: str


@dataclass(frozen=True)
class _CategoryMention:
    start: int
    end: int
    dimension: str
    code: str


Span = tuple[int, int]


class _Text:
    """One article, with its segmentation and every vocabulary mention computed once."""

    def __init__(self, text: str, lexicon: _Lexicon, default_district: str | None = None) -> None:
        self.text = text
        self.lexicon = lexicon
        self.default_district = default_district
        self.paragraph_breaks = self._paragraph_breaks()
        self.paragraphs = self._paragraphs()
        self.paragraph_starts = [s for s, _ in self.paragraphs]
        self.clause_marks = self._marks(_CLAUSE_MARKS)
        self.phrase_marks = self._marks(_PHRASE_MARKS)
        self.sentence_marks = self._marks(_SENTENCE_MARKS)
        self.item_marks = self._marks(_SENTENCE_MARKS + "；;")
        self.quotes = self._quotations()
        self.titles = [m.span() for m in re.finditer(r"《[^《》\n]{1,60}》", text)]
        self.definitions = self._definitions()
        self.words = self._words()
        self.places = self._places()
        self.initiatives = self._mentions(lexicon.initiatives)
        self.tiers = self._mentions(lexicon.tiers)
        self.periods = [
            m
            for m in _PERIOD_PHRASE.finditer(text)
            if not _DIGIT_BEFORE.search(text[max(0, m.start() - 1) : m.start()])
        ]
        self.period_starts = [m.start() for m in self.periods]
        self.headings = self._headings()
        self.categories = self._categories()
        self.category_starts = [c.start for c in self.categories]
        self.status_cues = list(_STATUS_CUE.finditer(text))
        self.status_starts = [m.start() for m in self.status_cues]
        self.qizhong = [m.start() for m in re.finditer("其中", text)]
        self._counts: dict[str, int] = {}

    # -- segmentation

    def _paragraph_breaks(self) -> list[Span]:
        """White space holding a line break that ends a paragraph. In a narrow column (both
        lines short, the first not ended by punctuation) the line goes on."""
        breaks = []
        text = self.text
        for match in re.finditer(r"[ \t\u3000]*\n[ \t\u3000\n]*", text):
            start, end = match.span()
            if match.group().count("\n") == 1:
                line_end = text.find("\n", end)
                before = text[text.rfind("\n", 0, start) + 1 : start].strip()
                after = text[end : len(text) if line_end < 0 else line_end].strip()
                narrow = 0 < len(before) <= _NARROW_LINE and 0 < len(after) <= _NARROW_LINE
                if narrow and before[-1] not in _CLAUSE_MARKS:
                    continue
            breaks.append((start, end))
        return breaks

    def _paragraphs(self) -> list[Span]:
        spans, position = [], 0
        for start, end in self.paragraph_breaks:
            spans.append((position, start))
            position = end
        spans.append((position, len(self.text)))
        return [s for s in spans if s[1] > s[0]] or [(0, len(self.text))]

    def _marks(self, marks: str) -> list[int]:
        """Sorted boundary positions: each mark, and both ends of each paragraph break."""
        positions = {i for i, c in enumerate(self.text) if c in marks}
        positions.update(s for s, _ in self.paragraph_breaks)
        positions.update(e - 1 for _, e in self.paragraph_breaks)
        return sorted(positions)

    def _quotations(self) -> list[Span]:
        """Inner spans of quotation marks, paired left to right within a paragraph."""
        spans = []
        for p_start, p_end in self.paragraphs:
            position = p_start
            while position < p_end:
                opening = next(
                    (i for i in range(position, p_end) if self.text[i] in _QUOTE_PAIRS), None
                )
                if opening is None:
                    break
                closing = self.text.find(_QUOTE_PAIRS[self.text[opening]], opening + 1, p_end)
                if closing < 0:
                    position = opening + 1
                    continue
                spans.append((opening + 1, closing))
                position = closing + 1
        return spans

    def _definitions(self) -> list[Span]:
        """Brackets right after a quoted name, spelling out its parts: “5+X”（参加1次主题党日…）,
        “1+3+8”工作体系（即制定1个总体方案…）."""
        return [
            match.span()
            for match in re.finditer(r"[（(][^（）()]{4,120}[）)]", self.text)
            if any(
                q in self.text[max(0, match.start() - 6) : match.start()]
                for q in "”" + _RIGHT_SINGLE
            )
        ]

    def _words(self) -> list[tuple[int, int, NotStatisticReason]]:
        found = []
        for word, reason in _WORDS.items():
            at = self.text.find(word)
            while at >= 0:
                found.append((at, at + len(word), reason))
                at = self.text.find(word, at + 1)
        return sorted(found)

    def segment(self, marks: list[int], start: int, end: int) -> Span:
        """The span between the boundaries around [start, end); boundaries inside it (a line
        break inside a figure) are ignored. White space at either end is left out."""
        i = bisect.bisect_left(marks, start)
        left = marks[i - 1] + 1 if i > 0 else 0
        j = bisect.bisect_left(marks, end)
        right = marks[j] if j < len(marks) else len(self.text)
        while left < start and self.text[left].isspace():
            left += 1
        while right > end and self.text[right - 1].isspace():
            right -= 1
        return left, right

    def paragraph(self, position: int) -> Span:
        i = max(0, bisect.bisect_right(self.paragraph_starts, position) - 1)
        return self.paragraphs[i]

    def occurrences(self, piece: str) -> int:
        if piece not in self._counts:
            self._counts[piece] = self.text.count(piece)
        return self._counts[piece]

    def named(self, start: int, end: int) -> bool:
        """Whether [start, end) is inside a short quotation or a title (a name)."""
        quoted = self.inside(self.quotes, start, end)
        return bool(
            (quoted and quoted[1] - quoted[0] <= _SHORT_QUOTE)
            or self.inside(self.titles, start, end)
        )

    @staticmethod
    def inside(spans: Sequence[Span], start: int, end: int) -> Span | None:
        return next(((s, e) for s, e in spans if s <= start and end <= e), None)

    # -- mentions

    def _categories(self) -> list[_CategoryMention]:
        """Category words of the codelists, longest first, none overlapping. Place-like kinds
        (社区, 村, 街道) only where they are not the end of a name (大同社区, 新店街道): after a
        measure word, 各, 的, a conjunction, 全区 or a non-Chinese character."""
        text, found, i = self.text, [], 0
        while i < len(text):
            word = next(
                (w for w in _CATEGORY_WORDS.get(text[i], ()) if self._is_category(w, i)), None
            )
            if word is None:
                i += 1
                continue
            found.append(_CategoryMention(i, i + len(word.word), word.dimension, word.code))
            i += len(word.word)
        return found

    def _is_category(self, word: _CategoryWord, i: int) -> bool:
        text = self.text
        end = i + len(word.word)
        if not text.startswith(word.word, i):
            return False
        following = text[end : end + 1]
        if word.word in _AFTER_SINGLE and following and following in _AFTER_SINGLE[word.word]:
            return False  # 村民, 村均, 镇长
        if word.code in _PLACE_LIKE and i > 0 and _HAN.match(text[i - 1]):
            return text[i - 1] in _BEFORE_KIND or text[max(0, i - 2) : i] in _NAME_PREFIXES
        return True

    def categories_in(self, start: int, end: int) -> list[_CategoryMention]:
        i = bisect.bisect_left(self.category_starts, start)
        found = []
        while i < len(self.categories) and self.categories[i].start < end:
            if self.categories[i].end <= end:
                found.append(self.categories[i])
            i += 1
        return found

    def periods_in(self, start: int, end: int) -> list[re.Match[str]]:
        i = bisect.bisect_left(self.period_starts, start)
        found = []
        while i < len(self.periods) and self.periods[i].start() < end:
            if self.periods[i].end() <= end:
                found.append(self.periods[i])
            i += 1
        return found

    def _mentions(self, table: dict[str, tuple[tuple[str, str], ...]]) -> list[_Mention]:
        """Every occurrence, longest first at a position, none inside a longer one."""
        found = []
        for i, char in enumerate(self.text):
            for word, code in table.get(char, ()):
                if self.text.startswith(word, i):
                    found.append(_Mention(i, i + len(word), code))
        found.sort(key=lambda m: (m.start, m.start - m.end, m.code))
        kept: list[_Mention] = []
        for mention in found:
            if not (kept and mention.start < kept[-1].end and mention.end <= kept[-1].end):
                kept.append(mention)
        return kept

    def _places(self) -> list[tuple[int, int, _Place]]:
        """Place names, longest match first, none overlapping (厦门火炬高新区, not 厦门; 晋江市,
        not 晋江). A name several places share (鼓楼区 in Fuzhou, Nanjing, Xuzhou, Kaifeng) is
        the one below the place named just before it (南京市鼓楼区), else below a place named
        earlier, else in the city or province of the text's default place; else the lowest
        code."""
        found: list[tuple[int, int, _Place]] = []
        text, i = self.text, 0
        while i < len(text):
            candidates = self.lexicon.places.get(text[i], ())
            first = next((n for n, p in enumerate(candidates) if text.startswith(p.word, i)), None)
            if first is None:
                i += 1
                continue
            word = candidates[first].word
            same = [p for p in candidates[first:] if p.word == word]
            end = i + len(word)
            if text.startswith(_NOT_A_PLACE_AFTER, end) and all(
                p.district.short_zh == word for p in same
            ):
                i += 1  # 古田会议: a meeting, not the county
                continue
            place = self._homonym(same, found, i) if len(same) > 1 else same[0]
            found.append((i, end, place))
            i = end
        return found

    def _homonym(
        self, same: list[_Place], found: list[tuple[int, int, _Place]], start: int
    ) -> _Place:
        lexicon = self.lexicon
        anchors = [p.district.code for s, e, p in reversed(found) if e == start]
        anchors += [p.district.code for _, _, p in reversed(found)]
        if self.default_district is not None:
            anchors.append(self.default_district)
        for anchor in anchors:
            for key in (anchor, lexicon.cities.get(anchor), _root(lexicon.parents, anchor)):
                if key is None:
                    continue
                for place in same:
                    if key in _ancestors(lexicon.parents, place.district.code):
                        return place
        return same[0]

    def _headings(self) -> list[tuple[int, str]]:
        """Lines that head a section about one place, and the place.

        A heading is a line without sentence punctuation that begins with a place and is the
        text's title (``福建省厦门市湖里区： 党建领航…``), or has a colon after the place
        (``厦门火炬高新区：非公党建引领…``), or is nothing but a place name in a text with
        several such lines (a digest by place: ``鼓楼`` … ``台江``). A lone place-name line is
        more often the label of a photo caption."""
        lines: list[tuple[int, str, str]] = []  # start, place, the rest of the line
        for start, end in self.paragraphs:
            line = self.text[start:end]
            if len(line.strip()) > 40 or any(c in "。！？；;" for c in line):
                continue
            offset = start + len(line) - len(line.lstrip())
            chain: list[_Place] = []
            for p_start, p_end, place in self.places:
                if p_start < offset or p_start >= end:
                    continue
                if p_start != offset:
                    break
                chain.append(place)
                offset = p_end
            if chain:
                lines.append((start, chain[-1].district.code, self.text[offset:end].strip()))
        first_line = next((s for s, e in self.paragraphs if self.text[s:e].strip()), -1)
        bare = sum(1 for line in lines if line[2] == "")
        return [
            (start, code)
            for start, code, rest in lines
            if start == first_line or rest.startswith(("：", ":")) or (rest == "" and bare >= 2)
        ]

    def is_comparison(self, match: re.Match[str]) -> bool:
        """较2019年, 比去年: the base a figure is compared with, not its period."""
        before = self.text[max(0, match.start() - 2) : match.start()]
        return before.endswith(_COMPARISON_MARKERS)


# --------------------------------------------------------------------------------------------
# The figure and its indicator


def _read(text: str, match: NumeralMatch) -> tuple[int, int, Quantity | None, str | None]:
    """The figure span the parser reads, its quantity, or why it cannot be read."""
    try:
        return match.start, match.end, parse_quantity(match.text), None
    except FigureError as error:
        first_error = str(error)
    if match.kind is not NumeralKind.DATE:
        # The longest part that reads: an unknown word after the number, a stray prefix.
        for length in range(match.end - match.start - 1, 0, -1):
            for start in range(match.start, match.end - length + 1):
                piece = text[start : start + length]
                if piece != piece.strip():
                    continue
                try:
                    return start, start + length, parse_quantity(piece), None
                except FigureError:
                    continue
    return match.start, match.end, None, first_error


def _unit_fits(figure_unit: str, indicator_unit: str) -> bool:
    """Whether a figure in ``figure_unit`` can serve an indicator in ``indicator_unit`` (the
    rules of the corpus build: persons never count person-times; 个 counts any thing)."""
    if figure_unit == indicator_unit:
        return True
    if {figure_unit, indicator_unit} == {"person", "person_time"}:
        return False
    if figure_unit == "count":
        return indicator_unit in COUNTED_THING_UNITS
    if figure_unit == "household" and indicator_unit == "person":
        return True  # 党员中心户: households headed by a member, counted either way
    return figure_unit in COUNTED_THING_UNITS and indicator_unit in COUNTED_THING_UNITS


def _kept(text: str, start: int, end: int, figure: Span) -> list[int]:
    """Positions of [start, end) that count when matching words: not quotation marks, white
    space or short bracketed asides (``临时党支部（党小组）21个``, ``兼任(担任)小区党支部``)."""
    kept: list[int] = []
    i = start
    while i < end:
        char = text[i]
        if char in "（(":
            close = text.find("）" if char == "（" else ")", i + 1, min(end, i + 12))
            if close > 0 and not (i < figure[0] < close):
                i = close + 1
                continue
        if not (char.isspace() or char in _IGNORED_MARKS):
            kept.append(i)
        i += 1
    return kept


@dataclass(frozen=True)
class _Match:
    score: float
    term: _Term
    noun: Span | None  # where the word is in the text (None: taken from another figure)
    own: bool  # the word holds the figure or touches it where its noun stands


@dataclass(frozen=True)
class _Reading:
    """What one counting figure was read to be; later figures may take theirs from it."""

    figure: Span
    found: _Match | None
    breakdown: dict[str, str]
    statistic: Statistic
    status: Status
    status_stated: bool  # a cue in the sentence said so (else actual by default)
    noun: str | None


def _reduce(gap: str) -> str:
    """``gap`` without the linking words at its end, repeatedly."""
    while gap:
        match = _LINKING.search(gap)
        if match is None:
            break
        gap = gap[: match.start()]
    return gap


def _is_gap(doc: _Text, start: int, end: int, skipped: Sequence[Span]) -> bool:
    """Whether [start, end) holds nothing but linking words (``_LINKING``), bracketed asides,
    category words, period phrases and numerals that count nothing."""
    return not _reduce(_chars(doc, start, end, skipped))


def _chars(doc: _Text, start: int, end: int, skipped: Sequence[Span]) -> str:
    """The characters of [start, end) that count in a noun: no marks, asides or ``skipped``."""
    return "".join(
        doc.text[i]
        for i in _kept(doc.text, start, end, (end, end))
        if not any(s <= i < e for s, e in skipped)
    )


def _skipped(
    doc: _Text, start: int, end: int, quiet: Sequence[Span], categories: bool = True
) -> list[Span]:
    """Spans inside [start, end) that are not the counted noun: periods, places, the numerals
    that count nothing (``quiet``) and, if ``categories``, category words."""
    mentions = [(c.start, c.end) for c in doc.categories_in(start, end)]
    spans = [m.span() for m in doc.periods_in(start, end)]
    spans += [(s, e) for s, e, _ in doc.places if start <= s and e <= end]
    if categories:
        spans += mentions + [(s, e) for s, e in quiet if s < end and start < e]
    else:  # 35岁 stays in 35岁及以下党员
        spans += [
            (s, e)
            for s, e in quiet
            if s < end and start < e and not any(ms <= s and e <= me for ms, me in mentions)
        ]
    return spans


@dataclass(frozen=True)
class _Noun:
    """The counted noun as written on one side of a figure."""

    text: str  # without place names, periods, linking words; "" when there is none
    span: Span  # from the predicate word before it (or the figure) to the figure (or the next)
    bare: bool  # nothing but category words: 工人, 学生, 乡镇, 女性


def _noun(doc: _Text, start: int, end: int, quiet: Sequence[Span], before: bool) -> _Noun:
    """The counted noun in [start, end): before a figure, after the last predicate word
    (组建|党员志愿服务队18支), without the words opening the phrase (全区, 其中) or linking it to
    the figure (共有, 占比达到); after a figure, up to the first predicate word (12个小区|加装)."""
    skipped = _skipped(doc, start, end, quiet)
    cuts = [
        m
        for m in _PREDICATE.finditer(doc.text, start, end)
        if not any(s <= m.start() < e for s, e in skipped)
    ]

    def clean(cut: Span, categories: bool) -> str:
        spans = _skipped(doc, *cut, quiet, categories)
        return _reduce(_LEADING.sub("", _chars(doc, *cut, spans)))

    if before:
        cut = (cuts[-1].end() if cuts else start, end)
        if len(clean(cut, False)) < 2 and cuts:
            # 完成签约率, 开展入户走访: the verb is the noun's own (签约率, 入户走访).
            cut = (cuts[-2].end() if len(cuts) > 1 else start, end)
    else:  # single characters (为, 和) are too often inside a noun after the figure
        cut = (
            start,
            next(
                (
                    m.start()
                    for m in cuts
                    if len(m.group()) > 1 or m.start() == start or m.group() in _GOING
                ),
                end,
            ),
        )
    text = clean(cut, False)
    bare = bool(text) and not clean(cut, True)
    if len(text) < 2 and not bare:
        text = ""  # 签 of 签约 without 约: not a noun
    return _Noun(text, cut, bare)


def _statistic(
    doc: _Text, figure: Span, quantity: Quantity | None, lead: Span, phrase_lead: Span
) -> tuple[Statistic, Span | None]:
    """The kind of number the words before the figure in its clause make it, and the word;
    an average's word may stand earlier in the phrase (日均搬迁交房、房屋拆除均超过1.8万)."""
    text = doc.text
    before = text[lead[0] : lead[1]]
    offset = lead[0] - phrase_lead[0]
    in_phrase = text[phrase_lead[0] : phrase_lead[1]]
    unit = quantity.unit if quantity else None
    raw = text[figure[0] : figure[1]].strip()
    sentence_start = doc.segment(doc.sentence_marks, *figure)[0]
    if raw.endswith("位") or (
        raw.endswith("名") and _RANKING.search(text[sentence_start : lead[1]])
    ):
        rank = _RANK_CUE.search(before.rstrip())
        if rank is not None:
            return Statistic.RANK_CHANGE, (lead[0] + rank.start(), lead[0] + rank.end())
    cues: list[tuple[int, int, Statistic]] = []
    for pattern, average in (
        (_DAILY_CUE, Statistic.DAILY_AVERAGE),
        (_PER_UNIT_CUE, Statistic.PER_UNIT_AVERAGE),
    ):
        cues += [
            (m.end() - offset, m.start() - offset, average) for m in pattern.finditer(in_phrase)
        ]
    if unit == "percent":
        cues += [(m.end(), m.start(), Statistic.SHARE) for m in _SHARE_CUE.finditer(before)]
        cues += [(m.end(), m.start(), Statistic.GROWTH_RATE) for m in _GROWTH_CUE.finditer(before)]
    elif unit == "multiple":
        cues += [(m.end(), m.start(), Statistic.GROWTH_RATE) for m in _GROWTH_CUE.finditer(before)]
    elif unit == "percentage_point":
        cues += [(m.end(), m.start(), Statistic.CHANGE) for m in _CHANGE_CUE.finditer(before)]
    else:
        for m in _CHANGE_CUE.finditer(before):
            # 净增, 比上年增加, 增加了22个: a change; 增加党员服务岗120个 adds things (a level).
            adjacent = before[m.end() :].strip() == "" and m.group()[:2] in _ADJACENT_CHANGE
            compared = m.group().startswith("净") or _COMPARISON_BASE.search(before[: m.start()])
            if adjacent or compared:
                cues.append((m.end(), m.start(), Statistic.CHANGE))
    if not cues:
        return Statistic.LEVEL, None
    end, start, statistic = max(cues, key=lambda c: (c[0], c[0] - c[1]))
    return statistic, (lead[0] + start, lead[0] + end)


def _status(doc: _Text, figure: Span, window: PublicationWindow) -> tuple[Status, bool]:
    """Plan, estimate or what happened, from the nearest word before the figure in its
    sentence (up to a ；) that says so, not in a name; a year says so only when no word does.
    The flag: a cue was found."""
    item_start = doc.segment(doc.item_marks, *figure)[0]
    i = bisect.bisect_left(doc.status_starts, figure[0])
    year_status: Status | None = None
    while i > 0:
        i -= 1
        match = doc.status_cues[i]
        if match.start() < item_start:
            break
        if match.end() > figure[0] or doc.named(match.start(), match.end()):
            continue  # 计划 in “干部两年一线轮训计划” names a plan
        if match.group("target"):
            return Status.TARGET, True
        if match.group("estimate"):
            return Status.ESTIMATE, True
        if match.group("actual"):
            return Status.ACTUAL, True
        if year_status is None:
            year = int(match.group("number").translate(_TO_ASCII_DIGITS))
            published = window.latest.year
            future = match.group("until") or match.group("before")
            if year > published or (future and year >= window.earliest.year):
                year_status = Status.TARGET
            elif year < published and not doc.is_comparison(match):
                year_status = Status.ACTUAL
    if year_status is not None:
        return year_status, True
    return Status.ACTUAL, False


def _breakdown(
    doc: _Text, region: Span, indicator: IndicatorEntry | None, unit: str | None
) -> dict[str, str]:
    """The categories named in the counted noun's region, unless the measure's own name says
    it (小区党支部数): people's by sex, age …; units', organisations' and people's by the kind of
    unit (机关基层党组织, 农村党群工作者). Two categories of one dimension (乡镇（街道）) name no
    single one."""
    if unit is None:
        return {}
    name = _plain(indicator.name_zh) if indicator is not None else ""
    people = unit in ("person", "person_time")
    units = unit in COUNTED_THING_UNITS
    found: dict[str, set[str]] = {}
    for mention in doc.categories_in(*region):
        if doc.text[mention.start : mention.end] in name:
            continue
        if (mention.dimension in _UNIT_DIMENSIONS and (units or people)) or (
            mention.dimension not in _UNIT_DIMENSIONS and people
        ):
            found.setdefault(mention.dimension, set()).add(mention.code)
    return {d: codes.pop() for d, codes in found.items() if len(codes) == 1}


def _search(
    doc: _Text,
    figure: Span,
    segment: Span,
    bounds: Span,
    fits: str | None,
    quiet: Sequence[Span],
    scored: bool,
    nouns: tuple[_Noun, _Noun] | None = None,
) -> _Match | None:
    """The best indicator word in ``segment`` (within ``bounds``) for the figure. ``fits``: the
    unit the indicator must be countable in (None: any). With ``nouns`` (before and after the
    figure) the word must be the head of one of them: only linking words between it and the
    figure before it (党员|干部 is not 党员), within the noun after it and at its end (招商项目|组
    is not 项目)."""
    figure_start, figure_end = figure
    text = doc.text
    clause_end = doc.segment(doc.clause_marks, figure_start, figure_end)[1]
    rest = text[figure_end:clause_end].strip()
    closes_clause = rest == "" or rest in _TRAILING_QUALIFIERS
    numerals = {i for i in range(figure_start, figure_end) if text[i] in _NUMERAL_CHARS}
    seg_start, seg_end = max(segment[0], bounds[0]), min(segment[1], bounds[1])
    kept = _kept(text, seg_start, seg_end, figure)
    flat = "".join(text[i] for i in kept)
    first = next((k for k, i in enumerate(kept) if i >= figure_start), len(kept))
    last = next((k for k, i in enumerate(kept) if i >= figure_end), len(kept))
    skipped = _skipped(doc, seg_start, seg_end, quiet) if nouns else []
    candidates: list[_Match] = []
    for k, char in enumerate(flat):
        for term in doc.lexicon.terms.get(char, ()):
            if not flat.startswith(term.word, k):
                continue
            if fits is not None and not _unit_fits(fits, term.indicator.unit):
                continue
            k_end = k + len(term.word)
            length = len(term.word)
            start, end = kept[k], kept[k_end - 1] + 1
            if k < last and k_end > first:
                if not any(kept[j] in numerals for j in range(k, k_end)):
                    continue  # only the measure word (名党员): 党员 after it is read
                score, gap = 100.0 + length, 0  # the word holds the figure: 两轮, 翻一倍
            elif k >= last:
                gap = k - last
                if nouns is not None and not _heads_after(doc, term, (start, end), nouns[1]):
                    continue  # not the head of the noun: 基层党组织书记, 招商项目组
                score = 2 * length - gap + (0 if closes_clause else 4)
            else:
                gap = first - k_end
                if nouns is not None:
                    rest = _reduce(_chars(doc, end, figure_start, skipped))
                    # A verb's object between it and the figure: 培训党员2300人次 counts the
                    # training when the figure is in the measure's own unit.
                    verb = _PREDICATE_START.match(term.word) and fits == term.indicator.unit
                    if rest and rest[-2:] not in _plain(term.indicator.name_zh) and not verb:
                        continue  # a modifier of another noun: 党员|干部, 签约|房屋
                score = 2 * length - gap + (4 if closes_clause else 0)
            if not scored:
                score = -gap  # in the sentence: the nearest word before the figure
            if fits is not None and fits == term.indicator.unit:
                score += 1
            own = scored and gap == 0 and (k_end > first or closes_clause)
            candidates.append(_Match(score, term, (start, end), own))
    if nouns is not None:
        # Before the figure the nearest noun is the head: 非公企业党组织|覆盖率 counts coverage.
        ends = [c.noun[1] for c in candidates if c.noun and c.noun[1] <= figure_start]
        nearest = max(ends, default=-1)
        candidates = [
            c
            for c in candidates
            if c.noun is None or c.noun[1] > figure_start or c.noun[1] >= nearest
        ]
    best: _Match | None = None
    for candidate in candidates:
        if best is None or candidate.score > best.score:
            best = candidate
    return best


def _heads_after(doc: _Text, term: _Term, span: Span, noun: _Noun) -> bool:
    """Whether an indicator's word after the figure is the head of its noun: it begins in the
    noun, and no head noun follows it that the measure's name does not have (基层党组织|书记,
    招商项目|组, but 软弱涣散村党组织 for 整顿软弱涣散基层党组织数); or a predicate right after
    the noun that the measure is named by (党员志愿者近900名|参与疫情防控: members mobilised)."""
    if span[0] == noun.span[1] and _PREDICATE_START.match(term.word):
        return True
    if span[0] >= noun.span[1]:
        return False
    following = doc.text[span[1] : min(span[1] + 4, noun.span[1])]
    name = _plain(term.indicator.name_zh)
    return not any(following.startswith(h) and h not in name for h in _NOUN_HEADS)


def _interpret(
    doc: _Text,
    figure: Span,
    quantity: Quantity | None,
    bounds: Span,
    quiet: Sequence[Span],
    earlier: Sequence[_Reading],
    window: PublicationWindow,
    starts: Sequence[int],
) -> _Reading:
    """What the figure counts (see the module's description): indicator, breakdown, statistic,
    status and the counted noun."""
    text = doc.text
    figure_start, figure_end = figure
    clause = doc.segment(doc.clause_marks, figure_start, figure_end)
    sentence = doc.segment(doc.sentence_marks, figure_start, figure_end)
    lead = (max(clause[0], bounds[0]), figure_start)
    tail = (figure_end, min(clause[1], bounds[1]))
    phrase = doc.segment(doc.phrase_marks, figure_start, figure_end)
    phrase_lead = (max(phrase[0], bounds[0]), figure_start)
    statistic, cue = _statistic(doc, figure, quantity, lead, phrase_lead)
    unit = quantity.unit if quantity else None
    # A percent is a share or rate of any measure; a rank change is in places of any ranking.
    any_unit = statistic in (Statistic.SHARE, Statistic.GROWTH_RATE, Statistic.RANK_CHANGE)
    fits = None if any_unit or unit in ("percent", "multiple") else unit
    status, stated = _status(doc, figure, window)
    rest = text[figure_end : clause[1]].strip()
    closes_clause = rest == "" or rest in _TRAILING_QUALIFIERS
    nouns = (_noun(doc, *lead, quiet, before=True), _noun(doc, *tail, quiet, before=False))

    found = _search(doc, figure, clause, bounds, fits, quiet, True, nouns)
    if found is not None and found.noun is not None:
        verb = _PREDICATE_START.match(found.term.word) is not None and bool(nouns[1].text)
        # 机关单位挂钩69个村: a verb's object after the figure is what is counted.
        noun = nouns[1] if found.noun[0] >= figure_end or verb else nouns[0]
    elif not closes_clause and nouns[1].text:
        noun = nouns[1]
    else:
        noun = nouns[0]
    after = noun is nouns[1]
    if after:
        region = (figure_end, noun.span[1])
    else:  # the noun and its modifiers: not 街道 in 街道|日均签约|房屋42户
        term_start = found.noun[0] if found is not None and found.noun is not None else lead[1]
        region = (min(noun.span[0], term_start), figure_start)
    people = noun.bare and all(
        c.dimension not in _UNIT_DIMENSIONS for c in doc.categories_in(*region)
    )
    inherited: _Reading | None = None
    predicate = None
    if noun.bare and after:
        # 16个乡镇、232个行政村…均已建立党组织: units of a kind, counted for what they have.
        predicate = _predicate(doc, figure, fits, quiet, starts)
        found = predicate or found
    if found is None and (not noun.text or people):
        # 比上年净增512名, 占20.8%, 覆盖率86.3%: what the figure before it counts; 工人2130名
        # after 从职业看: what the figures before it count.
        inherited = _antecedent(doc, figure, earlier, sentence, statistic, people)
        if inherited is not None:
            found = inherited.found
        elif not noun.text:
            phrase = doc.segment(doc.phrase_marks, figure_start, figure_end)
            found = _search(doc, figure, phrase, bounds, fits, quiet, True)
            if found is None:
                whole = (sentence[0], figure_end)
                found = _search(doc, figure, whole, (0, len(text)), fits, quiet, False)
    head = _head(doc, figure, earlier, sentence)
    if head is not None and head.found is not None:
        if found is None and people:
            found = head.found  # 其中，学生58名
        elif (
            found is not None
            and found.term.indicator != head.found.term.indicator
            and any(w in head.found.term.word for w in doc.lexicon.words[found.term.indicator.code])
        ):
            # 发展党员486名。其中，女党员198名: women among those recruited.
            found = _Match(found.score, head.found.term, found.noun, found.own)
    indicator = found.term.indicator if found else None
    if indicator is not None and indicator.unit == "percent":
        if unit == "percent":
            statistic = Statistic.LEVEL  # a rate the measure itself is: 一肩挑比例
        elif unit == "percentage_point":
            statistic = Statistic.CHANGE
    elif (
        cue is not None
        and indicator is not None
        and text[cue[0] : cue[1]] in _plain(indicator.name_zh)
    ):
        statistic = Statistic.LEVEL  # the measure's own name says it (人均可支配收入 as a measure)
    elif statistic is Statistic.LEVEL and unit == "percent":
        statistic = Statistic.SHARE  # a percent of a count is a share of it
    breakdown = _breakdown(doc, region, indicator, indicator.unit if indicator else unit)
    if inherited is not None and not people:
        breakdown = {**inherited.breakdown, **breakdown}
    elif statistic is not Statistic.LEVEL and not breakdown and indicator is not None:
        # 女党员8312名，占党员总数33.8%: the share of the group counted just before.
        before = _previous(earlier, sentence)
        if (
            before is not None
            and before.found is not None
            and before.found.term.indicator == indicator
        ):
            breakdown = dict(before.breakdown)
    if head is not None and head.found is not None and indicator == head.found.term.indicator:
        breakdown = {**head.breakdown, **breakdown}
        if not stated:
            status = head.status
    if found is not None and found.noun is not None and inherited is None and not predicate:
        start = min(found.noun[0], noun.span[0]) if not after else figure_end
        spans = _skipped(doc, start, found.noun[1], quiet, categories=False)
        counted = _reduce(_LEADING.sub("", _chars(doc, start, found.noun[1], spans)))
        counted = counted or found.term.word
    else:
        counted = noun.text
    return _Reading(figure, found, breakdown, statistic, status, stated, counted or None)


def _predicate(
    doc: _Text, figure: Span, fits: str | None, quiet: Sequence[Span], starts: Sequence[int]
) -> _Match | None:
    """An indicator that is a predicate (已建立党组织, 覆盖…) after the last category word of the
    figure's phrase, before any other figure: what the counted units have done (118个社区、
    151个行政村已建立党组织). A noun there (14个村全部成立红色业委会) counts something else."""
    phrase = doc.segment(doc.phrase_marks, *figure)
    mentions = doc.categories_in(figure[1], phrase[1])
    if not mentions:
        return None
    start = mentions[-1].end
    i = bisect.bisect_left(starts, start)
    end = min(phrase[1], starts[i]) if i < len(starts) else phrase[1]
    found = _search(doc, figure, (start, end), (start, end), fits, quiet, False)
    if found is None or not _PREDICATE_START.match(found.term.word):
        return None
    return _Match(found.score, found.term, found.noun, False)


def _previous(earlier: Sequence[_Reading], sentence: Span) -> _Reading | None:
    """The figure just before, in the same sentence."""
    if earlier and earlier[-1].figure[0] >= sentence[0]:
        return earlier[-1]
    return None


def _antecedent(
    doc: _Text,
    figure: Span,
    earlier: Sequence[_Reading],
    sentence: Span,
    statistic: Statistic,
    category_only: bool,
) -> _Reading | None:
    """The figure whose measure this one shares: for a change, growth or share without a noun,
    the figure just before it in its sentence; for a bare category (工人2130名), the nearest
    level figure before it in its paragraph or the one before."""
    if not category_only:
        if statistic is Statistic.LEVEL:
            return None
        before = _previous(earlier, sentence)
        return before if before is not None and before.found is not None else None
    paragraph = doc.paragraph(figure[0])
    previous_paragraph = doc.paragraph(max(0, paragraph[0] - 1))
    for reading in reversed(earlier):
        if reading.figure[0] < previous_paragraph[0]:
            break
        if reading.found is not None and reading.statistic is Statistic.LEVEL:
            return reading
    return None


def _head(doc: _Text, figure: Span, earlier: Sequence[_Reading], sentence: Span) -> _Reading | None:
    """After 其中 in the figure's sentence: the level figure before it that the list divides."""
    i = bisect.bisect_left(doc.qizhong, figure[0]) - 1
    if i < 0 or doc.qizhong[i] < sentence[0]:
        return None
    position = doc.qizhong[i]
    paragraph = doc.paragraph(position)
    previous_paragraph = doc.paragraph(max(0, paragraph[0] - 1))
    for reading in reversed(earlier):
        if reading.figure[0] >= position:
            continue
        if reading.figure[0] < previous_paragraph[0]:
            break
        if reading.found is not None and reading.statistic is Statistic.LEVEL:
            return reading
    return None


# --------------------------------------------------------------------------------------------
# District, period, initiative, tier, quote


def _ancestors(parents: dict[str, str | None], code: str) -> list[str]:
    """``code`` and the codes above it, nearest first."""
    chain: list[str] = []
    seen: str | None = code
    while seen is not None and seen not in chain:
        chain.append(seen)
        seen = parents.get(seen)
    return chain


def _root(parents: dict[str, str | None], code: str) -> str:
    """The province (the top) above ``code``."""
    return _ancestors(parents, code)[-1]


def _district(doc: _Text, position: int, default: str | None) -> str | None:
    lexicon = doc.lexicon
    context = default
    for start, code in doc.headings:
        if start > position:
            break
        context = code
    sentence_start = doc.segment(doc.sentence_marks, position, position + 1)[0]
    nearest: _Place | None = None
    for start, end, place in doc.places:
        if start >= position:
            break
        if start >= sentence_start and end <= position:
            nearest = place
    if nearest is None:
        return context
    code = nearest.district.code
    if context is not None:
        if nearest.ambiguous and lexicon.cities.get(code) != lexicon.cities.get(context):
            return context
        ancestor = lexicon.parents.get(context)
        while ancestor is not None:
            if ancestor == code:
                return context  # 厦门 in a Jimei article: the more precise place stays
            ancestor = lexicon.parents.get(ancestor)
    return code


@dataclass(frozen=True)
class _Period:
    label: str
    start: date | None
    end: date | None
    kind: PeriodKind


def _resolve(phrase: str, window: PublicationWindow) -> _Period | None:
    if phrase == "今年以来":  # like 去年以来, which the resolver reads
        start = date(window.earliest.year, 1, 1)
        return _Period(phrase, start, window.latest, PeriodKind.CUMULATIVE)
    try:
        resolved = resolve_period(phrase, window)
    except PeriodError:
        return None
    return _Period(phrase, resolved.start, resolved.end, resolved.kind)


def _period(doc: _Text, figure: Span, window: PublicationWindow) -> _Period:
    figure_start = figure[0]
    sentence_start = doc.segment(doc.sentence_marks, figure_start, figure_start + 1)[0]
    phrase_start = doc.segment(doc.phrase_marks, figure_start, figure_start + 1)[0]
    i = bisect.bisect_left(doc.period_starts, figure_start)
    while i > 0:
        i -= 1
        match = doc.periods[i]
        if match.start() < sentence_start:
            break
        if match.end() > figure_start:
            continue
        phrase = match.group()
        if phrase in RATE_WORDS and match.start() < phrase_start:
            continue
        resolved = None if doc.is_comparison(match) else _resolve(phrase, window)
        if resolved is None:
            break
        return resolved
    before = doc.text[sentence_start:figure_start]
    if doc.text.startswith("累计", figure_start):
        return _Period("累计", None, window.latest, PeriodKind.CUMULATIVE)
    if "累计" in before:
        return _Period(NOT_STATED, None, window.latest, PeriodKind.CUMULATIVE)
    if "新增" in before:
        return _Period(NOT_STATED, None, window.latest, PeriodKind.FLOW)
    return _Period(NOT_STATED, window.earliest, window.latest, PeriodKind.STOCK)


def _initiative(doc: _Text, figure: Span) -> str | None:
    sentence = doc.segment(doc.sentence_marks, *figure)
    before = [m for m in doc.initiatives if sentence[0] <= m.start and m.end <= figure[0]]
    if before:
        return before[-1].code
    phrase = doc.segment(doc.phrase_marks, *figure)
    after = [m for m in doc.initiatives if figure[1] <= m.start and m.end <= phrase[1]]
    return after[0].code if after else None


def _tier(doc: _Text, found: _Match | None, quantity: Quantity | None) -> str | None:
    if found is not None and found.term.indicator.tier is not None:
        return found.term.indicator.tier
    if found is None or found.noun is None or quantity is None:
        return None
    if quantity.unit not in ("count", "organisation"):
        return None
    start, end = found.noun
    inside = [m for m in doc.tiers if start <= m.start and m.end <= end]
    return inside[-1].code if inside else None


def _quote(doc: _Text, figure: Span) -> Span:
    span = figure
    for marks in (doc.clause_marks, doc.phrase_marks, doc.sentence_marks):
        span = doc.segment(marks, *figure)
        if doc.occurrences(doc.text[span[0] : span[1]]) == 1:
            break
    return span


# --------------------------------------------------------------------------------------------
# Not statistics


def _word_reason(doc: _Text, start: int, end: int) -> NotStatisticReason | None:
    """The reason of the longest known word overlapping [start, end): 五个一批 over 一批."""
    found = [(e - s, reason) for s, e, reason in doc.words if s < end and start < e]
    return max(found, key=lambda f: f[0])[1] if found else None


def _in_category(doc: _Text, match: NumeralMatch) -> bool:
    """The numeral is part of a category's name: 35岁 in 35岁及以下党员."""
    return any(
        c.start <= match.start and match.end <= c.end
        for c in doc.categories_in(match.start, match.end)
    ) or any(
        c.start <= match.start < c.end or c.start < match.end <= c.end
        for c in doc.categories_in(max(0, match.start - 8), match.end + 8)
    )


def _owns_no_noun(doc: _Text, match: NumeralMatch) -> bool:
    """Dates, words (一线), names (百支齐行), periods and the bounds of categories (35岁及以下)
    count nothing: they do not bound the search for another figure's noun."""
    if match.kind is NumeralKind.DATE or _word_reason(doc, match.start, match.end) is not None:
        return True
    if _in_category(doc, match):
        return True
    if any(m.start < match.end and match.start < m.end for m in doc.initiatives):
        return True
    return bool(_YEARS_OR_MONTHS.fullmatch(match.text))


def _not_statistic(
    doc: _Text, match: NumeralMatch, quantity: Quantity | None, own_noun: bool
) -> NotStatisticReason | None:
    """A reason the numeral is probably not a statistic, or None. ``own_noun``: an indicator's
    word holds the figure or touches it where its noun stands."""
    text = doc.text
    if match.kind is NumeralKind.DATE:
        return NotStatisticReason.DATE
    if any(m.start < match.end and match.start < m.end for m in doc.initiatives):
        return NotStatisticReason.NAME
    reason = _word_reason(doc, match.start, match.end)
    if reason is not None:
        return reason
    if _in_category(doc, match):
        return NotStatisticReason.STRUCTURE  # 35岁 in 35岁及以下党员: a category's bound
    before = text[max(0, match.start - 8) : match.start]
    after = text[match.end : match.end + 4]
    core = match.text.strip()
    chinese = bool(_CHINESE_ONLY.match(core))
    clause_start, clause_end = doc.segment(doc.clause_marks, match.start, match.end)
    lead = text[clause_start : match.start]
    rest = text[match.end : clause_end]
    if before.endswith("第"):
        ranked = any(w in lead for w in _RANK_MARKERS) or (
            rest.strip() == "" and re.search("全[市省国区县]", lead)
        )
        return NotStatisticReason.RANK if ranked else NotStatisticReason.ORDINAL
    if re.match(rf"\s*(?:{'|'.join(_RANK_MARKERS)})\S*第", rest):
        return NotStatisticReason.RANK  # 9次位列各区第一
    if chinese and after.startswith("是") and lead.strip() == "":
        return NotStatisticReason.ORDINAL  # 一是, 二是
    if core.endswith("周年") or after.startswith(("周年", "届", "中全会", "次党代会")):
        return NotStatisticReason.CITATION  # 100周年大会, 十九届五中全会
    if after.startswith("级") or (
        after.startswith("大") and _HAN.match(after[1:2] or "") and not after.startswith("大会")
    ):
        return NotStatisticReason.STRUCTURE  # 四级组织架构, 三大环节, “两大新城”
    if after.startswith(_TITLE_AFTER):
        return NotStatisticReason.TITLE  # 三等奖, 六连冠, 十佳
    if doc.inside(doc.definitions, match.start, match.end):
        return NotStatisticReason.STRUCTURE  # “5+X”（参加1次主题党日…）: the parts of a name
    if _WEEKDAY.search(text[max(0, match.start - 2) : match.end]):
        return NotStatisticReason.DATE  # 周三, 星期一
    if chinese and core.endswith("期") and re.search("[园区城]$", before):
        return NotStatisticReason.NAME  # 软件园三期: a place
    if doc.inside(doc.titles, match.start, match.end):
        return NotStatisticReason.CITATION  # 《…十条措施》
    quoted = doc.inside(doc.quotes, match.start, match.end)
    if quoted and quoted[1] - quoted[0] <= _SHORT_QUOTE:
        if any(w in text[quoted[0] : quoted[1]] for w in _TITLE_IN_QUOTE):
            return NotStatisticReason.TITLE
        return NotStatisticReason.NAME
    if (
        re.match(rf"\s*[{_PLUS}A-Za-z]", after)
        or re.search(rf"[{_PLUS}A-Za-z]\s*$", before)
        or after.startswith(("后", "版", "号"))
    ):
        return NotStatisticReason.NAME  # 1+3+8, 5+X, N2, 95后, 2.0版
    if quantity is None:
        return None
    if quantity.unit in ("year", "month") or after.startswith(("来", "以来")):
        return NotStatisticReason.PERIOD  # 两年, 近三年, 1—9月, 十来年
    exact = quantity.qualifier is Qualifier.EXACT
    if exact and quantity.mantissa == "" and not (quantity.measure_word and own_noun):
        return NotStatisticReason.NAME  # a bare 万, 百: 万翔, 百兆瓦, 万家, 百万人民
    if quantity.unit == "kind":
        return NotStatisticReason.STRUCTURE  # 5类15种
    if own_noun:
        return None
    if any(noun in rest for noun in _STRUCTURE_NOUNS):
        return NotStatisticReason.STRUCTURE  # 6个方面, 3个推进协调机制
    small = quantity.value is not None and quantity.value <= Decimal(10)
    if chinese and small and exact:
        if quantity.value == 1:
            return NotStatisticReason.WORD  # 一支队伍, 一个群体: "a", not a count
        if not quantity.measure_word:
            return NotStatisticReason.NAME  # 四同四有, 五社联动
        return NotStatisticReason.STRUCTURE  # 三项行动, 四个一
    if "每" in lead and small:
        return NotStatisticReason.STRUCTURE  # 每月安排1个: a rule
    return None


# --------------------------------------------------------------------------------------------


def suggest(
    text: str,
    window: PublicationWindow,
    vocabulary: Vocabulary,
    default_district: str | None = None,
) -> list[Suggestion]:
    """A suggestion for every numeral of ``text``, in text order.

    The rules read the text folded (:func:`stats.extraction.reading.fold`: simplified script,
    ASCII digits and punctuation, no stray spaces inside figures); every offset, ``raw``,
    ``quote`` and ``quantity.raw`` is the original text's. Period labels and the counted noun
    are given as read (folded)."""
    folded = fold(text)
    return [
        _to_original(folded, s) for s in _suggest(folded.text, window, vocabulary, default_district)
    ]


def _to_original(folded: Folded, suggestion: Suggestion) -> Suggestion:
    """The suggestion with the original text's offsets, figure and quote."""
    if folded.identity and folded.text == folded.original:
        return suggestion
    figure_start, figure_end = folded.original_span(suggestion.figure_start, suggestion.figure_end)
    start, end = folded.original_span(suggestion.start, suggestion.end)
    raw = folded.original[figure_start:figure_end]
    quantity = suggestion.quantity
    if quantity is not None:
        quantity = dataclasses.replace(quantity, raw=raw)
    return dataclasses.replace(
        suggestion,
        figure_start=figure_start,
        figure_end=figure_end,
        raw=raw,
        start=start,
        end=end,
        quote=folded.original[start:end],
        quantity=quantity,
    )


def _suggest(
    text: str,
    window: PublicationWindow,
    vocabulary: Vocabulary,
    default_district: str | None,
) -> list[Suggestion]:
    """:func:`suggest` on a folded text, with the folded text's offsets."""
    doc = _Text(text, _lexicon(vocabulary), default_district)
    matches = scan_folded(text)
    figures = [m for m in matches if not _owns_no_noun(doc, m)]
    starts = [m.start for m in figures]
    counting = {m.start for m in figures}
    quiet = [(m.start, m.end) for m in matches if m.start not in counting]
    readings: list[_Reading] = []
    suggestions = []
    for match in matches:
        figure_start, figure_end, quantity, error = _read(text, match)
        figure = (figure_start, figure_end)
        # The nearest figures on either side bound the search for this one's noun; figures
        # side by side (425支1000余人, 570批次13.19万件) share theirs.
        before = bisect.bisect_left(starts, match.start) - 1
        cursor = match.start
        while before >= 0 and figures[before].end >= cursor:
            cursor = min(cursor, figures[before].start)
            before -= 1
        after = bisect.bisect_right(starts, match.start)
        cursor = match.end
        while after < len(figures) and figures[after].start <= cursor:
            cursor = max(cursor, figures[after].end)
            after += 1
        bounds = (
            figures[before].end if before >= 0 else 0,
            figures[after].start if after < len(figures) else len(text),
        )
        reading: _Reading | None = None
        if match.start in counting:
            reading = _interpret(doc, figure, quantity, bounds, quiet, readings, window, starts)
            readings.append(reading)
        found = reading.found if reading else None
        indicator = found.term.indicator if found else None
        statistic = reading.statistic if reading else Statistic.LEVEL
        unit = quantity.unit if quantity else None
        if statistic is Statistic.RANK_CHANGE:
            unit = "place"  # 上升24位: places, not people
        elif indicator is not None and unit is not None:
            if statistic is not Statistic.LEVEL or _unit_fits(unit, indicator.unit):
                unit = observation_unit(unit, None, indicator.unit, statistic)
        elif statistic is Statistic.SHARE:
            unit = "percent"
        period = _period(doc, figure, window)
        start, end = _quote(doc, figure)
        suggestions.append(
            Suggestion(
                figure_start=figure_start,
                figure_end=figure_end,
                raw=text[figure_start:figure_end],
                start=start,
                end=end,
                quote=text[start:end],
                quantity=quantity,
                reading_error=error,
                not_statistic=_not_statistic(doc, match, quantity, found is not None and found.own),
                district=_district(doc, figure_start, default_district),
                indicator=indicator.code if indicator else None,
                unit=unit,
                period_label=period.label,
                period_start=period.start,
                period_end=period.end,
                period_kind=period.kind.value,
                tier=_tier(doc, found, quantity),
                initiative=_initiative(doc, figure),
                breakdown=breakdown_key(reading.breakdown) if reading else "",
                statistic=statistic,
                status=reading.status if reading else Status.ACTUAL,
                counted_noun=reading.noun if reading else None,
            )
        )
    return suggestions
