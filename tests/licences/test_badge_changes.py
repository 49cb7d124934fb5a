"""Issuing, renewing, suspending and withdrawing badges: the checks rule, the register warning, reasons and
audit."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from licensing.alerts.models import Alert
from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.authorities.models import Authority, AuthorityKind
from licensing.db import db
from licensing.licences.models import Badge, BadgeStatus, DbsCertificate
from licensing.licences.rules import add_months
from licensing.people.models import PersonRecord
from tests.factories import arranged, clock_date, join_records, make_intelligence, make_person
from tests.licences.factories import in_date_checks_form, make_badge, make_licence, make_sanction

TODAY = clock_date(__name__)


def _date(day: dt.date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _ago(days: int) -> list[str]:
    return _date(TODAY - dt.timedelta(days=days))


_checks = in_date_checks_form


def _issue_data(holder_reference: str, **overrides) -> dict:
    return {
        "holder": "existing",
        "holder_reference": holder_reference,
        "badge_type": "driver",
        "operator_name": "Chiltern Cars",
        **_checks(),
        **overrides,
    }


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(
            db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
        )


@pytest.fixture
def holder(app, county):
    with arranged(app):
        record = make_person("BCC-CT", forenames="Shazia", surname="Bibi", authority_reference="CT-H-0042")
        return {"id": record.id, "reference": record.authority_reference, "identity_id": record.identity_id}


def test_transport_officer_issues_a_badge_to_a_holder_on_their_records(app, login, holder):
    officer = login(Role.TRANSPORT_OFFICER)
    response = officer.submit("/badges/new", _issue_data(holder["reference"]))
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        badge = db.session.scalar(select(Badge))
        assert response.headers["Location"].endswith(f"/badges/{badge.id}")
        assert badge.person_record_id == holder["id"] and badge.authority.code == "BCC-CT"
        assert badge.number == f"CT{badge.id:06d}" and badge.status is BadgeStatus.VALID
        assert badge.issued_on == TODAY and badge.expires_on == add_months(TODAY, 36)
        assert badge.operator_name == "Chiltern Cars" and badge.status_reason == _checks()["reason"]
        assert badge.dbs_certificate.certificate_number == "001234567890"
        assert badge.dbs_certificate.barred_lists_checked and badge.dbs_certificate.update_service_subscribed
        assert badge.safeguarding_training_on == TODAY - dt.timedelta(days=20)
        number = badge.number
    [event] = _events(app, "badge.issued")
    assert event.reason == _checks()["reason"] and event.details["number"] == number
    assert (
        event.details["dbs_certificate"] == "001234567890"
        and event.details["register_flags_considered"] == []
    )
    page = officer.get(response.headers["Location"]).get_data(as_text=True)
    assert number in page and "Route 14, Highcrest Academy contract" in page and 'id="history"' in page


def test_holder_can_be_named_by_record_number(app, login, holder):
    officer = login(Role.TRANSPORT_OFFICER)
    assert officer.submit("/badges/new", _issue_data(str(holder["id"]))).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Badge.person_record_id)) == holder["id"]


def test_a_new_holder_is_recorded_at_the_county_in_the_same_step(app, login, county):
    officer = login(Role.TRANSPORT_OFFICER)
    data = {
        **_checks(),
        "holder": "new",
        "new_reference": "CT-H-0100",
        "new_forenames": "Bilal",
        "new_surname": "Iqbal",
        "new_date_of_birth": ["2", "9", "1988"],
        "new_sex": "M",
        "new_address_line": "4 Totteridge Lane",
        "new_town": "High Wycombe",
        "new_postcode": "hp13 7qb",
        "badge_type": "passenger_assistant",
        "operator_name": "Wycombe Cabs",
    }
    response = officer.submit("/badges/new", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        record = db.session.scalar(
            select(PersonRecord).where(PersonRecord.authority_reference == "CT-H-0100")
        )
        assert record.authority.code == "BCC-CT" and record.full_name == "Bilal Iqbal"
        assert record.addresses[0].postcode == "HP13 7QB"
        assert [b.badge_type.value for b in record.badges] == ["passenger_assistant"]
    assert len(_events(app, "person_record.created")) == 1 and len(_events(app, "badge.issued")) == 1


def test_new_holder_details_are_required_when_the_holder_is_new(app, login, county):
    response = login(Role.TRANSPORT_OFFICER).submit(
        "/badges/new", {**_checks(), "holder": "new", "badge_type": "driver", "operator_name": "Wycombe Cabs"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter the holder&#39;s surname" in page and "Enter the holder&#39;s postcode" in page
    assert _count(app, PersonRecord) == 0 and _count(app, Badge) == 0


def _bad_input() -> list[tuple[dict, str]]:
    """Each bad answer and its message; the dates are relative to TODAY as the test runs."""
    return [
        ({"dbs_certificate_number": "00123456789"}, "exactly 12 digits"),
        ({"dbs_certificate_number": "0012345678901"}, "exactly 12 digits"),
        ({"dbs_certificate_number": "00123456789A"}, "exactly 12 digits"),
        ({"dbs_certificate_number": "0012345\x0067890"}, "must not contain control characters"),
        ({"dbs_issued_on": _date(TODAY + dt.timedelta(days=3))}, "must be today or in the past"),
        ({"dbs_issued_on": ["", "", ""]}, "Enter the date the DBS certificate was issued"),
        ({"dbs_issued_on": ["12", "2025"]}, "must be a real date"),
        ({"dbs_issued_on": ["12"]}, "must be a real date"),
        ({"dbs_issued_on": ["1", "2", "3", "2025"]}, "must be a real date"),
        ({"dbs_issued_on": ["31", "2", "2025"]}, "must be a real date"),
        ({"first_reference_on": _date(TODAY + dt.timedelta(days=1))}, "must be today or in the past"),
        ({"english_test_passed_on": ["aa", "bb", "cccc"]}, "must be a real date"),
        ({"first_reference_on": ["", "", ""]}, "Enter the date of the first character reference"),
        ({"second_reference_on": ["", "", ""]}, "Enter the date of the second character reference"),
        ({"english_test_passed_on": ["", "", ""]}, "Enter the date of the English test"),
        ({"safeguarding_training_on": ["", "", ""]}, "Enter the date of the safeguarding training"),
        (
            {"safeguarding_training_on": _date(add_months(TODAY, -37))},
            "Safeguarding training was more than 3 years ago",
        ),
        ({"barred_lists_checked": ""}, "must include both barred lists"),
        (
            {"dbs_issued_on": _date(add_months(TODAY, -40)), "update_service_subscribed": ""},
            "more than 3 years old and not on the Update Service",
        ),
        (
            {"dbs_issued_on": _date(add_months(TODAY, -40))},
            "record an Update Service status check from the last 6 months",
        ),
        (
            {
                "dbs_issued_on": _date(add_months(TODAY, -40)),
                "last_status_check_on": _date(add_months(TODAY, -7)),
                "last_status_result": "no new information",
            },
            "record an Update Service status check from the last 6 months",
        ),
        (
            {"last_status_check_on": _ago(5), "last_status_result": "new information"},
            "a new enhanced DBS certificate is needed",
        ),
        ({"last_status_check_on": _ago(5)}, "Select the result of the last status check"),
        ({"last_status_check_on": _ago(90)}, "cannot be before the DBS certificate was issued"),
        ({"operator_name": ""}, "Enter the operator"),
        ({"operator_name": "Cars\x00Ltd"}, "must not contain control characters"),
        ({"reason": ""}, "Enter the reason"),
        ({"reason": "ok\x00ok ok"}, "must not contain control characters"),
        ({"badge_type": "pilot"}, "Select the badge type"),
        ({"holder_reference": ""}, "Enter your reference or record number"),
        ({"holder_reference": "NO-SUCH-REF"}, "holds no person record with reference or number NO-SUCH-REF"),
    ]


def test_bad_or_missing_checks_are_refused_and_nothing_changes(app, login, holder):
    officer = login(Role.TRANSPORT_OFFICER)
    for overrides, message in _bad_input():
        response = officer.submit("/badges/new", {**_issue_data(holder["reference"]), **overrides})
        page = response.get_data(as_text=True)
        assert response.status_code == 400, (overrides, page)
        assert message in page.replace("&#39;", "'"), overrides
    assert _count(app, Badge) == 0 and _count(app, DbsCertificate) == 0 and _events(app, "badge.issued") == []


def test_an_old_certificate_on_the_update_service_with_a_recent_clear_status_check_is_accepted(
    app, login, holder
):
    data = _issue_data(
        holder["reference"],
        dbs_issued_on=_date(add_months(TODAY, -50)),
        last_status_check_on=_ago(30),
        last_status_result="no new information",
    )
    assert login(Role.TRANSPORT_OFFICER).submit("/badges/new", data).status_code == 302
    with app.app_context():
        certificate = db.session.scalar(select(DbsCertificate))
        assert certificate.last_status_check_on == TODAY - dt.timedelta(days=30)
        assert certificate.last_status_result == "no new information"


def test_hostile_text_is_stored_literally_and_shown_escaped(app, login, holder):
    officer = login(Role.TRANSPORT_OFFICER)
    response = officer.submit(
        "/badges/new",
        _issue_data(
            holder["reference"], operator_name="<script>alert(1)</script>", reason="{{7*7}} <b>route</b>"
        ),
    )
    assert response.status_code == 302
    page = officer.get(response.headers["Location"]).get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "{{7*7}} &lt;b&gt;route&lt;/b&gt;" in page
    with app.app_context():
        assert db.session.scalar(select(Badge.operator_name)) == "<script>alert(1)</script>"


def test_a_record_of_another_authority_cannot_be_given_a_badge(app, login, county):
    with arranged(app):
        district = make_person("WDC", authority_reference="WDC-D-1")
        district_id = district.id
    officer = login(Role.TRANSPORT_OFFICER)
    for reference in ("WDC-D-1", str(district_id)):
        response = officer.submit("/badges/new", _issue_data(reference))
        assert response.status_code == 400 and "holds no person record" in response.get_data(as_text=True)
    assert _count(app, Badge) == 0


def test_the_registers_information_must_be_acknowledged_before_issuing(app, login, county):
    with arranged(app):
        county_record = make_person(
            "BCC-CT", forenames="Imran", surname="Qureshi", authority_reference="CT-H-7"
        )
        district = make_person("WDC", forenames="Imran", surname="Qureshi")
        make_licence(district, status="revoked")
        make_sanction(district)
        make_intelligence(
            make_person("TVP"), full_text="Informant X saw the subject", summary="Safeguarding concern"
        )
        police = db.session.scalar(select(PersonRecord).where(PersonRecord.authority.has(code="TVP")))
        join_records(county_record, district, police)
    officer = login(Role.TRANSPORT_OFFICER)
    response = officer.submit("/badges/new", _issue_data("CT-H-7"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'data-flag="adverse_decision"' in page and 'data-flag="police_information"' in page
    assert "Police hold information: contact the point of contact" in page and "Informant X" not in page
    assert "Why the badge should be issued despite the register" in page
    assert _count(app, Badge) == 0 and _count(app, DbsCertificate) == 0
    response = officer.submit("/badges/new", _issue_data("CT-H-7", register_rationale="Too short"))
    assert response.status_code == 400 and 'href="#register_rationale"' in response.get_data(as_text=True)
    rationale = "Revocation was for a lapsed medical, now renewed; police SPOC consulted on 3 Nov."
    response = officer.submit("/badges/new", _issue_data("CT-H-7", register_rationale=rationale))
    assert response.status_code == 302
    [event] = _events(app, "badge.issued")
    assert set(event.details["register_flags_considered"]) == {"adverse_decision", "police_information"}
    assert event.details["register_rationale"] == rationale
    with app.app_context():
        badge = db.session.scalar(select(Badge))
        assert badge.register_rationale == rationale
        from licensing.alerts.models import Alert

        [alert] = db.session.scalars(select(Alert).where(Alert.subject_type == "badges")).all()
        assert (
            alert.authority.code == "TVP" and badge.number in alert.summary and rationale not in alert.summary
        )
        identity_id = badge.person.identity_id
    spoc = login(Role.POLICE_SPOC)
    spoc.submit(f"/people/{identity_id}/reason", {"reason": "Badge issued over a police flag"})
    chronology = spoc.get(f"/people/{identity_id}").get_data(as_text=True)
    assert f"issued over the register&#39;s information: {rationale}" in chronology


def test_a_second_valid_badge_of_the_same_type_is_refused(app, login, holder):
    with arranged(app):
        make_badge(db.session.get(PersonRecord, holder["id"]), number="BCC000010")
    response = login(Role.TRANSPORT_OFFICER).submit("/badges/new", _issue_data(holder["reference"]))
    assert response.status_code == 400 and "already holds driver badge BCC000010" in response.get_data(
        as_text=True
    )
    assert _count(app, Badge) == 1


@pytest.mark.parametrize("role", [Role.LICENSING_OFFICER, Role.POLICE_SPOC, Role.ADMINISTRATOR, Role.AUDITOR])
def test_only_transport_officers_issue_badges(app, login, holder, role):
    client = login(role)
    assert client.get("/badges/new").status_code == 403
    assert client.submit("/badges/new", _issue_data(holder["reference"])).status_code == 403
    assert _count(app, Badge) == 0
    assert [e.details for e in _events(app, "access.denied")] == [{"view": "issue_badge"}] * 2


# -- Suspend, withdraw, reinstate
# ---------------------------------------------------------------------------------


@pytest.fixture
def badge_id(app, holder):
    with arranged(app):
        return make_badge(db.session.get(PersonRecord, holder["id"]), number="BCC000020").id


def _badge(app, badge_id):
    with app.app_context():
        badge = db.session.get(Badge, badge_id)
        db.session.expunge(badge)
        return badge


def test_suspending_and_withdrawing_record_reasons_audit_and_alert_licence_holders(
    app, login, holder, badge_id
):
    with arranged(app):
        district = make_person("WDC")
        make_licence(district, status="granted")
        join_records(db.session.get(PersonRecord, holder["id"]), district)
    officer = login(Role.TRANSPORT_OFFICER)
    concern = "School raised a safeguarding concern, ref S/14"
    response = officer.submit(f"/badges/{badge_id}/status", {"action": "suspend", "reason": concern})
    assert response.status_code == 302
    badge = _badge(app, badge_id)
    assert badge.status is BadgeStatus.SUSPENDED and badge.status_reason == concern
    [event] = _events(app, "badge.suspended")
    assert event.reason == badge.status_reason and event.details == {
        "number": "BCC000020",
        "from": "valid",
        "to": "suspended",
    }
    response = officer.submit(
        f"/badges/{badge_id}/status", {"action": "withdraw", "reason": "Concern substantiated"}
    )
    assert response.status_code == 302
    assert _badge(app, badge_id).status is BadgeStatus.WITHDRAWN
    [event] = _events(app, "badge.withdrawn")
    assert event.reason == "Concern substantiated" and event.details["from"] == "suspended"
    with app.app_context():
        alerts = db.session.scalars(select(Alert).order_by(Alert.id)).all()
        assert [(a.authority.code, a.subject_type, a.subject_id) for a in alerts] == [
            ("WDC", "badges", badge_id)
        ] * 2
        assert "suspended" in alerts[0].summary and "safeguarding" not in alerts[0].summary
    page = officer.get(f"/badges/{badge_id}").get_data(as_text=True)
    assert "School raised a safeguarding concern, ref S/14" in page and "Concern substantiated" in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({"action": "suspend", "reason": ""}, "Enter the reason"),
        ({"action": "suspend", "reason": "abc"}, "between 5 and 500 characters"),
        ({"action": "suspend", "reason": "Con\x00cern raised"}, "must not contain control characters"),
        ({"action": "delete", "reason": "Concern raised"}, "Select suspend, withdraw or lift the suspension"),
        ({"reason": "Concern raised"}, "Select suspend, withdraw or lift the suspension"),
        ({"action": "reinstate", "reason": "Concern resolved"}, "is valid: it cannot be reinstated"),
    ],
)
def test_status_changes_need_a_valid_action_and_reason(app, login, badge_id, data, message):
    response = login(Role.TRANSPORT_OFFICER).submit(f"/badges/{badge_id}/status", data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert _badge(app, badge_id).status is BadgeStatus.VALID
    assert not any(_events(app, a) for a in ("badge.suspended", "badge.withdrawn", "badge.reinstated"))


def test_a_withdrawn_badge_cannot_be_suspended_or_renewed(app, login, badge_id):
    officer = login(Role.TRANSPORT_OFFICER)
    officer.submit(f"/badges/{badge_id}/status", {"action": "withdraw", "reason": "Left the operator"})
    response = officer.submit(
        f"/badges/{badge_id}/status", {"action": "suspend", "reason": "Another concern"}
    )
    assert response.status_code == 400 and "is withdrawn: it cannot be suspended" in response.get_data(
        as_text=True
    )
    response = officer.submit(f"/badges/{badge_id}/renew", {**_checks()})
    assert response.status_code == 400 and "was withdrawn and cannot be renewed" in response.get_data(
        as_text=True
    )
    assert _badge(app, badge_id).status is BadgeStatus.WITHDRAWN and len(_events(app, "badge.withdrawn")) == 1


def test_a_suspension_can_be_lifted_with_a_reason(app, login, badge_id):
    officer = login(Role.TRANSPORT_OFFICER)
    officer.submit(f"/badges/{badge_id}/status", {"action": "suspend", "reason": "Investigation opened"})
    response = officer.submit(
        f"/badges/{badge_id}/status", {"action": "reinstate", "reason": "No case to answer"}
    )
    assert response.status_code == 302
    badge = _badge(app, badge_id)
    assert badge.status is BadgeStatus.VALID and badge.status_reason == "No case to answer"
    assert _events(app, "badge.reinstated")[0].details["from"] == "suspended"


def test_a_transport_officer_of_another_county_cannot_open_or_change_the_badge(app, login, badge_id):
    with app.app_context():
        db.session.add(
            Authority(
                code="OCC-CT",
                name="Oxfordshire County Council Client Transport",
                kind=AuthorityKind.CLIENT_TRANSPORT,
            )
        )
        db.session.commit()
    other = login(Role.TRANSPORT_OFFICER, "OCC-CT")
    assert other.get(f"/badges/{badge_id}").status_code == 404
    assert (
        other.submit(f"/badges/{badge_id}/status", {"action": "withdraw", "reason": "Not ours"}).status_code
        == 404
    )
    assert other.submit(f"/badges/{badge_id}/renew", {**_checks()}).status_code == 404
    badge = _badge(app, badge_id)
    assert badge.status is BadgeStatus.VALID and badge.status_reason == ""
    assert _events(app, "badge.withdrawn") == [] and _events(app, "badge.viewed") == []


@pytest.mark.parametrize("role", [Role.LICENSING_OFFICER, Role.POLICE_SPOC, Role.ADMINISTRATOR, Role.AUDITOR])
def test_other_roles_cannot_open_renew_or_change_a_badge(app, login, badge_id, role):
    client = login(role)
    assert client.get(f"/badges/{badge_id}").status_code == 403
    assert client.get(f"/badges/{badge_id}/renew").status_code == 403
    assert client.submit(f"/badges/{badge_id}/renew", {**_checks()}).status_code == 403
    response = client.submit(f"/badges/{badge_id}/status", {"action": "withdraw", "reason": "Not allowed"})
    assert response.status_code == 403
    assert client.get("/badges/due").status_code == 403
    assert _badge(app, badge_id).status is BadgeStatus.VALID


def test_unknown_badge_ids_give_404(login, county):
    officer = login(Role.TRANSPORT_OFFICER)
    assert officer.get("/badges/999999").status_code == 404
    assert officer.get("/badges/999999/renew").status_code == 404
    assert officer.get("/badges/abc").status_code == 404


# -- Renewal
# ------------------------------------------------------------------------------------------------------


def _renewal_badge(app, holder, **kwargs) -> int:
    with arranged(app):
        issued = kwargs.pop("issued_on", add_months(TODAY, -35))
        return make_badge(
            db.session.get(PersonRecord, holder["id"]), number="BCC000030", issued_on=issued, **kwargs
        ).id


def test_renewal_extends_the_badge_by_three_years_on_current_checks(app, login, holder):
    badge_id = _renewal_badge(app, holder)
    old = _badge(app, badge_id)
    officer = login(Role.TRANSPORT_OFFICER)
    form = officer.get(f"/badges/{badge_id}/renew").get_data(as_text=True)
    assert old.dbs_certificate_id and "Renew badge BCC000030" in form
    response = officer.submit(f"/badges/{badge_id}/renew", {**_checks(), "reason": "Renewal, same operator"})
    assert response.status_code == 302, response.get_data(as_text=True)
    badge = _badge(app, badge_id)
    assert badge.expires_on == add_months(old.expires_on, 36) and badge.status is BadgeStatus.VALID
    assert badge.safeguarding_training_on == TODAY - dt.timedelta(days=20)
    with app.app_context():
        assert db.session.get(Badge, badge_id).dbs_certificate.certificate_number == "001234567890"
    [event] = _events(app, "badge.renewed")
    assert event.reason == "Renewal, same operator"
    assert event.details["before"]["expires_on"] == old.expires_on.isoformat()


def test_an_expired_badge_renews_for_three_years_from_today(app, login, holder):
    badge_id = _renewal_badge(app, holder, issued_on=add_months(TODAY, -40))
    assert login(Role.TRANSPORT_OFFICER).submit(f"/badges/{badge_id}/renew", _checks()).status_code == 302
    assert _badge(app, badge_id).expires_on == add_months(TODAY, 36)


def test_renewal_with_an_expired_check_is_refused(app, login, holder):
    badge_id = _renewal_badge(app, holder)
    before = _badge(app, badge_id)
    response = login(Role.TRANSPORT_OFFICER).submit(
        f"/badges/{badge_id}/renew", {**_checks(), "safeguarding_training_on": _date(add_months(TODAY, -40))}
    )
    assert (
        response.status_code == 400
        and "Safeguarding training was more than 3 years ago" in response.get_data(as_text=True)
    )
    after = _badge(app, badge_id)
    assert (
        after.expires_on == before.expires_on
        and after.safeguarding_training_on == before.safeguarding_training_on
    )
    assert _events(app, "badge.renewed") == []


def test_renewal_opens_ninety_days_before_expiry(app, login, holder):
    badge_id = _renewal_badge(app, holder, issued_on=TODAY - dt.timedelta(days=30))
    response = login(Role.TRANSPORT_OFFICER).submit(f"/badges/{badge_id}/renew", _checks())
    assert response.status_code == 400 and "it can be renewed from" in response.get_data(as_text=True)
    assert _events(app, "badge.renewed") == []


def test_a_suspended_badge_cannot_be_renewed(app, login, holder):
    badge_id = _renewal_badge(app, holder, status=BadgeStatus.SUSPENDED)
    response = login(Role.TRANSPORT_OFFICER).submit(f"/badges/{badge_id}/renew", _checks())
    assert response.status_code == 400 and "lift the suspension" in response.get_data(as_text=True)


def test_renewal_shows_the_registers_information_and_needs_it_considered(app, login, holder):
    badge_id = _renewal_badge(app, holder)
    with arranged(app):
        police = make_person("TVP")
        make_intelligence(police)
        join_records(db.session.get(PersonRecord, holder["id"]), police)
    officer = login(Role.TRANSPORT_OFFICER)
    form = officer.get(f"/badges/{badge_id}/renew").get_data(as_text=True)
    assert 'data-flag="police_information"' in form and "Why the badge should be issued despite" in form
    response = officer.submit(f"/badges/{badge_id}/renew", _checks())
    assert response.status_code == 400 and "Read it, then explain why" in response.get_data(as_text=True)
    assert _events(app, "badge.renewed") == []
    rationale = "Police summary reviewed with the SPOC: no risk to routes."
    renewal = {**_checks(), "register_rationale": rationale}
    assert officer.submit(f"/badges/{badge_id}/renew", renewal).status_code == 302
    assert _events(app, "badge.renewed")[0].details["register_flags_considered"] == ["police_information"]
