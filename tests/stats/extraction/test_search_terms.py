"""Search terms: character bigrams of texts, and the terms a query term needs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stats.extraction.search_terms import fold, query_terms, search_terms, search_terms_of


def full_width(text: str) -> str:
    """ASCII letters, digits and points as their full-width forms (U+FF01 to U+FF5E)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


DOTLESS_I, LONG_S, FINAL_SIGMA, SIGMA = "\u0131", "\u017f", "\u03c2", "\u03c3"


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        # A tier chain of the Taijiang text: the dashes end runs, so no term spans them.
        (
            "区委—街道大党工委—社区大党委—小区党支部",
            {"区委", "街道", "道大", "大党", "党工", "工委", "社区", "区大", "党委", "小区", "区党"}
            | {"党支", "支部"},
        ),
        # A figure with a decimal point: the point between digits belongs to the run.
        ("1.6万名党员", {"1.", ".6", "6万", "万名", "名党", "党员"}),
        ("1100余个", {"11", "10", "00", "0余", "余个"}),
        # Latin letters and Chinese characters make one run: the platform's name.
        ("厦门党建e家", {"厦门", "门党", "党建", "建e", "e家"}),
        # Full-width letters and digits are folded to ASCII, letters to lower case.
        (
            full_width("ABC") + "党建" + full_width("1.6"),
            {"ab", "bc", "c党", "党建", "建1", "1.", ".6"},
        ),
        ("GDP growth", {"gd", "dp", "gr", "ro", "ow", "wt", "th"}),
        # A run of one character is its own term; punctuation gives none.
        ("共3个，", {"共3", "3个"}),
        ("、党、", {"党"}),
        ("——（）%", set()),
        ("", set()),
        # A point that is not between two digits ends the run.
        ("第1.小区", {"第1", "小区"}),
    ],
)
def test_search_terms_of_seed_snippets(text: str, terms: set[str]) -> None:
    assert search_terms(text) == terms


def test_fields_are_cut_apart() -> None:
    assert search_terms_of(["社区", "党建"]) == {"社区", "党建"}  # no 区党 across the fields


def test_folding_is_per_character() -> None:
    assert fold(full_width("AB1.6") + "万名 Party") == "ab1.6万名 party"
    # No final sigma: the folding of a substring is a substring of the folding.
    assert fold("\u039f\u03a3") == fold("\u03bf" + FINAL_SIGMA) == "\u03bf" + SIGMA
    assert fold(DOTLESS_I) == fold("I") == "i"
    assert fold(LONG_S) == "s"


@pytest.mark.parametrize(
    ("term", "terms"),
    [
        ("党建", {"党建"}),
        ("社区", {"社区"}),
        ("小区党支部", {"小区", "区党", "党支", "支部"}),
        ("Party", {"pa", "ar", "rt", "ty"}),
        (full_width("e") + "家", {"e家"}),
        ("1.6万名", {"1.", ".6", "6万", "万名"}),
        # One character: in a text it may be part of a longer run, so no term is certain.
        ("党", set()),
        ("e", set()),
        ("1.", set()),  # the point may be a decimal point in the text: only "1", one character
        ("%", set()),
        # One character shown to be a whole run by punctuation on both sides.
        ("、党、", {"党"}),
        ("—党", set()),
        ("3.党、", {"党"}),  # the point follows a digit but not before one: it ends the run
    ],
)
def test_query_terms(term: str, terms: set[str]) -> None:
    assert query_terms(term) == terms


def test_non_contiguous_bigrams_are_the_caller_s_to_rule_out() -> None:
    # Every bigram of 社区大党工委 is a term of the chain, though the chain does not contain it:
    # the index narrows, the substring match decides.
    chain = "区委—街道大党工委—社区大党委—小区党支部"
    assert query_terms("社区大党工委") <= search_terms(chain)
    assert "社区大党工委" not in chain


ALPHABET = st.sampled_from(
    [
        *"党建社区小大委支部厦门集美e家",
        *"aAbBiIsSß\u0130\u03a3",
        *(DOTLESS_I, LONG_S, FINAL_SIGMA, SIGMA),
        *"0123456789.",
        *full_width("ABe12."),
        # punctuation that ends runs
        *" ，、—·%（）-",
    ]
)


def _case_variants(char: str) -> list[str]:
    """Characters a case-insensitive match treats as ``char`` (same upper case)."""
    variants = {char, char.lower(), char.upper()}
    return sorted(c for c in variants if len(c) == 1 and c.upper() == char.upper())


@settings(max_examples=400, deadline=None)
@given(text=st.text(ALPHABET, max_size=30), data=st.data())
def test_a_text_containing_a_query_has_all_its_terms(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    # The query as a user might type it: any substring, in either case.
    query = "".join(data.draw(st.sampled_from(_case_variants(c))) for c in text[start:end])
    assert query_terms(query) <= search_terms(text)
