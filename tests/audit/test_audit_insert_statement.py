"""An audited page inserts its event with one plain INSERT (no unit-of-work flush asking for the new row's id
back): the event is stored with its reason and the chain still verifies. On PostgreSQL the chain's head moves
in that same statement, so the head is locked for one round trip fewer."""

from sqlalchemy import select

from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.db import db
from tests.factories import arranged, make_person
from tests.statements import recorded_statements


def test_a_person_view_inserts_its_audit_event_without_returning_its_id(app, login, runner):
    with arranged(app):
        identity_id = make_person("WDC", surname="Quayle").identity_id
    officer = login(Role.LICENSING_OFFICER)
    granted = officer.submit(f"/people/{identity_id}/reason", {"reason": "Renewal WDC/2026/77"})
    with app.app_context():
        postgresql = db.engine.dialect.name == "postgresql"
    with recorded_statements(app) as statements:
        assert officer.get(granted.headers["Location"]).status_code == 200
    chain_writes = [s.upper() for s in statements
                    if "AUDIT_EVENTS" in s.upper() or "AUDIT_CHAIN_HEAD" in s.upper()]
    inserts = [s for s in chain_writes if "INSERT INTO AUDIT_EVENTS" in s]
    assert len(inserts) == 1 and "RETURNING" not in inserts[0], inserts
    # The head's seq is taken (UPDATE ... RETURNING), then its hash moved: with the INSERT on PostgreSQL.
    assert len(chain_writes) == (2 if postgresql else 3), chain_writes
    if postgresql:
        assert inserts[0].startswith("WITH MOVED_HEAD AS (UPDATE AUDIT_CHAIN_HEAD SET LAST_HASH="), inserts
    with app.app_context():
        viewed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "person.viewed")).all()
        assert [(e.subject_id, e.reason) for e in viewed] == [(str(identity_id), "Renewal WDC/2026/77")]
        assert viewed[0].chain_seq and viewed[0].entry_hash
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
