"""Fold a text for *reading* only: one script, one width, no stray spaces inside figures.

Reports reach the analysts as reposts in traditional script (``近4萬名黨員``, ``黨支部``,
``億元``), with full-width digits (``２０２３年``), with ASCII punctuation and with stray spaces
inside figures and words (``2.46 万名``, ``党 支部``). The rules of the scanner, the figure
parser, the period resolver and the suggestions are written for simplified script and ASCII
digits; they read the *folded* text, never store it:

- **script**: traditional → simplified with OpenCC's ``t2s`` configuration (the official
  bindings, dictionaries inside the wheel). Conversion is per line; a line whose length the
  phrase conversion changes is converted character by character instead, so every folded
  character comes from exactly one original character.
- **width**: the Halfwidth and Fullwidth Forms (U+FF01–U+FF5E: digits, Latin letters, the
  full-width percent and plus signs, full stop and punctuation) and the ideographic space
  U+3000 are folded by NFKC, one character at a time (U+FF12 → ``2``, U+FF0C → ``,``).
  Other compatibility characters (``㎡``, ``℃``, ``①``) are left as written: the parser knows
  them, and folding ``①`` would make a numeral where the text has none.
- **spaces**: a run of horizontal white space (space, tab, U+3000, no-break space) between two
  characters that are each a Han character or an ASCII digit, but not both digits, is dropped
  (``2.46 万名`` → ``2.46万名``, ``党 支部`` → ``党支部``). Line breaks are kept: they separate
  paragraphs and headings, and the scanner takes a layout break inside a figure in itself.

ASCII clause punctuation (``,;:!?``) is read like the full-width marks by the rules already;
folding full-width punctuation to ASCII makes the two the same character.

:class:`Folded` keeps the map back: every offset, quote and stored text stays the original
document's code points. A folded span maps to the smallest original span that produced it; a
character a fold dropped belongs to no folded character.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import opencc

__all__ = ["Folded", "fold", "fold_char", "without_layout_space"]

_CONVERTER = opencc.OpenCC("t2s")
_HORIZONTAL_SPACE = re.compile("[ \t\u3000\u00a0]+")


def _is_han(char: str) -> bool:
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF


def _joins(char: str) -> bool:
    return _is_han(char) or "0" <= char <= "9"


@lru_cache(maxsize=4096)
def _simplified(char: str) -> str:
    converted: str = _CONVERTER.convert(char)
    return converted if len(converted) == 1 else char


@lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    """One character folded for reading: simplified script, ASCII width. Usually one character;
    may be empty or longer in principle, which :class:`Folded` maps."""
    code = ord(char)
    if 0xFF01 <= code <= 0xFF5E or code == 0x3000:
        return unicodedata.normalize("NFKC", char)
    if code < 0x2E80:
        return char
    return _simplified(char)


def _simplify_line(line: str) -> str:
    """The line in simplified script, of the same length: OpenCC's phrase conversion where it
    keeps the length, else character by character."""
    converted: str = _CONVERTER.convert(line)
    if len(converted) == len(line):
        return converted
    return "".join(_simplified(c) for c in line)


@dataclass(frozen=True)
class Folded:
    """A text folded for reading, with the map back to the original's code points.

    ``starts[i]`` is the original offset where the folded character ``i`` comes from,
    ``ends[i]`` the original offset just after it; both are ``None`` when the fold changed
    no length (the map is then the identity)."""

    original: str
    text: str
    starts: tuple[int, ...] | None = field(default=None, repr=False)
    ends: tuple[int, ...] | None = field(default=None, repr=False)

    @classmethod
    def from_pieces(cls, pieces: list[tuple[str, str]]) -> Folded:
        """Build from consecutive (original piece, folded piece) pairs covering the text."""
        original = "".join(p for p, _ in pieces)
        text = "".join(f for _, f in pieces)
        if all(len(p) == len(f) for p, f in pieces):
            return cls(original, text)
        starts: list[int] = []
        ends: list[int] = []
        position = 0
        for piece, folded in pieces:
            if len(piece) == len(folded):
                starts.extend(range(position, position + len(piece)))
                ends.extend(range(position + 1, position + len(piece) + 1))
            else:
                starts.extend([position] * len(folded))
                ends.extend([position + len(piece)] * len(folded))
            position += len(piece)
        return cls(original, text, tuple(starts), tuple(ends))

    @property
    def identity(self) -> bool:
        """Whether folded offsets are original offsets."""
        return self.starts is None

    def original_offset(self, position: int) -> int:
        """The original offset of folded ``position`` (0 ≤ position ≤ len(text)): the start of
        the character there, or the end of the text."""
        if not 0 <= position <= len(self.text):
            raise IndexError(position)
        if self.starts is None:
            return position
        if position == len(self.text):
            return len(self.original)
        return self.starts[position]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original span that folded ``[start, end)`` was folded from."""
        if not 0 <= start <= end <= len(self.text):
            raise IndexError((start, end))
        if self.starts is None or self.ends is None:
            return start, end
        if start == end:
            offset = self.original_offset(start)
            return offset, offset
        return self.starts[start], self.ends[end - 1]

    def original_text(self, start: int, end: int) -> str:
        """The original text of folded ``[start, end)``."""
        a, b = self.original_span(start, end)
        return self.original[a:b]

    def folded_offset(self, position: int) -> int:
        """The folded offset of original ``position``: the first folded character that comes
        from it or after it."""
        if not 0 <= position <= len(self.original):
            raise IndexError(position)
        if self.starts is None:
            return position
        return bisect.bisect_left(self.starts, position)

    def folded_span(self, start: int, end: int) -> tuple[int, int]:
        """The folded span of original ``[start, end)``: the folded characters that come from
        it (a dropped character contributes none)."""
        if not 0 <= start <= end <= len(self.original):
            raise IndexError((start, end))
        if self.starts is None or self.ends is None:
            return start, end
        a = bisect.bisect_left(self.starts, start)
        b = bisect.bisect_right(self.ends, end, lo=a)
        return a, max(a, b)


