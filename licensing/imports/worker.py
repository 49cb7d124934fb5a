"""Run a committed upload's import outside the web request, and report its progress while it runs.

The page records the job (the upload's status "queued", committed) and starts it: in a thread of the web
process (IMPORT_WORKER = "thread"), inline (tests), or not at all, leaving it to `flask imports work`
("queue"). Whoever runs it first claims it with one conditional UPDATE, so several processes never run a job
twice. The import stays one all-or-nothing transaction, so progress is written outside it: on PostgreSQL by
a second connection that commits each figure; on SQLite, whose one write lock the import holds, to a small
JSON file under instance/import-progress/ (SQLite is single-host anyway)."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import select, update

from licensing.db import db, utcnow
from licensing.errors import RuleViolation
from licensing.imports.models import ImportUpload
from licensing.imports.reader import ImportFileError
from licensing.imports.services import Progress, find_mapping, run_import

RUNNING = ("checking", "writing", "relinking")
PHASES = {"checking": "checking", "writing": "writing", "re-linking changed records": "relinking"}
EVERY_SECONDS = 1.0


def _progress_file(upload_id: int) -> Path:
    return Path(current_app.instance_path) / "import-progress" / f"{upload_id}.json"


def _on_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


class ProgressWriter:
    """The import's Progress callbacks, written at most once a second outside its transaction."""

    def __init__(self, upload_id: int) -> None:
        self.upload_id, self.status, self.done, self.total, self.last = upload_id, "checking", 0, 0, 0.0

    def start(self, phase: str, total: int) -> None:
        self.status, self.done, self.total = PHASES.get(phase, "writing"), 0, total
        self.write()

    def advance(self, n: int) -> None:
        self.done += n
        if time.monotonic() - self.last >= EVERY_SECONDS:
            self.write()

    def write(self) -> None:
        self.last = time.monotonic()
        figures = {"status": self.status, "rows_done": self.done, "rows_total": self.total}
        if _on_sqlite():
            path = _progress_file(self.upload_id)
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".part")
            partial.write_text(json.dumps(figures))
            os.replace(partial, path)  # a reader sees the old figures or the new, never half
            return
        with db.engine.connect() as connection:  # its own transaction, committed at once
            table = ImportUpload.__table__
            connection.execute(update(table).where(table.c.id == self.upload_id).values(**figures))
            connection.commit()

    def clear(self) -> None:
        if _on_sqlite():
            _progress_file(self.upload_id).unlink(missing_ok=True)


def progress_of(upload: ImportUpload) -> dict:
    """The job's status and rows done / total as another process last wrote them."""
    figures = {"status": upload.status, "rows_done": upload.rows_done, "rows_total": upload.rows_total}
    if upload.status in RUNNING and _on_sqlite():
        try:
            figures |= json.loads(_progress_file(upload.id).read_text())
        except (OSError, ValueError):
            pass  # not written yet, or just removed as the job finished
    return figures


def queue(upload: ImportUpload) -> None:
    """Mark the upload's import as waiting for a worker; the caller commits."""
    if upload.committed_at is not None or upload.status not in ("", "failed"):
        raise RuleViolation("This import has already been committed")
    upload.status, upload.rows_done, upload.rows_total, upload.failure = "queued", 0, 0, ""


def run_job(upload_id: int) -> ImportUpload | None:
    """Claim and run one queued import, committing its writes and outcome; None if another worker has it."""
    table = ImportUpload.__table__
    claimed = db.session.execute(
        update(table).where(table.c.id == upload_id, table.c.status == "queued").values(status="checking")
    ).rowcount
    db.session.commit()
    if not claimed:
        return None
    upload = db.session.get(ImportUpload, upload_id)
    writer = ProgressWriter(upload.id)
    valid_rows_only = bool(upload.report.get("valid_rows_only"))
    try:
        mapping = find_mapping(upload.authority, upload.mapping_name) if upload.mapping_name else None
        report = run_import(
            upload.content,
            upload.filename,
            upload.authority,
            actor=upload.uploaded_by,
            mapping=mapping.columns if mapping else None,
            valid_rows_only=valid_rows_only,
            progress=Progress(start=writer.start, advance=writer.advance),
        )
    except (ImportFileError, RuleViolation) as error:
        return _failed(upload_id, str(error), writer)
    except Exception:
        _failed(upload_id, "The import stopped on an internal error: nothing was written", writer)
        raise
    if report.errors and not valid_rows_only:
        return _failed(
            upload_id,
            "The register changed since the dry run and some rows are now invalid: nothing was imported",
            writer,
        )
    upload.report = report.as_dict() | {"valid_rows_only": valid_rows_only}
    upload.committed_at = utcnow()
    upload.status, upload.rows_done, upload.rows_total = "done", report.rows, report.rows
    db.session.commit()
    writer.clear()
    return upload


def _failed(upload_id: int, message: str, writer: ProgressWriter) -> ImportUpload:
    db.session.rollback()  # nothing of the import is kept
    upload = db.session.get(ImportUpload, upload_id)
    upload.status, upload.failure = "failed", message[:500]
    db.session.commit()
    writer.clear()
    return upload


def run_queued() -> list[ImportUpload]:
    """Run every queued import, oldest first (the `flask imports work` command)."""
    done = []
    queued = select(ImportUpload.id).where(ImportUpload.status == "queued").order_by(ImportUpload.id)
    for upload_id in list(db.session.scalars(queued)):
        upload = run_job(upload_id)
        if upload is not None:
            done.append(upload)
    return done


def start(app: Flask, upload_id: int) -> None:
    """Start the queued job as the app's IMPORT_WORKER setting says."""
    mode = app.config.get("IMPORT_WORKER", "thread")
    if mode == "inline":
        run_job(upload_id)
    elif mode == "thread":
        threading.Thread(target=_in_thread, args=(app, upload_id), daemon=True).start()


def _in_thread(app: Flask, upload_id: int) -> None:
    with app.app_context():
        try:
            run_job(upload_id)
        finally:
            db.session.remove()
