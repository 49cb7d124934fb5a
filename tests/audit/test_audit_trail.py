import pytest
import sqlalchemy.exc
from sqlalchemy import func, select, text

from licensing.audit.models import AuditEvent, AuditImmutable
from licensing.auth.models import Role
from licensing.db import db
from tests.factories import arranged, make_person


def _search(client, **fields):
    return client.submit("/search", {"reason": "Application WDC/2026/0042", **fields})


def test_search_writes_one_event_with_terms_results_and_reason(app, login):
    with arranged(app):
        record = make_person("WDC", forenames="Zahid", surname="Iqbal", national_insurance="JT123456A")
        identity_id = record.identity_id
    officer = login(Role.LICENSING_OFFICER, "CDC")
    response = _search(officer, national_insurance="JT 12 34 56 A")
    assert response.status_code == 200 and "Zahid Iqbal" in response.get_data(as_text=True)
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "person.searched")).all()
        assert len(events) == 1
        event = events[0]
        assert event.user_email == officer.user_email and event.authority_code == "CDC"
        assert event.reason == "Application WDC/2026/0042"
        assert event.details["terms"] == {"national_insurance": "JT123456A"}
        assert event.details["results"] == [identity_id]


def test_search_with_no_results_is_still_audited(app, login):
    officer = login(Role.POLICE_SPOC)
    response = _search(officer, surname="Nobodyatall")
    assert "Nobody in the register matches" in response.get_data(as_text=True)
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person.searched"))
        assert event.details["results"] == []


def test_search_without_a_reason_is_refused_and_not_run(app, login):
    officer = login(Role.LICENSING_OFFICER)
    response = officer.submit("/search", {"surname": "Khan"})
    assert response.status_code == 200
    assert "Enter the reason for this search" in response.get_data(as_text=True)
    with app.app_context():
        assert not db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "person.searched")
        )


def test_auditor_lists_and_filters_events(app, login):
    officer = login(Role.LICENSING_OFFICER)
    _search(officer, surname="Khan")
    auditor = login(Role.AUDITOR)
    page = auditor.get("/audit/?kind=searches").get_data(as_text=True)
    assert "searched &#39;Khan&#39;" in page and "Application WDC/2026/0042" in page
    assert "1 event<" in page and officer.user_email not in page and "person.searched" not in page
    with app.app_context():
        user_id = db.session.scalar(
            select(AuditEvent.user_id).where(AuditEvent.user_email == officer.user_email)
        )
        access_events = db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(
                AuditEvent.user_id == user_id,
                AuditEvent.action.startswith("auth.") | AuditEvent.action.startswith("access."),
            )
        )
    assert access_events == 2  # the password, then the second factor
    filtered = auditor.get(f"/audit/?kind=access&user={user_id}").get_data(as_text=True)
    table = filtered.split("<table")[1]
    assert "signed in" in table and "passed two-factor sign-in" in table and "searched" not in table
    assert "2 events<" in filtered


def test_audit_events_cannot_be_changed_through_the_app(app, login):
    auditor = login(Role.AUDITOR)
    for method in ("put", "delete", "patch"):
        assert getattr(auditor, method)("/audit/").status_code == 405
    assert auditor.submit("/audit/").status_code == 405
    with app.app_context():
        event = db.session.scalar(select(AuditEvent))
        event.reason = "tampered"
        with pytest.raises(AuditImmutable):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.scalar(select(AuditEvent)))
        with pytest.raises(AuditImmutable):
            db.session.flush()
        db.session.rollback()


def test_the_database_itself_refuses_update_and_delete(app, login):
    login(Role.AUDITOR)
    with app.app_context():
        for statement in ("UPDATE audit_events SET reason = 'x'", "DELETE FROM audit_events"):
            with pytest.raises(sqlalchemy.exc.DatabaseError, match="append-only"):
                db.session.execute(text(statement))
            db.session.rollback()
        assert db.session.scalar(select(func.count(AuditEvent.id))) > 0
