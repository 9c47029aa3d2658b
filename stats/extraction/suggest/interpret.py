"""A counting figure read: its indicator, breakdown, statistic, status and counted noun.

:func:`interpret` combines the noun and indicator search (``nouns``) with the words before the
figure that make it a share, a change or an average (:func:`read_statistic`), a plan or an
estimate (:func:`read_status`), the category words that break it down
(:func:`_read_breakdown`), and what earlier figures of the sentence or list were read to be.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from stats.extraction.periods import PublicationWindow
from stats.extraction.quantities import Quantity
from stats.extraction.sources import IndicatorEntry
from stats.extraction.suggest.language import (
    ADJACENT_CHANGE,
    CHANGE_CUE,
    COMPARISON_BASE,
    DAILY_CUE,
    GROWTH_CUE,
    LEADING,
    PER_UNIT_CUE,
    PREDICATE_START,
    RANK_CUE,
    RANKING,
    SHARE_CUE,
    TO_ASCII_DIGITS,
    TRAILING_QUALIFIERS,
    UNIT_DIMENSIONS,
)
from stats.extraction.suggest.lexicon import plain
from stats.extraction.suggest.nouns import (
    Noun,
    TermMatch,
    noun_chars,
    predicate_term,
    read_noun,
    search_term,
    skipped_spans,
    without_linking,
)
from stats.extraction.suggest.text import Span, Text
from stats.vocabulary import COUNTED_THING_UNITS, Statistic, Status


@dataclass(frozen=True)
class Reading:
    """What one counting figure was read to be; later figures may take theirs from it."""

    figure: Span
    found: TermMatch | None
    breakdown: dict[str, str]
    statistic: Statistic
    status: Status
    status_stated: bool  # a cue in the sentence said so (else actual by default)
    noun: str | None


def read_statistic(
    doc: Text, figure: Span, quantity: Quantity | None, lead: Span, phrase_lead: Span
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
        raw.endswith("名") and RANKING.search(text[sentence_start : lead[1]])
    ):
        rank = RANK_CUE.search(before.rstrip())
        if rank is not None:
            return Statistic.RANK_CHANGE, (lead[0] + rank.start(), lead[0] + rank.end())
    cues: list[tuple[int, int, Statistic]] = []
    for pattern, average in (
        (DAILY_CUE, Statistic.DAILY_AVERAGE),
        (PER_UNIT_CUE, Statistic.PER_UNIT_AVERAGE),
    ):
        cues += [
            (m.end() - offset, m.start() - offset, average) for m in pattern.finditer(in_phrase)
        ]
    if unit == "percent":
        cues += [(m.end(), m.start(), Statistic.SHARE) for m in SHARE_CUE.finditer(before)]
        cues += [(m.end(), m.start(), Statistic.GROWTH_RATE) for m in GROWTH_CUE.finditer(before)]
    elif unit == "multiple":
        cues += [(m.end(), m.start(), Statistic.GROWTH_RATE) for m in GROWTH_CUE.finditer(before)]
    elif unit == "percentage_point":
        cues += [(m.end(), m.start(), Statistic.CHANGE) for m in CHANGE_CUE.finditer(before)]
    else:
        for m in CHANGE_CUE.finditer(before):
            # 净增, 比上年增加, 增加了22个: a change; 增加党员服务岗120个 adds things (a level).
            adjacent = before[m.end() :].strip() == "" and m.group()[:2] in ADJACENT_CHANGE
            compared = m.group().startswith("净") or COMPARISON_BASE.search(before[: m.start()])
            if adjacent or compared:
                cues.append((m.end(), m.start(), Statistic.CHANGE))
    if not cues:
        return Statistic.LEVEL, None
    end, start, statistic = max(cues, key=lambda c: (c[0], c[0] - c[1]))
    return statistic, (lead[0] + start, lead[0] + end)


def read_status(doc: Text, figure: Span, window: PublicationWindow) -> tuple[Status, bool]:
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
            year = int(match.group("number").translate(TO_ASCII_DIGITS))
            published = window.latest.year
            future = match.group("until") or match.group("before")
            if year > published or (future and year >= window.earliest.year):
                year_status = Status.TARGET
            elif year < published and not doc.is_comparison(match):
                year_status = Status.ACTUAL
    if year_status is not None:
        return year_status, True
    return Status.ACTUAL, False


def _read_breakdown(
    doc: Text, region: Span, indicator: IndicatorEntry | None, unit: str | None
) -> dict[str, str]:
    """The categories named in the counted noun's region, unless the measure's own name says
    it (小区党支部数): people's by sex, age …; units', organisations' and people's by the kind of
    unit (机关基层党组织, 农村党群工作者). Two categories of one dimension (乡镇（街道）) name no
    single one."""
    if unit is None:
        return {}
    name = plain(indicator.name_zh) if indicator is not None else ""
    people = unit in ("person", "person_time")
    units = unit in COUNTED_THING_UNITS
    found: dict[str, set[str]] = {}
    for mention in doc.categories_in(*region):
        if doc.text[mention.start : mention.end] in name:
            continue
        if (mention.dimension in UNIT_DIMENSIONS and (units or people)) or (
            mention.dimension not in UNIT_DIMENSIONS and people
        ):
            found.setdefault(mention.dimension, set()).add(mention.code)
    return {d: codes.pop() for d, codes in found.items() if len(codes) == 1}


@dataclass(frozen=True)
class _Segments:
    """The figure's clause, sentence and phrase, and what of them its neighbours leave it."""

    clause: Span
    sentence: Span
    phrase: Span
    lead: Span  # the clause before the figure, after the figure before it
    tail: Span  # the clause after the figure, before the figure after it
    phrase_lead: Span  # likewise in the phrase
    closes_clause: bool  # nothing but a trailing qualifier after the figure in its clause


