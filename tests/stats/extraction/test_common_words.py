"""The common words (stats.extraction.common_words): one table, read by corpus and suggestions."""

from __future__ import annotations

from collections import Counter

from stats.extraction.common_words import COMMON_WORDS
from stats.extraction.corpus import build_corpus
from stats.extraction.quantities import CHINESE_NUMERAL_CHARS
from stats.extraction.suggest import suggest
from stats.vocabulary import NotStatisticReason
from tests.stats.extraction.suggest_helpers import JIMEI, SOURCES, VOCABULARY, WINDOW


def test_every_common_word_holds_a_numeral_character_and_is_listed_once_with_a_gloss() -> None:
    assert len(COMMON_WORDS) == 134
    assert not [w for w, n in Counter(w.word for w in COMMON_WORDS).items() if n > 1]
    assert all(set(w.word) & set(CHINESE_NUMERAL_CHARS) for w in COMMON_WORDS)
    assert all(w.gloss for w in COMMON_WORDS)
    reasons = {w.word: w.reason for w in COMMON_WORDS}
    assert (reasons["进一步"], reasons["三会一课"], reasons["五中全会"]) == (
        NotStatisticReason.WORD,
        NotStatisticReason.NAME,
        NotStatisticReason.CITATION,
    )
    assert set(reasons.values()) == {
        NotStatisticReason.WORD,
        NotStatisticReason.NAME,
        NotStatisticReason.CITATION,
    }


def test_the_corpus_and_the_suggestions_read_a_common_word_alike() -> None:
    # 领导干部参加十九届五中全会精神轮训 (fuzhou-2021): 十九届 and 五中全会 are citations.
    document = next(d for d in SOURCES.documents if d.slug == "fuzhou-2021")
    start = document.text.index("十九届五中全会")
    end = start + len("十九届五中全会")
    coverage = build_corpus(SOURCES).coverage["fuzhou-2021"]
    decided = [r for c, r in coverage.decisions if start <= c.start and c.end <= end]
    assert decided and set(decided) == {"citation"}
    suggested = [
        s.not_statistic
        for s in suggest("学习贯彻党的十九届五中全会精神。", WINDOW, VOCABULARY, JIMEI)
    ]
    assert suggested and set(suggested) == {NotStatisticReason.CITATION}
