"""Submitting graded intelligence: about a person in the register or a new subject; alerts carry only the
marker."""

import datetime as dt

from sqlalchemy import select

from licensing.alerts.models import Alert, AlertKind
from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.db import db
from licensing.intelligence.models import HandlingCode, IntelligenceStatus
from licensing.licences.rules import add_months
from licensing.people.models import PersonRecord
from tests.factories import arranged, authority, make_person
from tests.intelligence.factories import FULL, MARKER, SUMMARY, item_count, item_form, make_licence, only_item
from tests.statements import recorded_statements


def test_submitting_on_a_wycombe_driver_alerts_wycombe_only(app, login, driver):
    police = login(Role.POLICE_SPOC)
    form_page = police.get(f"/intelligence/new?identity_id={driver}").get_data(as_text=True)
    assert "Tariq Mehmood" in form_page and "Wycombe District Council" in form_page
    response = police.submit(f"/intelligence/new?identity_id={driver}", item_form())
    assert response.status_code == 302
    page = police.get(response.headers["Location"]).get_data(as_text=True)
    assert FULL in page and "TVP/2026/00042" in page
    with app.app_context():
        item = only_item(app)
        assert item.person.identity_id == driver and item.grading == "2BP"
        assert (
            item.status is IntelligenceStatus.ARRESTED and item.legal_basis == "Common Law Police Disclosure"
        )
        assert item.submitted_by.authority.code == "TVP" and item.authority.code == "TVP"
        alerts = db.session.scalars(select(Alert)).all()
        assert [a.authority.code for a in alerts] == ["WDC"]  # CDC's licence has expired
        assert alerts[0].kind is AlertKind.POLICE_INFORMATION and alerts[0].summary == MARKER
        assert alerts[0].subject_type == "intelligence_items" and alerts[0].subject_id == item.id
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "intelligence.submitted")
        ).one()
        assert event.subject_id == str(item.id) and event.details["identity"] == driver
        assert event.details["alerted"] == [authority("WDC").id]
        assert FULL not in str(event.details) and SUMMARY not in str(event.details)


def test_handling_decides_what_officers_elsewhere_see(app, login, driver):
    police = login(Role.POLICE_SPOC)
    with app.app_context():
        wdc = authority("WDC").id
    form = item_form(
        handling_code="C", handling_conditions="Not to be disclosed to the subject", recipients=[wdc]
    )
    assert police.submit(f"/intelligence/new?identity_id={driver}", form).status_code == 302

    def person_page(client):
        client.submit(f"/people/{driver}/reason", {"reason": "Renewal application 2026/77"})
        return client.get(f"/people/{driver}").get_data(as_text=True)

    wycombe = person_page(login(Role.LICENSING_OFFICER, "WDC"))
    assert SUMMARY in wycombe and "Not to be disclosed to the subject" in wycombe and FULL not in wycombe
    chiltern = person_page(login(Role.LICENSING_OFFICER, "CDC"))
    assert MARKER in chiltern and SUMMARY not in chiltern and FULL not in chiltern
    assert "TVP/2026/00042" not in wycombe + chiltern


def test_a_new_subject_becomes_a_police_only_record_linked_to_the_licensed_driver(app, login, county):
    dvla = "KHAN9703149A99AB"
    with arranged(app):
        wdc = make_person(
            "WDC",
            forenames="Asif",
            surname="Khan",
            date_of_birth=dt.date(1979, 3, 14),
            driving_licence_number=dvla,
            national_insurance="JT123456A",
        )
        make_licence(wdc)
        wdc_identity = wdc.identity_id
    police = login(Role.POLICE_SPOC)
    subject = {
        "subject_forenames": "Asif",
        "subject_surname": "Khan",
        "subject_date_of_birth": ["14", "3", "1979"],
        "subject_sex": "M",
        "subject_address_line": "12 Desborough Road",
        "subject_postcode": "hp11 2bz",
        "subject_driving_licence_number": dvla,
        "subject_national_insurance": "JT 12 34 56 A",
    }
    response = police.submit("/intelligence/new", {**item_form(force_reference="TVP/2026/00077"), **subject})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        record = db.session.scalars(
            select(PersonRecord).where(PersonRecord.authority_id == authority("TVP").id)
        ).one()
        assert record.authority_reference == "TVP/2026/00077" and record.addresses[0].postcode == "HP11 2BZ"
        assert record.identity_id == wdc_identity  # the engine linked it on the DVLA and NI numbers
        assert only_item(app).person_record_id == record.id
        assert [a.authority.code for a in db.session.scalars(select(Alert))] == ["WDC"]
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {"person_record.created", "intelligence.submitted"} <= actions
    officer = login(Role.LICENSING_OFFICER, "WDC")
    officer.submit(f"/people/{wdc_identity}/reason", {"reason": "Alert follow-up 2026/9"})
    page = officer.get(f"/people/{wdc_identity}").get_data(as_text=True)
    assert "Thames Valley Police" not in page.split("Records held")[1].split("Licences and badges")[0]
    assert SUMMARY in page and FULL not in page