def _segments(doc: Text, figure: Span, bounds: Span) -> _Segments:
    figure_start, figure_end = figure
    clause = doc.segment(doc.clause_marks, figure_start, figure_end)
    phrase = doc.segment(doc.phrase_marks, figure_start, figure_end)
    rest = doc.text[figure_end : clause[1]].strip()
    return _Segments(
        clause=clause,
        sentence=doc.segment(doc.sentence_marks, figure_start, figure_end),
        phrase=phrase,
        lead=(max(clause[0], bounds[0]), figure_start),
        tail=(figure_end, min(clause[1], bounds[1])),
        phrase_lead=(max(phrase[0], bounds[0]), figure_start),
        closes_clause=rest == "" or rest in TRAILING_QUALIFIERS,
    )


def _fits(statistic: Statistic, unit: str | None) -> str | None:
    """The unit an indicator must be countable in, or None: a percent is a share or rate of any
    measure; a rank change is in places of any ranking."""
    any_unit = statistic in (Statistic.SHARE, Statistic.GROWTH_RATE, Statistic.RANK_CHANGE)
    return None if any_unit or unit in ("percent", "multiple") else unit


def _noun_and_region(
    figure: Span, segments: _Segments, nouns: tuple[Noun, Noun], found: TermMatch | None
) -> tuple[Noun, bool, Span]:
    """The counted noun (the one the indicator's word is in, else the one after the figure when
    the figure does not close its clause), whether it is after the figure, and the region of
    the noun and its modifiers (not 街道 in 街道|日均签约|房屋42户)."""
    figure_start, figure_end = figure
    if found is not None and found.noun is not None:
        verb = PREDICATE_START.match(found.term.word) is not None and bool(nouns[1].text)
        # 机关单位挂钩69个村: a verb's object after the figure is what is counted.
        noun = nouns[1] if found.noun[0] >= figure_end or verb else nouns[0]
    elif not segments.closes_clause and nouns[1].text:
        noun = nouns[1]
    else:
        noun = nouns[0]
    if noun is nouns[1]:
        return noun, True, (figure_end, noun.span[1])
    term_start = found.noun[0] if found is not None and found.noun is not None else figure_start
    return noun, False, (min(noun.span[0], term_start), figure_start)


