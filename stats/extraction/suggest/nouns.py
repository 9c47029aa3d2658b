"""What a figure counts: the counted noun around it and the indicator word that heads it.

:func:`read_noun` finds the noun before or after a figure (between predicate words, without
places, periods and linking words); :func:`search_term` scores the indicators' words in a
segment against the figure (the word must head the noun and the figure's unit must serve the
indicator); :func:`predicate_term` finds a measure that is what counted units have done.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from stats.extraction.suggest.language import (
    GOING,
    IGNORED_MARKS,
    LEADING,
    LINKING,
    NOUN_HEADS,
    NUMERAL_CHARS,
    PREDICATE,
    PREDICATE_START,
    TRAILING_QUALIFIERS,
)
from stats.extraction.suggest.lexicon import Term, plain
from stats.extraction.suggest.text import Span, Text
from stats.vocabulary import COUNTED_THING_UNITS


def unit_fits(figure_unit: str, indicator_unit: str) -> bool:
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


def _kept_positions(text: str, start: int, end: int, figure: Span) -> list[int]:
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
        if not (char.isspace() or char in IGNORED_MARKS):
            kept.append(i)
        i += 1
    return kept


@dataclass(frozen=True)
class TermMatch:
    score: float
    term: Term
    noun: Span | None  # where the word is in the text (None: taken from another figure)
    own: bool  # the word holds the figure or touches it where its noun stands


def without_linking(gap: str) -> str:
    """``gap`` without the linking words at its end, repeatedly."""
    while gap:
        match = LINKING.search(gap)
        if match is None:
            break
        gap = gap[: match.start()]
    return gap


def noun_chars(doc: Text, start: int, end: int, skipped: Sequence[Span]) -> str:
    """The characters of [start, end) that count in a noun: no marks, asides or ``skipped``."""
    return "".join(
        doc.text[i]
        for i in _kept_positions(doc.text, start, end, (end, end))
        if not any(s <= i < e for s, e in skipped)
    )


def skipped_spans(
    doc: Text, start: int, end: int, quiet: Sequence[Span], categories: bool = True
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
class Noun:
    """The counted noun as written on one side of a figure."""

    text: str  # without place names, periods, linking words; "" when there is none
    span: Span  # from the predicate word before it (or the figure) to the figure (or the next)
    bare: bool  # nothing but category words: 工人, 学生, 乡镇, 女性


def read_noun(doc: Text, start: int, end: int, quiet: Sequence[Span], before: bool) -> Noun:
    """The counted noun in [start, end): before a figure, after the last predicate word
    (组建|党员志愿服务队18支), without the words opening the phrase (全区, 其中) or linking it to
    the figure (共有, 占比达到); after a figure, up to the first predicate word (12个小区|加装)."""
    skipped = skipped_spans(doc, start, end, quiet)
    cuts = [
        m
        for m in PREDICATE.finditer(doc.text, start, end)
        if not any(s <= m.start() < e for s, e in skipped)
    ]

    def clean(cut: Span, categories: bool) -> str:
        spans = skipped_spans(doc, *cut, quiet, categories)
        return without_linking(LEADING.sub("", noun_chars(doc, *cut, spans)))

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
                    if len(m.group()) > 1 or m.start() == start or m.group() in GOING
                ),
                end,
            ),
        )
    text = clean(cut, False)
    bare = bool(text) and not clean(cut, True)
    if len(text) < 2 and not bare:
        text = ""  # 签 of 签约 without 约: not a noun
    return Noun(text, cut, bare)


def search_term(
    doc: Text,
    figure: Span,
    segment: Span,
    bounds: Span,
    fits: str | None,
    quiet: Sequence[Span],
    scored: bool,
    nouns: tuple[Noun, Noun] | None = None,
) -> TermMatch | None:
    """The best indicator word in ``segment`` (within ``bounds``) for the figure. ``fits``: the
    unit the indicator must be countable in (None: any). With ``nouns`` (before and after the
    figure) the word must be the head of one of them: only linking words between it and the
    figure before it (党员|干部 is not 党员), within the noun after it and at its end (招商项目|组
    is not 项目)."""
    figure_start, figure_end = figure
    text = doc.text
    clause_end = doc.segment(doc.clause_marks, figure_start, figure_end)[1]
    rest = text[figure_end:clause_end].strip()
    closes_clause = rest == "" or rest in TRAILING_QUALIFIERS
    numerals = {i for i in range(figure_start, figure_end) if text[i] in NUMERAL_CHARS}
    seg_start, seg_end = max(segment[0], bounds[0]), min(segment[1], bounds[1])
    kept = _kept_positions(text, seg_start, seg_end, figure)
    flat = "".join(text[i] for i in kept)
    first = next((k for k, i in enumerate(kept) if i >= figure_start), len(kept))
    last = next((k for k, i in enumerate(kept) if i >= figure_end), len(kept))
    skipped = skipped_spans(doc, seg_start, seg_end, quiet) if nouns else []
    candidates: list[TermMatch] = []
    for k, char in enumerate(flat):
        for term in doc.lexicon.terms.get(char, ()):
            if not flat.startswith(term.word, k):
                continue
            if fits is not None and not unit_fits(fits, term.indicator.unit):
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
                    rest = without_linking(noun_chars(doc, end, figure_start, skipped))
                    # A verb's object between it and the figure: 培训党员2300人次 counts the
                    # training when the figure is in the measure's own unit.
                    verb = PREDICATE_START.match(term.word) and fits == term.indicator.unit
                    if rest and rest[-2:] not in plain(term.indicator.name_zh) and not verb:
                        continue  # a modifier of another noun: 党员|干部, 签约|房屋
                score = 2 * length - gap + (4 if closes_clause else 0)
            if not scored:
                score = -gap  # in the sentence: the nearest word before the figure
            if fits is not None and fits == term.indicator.unit:
                score += 1
            own = scored and gap == 0 and (k_end > first or closes_clause)
            candidates.append(TermMatch(score, term, (start, end), own))
    if nouns is not None:
        # Before the figure the nearest noun is the head: 非公企业党组织|覆盖率 counts coverage.
        ends = [c.noun[1] for c in candidates if c.noun and c.noun[1] <= figure_start]
        nearest = max(ends, default=-1)
        candidates = [
            c
            for c in candidates
            if c.noun is None or c.noun[1] > figure_start or c.noun[1] >= nearest
        ]
    best: TermMatch | None = None
    for candidate in candidates:
        if best is None or candidate.score > best.score:
            best = candidate
    return best


def _heads_after(doc: Text, term: Term, span: Span, noun: Noun) -> bool:
    """Whether an indicator's word after the figure is the head of its noun: it begins in the
    noun, and no head noun follows it that the measure's name does not have (基层党组织|书记,
    招商项目|组, but 软弱涣散村党组织 for 整顿软弱涣散基层党组织数); or a predicate right after
    the noun that the measure is named by (党员志愿者近900名|参与疫情防控: members mobilised)."""
    if span[0] == noun.span[1] and PREDICATE_START.match(term.word):
        return True
    if span[0] >= noun.span[1]:
        return False
    following = doc.text[span[1] : min(span[1] + 4, noun.span[1])]
    name = plain(term.indicator.name_zh)
    return not any(following.startswith(h) and h not in name for h in NOUN_HEADS)


def predicate_term(
    doc: Text, figure: Span, fits: str | None, quiet: Sequence[Span], starts: Sequence[int]
) -> TermMatch | None:
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
    found = search_term(doc, figure, (start, end), (start, end), fits, quiet, False)
    if found is None or not PREDICATE_START.match(found.term.word):
        return None
    return TermMatch(found.score, found.term, found.noun, False)
