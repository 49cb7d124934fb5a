"""An import killed with SIGKILL while it is writing leaves the database exactly as it was."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

from licensing.db import db
from licensing.people.models import BlockingKey, PersonRecord, TermCount
from tests.imports.helpers import csv_file, person_row

REPO = Path(__file__).resolve().parents[2]


def _writing(url: str, database_path: Path | None) -> bool:
    """True once the import's transaction has written something (and so holds uncommitted rows)."""
    if database_path is not None:
        return Path(f"{database_path}-journal").exists() or Path(f"{database_path}-wal").exists()
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return bool(
                conn.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity"
                        " WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
                    )
                ).scalar()
            )
    finally:
        engine.dispose()


def test_sigkill_mid_import_leaves_no_trace(app, county, tmp_path, database_url):
    path = tmp_path / "big.csv"
    path.write_bytes(csv_file([person_row(n) for n in range(1, 8001)]))
    with app.app_context():
        before = (
            db.session.scalar(select(func.count()).select_from(TermCount)),
            db.session.scalar(select(func.count()).select_from(BlockingKey)),
        )
        db.session.remove()
    sqlite_path = Path(database_url.removeprefix("sqlite:///")) if database_url.startswith("sqlite") else None
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
    try:
        deadline = time.monotonic() + 120
        while not _writing(database_url, sqlite_path):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the import never started writing"
            time.sleep(0.05)
        time.sleep(0.3)
        assert process.poll() is None, "the import finished before it could be killed: use a bigger file"
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PersonRecord)) == 0
        after = (
            db.session.scalar(select(func.count()).select_from(TermCount)),
            db.session.scalar(select(func.count()).select_from(BlockingKey)),
        )
        assert after == before
        if sqlite_path is not None:
            assert db.session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
