"""Is this person licensed or badged, and by whom: from partial details or a vehicle registration."""

import datetime as dt

from sqlalchemy import select

from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.db import db
from licensing.licences.models import LicenceStatus, LicenceType
from licensing.people.models import AccessGrant
from tests.factories import arranged, join_records, make_person
from tests.intelligence.factories import make_badge, make_complaint, make_licence


def test_a_vehicle_registration_finds_the_vehicle_licence_holder_and_complaints(app, login, county):
    with arranged(app):
        owner = make_person("SBDC", forenames="Bilal", surname="Rashid")
        vehicle = make_licence(owner, licence_type=LicenceType.VEHICLE, vehicle_registration="HN19ABC")
        driver = make_person("AVDC", forenames="Yasir", surname="Farooq", date_of_birth=None)
        make_licence(driver)
        make_complaint(driver, vehicle_registration="HN19 ABC")
        bystander = make_person("CDC", forenames="Omar", surname="Sharif")
        make_licence(bystander, licence_type=LicenceType.VEHICLE, vehicle_registration="HN19ABD")
        owner_id, driver_id, bystander_id = owner.identity_id, driver.identity_id, bystander.identity_id
        vehicle_number = vehicle.number
    police = login(Role.POLICE_SPOC)
    response = police.submit("/intelligence/search", {"vehicle_registration": " hn19 abc ",
                                                      "reason": "Incident 43/2026 near Wycombe station"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "2 people found" in page
    assert "Bilal Rashid" in page and f"Vehicle licence {vehicle_number} (SBDC) for HN19ABC" in page
    assert "Yasir Farooq" in page and "Complaint to AVDC" in page and "Omar Sharif" not in page
    assert "South Bucks District Council" in page and "Vehicle" in page
    assert f"/intelligence/new?identity_id={owner_id}" in page
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "person.searched")).one()
        assert event.reason == "Incident 43/2026 near Wycombe station"
        assert event.details["terms"] == {"vehicle_registration": "HN19ABC"}
        assert sorted(event.details["results"]) == sorted([owner_id, driver_id])
        assert bystander_id not in event.details["results"]
        grants = {g.identity_id for g in db.session.scalars(select(AccessGrant))}
        assert grants == {owner_id, driver_id}


def test_partial_details_show_every_authority_s_licences_and_badges(app, login, county):
    with arranged(app):
        wdc = make_person("WDC", forenames="Zubair", surname="Akhtar")
        make_licence(wdc, licence_type=LicenceType.HACKNEY_CARRIAGE_DRIVER)
        make_licence(wdc, status=LicenceStatus.REVOKED)
        badge_record = make_person("BCC-CT", forenames="Zubair", surname="Akhtar")
        make_badge(badge_record, operator="Chiltern School Runs Ltd")
        identity_id = join_records(wdc, badge_record)
    police = login(Role.POLICE_SPOC)
    page = police.submit(
        "/intelligence/search",
        {"forenames": "Zubair", "surname": "Akhtar", "reason": "Safeguarding referral MASH/2026/8"},
    ).get_data(as_text=True)
    assert "1 person found" in page and "Licensed or badged" in page
    assert "Wycombe District Council" in page and "Hackney carriage driver" in page
    assert "Revoked" not in page  # only what is in force
    assert (
        "Buckinghamshire County Council Client Transport" in page
        and "Operator: Chiltern School Runs Ltd" in page
    )
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "person.searched")).one()
        assert event.details["results"] == [identity_id]
        assert event.details["terms"] == {"forenames": "Zubair", "surname": "Akhtar"}


def test_bad_searches_get_clear_messages_and_are_not_run(app, login, county):
    police = login(Role.POLICE_SPOC)
    cases = [
        ({"vehicle_registration": "HN19ABC"}, "Enter the reason"),
        ({"reason": "Incident 43/2026"}, "Enter at least one detail"),
        ({"vehicle_registration": "HN-19!", "reason": "Incident 43/2026"}, "Enter a vehicle registration"),
        (
            {"vehicle_registration": "HN19\x00ABC", "reason": "Incident 43/2026"},
            "must not contain control characters",
        ),
        ({"surname": "Khan", "reason": "Incident\x00 43"}, "must not contain control characters"),
    ]
    for data, message in cases:
        response = police.submit("/intelligence/search", data)
        assert response.status_code == 400 and message in response.get_data(as_text=True), data
    with app.app_context():
        assert not db.session.scalars(select(AuditEvent).where(AuditEvent.action == "person.searched")).all()


def test_hostile_search_terms_are_literal_and_escaped(app, login, county):
    police = login(Role.POLICE_SPOC)
    response = police.submit(
        "/intelligence/search",
        {"surname": "<script>alert(1)</script>%_'; DROP TABLE x;--", "reason": "Incident 43/2026 {{7*7}}"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "0 people found" in page and "<script>alert(1)" not in page


def test_the_answers_are_read_in_the_same_statements_however_many_people_are_found(app, login, county):
    # Each answer's identity, records and licences were read by statements of their own, and read again once
    # the commit before rendering had expired them; now every answer's are read together and the page commits
    # after rendering, so two people and six cost the same statements (81 against 37 before).
    from tests.statements import recorded_statements

    with arranged(app):
        for n in range(6):
            person = make_person("WDC", forenames="Zubair", surname="Qureshi",
                                 date_of_birth=dt.date(1970 + n, 1, 9))
            make_licence(person, licence_type=LicenceType.HACKNEY_CARRIAGE_DRIVER)
        for n in range(2):
            person = make_person("WDC", forenames="Tariq", surname="Lindqvist",
                                 date_of_birth=dt.date(1970 + n, 1, 9))
            make_licence(person, licence_type=LicenceType.HACKNEY_CARRIAGE_DRIVER)
    police = login(Role.POLICE_SPOC)
    police.fetch_csrf("/intelligence/search")
    counts = {}
    for surname, found in (("Qureshi", 6), ("Lindqvist", 2)):
        with recorded_statements(app) as statements:
            page = police.submit("/intelligence/search", {"surname": surname, "reason": "Incident 43/2026"})
        assert f"{found} people found" in page.get_data(as_text=True)
        assert page.get_data(as_text=True).count("Hackney carriage driver") >= found
        counts[surname] = len(statements)
    assert counts["Qureshi"] == counts["Lindqvist"], counts
