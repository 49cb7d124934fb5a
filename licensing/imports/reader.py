"""Read an uploaded CSV or .xlsx into a header and numbered rows of text, or say what is wrong.

CSV: UTF-8 with or without a BOM, then Windows-1252. Anything else (UTF-16, binary, an .xlsx renamed .csv)
is refused with a message, never a crash. .xlsx: openpyxl in read-only mode, after checking the zip's
uncompressed size (ASVS 5.2.3)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook

MAX_CELL_CHARS = 1000
MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024
CSV_FIELD_LIMIT = (
    2 * 1024 * 1024
)  # above MAX_CELL_CHARS, so an oversized cell is reported per line, not a crash


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, type, no header): nothing was imported."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (line or sheet row number, cells)
    encoding: str = ""


def read_table(data: bytes, filename: str) -> Table:
    """A header row and the data rows, each with its line number; ImportFileError if unreadable."""
    name = filename.lower()
    if not data.strip():
        raise ImportFileError("The file is empty")
    if name.endswith(".xlsx"):
        return _read_xlsx(data)
    if name.endswith(".csv") or name.endswith(".txt"):
        return _read_csv(data)
    raise ImportFileError("Upload a .csv or .xlsx file")


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError("The file is UTF-16: save it as 'CSV UTF-8' and upload it again")
    if data.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            "This is an Excel workbook named .csv: upload it as .xlsx or save it as 'CSV UTF-8'"
        )
    if b"\x00" in data:
        raise ImportFileError("The file holds binary data (NUL bytes), not text: save it as 'CSV UTF-8'")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ImportFileError("The file is neither UTF-8 nor Windows-1252 text: save it as 'CSV UTF-8'")


def _read_csv(data: bytes) -> Table:
    text, encoding = _decode(data)
    previous_limit = csv.field_size_limit(CSV_FIELD_LIMIT)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        rows = []
        try:
            for cells in reader:
                rows.append((reader.line_num, cells))
        except csv.Error as error:
            raise ImportFileError(
                f"Line {reader.line_num + 1}: the file is not valid CSV ({error})"
            ) from error
    finally:
        csv.field_size_limit(previous_limit)
    rows = [(line, cells) for line, cells in rows if any(c.strip() for c in cells)]
    if not rows:
        raise ImportFileError("The file is empty")
    (_, headers), body = rows[0], rows[1:]
    return Table(headers=[h.strip() for h in headers], rows=body, encoding=encoding)


def _xlsx_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(data: bytes) -> Table:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNCOMPRESSED:
                raise ImportFileError("The workbook is too large once unpacked")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ImportFileError:
        raise
    except Exception as error:  # openpyxl raises many kinds for a damaged or fake workbook
        raise ImportFileError("The file is not a readable .xlsx workbook") from error
    try:
        sheet = workbook.worksheets[0]
        rows = [
            (number, [_xlsx_text(v) for v in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()
    rows = [(line, cells) for line, cells in rows if any(c.strip() for c in cells)]
    if not rows:
        raise ImportFileError("The file is empty")
    (_, headers), body = rows[0], rows[1:]
    while headers and not headers[-1].strip():
        headers.pop()
    return Table(headers=[h.strip() for h in headers], rows=body, encoding="xlsx")
