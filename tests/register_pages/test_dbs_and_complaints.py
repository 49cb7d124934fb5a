"""DBS certificates for licensed drivers too, with 6-monthly status checks on the home task list;
the transport
team records complaints against its own badge holders."""

import datetime as dt

from sqlalchemy import select

from licensing.alerts.models import Alert
from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.complaints.models import Complaint
from licensing.db import db
from licensing.licences.models import DbsCertificate
from licensing.licences.rules import add_months
from tests.factories import arranged, clock_date, join_records, make_person
from tests.intelligence.factories import make_badge
from tests.sanctions.test_decisions import _d, _licensed

TODAY = clock_date(__name__)


def _dbs_form(issued: dt.date, **extra) -> dict:
    return {
        "dbs_certificate_number": "001234567890",
        "dbs_issued_on": _d(issued),
        "barred_lists_checked": "y",
        "update_service_subscribed": "y",
        **extra,
    }


def test_a_licensing_officer_records_a_drivers_dbs_and_status_checks_come_due(app, login):
    with app.app_context():
        record, _ = _licensed("WDC", "WDC-PH-6101", forenames="Adeel", surname="Shah")
        record_id, identity_id = record.id, record.identity_id
    officer = login(Role.LICENSING_OFFICER, "WDC")
    issued = add_months(TODAY, -7)
    response = officer.submit(f"/records/{record_id}/dbs", _dbs_form(issued))
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        certificate = db.session.scalar(select(DbsCertificate))
        assert certificate.person_record_id == record_id and certificate.update_service_subscribed
        assert db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "dbs.recorded")
        ).subject_id == str(record_id)
    home = officer.get("/home").get_data(as_text=True)
    due = add_months(issued, 6)
    assert f"status check due {due:%d %B %Y}" in home and "Adeel Shah" in home and "1 due" in home
    checked = TODAY - dt.timedelta(days=3)
    response = officer.submit(
        f"/records/{record_id}/dbs",
        _dbs_form(issued, last_status_check_on=_d(checked), last_status_result="no new information"),
    )
    assert response.status_code == 302
    home = officer.get("/home").get_data(as_text=True)
    assert 'id="dbs-due"' not in home and "None due" in home
    with app.app_context():
        assert db.session.scalar(select(DbsCertificate)).last_status_check_on == checked
    officer.submit(f"/people/{identity_id}/reason", {"reason": "DBS check entry WDC/2026/3"})
    page = officer.get(f"/people/{identity_id}").get_data(as_text=True)
    assert "Certificate 001234567890" in page


def test_dbs_for_another_authoritys_record_is_refused(app, login):
    with app.app_context():
        record, _ = _licensed("CDC", "CDC-PH-6201")
        record_id = record.id
    officer = login(Role.LICENSING_OFFICER, "WDC")
    assert officer.submit(f"/records/{record_id}/dbs", _dbs_form(TODAY)).status_code == 404
    response = login(Role.LICENSING_OFFICER, "CDC").submit(
        f"/records/{record_id}/dbs", _dbs_form(TODAY, dbs_certificate_number="12")
    )
    assert response.status_code == 400 and 'href="#dbs_certificate_number"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(DbsCertificate)) is None


def test_the_transport_team_records_a_complaint_that_alerts_the_licensing_authority(app, login):
    with arranged(app):
        holder = make_person("BCC-CT", forenames="Rizwan", surname="Akram")
        make_badge(holder)
        driver, _ = _licensed("WDC", "WDC-PH-6301", forenames="Rizwan", surname="Akram")
        join_records(holder, driver)
        record_id, identity_id = holder.id, holder.identity_id
    transport = login(Role.TRANSPORT_OFFICER)
    transport.submit(f"/people/{identity_id}/reason", {"reason": "School route complaint ST/2026/11"})
    assert f"/records/{record_id}/complaints/new" in transport.get(f"/people/{identity_id}").get_data(
        as_text=True
    )
    response = transport.submit(
        f"/records/{record_id}/complaints/new",
        {
            "received_on": _d(TODAY),
            "source": "school",
            "category": "safeguarding_concern",
            "narrative": "Pupil left at the wrong stop.",
            "occurred_on": _d(TODAY),
            "place": "",
            "vehicle_registration": "",
            "operator_name": "",
            "substantiated": "",
            "outcome": "",
            "complainant_name": "Head teacher",
            "complainant_contact": "school office",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        complaint = db.session.scalar(select(Complaint))
        assert complaint.authority.code == "BCC-CT" and complaint.person_record_id == record_id
        assert [a.authority.code for a in db.session.scalars(select(Alert))] == ["WDC"]
