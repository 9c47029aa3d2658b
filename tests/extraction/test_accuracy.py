"""The accuracy of the suggestions on the seeds, pinned: these are the figures of docs/ingest.md
("Suggestion accuracy"). When a change to the suggestions moves them, update both."""

from __future__ import annotations

from pathlib import Path

import pytest

from stats.extraction import accuracy
from stats.extraction.accuracy import (
    STATISTIC_FIELDS,
    AccuracyReport,
    measure,
    read_default_districts,
)
from stats.extraction.sources import read_seed_sources

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

#: (agreeing, curated statistics) per field; then the non-statistics.
EXPECTED: dict[str, dict[str, object]] = {
    "jimei-2021": {
        "numerals": 104,
        "statistics": 48,
        "found": (48, 48),
        "district": (48, 48),
        "indicator": (39, 48),
        "period": (47, 48),
        "period_end": (48, 48),
        "qualifier": (48, 48),
        "value": (48, 48),
        "unit": (48, 48),
        "tier": (41, 48),
        "initiative": (40, 48),
        "quote": (38, 48),
        "non_statistics": 56,
        "flagged": (56, 56),
        "reason": (51, 56),
        "false_alarms": 0,
        "false_rejections": 0,
    },
    "huli-2021": {
        "numerals": 92,
        "statistics": 37,
        "found": (37, 37),
        "district": (37, 37),
        "indicator": (31, 37),
        "period": (28, 37),
        "period_end": (30, 37),
        "qualifier": (37, 37),
        "value": (37, 37),
        "unit": (33, 37),
        "tier": (35, 37),
        "initiative": (32, 37),
        "quote": (26, 37),
        "non_statistics": 55,
        "flagged": (55, 55),
        "reason": (51, 55),
        "false_alarms": 0,
        "false_rejections": 0,
    },
    "haicang-2022": {
        "numerals": 82,
        "statistics": 14,
        "found": (14, 14),
        "district": (14, 14),
        "indicator": (12, 14),
        "period": (0, 14),
        "period_end": (11, 14),
        "qualifier": (14, 14),
        "value": (14, 14),
        "unit": (14, 14),
        "tier": (12, 14),
        "initiative": (5, 14),
        "quote": (10, 14),
        "non_statistics": 68,
        "flagged": (65, 68),
        "reason": (49, 68),
        "false_alarms": 3,
        "false_rejections": 0,
    },
    "fuzhou-2021": {
        "numerals": 154,
        "statistics": 35,
        "found": (35, 35),
        "district": (35, 35),
        "indicator": (33, 35),
        "period": (31, 35),
        "period_end": (35, 35),
        "qualifier": (35, 35),
        "value": (35, 35),
        "unit": (35, 35),
        "tier": (33, 35),
        "initiative": (33, 35),
        "quote": (26, 35),
        "non_statistics": 119,
        "flagged": (119, 119),
        "reason": (117, 119),
        "false_alarms": 0,
        "false_rejections": 0,
    },
    "xiamen-2024": {
        "numerals": 104,
        "statistics": 31,
        "found": (31, 31),
        "district": (28, 31),
        "indicator": (29, 31),
        "period": (19, 31),
        "period_end": (23, 31),
        "qualifier": (31, 31),
        "value": (31, 31),
        "unit": (31, 31),
        "tier": (30, 31),
        "initiative": (24, 31),
        "quote": (16, 31),
        "non_statistics": 73,
        "flagged": (71, 73),
        "reason": (68, 73),
        "false_alarms": 2,
        "false_rejections": 0,
    },
    "total": {
        "numerals": 536,
        "statistics": 165,
        "found": (165, 165),
        "district": (162, 165),
        "indicator": (144, 165),
        "period": (125, 165),
        "period_end": (147, 165),
        "qualifier": (165, 165),
        "value": (165, 165),
        "unit": (161, 165),
        "tier": (151, 165),
        "initiative": (134, 165),
        "quote": (116, 165),
        "non_statistics": 371,
        "flagged": (366, 371),
        "reason": (336, 371),
        "false_alarms": 5,
        "false_rejections": 0,
    },
}


@pytest.fixture(scope="module")
def report() -> AccuracyReport:
    return measure(read_seed_sources(SEEDS), read_default_districts(SEEDS))


def test_the_default_districts_are_those_of_the_annotation_files() -> None:
    assert read_default_districts(SEEDS) == {
        "fuzhou-2021": "350100",  # part 1 comes first
        "haicang-2022": "350205",
        "huli-2021": "350206",
        "jimei-2021": "350211",
        "xiamen-2024": "350200",
    }


@pytest.mark.parametrize("document", list(EXPECTED))
def test_the_documented_figures(report: AccuracyReport, document: str) -> None:
    assert report.as_dict()[document] == EXPECTED[document]


def test_the_headline_figures(report: AccuracyReport) -> None:
    total = report.total
    assert total.indicator == (144, 165)
    assert total.district == (162, 165)
    assert total.period == (125, 165)
    assert total.found == (165, 165)
    assert total.flagged == (366, 371)
    assert total.false_alarms == 5


def test_documents_in_manifest_order_and_the_total_is_their_sum(report: AccuracyReport) -> None:
    assert [row.document for row in report.documents] == [
        "jimei-2021",
        "huli-2021",
        "haicang-2022",
        "fuzhou-2021",
        "xiamen-2024",
    ]
    for name in STATISTIC_FIELDS:
        tallies = [getattr(row, name) for row in report.documents]
        assert getattr(report.total, name) == (
            sum(t[0] for t in tallies),
            sum(t[1] for t in tallies),
        )


def test_every_disagreement_is_listed(report: AccuracyReport) -> None:
    for name in STATISTIC_FIELDS:
        agree, total = getattr(report.total, name)
        assert sum(1 for m in report.misses if m.field == name) == total - agree
    assert sum(1 for m in report.misses if m.field == "false_alarm") == report.total.false_alarms
    flagged, non_statistics = report.total.flagged
    right, _ = report.total.reason
    assert sum(1 for m in report.misses if m.field == "reason") == flagged - right
    assert non_statistics - flagged == report.total.false_alarms


def test_main_prints_the_tables(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(SEEDS.parent)
    assert accuracy.main(["--misses", "indicator"]) == 0
    out = capsys.readouterr().out
    assert "| total        |   165 | 165/165 |  162/165 |   144/165 | 125/165 |" in out
    assert "| total        |      536 |            371 | 366/371 |      336/371 |" in out
    assert " indicator " in out.splitlines()[-1]  # the misses follow the tables


def test_the_tables_of_the_documentation_are_the_measured_ones(report: AccuracyReport) -> None:
    doc = (SEEDS.parent / "docs" / "ingest.md").read_text(encoding="utf-8")
    section = doc[doc.index("## Suggestion accuracy") :]
    for line in accuracy.format_report(report).splitlines():
        assert line in section, line