def _dropped_spaces(text: str) -> list[tuple[int, int]]:
    """Runs of horizontal space inside a figure or a word: between two Han characters or
    digits, not between two digits."""
    spans = []
    for match in _HORIZONTAL_SPACE.finditer(text):
        start, end = match.span()
        if start == 0 or end == len(text):
            continue
        left, right = text[start - 1], text[end]
        if _joins(left) and _joins(right) and not (left.isdigit() and right.isdigit()):
            spans.append((start, end))
    return spans


def fold(text: str) -> Folded:
    """``text`` folded for reading (see the module's docstring), with the map back."""
    if text.isascii() and not _HORIZONTAL_SPACE.search(text):
        return Folded(text, text)
    simplified = "".join(_simplify_line(line) for line in text.splitlines(keepends=True))
    chars = [fold_char(c) for c in simplified]
    width = "".join(chars)
    dropped = _dropped_spaces(width)
    if not dropped and len(width) == len(text):
        return Folded(text, width)
    # Drop the spaces inside figures and words, character by character (a space folds to one
    # character, so a dropped run is whole original characters).
    position = 0
    run = 0
    for i, folded in enumerate(chars):
        while run < len(dropped) and dropped[run][1] <= position:
            run += 1
        if run < len(dropped) and dropped[run][0] <= position < dropped[run][1]:
            chars[i] = ""
        position += len(folded)
    return Folded.from_pieces(list(zip(text, chars, strict=True)))


def without_layout_space(text: str) -> str:
    """``text`` without any white space: a figure or quote as written, less the line breaks
    and spaces the layout put inside it (``30余\n名`` → ``30余名``). A figure's ``raw`` and the
    annotations' figures and contexts are compared so."""
    return "".join(text.split())