def test_a_new_subject_nobody_holds_raises_no_alert(app, login, county):
    police = login(Role.POLICE_SPOC)
    subject = {
        "subject_forenames": "Kamran",
        "subject_surname": "Zaidi",
        "subject_date_of_birth": ["2", "7", "1990"],
    }
    assert police.submit("/intelligence/new", {**item_form(), **subject}).status_code == 302
    with app.app_context():
        assert only_item(app).person.authority.code == "TVP"
        assert db.session.scalars(select(Alert)).all() == []


def _bad_cases(app):
    with app.app_context():
        police_id = authority("TVP").id
    today = dt.date.today()
    past = today - dt.timedelta(days=1)
    too_far = add_months(today, 13)
    return [
        ({"sanitised_summary": ""}, "Enter the sanitised summary for sharing"),
        ({"sanitised_summary": FULL}, "must not be the full text"),
        ({"full_text": ""}, "Enter the full intelligence text"),
        ({"handling_code": "C", "handling_conditions": ""}, "handling code C needs them"),
        ({"source_evaluation": "4"}, "Not a valid choice"),
        ({"source_evaluation": ""}, "Select the source evaluation"),
        ({"intelligence_assessment": "F"}, "Not a valid choice"),
        ({"handling_code": "5"}, "Not a valid choice"),
        ({"status": "withdrawn"}, "Not a valid choice"),
        ({"category": "gossip"}, "Not a valid choice"),
        ({"legal_basis": "other", "legal_basis_other": ""}, "Enter the other legal basis"),
        ({"force_reference": ""}, "Enter the force reference"),
        ({"force_reference": "TVP 2026;DROP"}, "letters, numbers, slashes and hyphens"),
        ({"force_reference": "T" * 41}, "40 characters or fewer"),
        ({"recipients": [police_id]}, "Select recipients from the list"),
        ({"recipients": ["abc"]}, "Select recipients from the list"),
        ({"review_on": [str(past.day), str(past.month), str(past.year)]}, "Review date must be after today"),
        (
            {"review_on": [str(too_far.day), str(too_far.month), str(too_far.year)]},
            "Review date must be after today",
        ),
        ({"review_on": ["1", "2027"]}, "Review date must be a real date"),
        ({"review_on": ["5"]}, "Review date must be a real date"),
        ({"review_on": ["1", "1", "1", "2027"]}, "Review date must be a real date"),
        ({"review_on": ["30", "2", "2027"]}, "Review date must be a real date"),
        ({"review_on": ["", "", ""]}, "Enter the review date"),
        ({"full_text": "Seen at\x00 2am"}, "must not contain control characters"),
        ({"sanitised_summary": "Safe\x00"}, "must not contain control characters"),
        ({"full_text": "x" * 10001}, "10,000 characters or fewer"),
    ]


def test_bad_input_gets_a_clear_message_and_saves_nothing(app, login, driver):
    police = login(Role.POLICE_SPOC)
    for change, message in _bad_cases(app):
        response = police.submit(f"/intelligence/new?identity_id={driver}", item_form(**change))
        assert response.status_code == 400, change
        page = response.get_data(as_text=True)
        assert message in page, (change, message)
        assert "govuk-error-summary" in page
    assert item_count(app) == 0
    with app.app_context():
        assert db.session.scalars(select(Alert)).all() == []
        assert not db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "intelligence.submitted")
        ).all()


