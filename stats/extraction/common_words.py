"""Common words: words that hold a numeral character without being a number, in any text.

One table, read twice: the corpus build explains a seed candidate inside one of these words as
not a statistic (after every annotation, initiative name and date: an annotation of one
document overrides it for one place), and the suggestions flag a new article's numeral inside
one. General Chinese (进一步, 一线, 之一) and fixed terms of party writing (三会一课, 十九届); a
text's own slogans are found by the suggestion rules, not listed here. Add only words that can
never be figures: a word here hides every numeral inside it in every text.
"""

from __future__ import annotations

from dataclasses import dataclass

from stats.vocabulary import NotStatisticReason

__all__ = ["COMMON_WORDS", "CommonWord"]


@dataclass(frozen=True)
class CommonWord:
    """A word with a numeral character that is never a number, why, and what it means."""

    word: str
    reason: NotStatisticReason
    gloss: str


#: Words of the language (reason ``word``), with a gloss.
_LEXICAL = {
    "进一步": "further",
    "一线": "front line",
    "一体化": "integration",
    "一体": "one whole, integrated",
    "一系列": "a series of",
    "一批": "a batch of, a number of",
    "一座": "a (measure word for cities, buildings)",
    "一声": "a sound of",
    "一旦": "once, as soon as",
    "一般": "usually",
    "一方面": "on the one hand",
    "另一方面": "on the other hand",
    "不一样": "different",
    "一样": "the same",
    "一起": "together",
    "一些": "some",
    "一切": "everything",
    "一致": "unanimous, consistent",
    "一直": "all along",
    "一定": "certain, definitely",
    "一同": "together",
    "一道": "together, alongside",
    "一律": "without exception",
    "一贯": "consistently",
    "一向": "always",
    "一再": "again and again",
    "一度": "at one time",
    "一举": "at one stroke",
    "一流": "first-class",
    "一票否决": "one-vote veto",
    "一件件": "one by one (matters)",
    "一个个": "one after another",
    "一项项": "item by item",
    "一次次": "time after time",
    "一张网": "one network (one integrated system)",
    "一盘棋": "one chessboard (planned as a whole)",
    "一站式": "one-stop",
    "一揽子": "a package of (measures)",
    "一把手": "the person in charge",
    "一对一": "one-to-one",
    "统一": "unified",
    "唯一": "the only",
    "万一": "in case",
    "之一": "one of",
    "第一时间": "at the earliest moment",
    "第一书记": "first secretary (a post sent to a village)",
    "老百姓": "ordinary people",
    "百姓": "the common people",
    "二者": "the two of them",
    "两者": "both",
    "两岸": "both sides (of the Taiwan Strait)",
    "两新": "new economic and social organisations (两新组织)",
    "两委": "the village party and villagers' committees (村两委)",
    "三农": "agriculture, rural areas and farmers",
    "欢聚一堂": "gather happily together",
    "焕然一新": "take on a new look",
    "一半": "half",
    "一新": "brand new",
    "四面八方": "from all directions",
    "千方百计": "by every possible means",
    "千家万户": "every household",
    "四梁八柱": "the main framework (four beams, eight pillars)",
    "五湖四海": "from all corners of the country",
    "一心一意": "wholeheartedly",
    "三心二意": "half-heartedly",
    "七嘴八舌": "all talking at once",
    "十全十美": "perfect",
    "十分": "very",
    "万众一心": "millions united as one",
    "一马当先": "take the lead",
    "一往无前": "press forward",
    "数一数二": "among the very best",
    "独一无二": "unique",
    "一蹴而就": "done at one stroke",
    "一以贯之": "consistently, from first to last",
    "一张蓝图": "one blueprint (carried through)",
    "两头": "both ends",
    "两手": "both hands (两手抓: grasp both at once)",
    "一手": "single-handedly",
    "一把": "a handful, a push",
    "一口气": "in one breath",
    "一时": "for a while",
    "一下": "once, briefly",
    "一边": "while, at the same time",
    "一面": "one side, at the same time",
    "一番": "a round of",
    "一点": "a little",
    "一味": "blindly",
    "一生": "a lifetime",
    "一次性": "one-off",
}

#: Fixed political slogans and terms (reason ``name``).
_NAMES = {
    "三会一课": "three meetings and one lecture: the standard branch routine",
    "四个意识": "the four consciousnesses (political slogan)",
    "四个自信": "the four confidences (political slogan)",
    "两个维护": "the two upholds (political slogan)",
    "两个确立": "the two establishes (political slogan)",
    "四史": "the four histories (party, PRC, reform, socialism)",
    "一肩挑": "one person holds both the party secretary and director posts",
    "两学一做": "two studies, one action (a study campaign)",
    "三严三实": "three stricts and three earnests (a conduct campaign)",
    "五四": "May Fourth (Youth Day)",
    "七一": "1 July (the party's founding day)",
    "八一": "1 August (Army Day)",
    "十四五": "the 14th Five-Year Plan",
    "十三五": "the 13th Five-Year Plan",
    "一带一路": "the Belt and Road",
    "两个覆盖": "the two coverages (party organisations and party work)",
    "五个一批": "the five batches (of poverty alleviation)",
    "双一流": "double first-class (universities and disciplines)",
    "一国两制": "one country, two systems",
    "两个一百年": "the two centenary goals",
    "四个全面": "the four comprehensives (political slogan)",
    "五位一体": "the five-sphere integrated plan",
    "三重一大": "the three importants and one large (decided collectively)",
    "一岗双责": "one post, two responsibilities",
    "四风": "the four undesirable styles of work",
    "八项规定": "the eight-point rules",
    "两个责任": "the two responsibilities (of party committees and discipline commissions)",
    "三个代表": "the Three Represents",
    "五大发展理念": "the five development concepts",
}

#: Congresses, central committees and plenums cited (reason ``citation``).
_CITATIONS = {
    "十九大": "19th Party Congress",
    "二十大": "20th Party Congress",
    "十八大": "18th Party Congress",
    "十九届": "19th (Central Committee)",
    "二十届": "20th (Central Committee)",
    "十八届": "18th (Central Committee)",
    "一中全会": "First Plenum",
    "二中全会": "Second Plenum",
    "三中全会": "Third Plenum",
    "四中全会": "Fourth Plenum",
    "五中全会": "Fifth Plenum",
    "六中全会": "Sixth Plenum",
    "七中全会": "Seventh Plenum",
    "建党百年": "the party's centenary",
    "百年大党": "a century-old party",
}

#: Every common word, once.
COMMON_WORDS: tuple[CommonWord, ...] = tuple(
    CommonWord(word, reason, gloss)
    for reason, glosses in (
        (NotStatisticReason.WORD, _LEXICAL),
        (NotStatisticReason.NAME, _NAMES),
        (NotStatisticReason.CITATION, _CITATIONS),
    )
    for word, gloss in glosses.items()
)
