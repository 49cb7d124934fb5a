import datetime as dt

from sqlalchemy import func, select

from licensing.alerts.models import Alert
from licensing.auth.models import Role
from licensing.complaints.models import Complaint
from licensing.db import db
from tests.factories import arranged, clock_date, join_records, make_person
from tests.sanctions.test_decisions import _badged, _d, _licensed

TODAY = clock_date(__name__)


def _complaint(**change):
    return {
        "received_on": _d(TODAY - dt.timedelta(days=2)),
        "source": "school",
        "category": "safeguarding_concern",
        "occurred_on": _d(TODAY - dt.timedelta(days=3)),
        "place": "Outside Hilltop School",
        "vehicle_registration": "ab12 cde",
        "operator_name": "Castle Cars",
        "narrative": "Driver messaged a pupil on social media.",
        "substantiated": "",
        "complainant_name": "Head teacher",
        "complainant_contact": "07700 900123",
        **change,
    }


def test_safeguarding_complaint_alerts_other_holders_and_hides_the_complainant_elsewhere(app, login):
    with arranged(app):
        wycombe, _ = _licensed("WDC", "WDC-PH-7001", forenames="Zafar", surname="Iqbal")
        badge = _badged(forenames="Zafar", surname="Iqbal")
        identity_id = join_records(wycombe, badge)
        record_id = wycombe.id
    officer = login(Role.LICENSING_OFFICER, "WDC")
    assert officer.submit(f"/records/{record_id}/complaints/new", _complaint()).status_code == 302
    with app.app_context():
        complaint = db.session.scalar(select(Complaint))
        assert complaint.vehicle_registration == "AB12CDE" and complaint.complainant_name == "Head teacher"
        assert [a.authority.code for a in db.session.scalars(select(Alert))] == ["BCC-CT"]
    officer.submit(f"/people/{identity_id}/reason", {"reason": "Own complaint"})
    assert "Head teacher" in officer.get(f"/people/{identity_id}").get_data(as_text=True)
    transport = login(Role.TRANSPORT_OFFICER)
    transport.submit(f"/people/{identity_id}/reason", {"reason": "Alert received"})
    page = transport.get(f"/people/{identity_id}").get_data(as_text=True)
    assert "Driver messaged a pupil" in page and "Head teacher" not in page and "07700 900123" not in page
    assert "Restricted to Wycombe District Council" in page


def test_minor_complaint_raises_no_alert(app, login):
    with arranged(app):
        wycombe, _ = _licensed("WDC", "WDC-PH-7002")
        join_records(wycombe, _badged())
        record_id = wycombe.id
    login(Role.LICENSING_OFFICER, "WDC").submit(f"/records/{record_id}/complaints/new",
                                                 _complaint(category="overcharging"))
    with app.app_context():
        assert db.session.scalar(select(func.count(Complaint.id))) == 1
        assert db.session.scalar(select(func.count(Alert.id))) == 0


def test_two_sexual_or_safeguarding_complaints_in_24_months_across_authorities_flag_the_person(app, login):
    with arranged(app):
        wycombe, _ = _licensed("WDC", "WDC-PH-7003", forenames="Khalid", surname="Shah")
        chiltern, _ = _licensed("CDC", "CDC-PH-7004", forenames="Khalid", surname="Shah")
        identity_id = join_records(wycombe, chiltern)
        ids = {"WDC": wycombe.id, "CDC": chiltern.id}
    for code in ("WDC", "CDC"):
        login(Role.LICENSING_OFFICER, code).submit(f"/records/{ids[code]}/complaints/new",
                                                   _complaint(category="sexual_harassment"))
    viewer = login(Role.LICENSING_OFFICER, "SBDC")
    viewer.submit(f"/people/{identity_id}/reason", {"reason": "Pattern check"})
    page = viewer.get(f"/people/{identity_id}").get_data(as_text=True)
    assert "2 sexual or safeguarding complaints in 24 months across 2 authorities" in page


def test_bad_complaint_input_changes_nothing(app, login):
    with arranged(app):
        record_id = make_person("WDC").id
    officer = login(Role.LICENSING_OFFICER, "WDC")
    cases = [
        ({"category": ""}, "Select the category"),
        ({"vehicle_registration": "<script>"}, "Enter a vehicle registration"),
        ({"received_on": _d(TODAY + dt.timedelta(days=5))}, "cannot be in the future"),
        ({"occurred_on": _d(TODAY - dt.timedelta(days=1))}, "cannot be after the complaint was received"),
        ({"received_on": ["1", "2", "3", "2026"]}, "must be a real date"),
        ({"source": "gossip"}, "Not a valid choice"),
        ({"narrative": ""}, "Enter what happened"),
    ]
    for change, message in cases:
        response = officer.submit(f"/records/{record_id}/complaints/new", _complaint(**change))
        assert response.status_code == 400, change
        assert message in response.get_data(as_text=True), change
    with app.app_context():
        assert db.session.scalar(select(func.count(Complaint.id))) == 0
