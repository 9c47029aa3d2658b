"""Numerals that are probably not statistics, and why: dates, words, names, ranks, periods.

:func:`not_statistic_reason` gives a suggested :class:`NotStatisticReason` for a numeral (a
calendar date, part of an initiative's name or a known word, an ordinal or rank, a citation, a
structure, a title, a quoted name, a period, a small count written in Chinese) or None;
:func:`owns_no_noun` says which numerals count nothing and so do not bound another figure's
noun.
"""

from __future__ import annotations

import re
from decimal import Decimal

from stats.extraction.quantities import Qualifier, Quantity
from stats.extraction.scanner import NumeralKind, NumeralMatch
from stats.extraction.suggest.language import (
    CHINESE_ONLY,
    HAN,
    PLUS,
    RANK_MARKERS,
    SHORT_QUOTE,
    STRUCTURE_NOUNS,
    TITLE_AFTER,
    TITLE_IN_QUOTE,
    WEEKDAY,
    YEARS_OR_MONTHS,
)
from stats.extraction.suggest.text import Text
from stats.vocabulary import NotStatisticReason


def _word_reason(doc: Text, start: int, end: int) -> NotStatisticReason | None:
    """The reason of the longest known word overlapping [start, end): 五个一批 over 一批."""
    found = [(e - s, reason) for s, e, reason in doc.words if s < end and start < e]
    return max(found, key=lambda f: f[0])[1] if found else None


def _in_category(doc: Text, match: NumeralMatch) -> bool:
    """The numeral is part of a category's name: 35岁 in 35岁及以下党员."""
    return any(
        c.start <= match.start and match.end <= c.end
        for c in doc.categories_in(match.start, match.end)
    ) or any(
        c.start <= match.start < c.end or c.start < match.end <= c.end
        for c in doc.categories_in(max(0, match.start - 8), match.end + 8)
    )


def owns_no_noun(doc: Text, match: NumeralMatch) -> bool:
    """Dates, words (一线), names (百支齐行), periods and the bounds of categories (35岁及以下)
    count nothing: they do not bound the search for another figure's noun."""
    if match.kind is NumeralKind.DATE or _word_reason(doc, match.start, match.end) is not None:
        return True
    if _in_category(doc, match):
        return True
    if any(m.start < match.end and match.start < m.end for m in doc.initiatives):
        return True
    return bool(YEARS_OR_MONTHS.fullmatch(match.text))


def not_statistic_reason(
    doc: Text, match: NumeralMatch, quantity: Quantity | None, own_noun: bool
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
    chinese = bool(CHINESE_ONLY.match(core))
    clause_start, clause_end = doc.segment(doc.clause_marks, match.start, match.end)
    lead = text[clause_start : match.start]
    rest = text[match.end : clause_end]
    if before.endswith("第"):
        ranked = any(w in lead for w in RANK_MARKERS) or (
            rest.strip() == "" and re.search("全[市省国区县]", lead)
        )
        return NotStatisticReason.RANK if ranked else NotStatisticReason.ORDINAL
    if re.match(rf"\s*(?:{'|'.join(RANK_MARKERS)})\S*第", rest):
        return NotStatisticReason.RANK  # 9次位列各区第一
    if chinese and after.startswith("是") and lead.strip() == "":
        return NotStatisticReason.ORDINAL  # 一是, 二是
    if core.endswith("周年") or after.startswith(("周年", "届", "中全会", "次党代会")):
        return NotStatisticReason.CITATION  # 100周年大会, 十九届五中全会
    if after.startswith("级") or (
        after.startswith("大") and HAN.match(after[1:2] or "") and not after.startswith("大会")
    ):
        return NotStatisticReason.STRUCTURE  # 四级组织架构, 三大环节, “两大新城”
    if after.startswith(TITLE_AFTER):
        return NotStatisticReason.TITLE  # 三等奖, 六连冠, 十佳
    if doc.inside(doc.definitions, match.start, match.end):
        return NotStatisticReason.STRUCTURE  # “5+X”（参加1次主题党日…）: the parts of a name
    if WEEKDAY.search(text[max(0, match.start - 2) : match.end]):
        return NotStatisticReason.DATE  # 周三, 星期一
    if chinese and core.endswith("期") and re.search("[园区城]$", before):
        return NotStatisticReason.NAME  # 软件园三期: a place
    if doc.inside(doc.titles, match.start, match.end):
        return NotStatisticReason.CITATION  # 《…十条措施》
    quoted = doc.inside(doc.quotes, match.start, match.end)
    if quoted and quoted[1] - quoted[0] <= SHORT_QUOTE:
        if any(w in text[quoted[0] : quoted[1]] for w in TITLE_IN_QUOTE):
            return NotStatisticReason.TITLE
        return NotStatisticReason.NAME
    if (
        re.match(rf"\s*[{PLUS}A-Za-z]", after)
        or re.search(rf"[{PLUS}A-Za-z]\s*$", before)
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
    if any(noun in rest for noun in STRUCTURE_NOUNS):
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