def test_new_subject_details_are_checked_too(app, login, county):
    police = login(Role.POLICE_SPOC)
    good = {
        "subject_forenames": "Kamran",
        "subject_surname": "Zaidi",
        "subject_date_of_birth": ["2", "7", "1990"],
    }
    cases = [
        ({"subject_surname": ""}, "Enter the subject&#39;s surname"),
        ({"subject_date_of_birth": ["2", "1990"]}, "Date of birth must be a real date"),
        ({"subject_date_of_birth": ["1", "1", "2990"]}, "must be in the past"),
        ({"subject_national_insurance": "QO123456A"}, "National Insurance number in the correct format"),
        ({"subject_postcode": "HP11 2BZ"}, "Enter the first line of the address"),
        ({"subject_forenames": "Kam\x00ran"}, "must not contain control characters"),
    ]
    for change, message in cases:
        response = police.submit("/intelligence/new", {**item_form(), **good, **change})
        assert response.status_code == 400 and message in response.get_data(as_text=True), change
    assert item_count(app) == 0
    with app.app_context():
        assert db.session.scalars(select(PersonRecord)).all() == []


def test_hostile_text_is_stored_as_typed_and_rendered_escaped(app, login, driver):
    police = login(Role.POLICE_SPOC)
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(1)>{{7*7}}'
    response = police.submit(
        f"/intelligence/new?identity_id={driver}",
        item_form(
            full_text=hostile,
            sanitised_summary="O'Neill said <b>hi</b>",
            handling_code="C",
            handling_conditions=hostile,
            legal_basis="other",
            legal_basis_other="<i>MASH</i> referral",
            save_without_holders="y",
        ),
    )
    page = police.get(response.headers["Location"]).get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    # The braces shown literally and never evaluated; a bare "49" could be in the page's random nonce.
    assert "<img src=x" not in page and "onerror=alert(1)&gt;{{7*7}}" in page and "&gt;49" not in page
    assert "O&#39;Neill said &lt;b&gt;hi&lt;/b&gt;" in page and "&lt;i&gt;MASH&lt;/i&gt;" in page
    with app.app_context():
        item = only_item(app)
        assert item.full_text == hostile and item.handling_code is HandlingCode.CONDITIONS


def test_a_submitted_item_is_not_read_again_after_its_commit(app, login, driver):
    # The submitted message and the redirect read the item after the commit had expired it: one more SELECT
    # of the item, after the write, on every item submitted.
    from tests.statements import recorded_statements

    police = login(Role.POLICE_SPOC)
    with recorded_statements(app) as statements:
        response = police.submit(f"/intelligence/new?identity_id={driver}", item_form())
    assert response.status_code == 302
    audit_insert = max(i for i, sql in enumerate(statements) if "INSERT INTO audit_events" in sql)
    assert statements[audit_insert + 1:] == []
    page = police.get(response.headers["Location"]).get_data(as_text=True)
    assert "Intelligence TVP/2026/00042 submitted" in page and FULL in page


def test_the_item_form_and_its_submission_read_the_authorities_once_each(app, login, driver):
    # The subject's records' authorities are among the sharing recipients the view reads: the page and the
    # service find them loaded, where each record's authority was read again (two statements a request).
    police = login(Role.POLICE_SPOC)
    url = f"/intelligence/new?identity_id={driver}"
    with recorded_statements(app) as statements:
        page = police.get(url).get_data(as_text=True)
    assert "Wycombe District Council: Tariq Mehmood" in page
    assert "Chiltern District Council: Tariq Mehmood" in page
    assert len([sql for sql in statements if sql.startswith("SELECT") and " FROM authorities" in sql]) == 1
    with recorded_statements(app) as statements:
        assert police.submit(url, item_form()).status_code == 302
    # The recipients offered, and those chosen checked by the service.
    assert len([sql for sql in statements if sql.startswith("SELECT") and " FROM authorities" in sql]) <= 2
    with app.app_context():
        assert only_item(app).person.identity_id == driver