def _without_own_word(
    doc: Text,
    figure: Span,
    segments: _Segments,
    bounds: Span,
    fits: str | None,
    quiet: Sequence[Span],
    earlier: Sequence[Reading],
    statistic: Statistic,
    noun: Noun,
    people: bool,
) -> tuple[TermMatch | None, Reading | None]:
    """The indicator of a figure whose clause names none: 比上年净增512名, 占20.8%, 覆盖率86.3%
    take what the figure before it counts; 工人2130名 after 从职业看 what the figures before it
    count; else the nearest word in the phrase, then before the figure in its sentence. With
    the reading it was inherited from, if any."""
    inherited = _antecedent(doc, figure, earlier, segments.sentence, statistic, people)
    if inherited is not None:
        return inherited.found, inherited
    if noun.text:
        return None, None
    found = search_term(doc, figure, segments.phrase, bounds, fits, quiet, True)
    if found is None:
        whole = (segments.sentence[0], figure[1])
        found = search_term(doc, figure, whole, (0, len(doc.text)), fits, quiet, False)
    return found, None


def _under_head(
    doc: Text, found: TermMatch | None, head: Reading | None, people: bool
) -> TermMatch | None:
    """After 其中: a bare category takes the measure of the figure the list divides (其中，学生
    58名), and a more general measure becomes that measure (发展党员486名。其中，女党员198名:
    women among those recruited)."""
    if head is None or head.found is None:
        return found
    if found is None:
        return head.found if people else None
    general = doc.lexicon.words[found.term.indicator.code]
    if found.term.indicator != head.found.term.indicator and any(
        w in head.found.term.word for w in general
    ):
        return TermMatch(found.score, head.found.term, found.noun, found.own)
    return found


def _settled_statistic(
    text: str,
    statistic: Statistic,
    cue: Span | None,
    indicator: IndicatorEntry | None,
    unit: str | None,
) -> Statistic:
    """The statistic once the indicator is known: a measure in percent, or whose own name holds
    the cue, is read as a level; a bare percent of a count is a share."""
    if indicator is not None and indicator.unit == "percent":
        if unit == "percent":
            return Statistic.LEVEL  # a rate the measure itself is: 一肩挑比例
        if unit == "percentage_point":
            return Statistic.CHANGE
        return statistic
    if (
        cue is not None
        and indicator is not None
        and text[cue[0] : cue[1]] in plain(indicator.name_zh)
    ):
        return Statistic.LEVEL  # the measure's own name says it (人均可支配收入 as a measure)
    if statistic is Statistic.LEVEL and unit == "percent":
        return Statistic.SHARE  # a percent of a count is a share of it
    return statistic


def _breakdown_before(
    earlier: Sequence[Reading], sentence: Span, indicator: IndicatorEntry
) -> dict[str, str]:
    """The breakdown of the figure just before in the sentence, when it counts the same measure
    (女党员8312名，占党员总数33.8%: the share of the group counted just before)."""
    before = _previous_reading(earlier, sentence)
    if before is not None and before.found is not None and before.found.term.indicator == indicator:
        return dict(before.breakdown)
    return {}


def _counted_noun(
    doc: Text, figure: Span, found: TermMatch | None, noun: Noun, after: bool, quiet: Sequence[Span]
) -> str:
    """What the figure counts as written: from the noun's start (or the figure, after it) to the
    end of the indicator's word; the noun as read when no word of the figure's own was found."""
    if found is None or found.noun is None:
        return noun.text
    start = min(found.noun[0], noun.span[0]) if not after else figure[1]
    spans = skipped_spans(doc, start, found.noun[1], quiet, categories=False)
    counted = without_linking(LEADING.sub("", noun_chars(doc, start, found.noun[1], spans)))
    return counted or found.term.word


