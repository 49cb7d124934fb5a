"""Viewing a person needs a stated reason, is audited, and never shows what the role may not see."""

import datetime as dt

from sqlalchemy import select

from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.db import db
from tests.factories import arranged, make_person


def test_person_page_asks_for_a_reason_first_and_shows_nothing(app, login):
    with arranged(app):
        record = make_person("WDC", forenames="Imran", surname="Qureshi")
        identity_id = record.identity_id
    officer = login(Role.LICENSING_OFFICER, "CDC")
    page = officer.get(f"/people/{identity_id}").get_data(as_text=True)
    assert "Why do you need to see this person?" in page
    assert "Qureshi" not in page
    with app.app_context():
        assert not db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person.viewed"))


def test_blank_reason_is_refused(app, login):
    with arranged(app):
        identity_id = make_person("WDC").identity_id
    officer = login(Role.LICENSING_OFFICER)
    response = officer.submit(f"/people/{identity_id}/reason", {"reason": "  "})
    assert response.status_code == 400
    assert "Enter the reason" in response.get_data(as_text=True)


def test_view_with_reason_is_audited_with_what_was_shown(app, login):
    with arranged(app):
        record = make_person("WDC", forenames="Imran", surname="Qureshi")
        identity_id, record_id = record.identity_id, record.id
    officer = login(Role.LICENSING_OFFICER, "CDC")
    response = officer.submit(f"/people/{identity_id}/reason", {"reason": "Renewal application CDC/2026/114"})
    assert response.status_code == 302
    page = officer.get(f"/people/{identity_id}").get_data(as_text=True)
    assert "Imran Qureshi" in page
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person.viewed"))
        assert event.user_email == officer.user_email
        assert event.reason == "Renewal application CDC/2026/114"
        assert event.subject_id == str(identity_id) and event.details["records"] == [record_id]
        assert event.authority_code == "CDC" and isinstance(event.occurred_at, dt.datetime)


def test_police_subject_records_are_invisible_to_council_officers(app, login):
    with arranged(app):
        identity_id = make_person("TVP", forenames="Kamran", surname="Zaidi").identity_id
    officer = login(Role.LICENSING_OFFICER)
    assert officer.get(f"/people/{identity_id}").status_code == 404
    assert officer.submit(f"/people/{identity_id}/reason", {"reason": "Trying an id"}).status_code == 404
    police = login(Role.POLICE_SPOC)
    police.submit(f"/people/{identity_id}/reason", {"reason": "Operation Larch enquiry"})
    assert "Kamran Zaidi" in police.get(f"/people/{identity_id}").get_data(as_text=True)


def test_unknown_ids_give_404_not_500(login, county):
    officer = login(Role.LICENSING_OFFICER)
    assert officer.get("/people/999999").status_code == 404
    assert officer.get("/people/-1").status_code == 404
    assert officer.get("/people/abc").status_code == 404
