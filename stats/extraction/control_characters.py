"""Control characters in text that is to be stored: the one rule for articles and admin edits.

A stored text may hold tab, line feed and carriage return, and no other control character
(Unicode category Cc: U+0000–U+001F, U+007F–U+009F). NUL in particular is stored by SQLite but
refused by PostgreSQL, so the rule is checked before either database sees the text, and the
same text is accepted or refused on both. Format characters (a BOM, a zero-width space) are not
control characters and are kept as delivered.
"""

from __future__ import annotations

import re

__all__ = ["ALLOWED_CONTROL_CHARACTERS", "control_character_problem", "first_control_character"]

#: The control characters a stored text may hold.
ALLOWED_CONTROL_CHARACTERS = frozenset("\t\n\r")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

#: Names of the C0 controls, DEL and NEL (other C1 controls are named by code point only).
_C0 = (
    "NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI "
    "DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US"
)
_NAMES = dict(enumerate(_C0.split(" "))) | {0x7F: "DEL", 0x85: "NEL"}


def first_control_character(text: str) -> tuple[int, str] | None:
    """The offset (in code points) and the character of the first control character of
    ``text`` other than tab, line feed and carriage return; None when there is none."""
    found = _CONTROL.search(text)
    return None if found is None else (found.start(), found.group())


def control_character_problem(text: str) -> str | None:
    """What is wrong with ``text``, naming its first disallowed control character and where it
    is: ``control character U+0000 (NUL) at offset 17 (line 2, column 5)``; None when the
    text may be stored."""
    found = first_control_character(text)
    if found is None:
        return None
    offset, character = found
    code = ord(character)
    name = f" ({_NAMES[code]})" if code in _NAMES else ""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return (
        f"control character U+{code:04X}{name} at offset {offset} (line {line}, column "
        f"{column}): only tab, line feed and carriage return may appear"
    )
