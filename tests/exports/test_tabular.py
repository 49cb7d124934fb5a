"""The shared writer neutralises formula-like cells in CSV and .xlsx, and match-file goes through it."""

import csv
import datetime as dt
import io
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from licensing.exports.tabular import csv_bytes, neutralise, xlsx_bytes
from licensing.matching.batch import match_file

HOSTILE = [
    '=HYPERLINK("http://x","click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTAB",
    "\rCR",
    "\0NUL",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_like_strings_get_an_apostrophe(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Ann O'Neill", "", "a=b", "07700 900123", 42, None, dt.date(2026, 1, 2)])
def test_other_values_are_unchanged(value):
    assert neutralise(value) == value


def test_csv_has_a_bom_quotes_and_no_live_formula():
    data = csv_bytes(["name", "note"], [["=1+1", 'said "hi", then left'], ["Zoë", dt.date(2026, 3, 4)]])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows == [["name", "note"], ["'=1+1", 'said "hi", then left'], ["Zoë", "2026-03-04"]]


def test_xlsx_cells_are_text_never_formulae():
    data = xlsx_bytes(
        ["=header", "n"], [[value, 7] for value in HOSTILE] + [["plain", 8]], sheet_title="People/2026"
    )
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert sheet["A1"].value == "'=header"
    assert [sheet.cell(row=i + 2, column=1).value for i in range(len(HOSTILE))] == [
        "'" + v.replace("\0", "").replace("\r", "\n") for v in HOSTILE
    ]  # XML drops NUL and reads CR back as LF
    assert sheet["B2"].value == 7 and sheet.title == "People2026"


def test_match_file_output_neutralises_record_ids(tmp_path):
    source = tmp_path / "in.csv"
    header = (
        "record_id,source,forenames,surname,date_of_birth,address_line,town,postcode,national_insurance\n"
    )
    row = "{id},A,Ann,Smith,1980-01-02,1 High St,Town,HP11 2BZ,QQ123456C\n"
    source.write_text(header + row.format(id="=HYPERLINK(1)") + row.format(id="@two"), encoding="utf-8")
    match_file(source, tmp_path / "out.csv", progress=None)
    rows = list(csv.reader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8"))))
    assert rows[1][:2] == ["'=HYPERLINK(1)", "'@two"]


def test_match_file_and_csv_exports_start_without_importing_openpyxl():
    # openpyxl costs a fifth of a second at start-up; only .xlsx needs it.
    code = "import sys, licensing.matching.batch; print('openpyxl' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr
