"""The one rule for control characters in stored text (stats.extraction.control_characters):
tab, line feed and carriage return are kept; every other control character is named, with
where it is, in code points as offsets are counted everywhere else."""

from __future__ import annotations

import pytest

from stats.extraction.control_characters import control_character_problem, first_control_character


def test_clean_chinese_text_with_tabs_and_both_line_ends_passes():
    assert control_character_problem("全区1.6万名党员\t参与。\r\n下一句\n") is None


def test_format_characters_are_not_control_characters():
    # A byte-order mark and a zero-width space are Unicode format characters (Cf), kept as
    # delivered, like the rest of the text.
    assert control_character_problem("\ufeff全区\u200b1.6万名党员") is None


@pytest.mark.parametrize(
    ("text", "found", "problem"),
    [
        (
            "全区\x00党员",
            (2, "\x00"),
            "control character U+0000 (NUL) at offset 2 (line 1, column 3)",
        ),
        (
            "一\n二\x7f",
            (3, "\x7f"),
            "control character U+007F (DEL) at offset 3 (line 2, column 2)",
        ),
        (
            "页\x85下页",
            (1, "\x85"),
            "control character U+0085 (NEL) at offset 1 (line 1, column 2)",
        ),
        ("\x9b31m", (0, "\x9b"), "control character U+009B at offset 0 (line 1, column 1)"),
        # Offsets count code points: an astral character is one.
        ("𠀀\x0b", (1, "\x0b"), "control character U+000B (VT) at offset 1 (line 1, column 2)"),
    ],
)
def test_the_first_control_character_is_named_with_where_it_is(
    text: str, found: tuple[int, str], problem: str
):
    assert first_control_character(text) == found
    assert control_character_problem(text) == (
        f"{problem}: only tab, line feed and carriage return may appear"
    )
