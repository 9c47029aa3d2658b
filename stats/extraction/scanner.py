"""Find every numeral in a text, Arabic or Chinese, with its offsets and the figure around it.

A *numeral* here is any run of digits or Chinese numeral characters. The scanner widens each one
to the figure it belongs to, following the grammar of :mod:`stats.extraction.quantities`: a
qualifier before it, 余/多/来, scale words, a range's second number, a measure word or unit and
a qualifier after it. A layout line break may fall inside a figure (``组织30余`` / ``名党员干部``)
and is taken in. Offsets count Unicode code points of the text exactly as given.

The text is read folded (:mod:`stats.extraction.reading`: traditional script, full-width digits
and punctuation, stray spaces inside figures): ``近4萬名`` is one figure, found at its offsets in
the original and quoted as written there.

Dates (``2010年2月``, ``2021-07-08 10:44:02``) are recognised as a whole, so that one
annotation reason covers them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from stats.extraction.quantities import (
    CHINESE_NUMERAL_CHARS,
    MEASURE_WORDS,
    PREFIX_QUALIFIERS,
    RANGE_SEPARATORS,
    SCALE_POWERS,
    SUFFIX_QUALIFIERS,
    VAGUE_BOUNDS,
)
from stats.extraction.reading import Folded, fold

__all__ = ["NumeralKind", "NumeralMatch", "scan_folded", "scan_numerals"]


class NumeralKind(StrEnum):
    """Which script the figure's number is written in, or that it is a calendar date."""

    ARABIC = "arabic"
    CHINESE = "chinese"
    DATE = "date"


@dataclass(frozen=True)
class NumeralMatch:
    """One figure candidate: ``text == source[start:end]``."""

    start: int
    end: int
    text: str
    kind: NumeralKind


def _alternation(words: object) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[call-overload]


_DIGIT = "[0-9０-９]"
_ARABIC = rf"{_DIGIT}+(?:[.．]{_DIGIT}+)?"
_CHINESE = rf"[{CHINESE_NUMERAL_CHARS}]+(?:点[{CHINESE_NUMERAL_CHARS}]+)?"
_SCALE = _alternation(SCALE_POWERS)
#: A line break the layout put inside a figure; blank lines are taken in too.
_BREAK = r"(?:[ \t\u3000]*\n[ \t\u3000\n]*)?"
_PREFIX = _alternation([*PREFIX_QUALIFIERS, "零下"])
_SUFFIX = _alternation(SUFFIX_QUALIFIERS)
_UNIT = _alternation(["％", *MEASURE_WORDS])
_VAGUE = _alternation(VAGUE_BOUNDS)
_RANGE = "|".join(re.escape(s) for s in RANGE_SEPARATORS)

_CORE = rf"(?:(?:{_VAGUE})|(?:(?:{_ARABIC}|{_CHINESE})(?:[余多来])?(?:{_SCALE})?(?:[余多])?))"
_FIGURE = re.compile(
    rf"(?:(?:{_PREFIX}){_BREAK})*"
    rf"{_CORE}"
    rf"(?:\s*(?:{_RANGE})\s*{_CORE})?"
    rf"(?:{_BREAK}(?:{_UNIT}))?"
    rf"(?:(?:{_SUFFIX}))?"
)
_DATE = re.compile(
    rf"{_DIGIT}{{4}}-{_DIGIT}{{2}}-{_DIGIT}{{2}}"
    rf"(?: {_DIGIT}{{2}}:{_DIGIT}{{2}}(?::{_DIGIT}{{2}})?)?"
    rf"|{_DIGIT}{{4}}年(?:{_DIGIT}{{1,2}}月(?:{_DIGIT}{{1,2}}日)?)?"
    rf"|{_DIGIT}{{1,2}}月{_DIGIT}{{1,2}}日"
)
_FINANCIAL = "壹贰叁肆伍陆柒捌玖拾佰仟"
#: A numeral starts at a digit or a Chinese numeral character. The financial forms (壹, 伍, 陆)
#: count only in runs of two or more: alone they are nearly always part of a word (队伍, 登陆).
_NUMERAL_START = re.compile(
    rf"{_DIGIT}|[{''.join(c for c in CHINESE_NUMERAL_CHARS if c not in _FINANCIAL)}]"
    rf"|[{_FINANCIAL}]{{2,}}"
)
_VAGUE_START = re.compile(_VAGUE)

