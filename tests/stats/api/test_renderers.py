"""The streamed CSV writes its lines a few hundred to a chunk; the text is the same whatever
the chunking, formula cells are defused and nested keys are dotted."""

from __future__ import annotations

import csv
import io

from stats.api.renderers import BOM, LINES_PER_CHUNK, csv_lines


def test_a_long_csv_comes_in_chunks_of_lines_and_reads_back_row_for_row():
    items = [
        {"id": f"doc:{n}", "source": {"quote": f"全区{n}名党员"}, "value": str(n), "note": None}
        for n in range(2 * LINES_PER_CHUNK + 7)
    ]
    chunks = list(csv_lines(["id", "source.quote", "value", "note"], items))
    assert [c.count("\r\n") for c in chunks] == [1, LINES_PER_CHUNK, LINES_PER_CHUNK, 7]
    text = "".join(chunks)
    assert text.startswith(BOM + "id,source.quote,value,note\r\n")
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM))))
    assert len(rows) == 1 + len(items)
    assert rows[1] == ["doc:0", "全区0名党员", "0", ""]
    assert rows[-1] == ["doc:406", "全区406名党员", "406", ""]


def test_a_cell_that_would_be_a_formula_is_text_and_a_negative_number_is_a_number():
    items = [{"note": "=HYPERLINK(1)", "value": "-3.5"}]
    text = "".join(csv_lines(["note", "value"], items))
    assert text == BOM + "note,value\r\n'=HYPERLINK(1),-3.5\r\n"
