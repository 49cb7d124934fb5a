"""Flags say what happened, where, when and on what grounds, link to the record, and the police marker names
the force's point of contact only where the summary is withheld."""

import datetime as dt
import re

from sqlalchemy import select

from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.authorities.models import Authority
from licensing.db import db
from licensing.licences.models import Licence, LicenceStatus
from licensing.sanctions.models import Sanction
from tests.factories import arranged, authority, clock_date, join_records, make_intelligence, make_person
from tests.sanctions.test_decisions import _d, _licensed, _revocation

TODAY = clock_date(__name__)


def _on(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _person_page(client, identity_id: int) -> str:
    client.submit(f"/people/{identity_id}/reason", {"reason": "Flag wording check"})
    return client.get(f"/people/{identity_id}").get_data(as_text=True)


def _flag(page: str, code: str) -> str:
    match = re.search(rf'<li data-flag="{code}">(.*?)</li>', page, re.S)
    assert match, f"no {code} flag"
    return match.group(1)


def test_a_revocation_flag_says_who_when_and_on_what_grounds_and_links_to_the_decision(app, login):
    with arranged(app):
        wycombe, licence = _licensed("WDC", "WDC-PH-8101", forenames="Imran", surname="Hussein")
        chiltern, _ = _licensed("CDC", "CDC-PH-8102", forenames="Imran", surname="Hussein")
        identity_id = join_records(wycombe, chiltern)
        record_id, licence_id = wycombe.id, licence.id
        wycombe_name = authority("WDC").name
    decided = TODAY - dt.timedelta(days=3)
    form = {
        **_revocation(licence_id),
        "grounds": "safeguarding",
        "decided_on": _d(decided),
        "effective_on": _d(decided),
    }
    assert (
        login(Role.LICENSING_OFFICER, "WDC").submit(f"/records/{record_id}/decision", form).status_code == 302
    )
    page = _person_page(login(Role.LICENSING_OFFICER, "CDC"), identity_id)
    with app.app_context():
        sanction_id = db.session.scalar(select(Sanction.id))
    flag = _flag(page, "adverse_decision")
    assert f"Revoked by {wycombe_name} on {_on(decided)}: safeguarding" in flag
    assert f'href="#sanction-{sanction_id}"' in flag and f'id="sanction-{sanction_id}"' in page
    despite = _flag(page, "licensed_despite_decision")
    assert "CDC-PH-8102" in despite and f"Revoked by {wycombe_name}" in despite


def test_revoked_licence_shows_a_red_tag_and_when_and_why_it_ended_not_its_expiry(app, login):
    with app.app_context():
        record, licence = _licensed("WDC", "WDC-PH-8201", forenames="Bilal", surname="Akhtar")
        record_id, licence_id, identity_id = record.id, licence.id, record.identity_id
        expiry = licence.expires_on
    effective = TODAY - dt.timedelta(days=1)
    form = {**_revocation(licence_id), "decided_on": _d(effective), "effective_on": _d(effective)}
    officer = login(Role.LICENSING_OFFICER, "WDC")
    assert officer.submit(f"/records/{record_id}/decision", form).status_code == 302
    page = _person_page(officer, identity_id)
    row = re.search(rf'<tr class="govuk-table__row" id="licence-{licence_id}">(.*?)</tr>', page, re.S).group(
        1
    )
    assert 'govuk-tag--red" data-status="revoked"' in row
    assert f"Ended {effective:%d %b %Y}: revocation, sexual misconduct" in row
    assert f"{expiry:%d %b %Y}" not in row
    with app.app_context():
        assert db.session.get(Licence, licence_id).status is LicenceStatus.REVOKED


def test_valid_and_expired_licences_have_their_own_tag_colours(app, login):
    with app.app_context():
        record, current = _licensed("WDC", "WDC-PH-8301")
        old = Licence(
            person=record,
            authority=authority("WDC"),
            licence_type=current.licence_type,
            number="WDC-PH-8302",
            status=LicenceStatus.GRANTED,
            issued_on=TODAY - dt.timedelta(days=2000),
            expires_on=TODAY - dt.timedelta(days=900),
        )
        db.session.add(old)
        db.session.commit()
        identity_id, current_id, old_id = record.identity_id, current.id, old.id
    page = _person_page(login(Role.LICENSING_OFFICER, "WDC"), identity_id)
    assert re.search(
        rf'id="licence-{current_id}">.*?govuk-tag--green" data-status="granted">Valid<', page, re.S
    )
    assert re.search(rf'id="licence-{old_id}">.*?govuk-tag--grey" data-status="expired">Expired<', page, re.S)


def _police_subject(handling: str, recipients: tuple[str, ...]) -> int:
    driver = make_person("WDC", forenames="Tariq", surname="Mehmood")
    police = make_person("TVP", forenames="Tariq", surname="Mehmood")
    make_intelligence(police, handling=handling, recipients=recipients)
    return join_records(driver, police)


def test_the_marker_is_not_shown_above_a_summary_the_viewer_may_read(app, login):
    with arranged(app):
        identity_id = _police_subject("C", ("WDC",))
    page = _person_page(login(Role.LICENSING_OFFICER, "WDC"), identity_id)
    assert "contact the point of contact" not in page
    flag = _flag(page, "police_information")
    assert "Police information shared with you: child exploitation (intelligence), 1 Oct 2026" in flag
    assert 'href="#police-information"' in flag


def test_where_the_summary_is_withheld_the_marker_gives_the_contact_held_as_authority_data(app, login):
    with arranged(app):
        identity_id = _police_subject("C", ("WDC",))
    admin = login(Role.ADMINISTRATOR)
    with app.app_context():
        force_id = authority("TVP").id
    response = admin.submit(
        f"/admin/authorities/{force_id}",
        {
            "contact_name": "PS Dana Whitfield",
            "contact_phone": "01865 555 0199",
            "contact_email": "taxi.spoc@tvp.example.org",
            "penalty_points_period_months": "36",
            "penalty_points_threshold": "12",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        force = db.session.get(Authority, force_id)
        assert (force.contact_name, force.contact_phone) == ("PS Dana Whitfield", "01865 555 0199")
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "authority.updated"))
        assert set(event.details["changed"]) == {"contact_name", "contact_phone", "contact_email"}
    page = _person_page(login(Role.LICENSING_OFFICER, "CDC"), identity_id)
    expected = (
        "Police hold information: contact the point of contact, PS Dana Whitfield, 01865 555 0199, "
        "taxi.spoc@tvp.example.org (Thames Valley Police)"
    )
    assert expected in _flag(page, "police_information")
    assert page.count("PS Dana Whitfield") == 2  # the flag and the item itself
    assert "Police hold safeguarding information" not in page


def test_authority_settings_reject_bad_values_with_each_error_on_its_field(app, login):
    with app.app_context():
        force_id = authority("TVP").id
    admin = login(Role.ADMINISTRATOR)
    response = admin.submit(
        f"/admin/authorities/{force_id}",
        {
            "contact_name": "",
            "contact_phone": "call me",
            "contact_email": "not-an-email",
            "penalty_points_period_months": "0",
            "penalty_points_threshold": "",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for field in (
        "contact_phone",
        "contact_email",
        "penalty_points_period_months",
        "penalty_points_threshold",
    ):
        assert f'href="#{field}"' in page and f'id="{field}-error"' in page
    with app.app_context():
        assert db.session.get(Authority, force_id).contact_phone == ""


def test_police_alerts_name_the_point_of_contact(app, login):
    from licensing.alerts.models import Alert, AlertKind

    with arranged(app):
        force = authority("TVP")
        force.contact_name, force.contact_phone, force.contact_email = (
            "DC Priya Natt",
            "01865 555 0142",
            "spoc@tvp.example.org",
        )
        record = make_person("WDC", forenames="Omar", surname="Siddiqui")
        db.session.add(
            Alert(
                authority_id=record.authority_id,
                identity_id=record.identity_id,
                kind=AlertKind.POLICE_INFORMATION,
                subject_type="intelligence_items",
                subject_id=1,
                summary="Police hold information: contact the point of contact",
                raised_by_authority_id=force.id,
            )
        )
        db.session.commit()
    officer = login(Role.LICENSING_OFFICER, "WDC")
    for url in ("/alerts", "/home"):
        page = officer.get(url).get_data(as_text=True)
        assert "DC Priya Natt, 01865 555 0142, spoc@tvp.example.org" in page, url


def test_search_results_show_the_marker_only_to_those_who_cannot_read_the_summary(app, login):
    with arranged(app):
        _police_subject("C", ("WDC",))

    def flags(client) -> str:
        page = client.submit("/search", {"reason": "Renewal check 2026/77", "surname": "Mehmood"}).get_data(
            as_text=True)
        return " ".join(re.findall(r'app-flag-list">(.*?)</div>', page, re.S))

    assert "Police information shared with you" in flags(login(Role.LICENSING_OFFICER, "WDC"))
    assert "contact the point of contact" in flags(login(Role.LICENSING_OFFICER, "CDC"))
