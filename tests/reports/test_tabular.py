"""CSV and .xlsx exports never hand a spreadsheet a formula."""

import csv
import io

from licensing.exports.tabular import csv_bytes, neutralise

HOSTILE = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR"]


def test_neutralise_prefixes_every_formula_start_and_leaves_other_values_alone():
    assert [neutralise(v) for v in HOSTILE] == ["'" + v for v in HOSTILE]
    assert [neutralise(v) for v in ("Wycombe", "", 42, -3, None)] == ["Wycombe", "", 42, -3, None]


def test_csv_has_a_byte_order_mark_and_neutralised_cells():
    data = csv_bytes(["Name", "Count"], [[v, 1] for v in HOSTILE] + [["José", 5]])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["Name", "Count"] and rows[-1] == ["José", "5"]
    assert [row[0] for row in rows[1:-1]] == ["'" + v for v in HOSTILE]
