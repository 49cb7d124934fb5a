"""Audit events are sealed into the chain when their transaction commits, so a request that has recorded an
event does not hold the chain's head (and so every other request) for the rest of its work; nothing is lost
and the chain still verifies."""

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from licensing.audit import record
from licensing.audit.chain import defer_seal, verify
from licensing.audit.models import AuditEvent
from licensing.auth.models import Role, User
from licensing.db import db, utcnow
from tests.factories import arranged, make_person, make_user


def _count(action: str) -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == action))


def test_an_open_request_with_an_event_does_not_block_another_from_committing_its_own(app, county):
    with arranged(app):
        officer = make_user(Role.LICENSING_OFFICER, authority="WDC")
        identity = make_person("WDC").identity
        db.session.commit()
        record(officer, "person.viewed", identity, reason="Slow request, still rendering")
        with Session(db.engine) as rival:
            if rival.bind.dialect.name == "postgresql":  # fail rather than hang if the head were held
                rival.execute(text("SET lock_timeout = '3s'"))
            defer_seal(rival, AuditEvent(occurred_at=utcnow(), user_email="rival@example.org", role="",
                                         authority_code="", action="rival.event", subject_type="",
                                         subject_id="", reason="", details={}, ip_address=""))
            rival.commit()
        db.session.commit()
        assert _count("rival.event") == 1 and _count("person.viewed") == 1
        first, second = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.action.in_(["rival.event", "person.viewed"]))
            .order_by(AuditEvent.chain_seq)
        ).all()
        assert (first, second) == ("rival.event", "person.viewed")  # chained in commit order
        assert verify().ok


def test_a_rolled_back_transaction_leaves_no_event_and_the_next_commit_does_not_revive_it(app, county):
    with arranged(app):
        officer_id = make_user(Role.LICENSING_OFFICER, authority="WDC").id
    with app.app_context():
        officer = db.session.get(User, officer_id)
        record(officer, "sanction.recorded", reason="Then a rule broke")
        db.session.rollback()
        record(officer, "person.searched", reason="Renewal WDC/2026/5")
        db.session.commit()
        assert _count("sanction.recorded") == 0 and _count("person.searched") == 1
        assert verify().ok


def test_an_event_in_a_rolled_back_savepoint_is_dropped_and_the_others_kept(app, county):
    with arranged(app):
        officer = make_user(Role.LICENSING_OFFICER, authority="WDC")
        record(officer, "before.savepoint")
        savepoint = db.session.begin_nested()
        record(officer, "inside.savepoint")
        savepoint.rollback()
        with db.session.begin_nested():
            record(officer, "released.savepoint")
        db.session.commit()
        assert _count("before.savepoint") == 1 and _count("released.savepoint") == 1
        assert _count("inside.savepoint") == 0
        assert verify().ok


def test_every_view_and_search_through_http_is_sealed(app, login, runner):
    with arranged(app):
        identity_id = make_person("WDC", surname="Okafor").identity_id
    officer = login(Role.LICENSING_OFFICER)
    officer.submit("/search", {"surname": "Okafor", "reason": "Renewal WDC/2026/5"})
    granted = officer.submit(f"/people/{identity_id}/reason", {"reason": "Renewal WDC/2026/6"})
    assert officer.get(granted.headers["Location"]).status_code == 200
    with app.app_context():
        assert _count("person.searched") == 1 and _count("person.viewed") == 1
        viewed = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person.viewed"))
        assert viewed.reason == "Renewal WDC/2026/6" and viewed.chain_seq and viewed.entry_hash
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output


def test_a_person_view_is_audited_without_building_an_orm_event(app, login):
    # The event is a plain object the chain inserts with Core: an ORM AuditEvent built only to be read cost
    # some thirty times as much on every audited request. The row, its reason and the chain are the same.
    from sqlalchemy import event as orm_event

    with arranged(app):
        identity_id = make_person("WDC", surname="Quarrendon").identity_id
    officer = login(Role.LICENSING_OFFICER, "WDC")
    officer.submit(f"/people/{identity_id}/reason", {"reason": "Renewal WDC/2026/7"})
    built = []

    def count(target, args, kwargs):
        built.append(target)

    orm_event.listen(AuditEvent, "init", count)
    try:
        assert officer.get(f"/people/{identity_id}").status_code == 200
    finally:
        orm_event.remove(AuditEvent, "init", count)
    assert built == []
    with app.app_context():
        viewed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "person.viewed")).all()
        assert [(e.reason, e.subject_id, e.authority_code) for e in viewed] == [
            ("Renewal WDC/2026/7", str(identity_id), "WDC")]
        assert viewed[0].user_email and viewed[0].entry_hash and viewed[0].chain_seq
        assert verify().ok
