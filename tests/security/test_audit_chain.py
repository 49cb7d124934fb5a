"""Finding 6: the audit trail is a keyed hash chain; `flask audit verify` finds any tampering."""

import datetime as dt

from sqlalchemy import select, text

from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.db import db
from tests.conftest import postgresql_only
from tests.factories import arranged, make_person


def _some_events(app, login):
    with arranged(app):
        identity_id = make_person("WDC").identity_id
    officer = login(Role.LICENSING_OFFICER)
    officer.submit(f"/people/{identity_id}/reason", {"reason": "Renewal WDC/2026/5"})
    officer.get(f"/people/{identity_id}")
    return officer


def _bypass_triggers(conn):
    """What the database owner (not the app) could do: switch off the append-only triggers."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"))
    else:
        conn.execute(text("DROP TRIGGER audit_events_no_update"))
        conn.execute(text("DROP TRIGGER audit_events_no_delete"))


def test_a_whole_chain_verifies_with_a_count(app, login, runner):
    _some_events(app, login)
    with app.app_context():
        count = db.session.scalar(select(db.func.count(AuditEvent.id)))
        assert count >= 3
        assert all(e.entry_hash and e.chain_seq for e in db.session.scalars(select(AuditEvent)))
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and f"Audit chain verified: {count} events" in result.output


def test_a_changed_reason_is_found(app, login, runner):
    _some_events(app, login)
    with app.app_context(), db.engine.begin() as conn:
        _bypass_triggers(conn)
        target = conn.execute(text("SELECT id FROM audit_events WHERE action = 'person.viewed'")).scalar_one()
        conn.execute(
            text("UPDATE audit_events SET reason = 'Something harmless' WHERE id = :id"), {"id": target}
        )
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at event {target}: its content does not match its HMAC" in result.output


def test_a_deleted_event_is_found(app, login, runner):
    _some_events(app, login)
    with app.app_context(), db.engine.begin() as conn:
        _bypass_triggers(conn)
        first = conn.execute(text("SELECT id FROM audit_events ORDER BY chain_seq LIMIT 1")).scalar_one()
        after = conn.execute(
            text("SELECT id FROM audit_events ORDER BY chain_seq LIMIT 1 OFFSET 1")
        ).scalar_one()
        conn.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": first})
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and f"BROKEN at event {after}" in result.output


def test_a_back_dated_row_inserted_by_hand_is_found(app, login, runner):
    _some_events(app, login)
    with app.app_context(), db.engine.begin() as conn:
        top = conn.execute(text("SELECT MAX(chain_seq), MAX(id) FROM audit_events")).one()
        conn.execute(
            text(
                "INSERT INTO audit_events (id, occurred_at, user_email, role, authority_code, action, subject_type, "  # noqa: E501
                "subject_id, reason, details, ip_address, chain_seq, prev_hash, entry_hash) VALUES (:id, :at, "  # noqa: E501
                "'x@example.org', '', '', 'person.viewed', '', '', 'back-dated', '{}', '', :seq, '', 'forged')"  # noqa: E501
            ),
            {"id": top[1] + 1, "at": dt.datetime(2020, 1, 1), "seq": top[0] + 1},
        )
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and f"BROKEN at event {top[1] + 1}" in result.output


def test_events_get_the_servers_time(app, login):
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    _some_events(app, login)
    with app.app_context():
        times = db.session.scalars(select(AuditEvent.occurred_at)).all()
        assert all(before - dt.timedelta(seconds=5) <= t <= before + dt.timedelta(minutes=5) for t in times)


@postgresql_only
def test_on_postgresql_the_app_role_cannot_change_audit_rows(app, login, runner, database_url):
    import pytest
    from sqlalchemy import create_engine
    from sqlalchemy.exc import ProgrammingError

    from config import TestingConfig
    from licensing import create_app
    from tests.conftest import sign_in_fully

    with app.app_context(), db.engine.begin() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = 'licensing_app'")).first():
            conn.execute(text("CREATE ROLE licensing_app LOGIN"))
    result = runner.invoke(args=["audit", "grant-app-role", "licensing_app"])
    assert result.exit_code == 0, result.output
    app_url = database_url.replace("postgresql+psycopg://app@", "postgresql+psycopg://licensing_app@")
    as_app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=app_url)
    as_app.test_client_class = app.test_client_class
    with arranged(app):
        identity_id = make_person("WDC").identity_id
    officer = login(Role.LICENSING_OFFICER)
    # The app, connected as the restricted role, still works and writes audit rows.
    client = as_app.test_client()
    assert sign_in_fully(client, officer.user_email, "correct horse battery staple").status_code == 302
    client.fetch_csrf("/home")
    client.submit(f"/people/{identity_id}/reason", {"reason": "Renewal as app role"})
    client.get(f"/people/{identity_id}")
    engine = create_engine(app_url)
    try:
        with engine.connect() as conn:
            assert (
                conn.execute(
                    text("SELECT count(*) FROM audit_events WHERE reason = 'Renewal as app role'")
                ).scalar_one()
                == 1
            )
            for statement in (
                "UPDATE audit_events SET reason = 'x'",
                "DELETE FROM audit_events",
                "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only",
            ):
                with pytest.raises(ProgrammingError, match="permission denied|must be owner"):
                    conn.execute(text(statement))
                conn.rollback()
    finally:
        engine.dispose()
        with as_app.app_context():
            db.engine.dispose()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
