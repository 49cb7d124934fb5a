"""Recording licensing decisions through the form: structured grounds, licence status, alerts elsewhere."""

import datetime as dt

from sqlalchemy import func, select

from licensing.alerts.models import Alert, AlertKind
from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.db import db
from licensing.licences.models import Badge, BadgeStatus, BadgeType, Licence, LicenceStatus, LicenceType
from licensing.sanctions.models import Sanction, SanctionType
from tests.factories import arranged, authority, clock_date, join_records, make_person

TODAY = clock_date(__name__)


def _d(day: dt.date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _licensed(code: str, number: str, **person):
    record = make_person(code, **person)
    licence = Licence(person=record, authority=authority(code), licence_type=LicenceType.PRIVATE_HIRE_DRIVER,
                      number=number, status=LicenceStatus.GRANTED, issued_on=TODAY - dt.timedelta(days=100),
                      expires_on=TODAY + dt.timedelta(days=900))
    db.session.add(licence)
    db.session.commit()
    return record, licence


def _badged(**person):
    record = make_person("BCC-CT", **person)
    db.session.add(
        Badge(
            person=record,
            authority=authority("BCC-CT"),
            badge_type=BadgeType.DRIVER,
            number="BCC777001",
            operator_name="Castle Cars",
            status=BadgeStatus.VALID,
            issued_on=TODAY - dt.timedelta(days=30),
            expires_on=TODAY + dt.timedelta(days=1000),
        )
    )
    db.session.commit()
    return record


def _revocation(licence_id: int) -> dict:
    return {"decision": "revocation", "licence_id": str(licence_id), "grounds": "sexual_misconduct",
            "decided_on": _d(TODAY), "effective_on": _d(TODAY), "decision_maker": "Licensing Sub-Committee",
            "narrative": "Three similar complaints of harassment of lone female passengers over 18 months.",
            "appeal_outcome": "none", "new_licence_type": ""}


def test_revocation_sets_the_licence_status_and_alerts_every_other_holder(app, login):
    with arranged(app):
        wycombe, licence = _licensed("WDC", "WDC-PH-1001", forenames="Arshad", surname="Malik")
        chiltern, _ = _licensed("CDC", "CDC-PH-2002", forenames="Arshad", surname="Malik")
        county_badge = _badged(forenames="Arshad", surname="Malik")
        unlicensed = make_person("SBDC", forenames="Arshad", surname="Malik")
        join_records(wycombe, chiltern, county_badge, unlicensed)
        record_id, licence_id = wycombe.id, licence.id
    officer = login(Role.LICENSING_OFFICER, "WDC")
    response = officer.submit(f"/records/{record_id}/decision", _revocation(licence_id))
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        sanction = db.session.scalar(select(Sanction))
        assert (
            sanction.sanction_type is SanctionType.REVOCATION
            and sanction.grounds.value == "sexual_misconduct"
        )
        assert db.session.get(Licence, licence_id).status is LicenceStatus.REVOKED
        alerts = db.session.scalars(select(Alert)).all()
        assert {a.authority.code for a in alerts} == {"CDC", "BCC-CT"}
        assert all(a.kind is AlertKind.DECISION and "Revocation" in a.summary for a in alerts)
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "decision.recorded"))


def test_grant_of_a_new_licence(app, login):
    with arranged(app):
        record_id = make_person("WDC", forenames="Bilal", surname="Aslam").id
    officer = login(Role.LICENSING_OFFICER, "WDC")
    response = officer.submit(
        f"/records/{record_id}/decision",
        {
            "decision": "grant",
            "licence_id": "0",
            "new_licence_type": "dual_driver",
            "new_licence_number": "WDC-DD-5000",
            "decided_on": _d(TODAY),
            "effective_on": _d(TODAY),
            "decision_maker": "Licensing Manager",
            "narrative": "Fit and proper: checks complete.",
            "appeal_outcome": "none",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        licence = db.session.scalar(select(Licence))
        assert licence.status is LicenceStatus.GRANTED and licence.licence_type is LicenceType.DUAL_DRIVER
        assert licence.expires_on.year == TODAY.year + 3
        assert db.session.scalar(select(func.count(Sanction.id))) == 0


def test_bad_decision_input_changes_nothing(app, login):
    with arranged(app):
        record, licence = _licensed("WDC", "WDC-PH-3003")
        record_id, licence_id = record.id, licence.id
    officer = login(Role.LICENSING_OFFICER, "WDC")
    cases = [
        ({"grounds": ""}, "Select the grounds"),
        ({"grounds": "being_annoying"}, "Not a valid choice"),
        ({"decision": "execute"}, "Not a valid choice"),
        ({"licence_id": "0"}, "Select the licence"),
        ({"licence_id": "99999"}, "Not a valid choice"),
        ({"effective_on": _d(TODAY - dt.timedelta(days=3))}, "cannot be before the decision date"),
        ({"decided_on": _d(TODAY + dt.timedelta(days=3)), "effective_on": _d(TODAY + dt.timedelta(days=3))},
         "cannot be in the future"),
        ({"decided_on": ["31", "2"]}, "must be a real date"),
        ({"narrative": ""}, "Enter the reasons"),
        ({"narrative": "x\x00y"}, "must not contain control characters"),
    ]
    for change, message in cases:
        response = officer.submit(f"/records/{record_id}/decision", {**_revocation(licence_id), **change})
        assert response.status_code == 400, change
        assert message in response.get_data(as_text=True), change
    with app.app_context():
        assert db.session.scalar(select(func.count(Sanction.id))) == 0
        assert db.session.get(Licence, licence_id).status is LicenceStatus.GRANTED


def test_officer_cannot_record_a_decision_on_another_authoritys_record(app, login):
    with arranged(app):
        record, licence = _licensed("CDC", "CDC-PH-4004")
        record_id, licence_id = record.id, licence.id
    officer = login(Role.LICENSING_OFFICER, "WDC")
    assert officer.get(f"/records/{record_id}/decision").status_code == 404
    assert officer.submit(f"/records/{record_id}/decision", _revocation(licence_id)).status_code == 404
    assert login(Role.TRANSPORT_OFFICER).get(f"/records/{record_id}/decision").status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count(Sanction.id))) == 0


def test_flags_come_from_the_whole_identity(app, login):
    with arranged(app):
        wycombe, licence = _licensed("WDC", "WDC-PH-6006", forenames="Sajid", surname="Raja")
        chiltern, _ = _licensed("CDC", "CDC-PH-6007", forenames="Sajid", surname="Raja")
        identity_id = join_records(wycombe, chiltern)
        record_id, licence_id = wycombe.id, licence.id
    login(Role.LICENSING_OFFICER, "WDC").submit(f"/records/{record_id}/decision", _revocation(licence_id))
    chiltern_officer = login(Role.LICENSING_OFFICER, "CDC")
    chiltern_officer.submit(f"/people/{identity_id}/reason", {"reason": "Alert follow-up"})
    page = chiltern_officer.get(f"/people/{identity_id}").get_data(as_text=True)
    assert 'data-flag="adverse_decision"' in page and 'data-flag="licensed_despite_decision"' in page
    assert "Three similar complaints" in page  # reasons travel with the decision
