"""Build import files the way councils' systems write them, and stop an import process mid-write."""

import csv
import io
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import create_engine, text

HEADER = [
    "local_reference",
    "forenames",
    "surname",
    "date_of_birth",
    "sex",
    "address_line",
    "town",
    "postcode",
    "national_insurance",
    "driving_licence_number",
    "previous_names",
    "licence_type",
    "licence_number",
    "licence_status",
    "licence_start",
    "licence_expiry",
]


def person_row(n: int, **overrides) -> dict:
    row = {
        "local_reference": f"REF{n:05d}",
        "forenames": "Alex",
        "surname": f"Importer{chr(65 + n % 26)}son{n}",
        "date_of_birth": f"{(n % 28) + 1:02d}/0{(n % 9) + 1}/19{60 + n % 40}",
        "sex": "M",
        "address_line": f"{n} Mill Lane",
        "town": "High Wycombe",
        "postcode": "HP11 2BZ",
        "national_insurance": "",
        "driving_licence_number": "",
        "previous_names": "",
        "licence_type": "private_hire_driver",
        "licence_number": f"PH{n:05d}",
        "licence_status": "granted",
        "licence_start": "2025-01-01",
        "licence_expiry": "2028-01-01",
    }
    row.update(overrides)
    return row


def csv_file(rows: list[dict], header: list[str] | None = None, encoding: str = "utf-8") -> bytes:
    header = header or list(rows[0]) if rows else (header or HEADER)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    return buffer.getvalue().encode(encoding)


def xlsx_file(rows: list[dict], header: list[str] | None = None) -> bytes:
    header = header or list(rows[0])
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(h, "") for h in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sqlite_write_locked(database_path: Path) -> bool:
    """True while another connection holds the write lock (the app runs SQLite in WAL mode, where the -wal
    file is there whenever anyone is connected, so its presence says nothing)."""
    if not database_path.exists():
        return False
    probe = sqlite3.connect(database_path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            return True
        raise
    finally:
        probe.close()


def _writing(url: str, database_path: Path | None) -> bool:
    """True once the import's transaction has written something (and so holds uncommitted rows)."""
    if database_path is not None:
        return _sqlite_write_locked(database_path)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return bool(
                conn.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity"
                        " WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
                        " AND datname = current_database()"  # not another test's database being made
                    )
                ).scalar()
            )
    finally:
        engine.dispose()


def sigkill_while_writing(process: subprocess.Popen, database_url: str, *, writing_for: float = 0.3) -> None:
    """SIGKILL `process` once its import's transaction has been writing for `writing_for` seconds."""
    sqlite_path = Path(database_url.removeprefix("sqlite:///")) if database_url.startswith("sqlite") else None
    try:
        deadline, since = time.monotonic() + 180, None
        while since is None or time.monotonic() - since < writing_for:  # writing for a while, not just begun
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the import never started writing"
            since = (since or time.monotonic()) if _writing(database_url, sqlite_path) else None
            time.sleep(0.05)
        assert process.poll() is None, "the import finished before it could be killed: use a bigger file"
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()
