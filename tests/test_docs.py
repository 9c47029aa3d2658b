"""The documentation's tables say what the code and the data say."""

from __future__ import annotations

import re
from pathlib import Path

from stats.extraction.sources import read_seed_sources

ROOT = Path(__file__).resolve().parents[1]


def test_the_measures_table_lists_every_measure_with_its_bulletin_term_and_every_alias():
    text = (ROOT / "docs" / "data-model.md").read_text(encoding="utf-8")
    rows = dict(
        re.findall(r"^\| `([a-z0-9_]+)` \| [^|]+ \| [^|]+ \| [^|]+ \| ([^|]+) \|$", text, re.M)
    )
    aliases = dict(re.findall(r"^\| `([a-z0-9_]+)` \| `([a-z0-9_]+)` \|$", text, re.M))
    sources = read_seed_sources(ROOT / "seeds")
    assert rows == {i.code: i.national_term or "—" for i in sources.indicators}
    assert aliases == {old: i.code for i in sources.indicators for old in i.replaces}
