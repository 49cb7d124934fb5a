"""The one CSV/.xlsx writer: every cell that a spreadsheet could run as a formula is neutralised.

OWASP's CSV-injection advice (ASVS 5.0 1.2.10, CWE-1236): a cell that begins with ``=``, ``+``, ``-``, ``@``,
a tab, a carriage return or a NUL gets a leading apostrophe, so Excel, LibreOffice and Sheets show it as text.
The value is otherwise kept exactly (``+44 7700 900123`` becomes ``'+44 7700 900123``, which reads back as the
number written). RFC 4180 quoting comes from the stdlib csv module. In .xlsx every string is also stored as a
text cell (``data_type = "s"``), as openpyxl otherwise makes any string starting with ``=`` a formula.
Pure: no Flask or SQLAlchemy, so the matching engine's ``match-file`` can use it too.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")
MAX_SHEET_TITLE = 31


def neutralise(value: Any) -> Any:
    """A string a spreadsheet could run as a formula gets a leading apostrophe; others pass."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def csv_bytes(headers: list[str], rows: Iterable[Sequence]) -> bytes:
    """RFC 4180 CSV in UTF-8 with a BOM (so Excel reads accents), every cell neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(_cell_text(h)) for h in headers])
    for row in rows:
        writer.writerow([neutralise(_cell_text(value)) for value in row])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def xlsx_bytes(headers: list[str], rows: Iterable[Sequence], *, sheet_title: str = "Export") -> bytes:
    """An .xlsx workbook with one sheet; strings are neutralised and forced to text cells, never formulae."""
    # Imported here: openpyxl takes a fifth of a second to import; match-file and CSV exports never use it.
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "".join(c for c in sheet_title if c not in "[]:*?/\\")[:MAX_SHEET_TITLE] or "Export"
    for row_number, row in enumerate([headers, *rows], start=1):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column)
            if value is None:
                continue
            if isinstance(value, (int, float, dt.date)) and not isinstance(value, bool):
                cell.value = value
                continue
            # XML cannot hold most control characters (NUL and the like): they are dropped after neutralising.
            text = ILLEGAL_CHARACTERS_RE.sub("", neutralise(_cell_text(value)))
            cell.value = text
            cell.data_type = "s"  # after the value: the setter infers "f" for a leading "="
            if text.startswith("'"):
                cell.quotePrefix = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
