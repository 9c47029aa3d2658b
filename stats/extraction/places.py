"""Pinyin for place names, generated with pypinyin and corrected where it reads a name wrong.

Names are read folded (:mod:`stats.extraction.reading`), so a traditional spelling reads too."""

from __future__ import annotations

from pypinyin import Style, pinyin

from stats.extraction.reading import fold

__all__ = ["place_pinyin"]

#: Characters pypinyin reads with the wrong tone in these names (it reads 马尾 as mǎ yǐ).
PINYIN_OVERRIDES: dict[str, list[str]] = {
    "马尾": ["mǎ", "wěi"],
}

_VOWELS = ("a", "o", "e", "ā", "á", "ǎ", "à", "ō", "ó", "ǒ", "ò", "ē", "é", "ě", "è")


def place_pinyin(name: str) -> str:
    """Tone-marked pinyin of a short place name, one word, apostrophe before a syllable that
    starts with a vowel: 集美 → Jíměi, 晋安 → Jìn'ān, 马尾 → Mǎwěi."""
    name = fold(name).text  # 廈門 reads as 厦门
    syllables = PINYIN_OVERRIDES.get(name) or [s[0] for s in pinyin(name, style=Style.TONE)]
    word = syllables[0]
    for syllable in syllables[1:]:
        word += ("'" if syllable.startswith(_VOWELS) else "") + syllable
    return word[:1].upper() + word[1:]
