"""CSV and .xlsx exports, neutralised so a spreadsheet never runs a cell as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook

# A cell starting with one of these is read as a formula by Excel, LibreOffice or Sheets (OWASP CSV
# injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; other values pass
    unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 CSV with a byte-order mark (so Excel reads the encoding), every cell neutralised."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence], *, sheet_title: str = "Export") -> bytes:
    """One-sheet workbook; text cells are forced to text type, so "=1+1" stays text and never a formula."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    for row_index, row in enumerate([list(headers), *rows], start=1):
        for column_index, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_index, column=column_index)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # after the value: assigning a value infers the type again
                cell.quotePrefix = value.startswith(FORMULA_STARTS)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
