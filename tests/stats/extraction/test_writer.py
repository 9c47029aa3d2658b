"""The annotation writer is the reader's inverse: every seed file reads back the same."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from stats.extraction.sources import IndicatorEntry, parse_annotations, read_seed_sources
from stats.extraction.writer import annotations_yaml, indicator_yaml

SEEDS = Path(__file__).resolve().parents[3] / "seeds"
SOURCES = read_seed_sources(SEEDS)
PLACES = {d.slug: d.place for d in SOURCES.documents}


@pytest.mark.parametrize("notes", SOURCES.annotations, ids=lambda n: n.file)
@pytest.mark.parametrize("with_default", [True, False], ids=["default-district", "no-default"])
def test_every_seed_annotation_file_survives_a_write_and_a_read(notes, with_default):
    default = PLACES[notes.document] if with_default else None
    text = annotations_yaml(notes, default)
    again = parse_annotations(notes.file, text)
    assert again == notes


def test_the_writer_leaves_out_what_the_reader_fills_in():
    notes = next(n for n in SOURCES.annotations if n.document == "jimei-2021")
    text = annotations_yaml(notes, "350211")
    assert "statistic: level" not in text
    assert "status: actual" not in text
    assert "district: '350211'" in text.split("statistics:")[0]  # only in the defaults


def test_every_seed_measure_survives_a_write_and_a_read(tmp_path: Path):
    """indicators.yaml written entry by entry with indicator_yaml reads back the same."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    written = "".join(indicator_yaml(entry) for entry in SOURCES.indicators)
    (seeds / "vocabulary" / "indicators.yaml").write_text(written, encoding="utf-8")
    assert read_seed_sources(seeds).indicators == SOURCES.indicators


def test_a_new_measure_appended_to_the_file_is_read_as_written(tmp_path: Path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    measure = IndicatorEntry(
        code="volunteer_service_teams",
        name_zh="志愿服务队数",
        name_en="volunteer service teams",
        definition="Number of volunteer service teams: 'teams', with a colon and # a hash.",
        unit="team",
        category="service",
        tier=None,
        national_term="",
        synonyms=("志愿服务队", "志愿队"),
    )
    path = seeds / "vocabulary" / "indicators.yaml"
    path.write_text(path.read_text(encoding="utf-8") + indicator_yaml(measure), encoding="utf-8")
    indicators = read_seed_sources(seeds).indicators
    assert indicators[:-1] == SOURCES.indicators
    assert indicators[-1] == measure
