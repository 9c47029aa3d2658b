"""Index terms for text search in Chinese and English: overlapping character bigrams.

Chinese is written without spaces, so a word index would need a segmenter, and the databases'
own full-text search cannot find two-character words such as 党建 or 社区 (SQLite's FTS
tokenizers do not segment Chinese; PostgreSQL's pg_trgm needs three characters). Like Lucene's
CJK analyzer, this module cuts text into overlapping pairs of characters instead::

    厦门党建e家  →  厦门 门党 党建 建e e家

Every string of two or more characters that occurs in a text has all of its bigrams among the
text's terms, so an inverted index from term to row finds the candidates for a substring search
with one lookup per bigram; the candidates are then confirmed with the substring search itself
(the bigrams are necessary, not sufficient: 建党 has no bigram 党建, but 党建党 has both 党建 and
建党). The search keeps the API's contract, a case-insensitive *substring* match, which is why
Latin letters and digits are cut into bigrams too rather than into words: ``build`` must find
"Party-building" and ``1.6`` must find 1.6万名.

How a text becomes terms:

1. Each character is folded on its own: upper-cased, NFKC-normalised (full-width letters,
   digits and points, U+FF01 to U+FF5E, become ASCII; a circled ``①`` becomes ``1``) and
   case-folded. Folding one character at a time makes the folding of a substring a substring
   of the folding of the text, and two characters that a database's case-insensitive match
   treats as equal (``I`` and ``i``, the dotless i and ``i``, the final and the medial sigma)
   fold alike.
2. *Runs* of word characters are cut out: letters and digits of any script, Chinese characters
   included, and a ``.`` between two digits (the decimal point of ``1.6``). Anything else
   (spaces, punctuation such as ，、—·%) ends a run, so no term spans punctuation.
3. A run of two or more characters gives its overlapping bigrams; a run of one character gives
   that character (the lone ``党`` of ``—党—`` is the term ``党``).

A query term gives the terms that every text containing it must have (:func:`query_terms`): the
bigrams of its runs. A run of one character at the edge of the query gives nothing, because in
the text it may be part of a longer run (``党`` in 党建 is no term of that text); so a query of a
single character, such as ``党``, has no index terms and must be matched without the index.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

__all__ = ["fold", "query_terms", "search_terms", "search_terms_of"]


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    return "".join(unicodedata.normalize("NFKC", part).casefold() for part in char.upper())


def fold(text: str) -> str:
    """``text`` folded one character at a time: upper-cased, NFKC-normalised, case-folded.

    >>> fold("\uff21\uff22\uff11\uff0e\uff16万名 Party")  # full-width AB1.6
    'ab1.6万名 party'
    """
    return "".join(_fold_char(char) for char in text)


def _word_flags(folded: str) -> list[bool]:
    """For each character of ``folded``: whether it belongs to a run of word characters.

    A ``.`` counts when both of its neighbours are digits. At either end of a query the
    neighbour outside is unknown; a ``.`` there is taken for no word character, which can only
    split a run of the query and so leave terms out, never add a term the text lacks.
    """
    last = len(folded) - 1
    flags = []
    for i, char in enumerate(folded):
        if char == ".":
            flags.append(0 < i < last and folded[i - 1].isdigit() and folded[i + 1].isdigit())
        else:
            flags.append(char.isalnum())
    return flags


def _runs(folded: str, flags: list[bool]) -> list[tuple[int, int]]:
    """The (start, end) offsets of the runs of word characters."""
    runs = []
    start = None
    for i, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            runs.append((start, i))
            start = None
    return runs


def _bigrams(run: str) -> set[str]:
    return {run[i : i + 2] for i in range(len(run) - 1)}


def search_terms(text: str) -> set[str]:
    """The index terms of ``text``: the bigrams of its runs, and the runs of one character.

    >>> sorted(search_terms("厦门党建e家"))
    ['e家', '党建', '厦门', '建e', '门党']
    >>> sorted(search_terms("1.6万名"))
    ['.6', '1.', '6万', '万名']
    """
    folded = fold(text)
    terms: set[str] = set()
    for start, end in _runs(folded, _word_flags(folded)):
        run = folded[start:end]
        terms |= _bigrams(run) if len(run) > 1 else {run}
    return terms


def search_terms_of(texts: Iterable[str]) -> set[str]:
    """The index terms of several texts (the fields of one row), each cut on its own, so that
    no bigram spans the end of one field and the start of the next."""
    terms: set[str] = set()
    for text in texts:
        terms |= search_terms(text)
    return terms


def _certain_boundary(folded: str, i: int) -> bool:
    """Whether the character at ``i`` of a query is known to end a run in any text containing
    the query: it is inside the query and no word character, and if it is a ``.``, both of its
    neighbours are inside the query too (else the text may have a digit there)."""
    if not 0 <= i < len(folded):
        return False
    if folded[i] == ".":
        return 0 < i < len(folded) - 1
    return True


def query_terms(term: str) -> set[str]:
    """The index terms that every text containing ``term`` (case-insensitively) has.

    Each run of two or more characters gives its bigrams. A run of one character gives itself
    only when the query shows it to be a whole run, punctuation on both sides (``—党—``);
    otherwise it may be part of a longer run in the text and gives nothing. The empty set means
    the index cannot narrow the search (``党``, ``e``, ``%``): match without it.

    >>> sorted(query_terms("小区党支部"))
    ['党支', '区党', '小区', '支部']
    >>> query_terms("党")
    set()
    """
    folded = fold(term)
    flags = _word_flags(folded)
    terms: set[str] = set()
    for start, end in _runs(folded, flags):
        if end - start > 1:
            terms |= _bigrams(folded[start:end])
        elif _certain_boundary(folded, start - 1) and _certain_boundary(folded, end):
            terms.add(folded[start])
    return terms
