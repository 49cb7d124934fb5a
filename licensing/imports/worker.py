"""Run a committed upload's import outside the web request, and report its progress while it runs.

The page records the job (the upload's status "queued", committed) and starts it: in a thread of the web
process (IMPORT_WORKER = "thread"), inline (tests), or not at all, leaving it to `flask imports work`
("queue"). Whoever runs it first claims it with one conditional UPDATE, so several processes never run a job
twice. The import stays one all-or-nothing transaction, so progress is written outside it: on PostgreSQL by
a second connection that commits each figure; on SQLite, whose one write lock the import holds, to a small
JSON file under instance/import-progress/ (SQLite is single-host anyway).

While a job runs, a heartbeat thread marks it alive (updated_at on PostgreSQL, a file's time on SQLite) every
IMPORT_HEARTBEAT_SECONDS. A job silent for IMPORT_JOB_TIMEOUT_SECONDS died with its process, and its
transaction with it, so nothing of it was written: the next worker queues it again and runs it."""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import select, update

from licensing.audit import record as audit
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


def _heartbeat_file(upload_id: int) -> Path:
    return Path(current_app.instance_path) / "import-progress" / f"{upload_id}.alive"


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
            connection.execute(
                update(table).where(table.c.id == self.upload_id).values(**figures, updated_at=utcnow())
            )
            connection.commit()

    def clear(self) -> None:
        if _on_sqlite():  # the heartbeat file stays fresh until the job's outcome is committed
            _progress_file(self.upload_id).unlink(missing_ok=True)
            _heartbeat_file(self.upload_id).unlink(missing_ok=True)


class Heartbeat:
    """A thread marking the job alive every few seconds outside its transaction, until stopped."""

    def __init__(self, upload_id: int, every: float) -> None:
        self.upload_id, self.every, self.stopped = upload_id, every, threading.Event()
        # Captured here: the thread has no app context.
        self.path = _heartbeat_file(upload_id) if _on_sqlite() else None
        self.engine = db.engine
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> Heartbeat:
        self.beat()
        self.thread.start()
        return self

    def _run(self) -> None:
        while not self.stopped.wait(self.every):
            self.beat()

    def beat(self) -> None:
        if self.path is not None:  # the import holds SQLite's one write lock: a file's time carries it
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.touch()
            return
        with self.engine.connect() as connection:
            table = ImportUpload.__table__
            connection.execute(update(table).where(table.c.id == self.upload_id).values(updated_at=utcnow()))
            connection.commit()

    def stop(self) -> None:
        """Stop before the job's own transaction touches its row (PostgreSQL would make the beat wait); on
        SQLite the file keeps its time until ProgressWriter.clear."""
        self.stopped.set()
        if self.thread.is_alive():
            self.thread.join()


def last_alive(upload: ImportUpload) -> dt.datetime:
    """When the job last showed it was alive: its row's heartbeat, or on SQLite its heartbeat file's time."""
    last = upload.updated_at or upload.created_at
    if _on_sqlite():
        try:
            touched = _heartbeat_file(upload.id).stat().st_mtime
        except OSError:
            return last
        last = max(last, dt.datetime.fromtimestamp(touched, dt.UTC).replace(tzinfo=None))
    return last


def requeue_stale() -> list[int]:
    """Queue again every running job whose heartbeat stopped; audited and committed. Returns their ids."""
    timeout = current_app.config.get("IMPORT_JOB_TIMEOUT_SECONDS", 120)
    cutoff = utcnow() - dt.timedelta(seconds=timeout)
    table = ImportUpload.__table__
    requeued = []
    for upload in db.session.scalars(select(ImportUpload).where(ImportUpload.status.in_(RUNNING))).all():
        last = last_alive(upload)
        if last >= cutoff:
            continue
        # Conditional, so of two workers finding the same dead job only one re-queues it.
        beat = table.c.updated_at
        same = beat.is_(None) if upload.updated_at is None else beat == upload.updated_at
        claimed = db.session.execute(
            update(table)
            .where(table.c.id == upload.id, table.c.status == upload.status, same)
            .values(status="queued", rows_done=0, rows_total=0, updated_at=utcnow())
        ).rowcount
        if claimed:
            audit(None, "import.requeued", upload, email="import-worker",
                  reason=f"No heartbeat for {timeout} seconds: the worker died and nothing was written",
                  details={"was": upload.status, "last_alive": last.isoformat(timespec="seconds"),
                           "filename": upload.filename})
            requeued.append(upload.id)
    db.session.commit()
    return requeued


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
        update(table)
        .where(table.c.id == upload_id, table.c.status == "queued")
        .values(status="checking", updated_at=utcnow())
    ).rowcount
    db.session.commit()
    if not claimed:
        return None
    upload = db.session.get(ImportUpload, upload_id)
    writer = ProgressWriter(upload.id)
    valid_rows_only = bool(upload.report.get("valid_rows_only"))
    heartbeat = Heartbeat(upload_id, current_app.config.get("IMPORT_HEARTBEAT_SECONDS", 10)).start()
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
        heartbeat.stop()
        return _failed(upload_id, str(error), writer)
    except Exception:
        heartbeat.stop()
        _failed(upload_id, "The import stopped on an internal error: nothing was written", writer)
        raise
    heartbeat.stop()
    if report.errors and not valid_rows_only:
        return _failed(
            upload_id,
            "The register changed since the dry run and some rows are now invalid: nothing was imported",
            writer,
        )
    upload.report = report.as_dict() | {"valid_rows_only": valid_rows_only}
    upload.committed_at = utcnow()
    upload.status, upload.rows_done, upload.rows_total = "done", report.rows, report.rows
    upload.updated_at = utcnow()
    upload.content = b""  # the file's personal data is in the register now: no second copy is kept
    db.session.commit()
    writer.clear()
    return upload


def _failed(upload_id: int, message: str, writer: ProgressWriter) -> ImportUpload:
    db.session.rollback()  # nothing of the import is kept
    upload = db.session.get(ImportUpload, upload_id)
    upload.status, upload.failure, upload.updated_at = "failed", message[:500], utcnow()
    db.session.commit()
    writer.clear()
    return upload


def run_queued() -> list[ImportUpload]:
    """Queue again the jobs whose worker died, then run every queued import, oldest first (the `flask imports
    work` command, and the web process's worker thread)."""
    requeue_stale()
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
            run_queued()  # and any job a dead worker left
        finally:
            db.session.remove()