def interpret(
    doc: Text,
    figure: Span,
    quantity: Quantity | None,
    bounds: Span,
    quiet: Sequence[Span],
    earlier: Sequence[Reading],
    window: PublicationWindow,
    starts: Sequence[int],
) -> Reading:
    """What the figure counts (the rules: :mod:`stats.extraction.suggest`): indicator,
    breakdown, statistic, status and the counted noun. ``bounds``: the figures on either side;
    ``quiet``: numerals that count nothing; ``earlier``: the readings before it; ``starts``:
    where the counting figures start."""
    segments = _segments(doc, figure, bounds)
    statistic, cue = read_statistic(doc, figure, quantity, segments.lead, segments.phrase_lead)
    unit = quantity.unit if quantity else None
    fits = _fits(statistic, unit)
    status, stated = read_status(doc, figure, window)
    nouns = (
        read_noun(doc, *segments.lead, quiet, before=True),
        read_noun(doc, *segments.tail, quiet, before=False),
    )
    found = search_term(doc, figure, segments.clause, bounds, fits, quiet, True, nouns)
    noun, after, region = _noun_and_region(figure, segments, nouns, found)
    people = noun.bare and all(
        c.dimension not in UNIT_DIMENSIONS for c in doc.categories_in(*region)
    )
    inherited: Reading | None = None
    predicate = None
    if noun.bare and after:
        # 16个乡镇、232个行政村…均已建立党组织: units of a kind, counted for what they have.
        predicate = predicate_term(doc, figure, fits, quiet, starts)
        found = predicate or found
    if found is None and (not noun.text or people):
        found, inherited = _without_own_word(
            doc, figure, segments, bounds, fits, quiet, earlier, statistic, noun, people
        )
    head = _head_reading(doc, figure, earlier, segments.sentence)
    found = _under_head(doc, found, head, people)
    indicator = found.term.indicator if found else None
    statistic = _settled_statistic(doc.text, statistic, cue, indicator, unit)
    breakdown = _read_breakdown(doc, region, indicator, indicator.unit if indicator else unit)
    if inherited is not None and not people:
        breakdown = {**inherited.breakdown, **breakdown}
    elif statistic is not Statistic.LEVEL and not breakdown and indicator is not None:
        breakdown = _breakdown_before(earlier, segments.sentence, indicator)
    if head is not None and head.found is not None and indicator == head.found.term.indicator:
        breakdown = {**head.breakdown, **breakdown}
        if not stated:
            status = head.status
    own = found if inherited is None and predicate is None else None
    counted = _counted_noun(doc, figure, own, noun, after, quiet)
    return Reading(figure, found, breakdown, statistic, status, stated, counted or None)


def _previous_reading(earlier: Sequence[Reading], sentence: Span) -> Reading | None:
    """The figure just before, in the same sentence."""
    if earlier and earlier[-1].figure[0] >= sentence[0]:
        return earlier[-1]
    return None


def _antecedent(
    doc: Text,
    figure: Span,
    earlier: Sequence[Reading],
    sentence: Span,
    statistic: Statistic,
    category_only: bool,
) -> Reading | None:
    """The figure whose measure this one shares: for a change, growth or share without a noun,
    the figure just before it in its sentence; for a bare category (工人2130名), the nearest
    level figure before it in its paragraph or the one before."""
    if not category_only:
        if statistic is Statistic.LEVEL:
            return None
        before = _previous_reading(earlier, sentence)
        return before if before is not None and before.found is not None else None
    paragraph = doc.paragraph(figure[0])
    previous_paragraph = doc.paragraph(max(0, paragraph[0] - 1))
    for reading in reversed(earlier):
        if reading.figure[0] < previous_paragraph[0]:
            break
        if reading.found is not None and reading.statistic is Statistic.LEVEL:
            return reading
    return None


def _head_reading(
    doc: Text, figure: Span, earlier: Sequence[Reading], sentence: Span
) -> Reading | None:
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
