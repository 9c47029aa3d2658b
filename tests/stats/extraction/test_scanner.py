"""The numeral scanner on the seed texts and on real snippets from them."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from stats.extraction.quantities import CHINESE_NUMERAL_CHARS
from stats.extraction.scanner import NumeralKind, NumeralMatch, scan_numerals

SEEDS = Path(__file__).resolve().parents[3] / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))

_FINANCIAL = "壹贰叁肆伍陆柒捌玖拾佰仟"
_PLAIN = "".join(c for c in CHINESE_NUMERAL_CHARS if c not in _FINANCIAL)
#: Digits (ASCII and full-width), the everyday Chinese numeral characters, and the financial forms
#: only in runs of two or more (alone, 伍 and 陆 are parts of words such as 队伍 and 登陆).
_NUMERAL = re.compile(rf"[0-9\uff10-\uff19{_PLAIN}]|[{_FINANCIAL}]{{2,}}")


def _numeral_positions(text: str) -> list[int]:
    return [i for m in _NUMERAL.finditer(text) for i in range(m.start(), m.end())]


def _texts(text: str) -> list[str]:
    return [m.text for m in scan_numerals(text)]


def test_the_scanner_finds_the_numerals_the_coverage_report_counts_in_each_seed_text() -> None:
    # The tests below run once per file: these are all five seeds, and their candidates are
    # the "found" column of docs/extraction.md's coverage report.
    counts = {p.name: len(scan_numerals(p.read_text(encoding="utf-8"))) for p in SEED_FILES}
    assert counts == {
        "fuzhou-2021.txt": 154,
        "haicang-2022.txt": 82,
        "huli-2021.txt": 92,
        "jimei-2021.txt": 104,
        "xiamen-2024.txt": 104,
    }


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_every_numeral_of_a_seed_text_lies_in_exactly_one_match(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    matches = scan_numerals(text)
    assert matches
    for position in _numeral_positions(text):
        covering = [m for m in matches if m.start <= position < m.end]
        assert len(covering) == 1, (position, text[max(0, position - 10) : position + 10])


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_matches_are_ordered_disjoint_and_quote_the_text(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    matches = scan_numerals(text)
    for match in matches:
        assert 0 <= match.start < match.end <= len(text)
        assert text[match.start : match.end] == match.text
        assert isinstance(match.kind, NumeralKind)
    for before, after in itertools.pairwise(matches):
        assert before.end <= after.start


def _only(text: str) -> NumeralMatch:
    matches = scan_numerals(text)
    assert len(matches) == 1, matches
    return matches[0]


@pytest.mark.parametrize(
    ("snippet", "figure"),
    [
        ("直属党\n组织30余\n名党员干部", "30余\n名"),  # xiamen-2024: the layout breaks the figure
        ("参训学员超1300人次，推进", "超1300人次"),
        ("选派党政骨干近600人次到金砖会", "近600人次"),
        ("受益群众数十万人。我们", "数十万人"),
        ("每年投入经费超千万元，受益群众", "超千万元"),
        ("机构贡献爱心140余万元。同时", "140余万元"),
        ("基层党支部、16万余名党员志愿者", "16万余名"),
        ("乡村人口约49万人。", "约49万人"),
        ("认种认养农田累计近300亩；", "累计近300亩"),
        ("关注人数高达32万人，", "高达32万人"),
        ("最低温度仅有零下30℃，", "零下30℃"),
        ("全区超过80%的小区", "超过80%"),
        ("集体经济收入1.66亿元，", "1.66亿元"),
        ("”占比达95.3%，比例全", "达95.3%"),
        ("平均年龄只有27.5岁，", "27.5岁"),
        ("决了困扰群众十来年的适老化", "十来年"),
        ("首批已签约8项校企合作", "8项"),  # 签约's 约 is not a qualifier
    ],
)
def test_real_snippet_gives_one_figure(snippet: str, figure: str) -> None:
    match = _only(snippet)
    assert match.text == figure
    assert snippet[match.start : match.end] == figure


def test_range_after_a_weekday_numeral() -> None:
    # jimei-2021: 每周三派出1—2名党员 — 周三 is a weekday, 1—2名 one range figure.
    assert _texts("每周三派出1—2名党员走访") == ["三", "1—2名"]


@pytest.mark.parametrize(
    "snippet",
    ["集美区是福建省厦门市跨岛发展先行区，2010年2月，全市", "2021-07-08 10:44:02  来源:福州新闻网"],
)
def test_dates_are_one_date_match(snippet: str) -> None:
    date = "2010年2月" if "年" in snippet else "2021-07-08 10:44:02"
    match = _only(snippet)
    assert (match.text, match.kind) == (date, NumeralKind.DATE)


def test_dates_in_the_seed_texts_are_found() -> None:
    jimei = (SEEDS / "jimei-2021.txt").read_text(encoding="utf-8")
    fuzhou = (SEEDS / "fuzhou-2021.txt").read_text(encoding="utf-8")
    assert any(m.text == "2010年2月" and m.kind is NumeralKind.DATE for m in scan_numerals(jimei))
    assert any(
        m.text == "2021-07-08 10:44:02" and m.kind is NumeralKind.DATE
        for m in scan_numerals(fuzhou)
    )


@pytest.mark.parametrize("snippet", ["队伍", "建设专业化队伍", "胞台企登陆"])
def test_single_financial_numeral_inside_a_word_is_not_a_numeral(snippet: str) -> None:
    assert scan_numerals(snippet) == []


@pytest.mark.parametrize(
    ("snippet", "kind"),
    [("超1300人次", NumeralKind.ARABIC), ("数十万人", NumeralKind.CHINESE)],
)
def test_kind_names_the_script(snippet: str, kind: NumeralKind) -> None:
    assert _only(snippet).kind is kind


def test_qualifier_not_touching_the_number_is_left_out() -> None:
    assert _texts("附近500个") == ["500个"]
    assert _texts("总共5人") == ["5人"]
