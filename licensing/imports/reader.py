"""Read an uploaded CSV or .xlsx as a header and numbered rows of text, or say what is wrong.

The rows are read as a stream, as often as the import needs (a checking pass, then a writing pass), so
memory does not grow with the file. CSV: UTF-8 with or without a BOM, then Windows-1252. Anything else
(UTF-16, binary, an .xlsx renamed .csv) is refused with a message, never a crash. .xlsx: openpyxl in
read-only mode, after checking the zip's uncompressed size (ASVS 5.2.3)."""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from openpyxl import load_workbook

MAX_CELL_CHARS = 1000
MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024
CSV_FIELD_LIMIT = (
    2 * 1024 * 1024
)  # above MAX_CELL_CHARS, so an oversized cell is reported per line, not a crash
BLOCK = 1024 * 1024

class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, type, no header): nothing was imported."""


Source = bytes | Path


@dataclass
class Table:
    """A file's header and how to read its data rows again: `rows()` streams (line, cells) each time."""

    source: Source
    kind: str  # "csv" or "xlsx"
    headers: list[str]
    encoding: str = ""
    sha256: str = ""

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """The data rows (blank rows left out), each with its line or sheet row number."""
        rows = _csv_rows(self.source, self.encoding) if self.kind == "csv" else _xlsx_rows(self.source)
        seen_header = False
        for line, cells in rows:
            if not any(c.strip() for c in cells):
                continue
            if seen_header:
                yield line, cells
            seen_header = True


@contextlib.contextmanager
def _opened(source: Source) -> Iterator[BinaryIO]:
    if isinstance(source, bytes):
        yield io.BytesIO(source)
    else:
        with open(source, "rb") as handle:
            yield handle


def _blocks(source: Source) -> Iterator[bytes]:
    with _opened(source) as handle:
        while block := handle.read(BLOCK):
            yield block


def open_table(source: Source, filename: str) -> Table:
    """The header of a file given as bytes or a path; ImportFileError if it cannot be read."""
    name = filename.lower()
    digest, blank = hashlib.sha256(), True
    for block in _blocks(source):
        digest.update(block)
        blank = blank and not block.strip()
    if blank:
        raise ImportFileError("The file is empty")
    if name.endswith(".xlsx"):
        table = Table(source, "xlsx", [], "xlsx")
        _check_xlsx(source)
    elif name.endswith(".csv") or name.endswith(".txt"):
        table = Table(source, "csv", [], _encoding(source))
    else:
        raise ImportFileError("Upload a .csv or .xlsx file")
    table.sha256 = digest.hexdigest()
    header = next((cells for _, cells in _csv_or_xlsx(table) if any(c.strip() for c in cells)), None)
    if header is None:
        raise ImportFileError("The file is empty")
    if table.kind == "xlsx":
        while header and not header[-1].strip():
            header.pop()
    table.headers = [h.strip() for h in header]
    return table


def _csv_or_xlsx(table: Table) -> Iterator[tuple[int, list[str]]]:
    return _csv_rows(table.source, table.encoding) if table.kind == "csv" else _xlsx_rows(table.source)


def _encoding(source: Source) -> str:
    """utf-8-sig if the whole file decodes as UTF-8, else cp1252 if it decodes as that; checked a block at a
    time."""
    first = next(_blocks(source), b"")
    if first.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError("The file is UTF-16: save it as 'CSV UTF-8' and upload it again")
    if first.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            "This is an Excel workbook named .csv: upload it as .xlsx or save it as 'CSV UTF-8'"
        )
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for block in _blocks(source):
                if b"\x00" in block:
                    raise ImportFileError(
                        "The file holds binary data (NUL bytes), not text: save it as 'CSV UTF-8'"
                    )
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise ImportFileError("The file is neither UTF-8 nor Windows-1252 text: save it as 'CSV UTF-8'")


def _csv_rows(source: Source, encoding: str) -> Iterator[tuple[int, list[str]]]:
    previous_limit = csv.field_size_limit(CSV_FIELD_LIMIT)
    try:
        with _opened(source) as handle:
            text = io.TextIOWrapper(handle, encoding=encoding, newline="")
            reader = csv.reader(text, strict=True)
            try:
                for cells in reader:
                    yield reader.line_num, cells
            except csv.Error as error:
                raise ImportFileError(
                    f"Line {reader.line_num + 1}: the file is not valid CSV ({error})"
                ) from error
            finally:
                text.detach()
    finally:
        csv.field_size_limit(previous_limit)


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


def _check_xlsx(source: Source) -> None:
    try:
        with _opened(source) as handle, zipfile.ZipFile(handle) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNCOMPRESSED:
                raise ImportFileError("The workbook is too large once unpacked")
    except ImportFileError:
        raise
    except Exception as error:  # a damaged or fake workbook
        raise ImportFileError("The file is not a readable .xlsx workbook") from error


def _xlsx_rows(source: Source) -> Iterator[tuple[int, list[str]]]:
    with _opened(source) as handle:
        try:
            workbook = load_workbook(handle, read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
        except Exception as error:  # openpyxl raises many kinds for a damaged or fake workbook
            raise ImportFileError("The file is not a readable .xlsx workbook") from error
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, [_xlsx_text(v) for v in values]
        finally:
            workbook.close()
