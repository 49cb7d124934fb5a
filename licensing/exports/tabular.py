"""CSV and .xlsx bytes from headers and rows; a cell that a spreadsheet would treat as a formula is
neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """Text a spreadsheet shows as typed: a leading = + - @ tab or CR gets an apostrophe (OWASP CSV
    injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 CSV with a byte-order mark, so Excel opens accented names correctly."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in headers])
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(
    headers: Sequence[str], rows: Iterable[Sequence[object]], *, sheet_title: str = "Export"
) -> bytes:
    """An .xlsx workbook of text cells: never formulas, whatever a cell starts with."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    for r, row in enumerate([headers, *rows], start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            cell.value = "" if value is None else str(value)
            cell.data_type = "s"  # after the value: openpyxl would otherwise infer a formula from "="
            if cell.value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
