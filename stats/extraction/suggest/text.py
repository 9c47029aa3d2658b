"""One article as the suggestions read it: segments, quotations, titles and every mention.

:class:`Text` computes once per text the paragraphs (a narrow-column layout's line breaks are
not breaks), the clause, phrase and sentence boundaries, quotations and titles, and the
mentions of places (longest name first, shared names resolved by the places around them),
initiatives, tiers, category words, period phrases, status cues and known words, with the
headings that set the place of a section.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from stats.extraction.common_words import COMMON_WORDS
from stats.extraction.suggest.language import (
    AFTER_SINGLE,
    BEFORE_KIND,
    CLAUSE_MARKS,
    COMPARISON_MARKERS,
    DIGIT_BEFORE,
    HAN,
    NAME_PREFIXES,
    NARROW_LINE,
    PERIOD_PHRASE,
    PHRASE_MARKS,
    PLACE_LIKE,
    QUOTE_PAIRS,
    RIGHT_SINGLE,
    SENTENCE_MARKS,
    SHORT_QUOTE,
    STATUS_CUE,
)
from stats.extraction.suggest.lexicon import (
    CATEGORY_WORDS,
    NOT_A_PLACE_AFTER,
    CategoryWord,
    Lexicon,
    Place,
    ancestors,
    root,
)
from stats.vocabulary import NotStatisticReason


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    code: str


@dataclass(frozen=True)
class CategoryMention:
    start: int
    end: int
    dimension: str
    code: str


Span = tuple[int, int]


class Text:
    """One article, with its segmentation and every vocabulary mention computed once."""

    def __init__(self, text: str, lexicon: Lexicon, default_district: str | None = None) -> None:
        self.text = text
        self.lexicon = lexicon
        self.default_district = default_district
        self.paragraph_breaks = self._paragraph_breaks()
        self.paragraphs = self._paragraphs()
        self.paragraph_starts = [s for s, _ in self.paragraphs]
        self.clause_marks = self._marks(CLAUSE_MARKS)
        self.phrase_marks = self._marks(PHRASE_MARKS)
        self.sentence_marks = self._marks(SENTENCE_MARKS)
        self.item_marks = self._marks(SENTENCE_MARKS + "；;")
        self.quotes = self._quotations()
        self.titles = [m.span() for m in re.finditer(r"《[^《》\n]{1,60}》", text)]
        self.definitions = self._definitions()
        self.words = self._words()
        self.places = self._places()
        self.initiatives = self._mentions(lexicon.initiatives)
        self.tiers = self._mentions(lexicon.tiers)
        self.periods = [
            m
            for m in PERIOD_PHRASE.finditer(text)
            if not DIGIT_BEFORE.search(text[max(0, m.start() - 1) : m.start()])
        ]
        self.period_starts = [m.start() for m in self.periods]
        self.headings = self._headings()
        self.categories = self._categories()
        self.category_starts = [c.start for c in self.categories]
        self.status_cues = list(STATUS_CUE.finditer(text))
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
                narrow = 0 < len(before) <= NARROW_LINE and 0 < len(after) <= NARROW_LINE
                if narrow and before[-1] not in CLAUSE_MARKS:
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
                    (i for i in range(position, p_end) if self.text[i] in QUOTE_PAIRS), None
                )
                if opening is None:
                    break
                closing = self.text.find(QUOTE_PAIRS[self.text[opening]], opening + 1, p_end)
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
                for q in "”" + RIGHT_SINGLE
            )
        ]

    def _words(self) -> list[tuple[int, int, NotStatisticReason]]:
        found = []
        for common in COMMON_WORDS:
            at = self.text.find(common.word)
            while at >= 0:
                found.append((at, at + len(common.word), common.reason))
                at = self.text.find(common.word, at + 1)
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
            (quoted and quoted[1] - quoted[0] <= SHORT_QUOTE)
            or self.inside(self.titles, start, end)
        )

    @staticmethod
    def inside(spans: Sequence[Span], start: int, end: int) -> Span | None:
        return next(((s, e) for s, e in spans if s <= start and end <= e), None)

    # -- mentions

    def _categories(self) -> list[CategoryMention]:
        """Category words of the codelists, longest first, none overlapping. Place-like kinds
        (社区, 村, 街道) only where they are not the end of a name (大同社区, 新店街道): after a
        measure word, 各, 的, a conjunction, 全区 or a non-Chinese character."""
        text, found, i = self.text, [], 0
        while i < len(text):
            word = next(
                (w for w in CATEGORY_WORDS.get(text[i], ()) if self._is_category(w, i)), None
            )
            if word is None:
                i += 1
                continue
            found.append(CategoryMention(i, i + len(word.word), word.dimension, word.code))
            i += len(word.word)
        return found

    def _is_category(self, word: CategoryWord, i: int) -> bool:
        text = self.text
        end = i + len(word.word)
        if not text.startswith(word.word, i):
            return False
        following = text[end : end + 1]
        if word.word in AFTER_SINGLE and following and following in AFTER_SINGLE[word.word]:
            return False  # 村民, 村均, 镇长
        if word.code in PLACE_LIKE and i > 0 and HAN.match(text[i - 1]):
            return text[i - 1] in BEFORE_KIND or text[max(0, i - 2) : i] in NAME_PREFIXES
        return True

    def categories_in(self, start: int, end: int) -> list[CategoryMention]:
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

    def _mentions(self, table: dict[str, tuple[tuple[str, str], ...]]) -> list[Mention]:
        """Every occurrence, longest first at a position, none inside a longer one."""
        found = []
        for i, char in enumerate(self.text):
            for word, code in table.get(char, ()):
                if self.text.startswith(word, i):
                    found.append(Mention(i, i + len(word), code))
        found.sort(key=lambda m: (m.start, m.start - m.end, m.code))
        kept: list[Mention] = []
        for mention in found:
            if not (kept and mention.start < kept[-1].end and mention.end <= kept[-1].end):
                kept.append(mention)
        return kept

    def _places(self) -> list[tuple[int, int, Place]]:
        """Place names, longest match first, none overlapping (厦门火炬高新区, not 厦门; 晋江市,
        not 晋江). A name several places share (鼓楼区 in Fuzhou, Nanjing, Xuzhou, Kaifeng) is
        the one below the place named just before it (南京市鼓楼区), else below a place named
        earlier, else in the city or province of the text's default place; else the lowest
        code."""
        found: list[tuple[int, int, Place]] = []
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
            if text.startswith(NOT_A_PLACE_AFTER, end) and all(
                p.district.short_zh == word for p in same
            ):
                i += 1  # 古田会议: a meeting, not the county
                continue
            place = self._homonym(same, found, i) if len(same) > 1 else same[0]
            found.append((i, end, place))
            i = end
        return found

    def _homonym(self, same: list[Place], found: list[tuple[int, int, Place]], start: int) -> Place:
        lexicon = self.lexicon
        anchors = [p.district.code for s, e, p in reversed(found) if e == start]
        anchors += [p.district.code for _, _, p in reversed(found)]
        if self.default_district is not None:
            anchors.append(self.default_district)
        for anchor in anchors:
            for key in (anchor, lexicon.cities.get(anchor), root(lexicon.parents, anchor)):
                if key is None:
                    continue
                for place in same:
                    if key in ancestors(lexicon.parents, place.district.code):
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
            chain: list[Place] = []
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
        return before.endswith(COMPARISON_MARKERS)
