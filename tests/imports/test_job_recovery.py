"""A job whose worker dies (SIGKILL) is queued again once its heartbeat is stale, and then runs once."""

import io
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.db import db
from licensing.imports.models import ImportUpload
from licensing.licences.models import Licence
from licensing.people.models import PersonRecord
from tests.imports.helpers import csv_file, person_row, sigkill_while_writing

REPO = Path(__file__).resolve().parents[2]
ROWS = 4000  # still writing when it is killed, however fast an import has become
WORKER = """
import sys
from flask.cli import FlaskGroup
from config import TestingConfig
from licensing import create_app

app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=sys.argv[1], IMPORT_HEARTBEAT_SECONDS=0.2)
app.instance_path = sys.argv[2]
FlaskGroup(create_app=lambda: app).main(args=["imports", "work"])
"""


def _status(app) -> tuple[str, int]:
    with app.app_context():
        upload = db.session.scalar(select(ImportUpload))
        found = upload.status, upload.id
        db.session.remove()
        return found


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _kill_while_writing(app, database_url: str, instance: Path) -> None:
    """Start `flask imports work` in its own process and SIGKILL it while its import's transaction is open."""
    process = subprocess.Popen(
        [sys.executable, "-c", WORKER, database_url, str(instance)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    sigkill_while_writing(process, database_url)


def test_a_killed_workers_job_is_requeued_and_run_once(app, login, tmp_path, database_url):
    app.config["IMPORT_WORKER"] = "queue"
    app.instance_path = str(tmp_path)
    officer = login(Role.LICENSING_OFFICER, "WDC")
    response = officer.post(
        "/imports/",
        data={
            "csrf_token": officer.csrf,
            "file": (io.BytesIO(csv_file([person_row(n) for n in range(1, ROWS + 1)])), "register.csv"),
            "mapping": "",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    officer.submit(location + "/commit", {})
    assert _status(app)[0] == "queued"

    _kill_while_writing(app, database_url, tmp_path)
    status, upload_id = _status(app)
    assert status in ("checking", "writing")  # as the dead worker left it
    assert _count(app, PersonRecord) == 0  # its transaction died with it

    # Its heartbeat is recent: another worker leaves it alone for now.
    assert app.test_cli_runner().invoke(args=["imports", "work"]).output == ""
    assert _status(app)[0] == status
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "import.requeued")) is None

    app.config["IMPORT_JOB_TIMEOUT_SECONDS"] = 1
    time.sleep(1.5)
    result = app.test_cli_runner().invoke(args=["imports", "work"])
    assert result.exit_code == 0, result.output
    assert f"created={ROWS} updated=0 unchanged=0 invalid=0" in result.output
    assert _status(app)[0] == "done"
    assert _count(app, PersonRecord) == ROWS  # exactly one copy
    assert _count(app, Licence) == ROWS
    with app.app_context():
        requeued = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "import.requeued")).all()
        assert [(e.subject_type, e.subject_id, e.details["was"]) for e in requeued] == [
            ("import_uploads", str(upload_id), status)
        ]
        assert db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "import.committed")
        ) == 1
        assert db.session.scalar(select(ImportUpload.content)) == b""  # the file is not kept once imported
    assert app.test_cli_runner().invoke(args=["imports", "work"]).output == ""  # nothing left to do
    assert not list(tmp_path.glob("import-progress/*"))
    assert "Import committed" in officer.get(location).get_data(as_text=True)
