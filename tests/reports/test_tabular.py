"""CSV and .xlsx exports never hand a spreadsheet a formula."""

import csv
import io

from openpyxl import load_workbook

from licensing.exports.tabular import csv_bytes, neutralise, xlsx_bytes

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


def test_xlsx_keeps_formula_like_text_as_text_and_numbers_as_numbers():
    sheet = load_workbook(io.BytesIO(xlsx_bytes(["Name", "Count"], [[v, 7] for v in HOSTILE],
                                                sheet_title="Report")))["Report"]
    for row, value in zip(sheet.iter_rows(min_row=2), HOSTILE, strict=True):
        assert row[0].data_type == "s"  # a formula would read back as "f"
        assert row[0].value.strip() == value.strip()
        assert row[1].data_type == "n" and row[1].value == 7