#: Two-character words that end in a one-character qualifier marker without being one:
#: 签约8项 is "signed 8 projects", not "about 8 projects".
FALSE_QUALIFIER_WORDS = frozenset(
    {
        "签约",
        "节约",
        "制约",
        "预约",
        "公约",
        "合约",
        "邀约",
        "条约",
        "相约",
        "履约",
        "到达",
        "抵达",
        "下达",
        "传达",
        "表达",
        "发达",
        "送达",
        "转达",
        "通达",
        "公共",
        "总共",
        "附近",
        "邻近",
        "亲近",
        "最近",
        "就近",
        "靠近",
        "赶超",
        "高超",
        "马上",
        "以上",
        "之上",
        "线上",
    }
)


def _kind(text: str) -> NumeralKind:
    return NumeralKind.ARABIC if re.search(_DIGIT, text) else NumeralKind.CHINESE


def scan_numerals(text: str) -> list[NumeralMatch]:
    """Every figure candidate in ``text``, in order, without overlaps, with the original text's
    offsets and words (the text is read folded).

    Each numeral character of the text lies in exactly one candidate. A qualifier word before
    the number is part of the candidate only when it touches the number.
    """
    folded = fold(text)
    matches = scan_folded(folded.text)
    if folded.identity and folded.text == text:
        return matches
    return [_original(folded, m) for m in matches]


def _original(folded: Folded, match: NumeralMatch) -> NumeralMatch:
    start, end = folded.original_span(match.start, match.end)
    return NumeralMatch(start, end, folded.original[start:end], match.kind)


def scan_folded(text: str) -> list[NumeralMatch]:
    """Every figure candidate in an already folded ``text`` (:func:`reading.fold`), with the
    folded text's offsets and words."""
    matches: list[NumeralMatch] = []
    position = 0
    while True:
        found = _NUMERAL_START.search(text, position)
        if not found:
            return matches
        numeral_at = found.start()
        date = _DATE.match(text, numeral_at)
        if date:
            matches.append(NumeralMatch(numeral_at, date.end(), date.group(), NumeralKind.DATE))
            position = date.end()
            continue
        # Vague figures begin before their first numeral: 数十万, 几百, 成千上万.
        start = numeral_at
        for back in (1, 2):
            vague = (
                _VAGUE_START.match(text, numeral_at - back)
                if numeral_at - back >= position
                else None
            )
            if vague and vague.end() > numeral_at:
                start = numeral_at - back
                break
        # Look back for qualifier words that touch the number (超1300, 近600, 零下30).
        while start == numeral_at or text[start] not in "数几成":
            window = text[max(position, start - 3) : start]
            prefix = re.search(rf"(?:{_PREFIX}){_BREAK}$", window)
            if not prefix or prefix.group() == "":
                break
            word = prefix.group().strip()
            if word == "上" and text[numeral_at] not in "千万":
                break
            if (
                len(word) == 1
                and text[max(0, start - len(prefix.group()) - 1) : start - len(prefix.group()) + 1]
                in FALSE_QUALIFIER_WORDS
            ):
                break
            start -= len(prefix.group())
        figure = _FIGURE.match(text, start)
        if not figure or figure.end() <= numeral_at:
            # The prefix did not lead into a figure after all; take the number alone.
            start = numeral_at
            figure = _FIGURE.match(text, start)
        assert figure is not None  # a numeral character always matches _CORE
        end = figure.end()
        matched = text[start:end]
        matches.append(NumeralMatch(start, end, matched, _kind(matched)))
        position = end
