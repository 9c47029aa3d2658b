"""build_fixtures is deterministic, complete, and fails clearly without touching fixtures/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from stats.extraction.corpus import build_corpus
from stats.extraction.fixtures import render_fixtures
from stats.extraction.report import format_coverage
from stats.extraction.sources import read_seed_sources


@pytest.fixture(scope="module")
def corpus():
    return build_corpus(read_seed_sources(settings.SEEDS_DIR))


def test_the_seeds_build_without_errors_and_nothing_is_untriaged(corpus):
    assert [str(e) for e in corpus.errors] == []
    assert corpus.untriaged == 0
    for coverage in corpus.coverage.values():
        assert coverage.found == coverage.statistics + coverage.explained_total


def test_two_builds_give_identical_bytes_equal_to_the_committed_fixtures(corpus):
    first = render_fixtures(corpus)
    second = render_fixtures(build_corpus(read_seed_sources(settings.SEEDS_DIR)))
    assert first == second
    for name, data in first.items():
        assert (settings.FIXTURES_DIR / name).read_bytes() == data, name


def test_build_fixtures_check_prints_the_coverage_report_and_finds_no_drift(corpus, capsys):
    call_command("build_fixtures", "--check")
    out = capsys.readouterr().out
    assert out == format_coverage(corpus) + "\nfixtures/ is up to date\n"
    # The total row: numerals found, statistics, explained, untriaged (README's figures).
    assert out.splitlines()[-3].split() == ["total", "536", "158", "378", "0"]


def _copy_seeds(tmp_path: Path) -> tuple[Path, Path]:
    seeds = tmp_path / "seeds"
    shutil.copytree(settings.SEEDS_DIR, seeds)
    output = tmp_path / "fixtures"
    shutil.copytree(settings.FIXTURES_DIR, output)
    return seeds, output


def _append_statistic(seeds: Path, entry: str) -> None:
    path = seeds / "annotations" / "jimei-2021.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "statistics:\n"
    path.write_text(text.replace(marker, marker + entry, 1), encoding="utf-8")


def _fixture_bytes(output: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(output.iterdir())}


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "  - {context: 全区3万名党员, indicator: party_members, period: 去年}\n",
            "'全区3万名党员': context not found in the text",
        ),
        ("  - {context: 一线, indicator: party_members, period: 去年}\n", "'一线': context occurs"),
        (
            "  - {context: 全区1.6万名党员, figure: 全区, indicator: party_members,"
            " period: 去年}\n",
            "holds no numeral",
        ),
        (
            "  - {context: 去年，全区1.6万名党员, figure: 去年，全区1.6万名,"
            " indicator: party_members,"
            " period: 去年}\n",
            "cannot be read",
        ),
        (
            "  - {context: 全区1.6万名党员, indicator: party_members, period: 去年,"
            " unit: furlong}\n",
            "unknown unit 'furlong'",
        ),
        (
            "  - {context: 全区1.6万名党员, indicator: training_participants, period: 去年}\n",
            "is in person but a level of 'training_participants' is in person_time",
        ),
        (
            "  - {context: 全区1.6万名党员, indicator: no_such_indicator, period: 去年}\n",
            "unknown indicator 'no_such_indicator'",
        ),
    ],
    ids=[
        "missing",
        "ambiguous",
        "no-numeral",
        "malformed-number",
        "unknown-unit",
        "persons-as-person-times",
        "unknown-indicator",
    ],
)
def test_a_bad_annotation_fails_naming_file_and_context_and_leaves_fixtures_untouched(
    tmp_path, entry, message
):
    seeds, output = _copy_seeds(tmp_path)
    _append_statistic(seeds, entry)
    before = _fixture_bytes(output)
    with pytest.raises(CommandError) as failure:
        call_command("build_fixtures", "--seeds", str(seeds), "--output", str(output))
    assert "seeds/annotations/jimei-2021.yaml" in str(failure.value)
    assert message in str(failure.value)
    assert _fixture_bytes(output) == before


def test_check_reports_drift_by_file_name(tmp_path):
    seeds, output = _copy_seeds(tmp_path)
    (output / "09_observations.json").write_text("[]\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"09_observations\.json"):
        call_command("build_fixtures", "--check", "--seeds", str(seeds), "--output", str(output))


def test_a_vocabulary_entry_pointing_at_an_unknown_code_fails_naming_file_and_entry(tmp_path):
    seeds, output = _copy_seeds(tmp_path)
    districts = seeds / "vocabulary" / "districts.yaml"
    text = districts.read_text(encoding="utf-8")
    districts.write_text(
        text.replace(
            "name_zh: 集美区, short_zh: 集美, name_en: Jimei District, level: district, "
            'parent: "350200"',
            "name_zh: 集美区, short_zh: 集美, name_en: Jimei District, "
            'level: district, parent: "359999"',
        ),
        encoding="utf-8",
    )
    before = _fixture_bytes(output)
    with pytest.raises(CommandError) as failure:
        call_command("build_fixtures", "--seeds", str(seeds), "--output", str(output))
    assert "seeds/vocabulary/districts.yaml: '350211': unknown parent '359999'" in str(
        failure.value
    )
    assert _fixture_bytes(output) == before
