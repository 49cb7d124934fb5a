"""Checking a badge by number: status (expired computed from the date), holder, and what the register
holds."""

import datetime as dt

import pytest
from sqlalchemy import select

from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.db import db
from licensing.licences.models import BadgeStatus
from tests.factories import arranged, clock_date, join_records, make_intelligence, make_person
from tests.licences.factories import make_badge, make_complaint, make_licence, make_sanction

TODAY = clock_date(__name__)


def _checks(app):
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "badge.checked")
                                       .order_by(AuditEvent.id)))


@pytest.mark.parametrize("role", [Role.TRANSPORT_OFFICER, Role.LICENSING_OFFICER, Role.POLICE_SPOC])
def test_anyone_who_might_be_asked_can_check_a_valid_badge(app, login, role):
    with arranged(app):
        record = make_person("BCC-CT", forenames="Tariq", surname="Mahmood")
        badge = make_badge(record, number="BCC000777", operator_name="Marlow Executive Travel",
                           expires_on=TODAY + dt.timedelta(days=400))
        badge_id, expires, identity_id = badge.id, badge.expires_on, record.identity_id
    checker = login(role)
    response = checker.submit("/badges/check", {"number": " bcc 000777 ", "reason": "School route check"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-status="valid"' in page and "Tariq Mahmood" in page and "Marlow Executive Travel" in page
    assert "Driver" in page and expires.strftime("%d %B %Y") in page
    assert "No licensing decisions, complaints or police information" in page
    assert f"/people/{identity_id}" in page
    [event] = _checks(app)
    assert event.subject_type == "badges" and event.subject_id == str(badge_id)
    assert event.details["found"] is True and event.details["status"] == "valid"
    assert event.role == role.value


def test_check_shows_expired_for_a_past_expiry_even_when_the_status_says_valid(app, login):
    with arranged(app):
        record = make_person("BCC-CT")
        make_badge(
            record,
            number="BCC000001",
            status=BadgeStatus.VALID,
            issued_on=TODAY - dt.timedelta(days=1200),
            expires_on=TODAY - dt.timedelta(days=1),
        )
    page = (
        login(Role.POLICE_SPOC)
        .submit("/badges/check", {"number": "BCC000001", "reason": "School route check"})
        .get_data(as_text=True)
    )
    assert 'data-status="expired"' in page and 'data-status="valid"' not in page
    assert "It is not valid" in page
    assert _checks(app)[0].details["status"] == "expired"


@pytest.mark.parametrize("status", [BadgeStatus.SUSPENDED, BadgeStatus.WITHDRAWN])
def test_check_shows_suspended_and_withdrawn(app, login, status):
    with arranged(app):
        make_badge(make_person("BCC-CT"), number="BCC000002", status=status,
                   status_reason="Police information received about the holder")
    page = (
        login(Role.TRANSPORT_OFFICER)
        .submit("/badges/check", {"number": "BCC000002", "reason": "School route check"})
        .get_data(as_text=True)
    )
    assert f'data-status="{status.value}"' in page and "It is not valid" in page
    assert "Police information received" not in page  # the reason stays on the team's own badge page


def test_unknown_badge_number_gives_a_clear_message_and_is_audited(app, login):
    page = (
        login(Role.LICENSING_OFFICER)
        .submit("/badges/check", {"number": "ct999999", "reason": "School route check"})
        .get_data(as_text=True)
    )
    assert "No badge with number CT999999" in page
    [event] = _checks(app)
    assert event.subject_id == "" and event.details == {"number": "CT999999", "found": False}


@pytest.mark.parametrize("number, message", [
    ("", "Enter the badge number"),
    ("   ", "Enter the badge number"),
    ("<script>alert(1)</script>", "only letters, numbers and hyphens"),
    ("BCC\x00001", "must not contain control characters"),
    ("B" * 31, "30 characters or fewer"),
    ("' OR 1=1 --", "only letters, numbers and hyphens"),
])
def test_bad_badge_numbers_get_a_clear_message_and_no_check(app, login, number, message):
    response = login(Role.TRANSPORT_OFFICER).submit(
        "/badges/check", {"number": number, "reason": "School route check"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    assert "<script>alert(1)</script>" not in page
    assert _checks(app) == []


def test_check_shows_the_registers_flags_for_a_holder_revoked_by_a_district(app, login):
    with arranged(app):
        district = make_person(
            "WDC", forenames="Imran", surname="Qureshi", date_of_birth=dt.date(1979, 3, 14)
        )
        make_licence(district, status="revoked")
        make_sanction(district, sanction_type="revocation")
        make_complaint(district)
        county_record = make_person(
            "BCC-CT", forenames="Imran", surname="Qureshi", date_of_birth=dt.date(1979, 3, 14)
        )
        make_badge(county_record, number="BCC000555")
        police = make_person("TVP", forenames="Imran", surname="Qureshi")
        make_intelligence(
            police, full_text="Informant X saw the subject at 2am", summary="Safeguarding concern"
        )
        identity_id = join_records(county_record, district, police)
    for role in (Role.TRANSPORT_OFFICER, Role.LICENSING_OFFICER):
        form = {"number": "BCC000555", "reason": "School route check"}
        page = login(role).submit("/badges/check", form).get_data(as_text=True)
        assert 'data-flag="adverse_decision"' in page and "Revoked by Wycombe District Council on " in page
        assert 'data-flag="police_information"' in page
        assert "Police hold information: contact the point of contact" in page
        assert "1 complaint recorded (WDC)" in page
        assert "Informant X" not in page and "Safeguarding concern" not in page
        assert f"/people/{identity_id}" in page
    event = _checks(app)[0]
    assert set(event.details["flags"]) >= {"adverse_decision", "police_information"}
    assert event.details["identity"] == identity_id


def test_admins_and_auditors_cannot_check_a_badge(app, login):
    with arranged(app):
        make_badge(make_person("BCC-CT"), number="BCC000003")
    for role in (Role.ADMINISTRATOR, Role.AUDITOR):
        client = login(role)
        assert client.get("/badges/check").status_code == 403
        form = {"number": "BCC000003", "reason": "School route check"}
        assert client.submit("/badges/check", form).status_code == 403
    assert _checks(app) == []
    with app.app_context():
        denied = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "access.denied")).all()
        assert len(denied) == 4 and {e.details["view"] for e in denied} == {"check_badge"}


def test_badge_number_is_never_put_in_the_url(app, login):
    page = login(Role.TRANSPORT_OFFICER).get("/badges/check").get_data(as_text=True)
    assert 'method="post"' in page and 'name="number"' in page
