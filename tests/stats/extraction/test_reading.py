"""Reading folded: traditional script, full-width forms and stray spaces read like the simplified,
ASCII, unspaced text, while every offset maps back to the original's code points."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from stats.extraction.periods import PublicationWindow, resolve_period
from stats.extraction.places import place_pinyin
from stats.extraction.quantities import Qualifier, parse_quantity
from stats.extraction.reading import Folded, fold, fold_char
from stats.extraction.scanner import scan_numerals
from stats.extraction.sources import read_seed_sources
from tests.stats.extraction.suggest_helpers import REPO

WINDOW = PublicationWindow(date(2024, 3, 1), date(2024, 3, 31))


def test_traditional_script_reads_simplified() -> None:
    folded = fold("近4萬名黨員，黨支部，超過1.2億元，人次")
    assert folded.text == "近4万名党员,党支部,超过1.2亿元,人次"
    assert folded.identity  # one character for one: offsets are the original's


def test_full_width_forms_fold_to_ascii() -> None:
    assert fold("２０２３年，占比３３．８％（女）").text == "2023年,占比33.8%(女)"  # noqa: RUF001
    assert fold("\u3000\u3000全区").text == "  全区"  # indentation is kept, as spaces


def test_compatibility_characters_that_are_no_numerals_stay() -> None:
    # ① would become a numeral, ㎡ would become m2: the parser reads them as written.
    assert fold("①场地500㎡，气温30℃").text == "①场地500㎡,气温30℃"


def test_stray_spaces_inside_figures_and_words_are_dropped() -> None:
    text = "全区党员2.46 万名, 党 支部1100\t余个,2021 2022年"
    folded = fold(text)
    assert folded.text == "全区党员2.46万名, 党支部1100余个,2021 2022年"
    start = folded.text.index("2.46万名")
    assert folded.original_text(start, start + len("2.46万名")) == "2.46 万名"
    assert folded.original_text(0, len(folded.text)) == text


def test_line_breaks_are_kept() -> None:
    assert fold("组织30余\n名党员").text == "组织30余\n名党员"


def test_simplified_texts_fold_to_themselves_but_for_width_and_spaces() -> None:
    for document in read_seed_sources(REPO / "seeds").documents:
        text, folded = document.text, fold(document.text)
        kept = set()
        for i, char in enumerate(folded.text):
            start, _ = folded.original_span(i, i + 1)
            kept.add(start)
            assert char == text[start] or 0xFF01 <= ord(text[start]) <= 0xFF5E, document.slug
        assert all(text[j] in " \t\u3000" for j in range(len(text)) if j not in kept)


def test_figures_read_through_the_fold() -> None:
    nearly = parse_quantity("近4萬名")
    assert (nearly.raw, nearly.qualifier, nearly.upper_bound, nearly.unit) == (
        "近4萬名",
        Qualifier.NEARLY,
        Decimal(40000),
        "person",
    )
    money = parse_quantity("超過1.2億元")
    assert (money.qualifier, money.value, money.unit, money.scale) == (
        Qualifier.MORE_THAN,
        Decimal(120000000),
        "CNY",
        "亿",
    )
    assert parse_quantity("３２００餘人次").lower_bound == Decimal(3200)
    assert parse_quantity("３２００餘人次").unit == "person_time"
    assert parse_quantity("2.46 万名").value == Decimal(24600)
    assert parse_quantity("兩千三百個").value == Decimal(2300)


def test_the_scanner_reports_the_original_text() -> None:
    text = "截至２０２３年底，集美區共有黨員近4萬名，黨支部1100 餘個"
    matches = scan_numerals(text)
    assert [m.text for m in matches] == ["２０２３年", "近4萬名", "1100 餘個"]
    assert all(text[m.start : m.end] == m.text for m in matches)


def test_periods_and_places_read_through_the_fold() -> None:
    assert resolve_period("截至２０２３年底", WINDOW) == resolve_period("截至2023年底", WINDOW)
    assert resolve_period("近三年來", WINDOW) == resolve_period("近三年来", WINDOW)
    assert place_pinyin("廈門") == place_pinyin("厦门") == "Xiàmén"


# --------------------------------------------------------------------------------------------
# The map back: properties

_ALPHABET = list("黨員萬億餘個區党员万亿余个区近超過截至年底名人次，。；：（）、\n 　\t")
_ALPHABET += [chr(0xFF10 + d) for d in range(10)] + list("0123456789.,;%％")
texts = st.text(alphabet=st.sampled_from(_ALPHABET), max_size=60)


@given(texts)
def test_every_folded_character_comes_from_one_original_character(text: str) -> None:
    folded = fold(text)
    dropped = len(text) - len(folded.text)
    assert dropped >= 0
    for i, char in enumerate(folded.text):
        start, end = folded.original_span(i, i + 1)
        assert end - start == 1
        assert fold_char(text[start]) == char or fold_char(char) == fold_char(text[start])
    kept = {folded.original_span(i, i + 1)[0] for i in range(len(folded.text))}
    assert all(text[j] in " \t\u3000\u00a0" for j in range(len(text)) if j not in kept)


@given(texts, st.data())
def test_spans_round_trip(text: str, data: st.DataObject) -> None:
    folded = fold(text)
    n = len(folded.text)
    a = data.draw(st.integers(0, n))
    b = data.draw(st.integers(a, n))
    start, end = folded.original_span(a, b)
    assert 0 <= start <= end <= len(text)
    assert folded.folded_span(start, end) == (a, b)
    assert folded.original_offset(a) <= folded.original_offset(b)


@given(texts)
def test_scanned_figures_are_the_original_text(text: str) -> None:
    for match in scan_numerals(text):
        assert text[match.start : match.end] == match.text


_PIECES = st.lists(
    st.tuples(
        st.text(alphabet="ab㎡ ", min_size=1, max_size=3),
        st.text(alphabet="xyz", max_size=3),
    ),
    max_size=12,
)


@given(_PIECES, st.data())
def test_folds_that_change_length_map_to_whole_pieces(
    pieces: list[tuple[str, str]], data: st.DataObject
) -> None:
    folded = Folded.from_pieces(pieces)
    assert folded.original == "".join(p for p, _ in pieces)
    assert folded.text == "".join(f for _, f in pieces)
    boundaries = [0]
    for piece, _ in pieces:
        boundaries.append(boundaries[-1] + len(piece))
    n = len(folded.text)
    a = data.draw(st.integers(0, n))
    b = data.draw(st.integers(a, n))
    start, end = folded.original_span(a, b)
    assert 0 <= start <= end <= len(folded.original)
    if a < b:
        a2, b2 = folded.folded_span(start, end)
        assert a2 <= a and b <= b2  # the original span holds at least what was asked for
    for (piece, folded_piece), boundary in zip(pieces, boundaries, strict=False):
        if folded_piece and len(piece) != len(folded_piece):
            # A piece that changed length maps back whole from any of its characters.
            at = len("".join(f for _, f in pieces[: boundaries.index(boundary)]))
            for i in range(at, at + len(folded_piece)):
                assert folded.original_span(i, i + 1) == (boundary, boundary + len(piece))


def test_a_length_changing_piece_maps_whole() -> None:
    folded = Folded.from_pieces([("面积500", "面积500"), ("㎡", "m2"), ("，", ",")])
    assert folded.text == "面积500m2,"
    assert folded.original_span(5, 6) == (5, 6)  # m → ㎡
    assert folded.original_span(6, 7) == (5, 6)  # 2 → ㎡
    assert folded.original_text(2, 7) == "500㎡"
    assert folded.folded_span(5, 6) == (5, 7)
    assert folded.original_offset(len(folded.text)) == len(folded.original)
