"""An import committed on the page runs as a job outside the request, and the page shows its progress."""

import io
import json
import time

from sqlalchemy import func, select, text

from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.db import db
from licensing.imports import worker
from licensing.imports.models import ImportUpload
from licensing.people.models import PersonRecord
from tests.imports.helpers import csv_file, person_row

REFRESH = '<meta http-equiv="refresh"'


def _upload(client, data: bytes):
    response = client.post(
        "/imports/",
        data={"csrf_token": client.csrf, "file": (io.BytesIO(data), "register.csv"), "mapping": ""},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    return response.headers["Location"]


def _records(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(PersonRecord))


def test_a_queued_import_waits_for_the_worker_and_the_page_follows_it(app, login, tmp_path):
    app.config["IMPORT_WORKER"] = "queue"
    app.instance_path = str(tmp_path)
    officer = login(Role.LICENSING_OFFICER, "WDC")
    location = _upload(officer, csv_file([person_row(n) for n in range(1, 4)]))
    officer.submit(location + "/commit", {})
    waiting = officer.get(location).get_data(as_text=True)
    assert "Import in progress" in waiting and "Waiting to start" in waiting and REFRESH in waiting
    assert _records(app) == 0
    again = officer.submit(location + "/commit", {}, follow_redirects=True).get_data(as_text=True)
    assert "already been committed" in again  # queued once only

    result = app.test_cli_runner().invoke(args=["imports", "work"])
    assert result.exit_code == 0, result.output
    assert "import: created=3 updated=0 unchanged=0 invalid=0" in result.output
    assert _records(app) == 3
    finished = officer.get(location).get_data(as_text=True)
    assert "Import committed" in finished and REFRESH not in finished
    assert app.test_cli_runner().invoke(args=["imports", "work"]).output == ""
    assert _records(app) == 3  # a second worker finds nothing queued
    with app.app_context():
        upload = db.session.scalar(select(ImportUpload))
        assert (upload.status, upload.rows_done, upload.committed_at is not None) == ("done", 3, True)
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "import.committed")).all()
        assert [e.user_email for e in events] == [officer.user_email]
    assert not list(tmp_path.glob("import-progress/*.json"))


def test_progress_is_written_outside_the_import_transaction(app, login, tmp_path, monkeypatch):
    """While the import's transaction is open, another reader sees rows done / total and no records yet."""
    app.config["IMPORT_WORKER"] = "queue"
    app.instance_path = str(tmp_path)
    monkeypatch.setattr(worker, "EVERY_SECONDS", 0.0)
    officer = login(Role.LICENSING_OFFICER, "WDC")
    location = _upload(officer, csv_file([person_row(n) for n in range(1, 6)]))
    officer.submit(location + "/commit", {})
    seen = []
    write = worker.ProgressWriter.write

    def write_and_look(self):
        write(self)
        if db.engine.dialect.name == "sqlite":  # the import holds SQLite's write lock: a file carries it
            path = tmp_path / "import-progress" / f"{self.upload_id}.json"
            seen.append((json.loads(path.read_text()), 0))
            return
        with db.engine.connect() as other:  # a second connection sees only committed data
            status, done, total = other.execute(
                text("SELECT status, rows_done, rows_total FROM import_uploads WHERE id = :id"),
                {"id": self.upload_id},
            ).one()
            records = other.execute(text("SELECT count(*) FROM person_records")).scalar()
        seen.append(({"status": status, "rows_done": done, "rows_total": total}, records))

    monkeypatch.setattr(worker.ProgressWriter, "write", write_and_look)
    with app.app_context():
        upload = worker.run_job(db.session.scalar(select(ImportUpload.id)))
        assert upload.status == "done"
    phases = [figures["status"] for figures, _ in seen]
    assert "checking" in phases and "writing" in phases
    writing = [figures for figures, _ in seen if figures["status"] == "writing"]
    assert writing[0]["rows_total"] == 5 and writing[-1]["rows_done"] == 5
    assert all(records == 0 for _, records in seen)  # nothing committed until the end
    assert _records(app) == 5


def test_a_job_that_finds_the_register_changed_writes_nothing_and_says_why(app, login, tmp_path):
    app.config["IMPORT_WORKER"] = "queue"
    app.instance_path = str(tmp_path)
    officer = login(Role.LICENSING_OFFICER, "WDC")
    location = _upload(officer, csv_file([person_row(1), person_row(2)]))
    officer.submit(location + "/commit", {})
    # Meanwhile another file takes one of its licence numbers for someone else.
    other = _upload(officer, csv_file([person_row(7, licence_number=person_row(2)["licence_number"])]))
    app.config["IMPORT_WORKER"] = "inline"
    officer.submit(other + "/commit", {})
    assert _records(app) == 1
    result = app.test_cli_runner().invoke(args=["imports", "work"])
    assert "failed: The register changed since the dry run" in result.output
    assert _records(app) == 1
    page = officer.get(location).get_data(as_text=True)
    assert "The import was not written" in page and REFRESH not in page


def test_by_default_the_page_starts_a_thread_and_refreshes_until_it_is_done(app, login, tmp_path):
    app.config["IMPORT_WORKER"] = "thread"  # the production setting
    app.instance_path = str(tmp_path)
    officer = login(Role.LICENSING_OFFICER, "WDC")
    location = _upload(officer, csv_file([person_row(n) for n in range(1, 4)]))
    assert officer.submit(location + "/commit", {}).status_code == 302
    deadline = time.monotonic() + 120
    page = officer.get(location).get_data(as_text=True)
    while "Import committed" not in page and time.monotonic() < deadline:
        assert "Import in progress" in page and REFRESH in page
        time.sleep(0.2)
        page = officer.get(location).get_data(as_text=True)
    assert "Import committed" in page and REFRESH not in page
    assert _records(app) == 3
