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

The package, bottom up: ``language`` (the words and marks read), ``lexicon`` (the vocabulary
prepared for matching), ``text`` (one article's segments and mentions), ``nouns`` (the counted
noun and the indicator word heading it), ``interpret`` (indicator, breakdown, statistic,
status), ``context`` (district, period, initiative, tier, quote), ``triage`` (not a statistic)
and ``suggestions`` (the entry, :func:`suggest`).

Performance: everything is computed once per text (segmentation, mentions of places,
initiatives, tiers, words and periods); a 10,000-character article takes about a tenth of
a second. The vocabulary is prepared once and cached (up to 8 vocabularies).
"""

from __future__ import annotations

from stats.extraction.suggest.lexicon import Vocabulary
from stats.extraction.suggest.suggestions import Suggestion, suggest

__all__ = ["Suggestion", "Vocabulary", "suggest"]
