"""The annotation writer is the reader's inverse: every seed file reads back the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from stats.extraction.sources import parse_annotations, read_seed_sources
from stats.extraction.writer import annotations_yaml

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
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
