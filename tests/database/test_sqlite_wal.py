"""A SQLite register file is put in WAL mode with a busy timeout by the app itself, on connect: several
gunicorn workers then read while one writes, and a writer waits for the lock instead of failing."""

import sqlite3

import pytest
from sqlalchemy import func, select, text

from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.db import SQLITE_BUSY_TIMEOUT_MS, db

sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@sqlite_only
def test_the_apps_engine_opens_a_sqlite_file_in_wal_mode_with_a_busy_timeout(app):
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == SQLITE_BUSY_TIMEOUT_MS
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL: commits are on disk


@sqlite_only
def test_an_audited_search_commits_while_another_process_holds_a_read_transaction(app, login, database_url):
    officer = login(Role.LICENSING_OFFICER, "WDC")
    reader = sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
    try:
        reader.execute("BEGIN")
        before = reader.execute("SELECT count(*) FROM audit_events").fetchone()[0]
        # With a rollback journal the search's commit would wait for this reader's lock and fail after the
        # busy timeout; in WAL mode it commits at once, and the reader keeps its snapshot.
        response = officer.submit("/search", {"surname": "Nobody", "reason": "WAL check WDC/2026/1"})
        assert response.status_code == 200
        assert reader.execute("SELECT count(*) FROM audit_events").fetchone()[0] == before
        reader.execute("COMMIT")
    finally:
        reader.close()
    with app.app_context():
        searched = db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "person.searched", AuditEvent.reason == "WAL check WDC/2026/1"))
    assert searched == 1
