"""An import killed with SIGKILL while it is writing leaves the database exactly as it was."""

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select, text

from licensing.db import db
from licensing.people.models import BlockingKey, PersonRecord, TermCount
from tests.imports.helpers import csv_file, person_row, sigkill_while_writing

REPO = Path(__file__).resolve().parents[2]


def test_sigkill_mid_import_leaves_no_trace(app, county, tmp_path, database_url):
    path = tmp_path / "big.csv"
    path.write_bytes(csv_file([person_row(n) for n in range(1, 8001)]))
    with app.app_context():
        before = (
            db.session.scalar(select(func.count()).select_from(TermCount)),
            db.session.scalar(select(func.count()).select_from(BlockingKey)),
        )
        db.session.remove()
    env = {**os.environ, "DATABASE_URL": database_url, "FLASK_CONFIG": "config.TestingConfig"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "licensing",
            "import-records",
            str(path),
            "--authority",
            "WDC",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    sigkill_while_writing(process, database_url)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PersonRecord)) == 0
        after = (
            db.session.scalar(select(func.count()).select_from(TermCount)),
            db.session.scalar(select(func.count()).select_from(BlockingKey)),
        )
        assert after == before
        if database_url.startswith("sqlite"):
            assert db.session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
