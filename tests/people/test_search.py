"""Search through HTTP: ranked identities with evidence, exact identifiers first, visibility respected."""

import datetime as dt

from licensing.auth.models import Role
from licensing.db import db
from licensing.licences.models import Licence, LicenceStatus, LicenceType
from tests.factories import arranged, authority, make_person

REASON = {"reason": "Application CDC/2026/0099"}


def _results(client, **fields):
    data = {**REASON}
    for name, value in fields.items():
        data[name] = value
    response = client.submit("/search", data)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_name_variant_with_transposed_dob_is_found_with_its_evidence(app, login):
    with arranged(app):
        make_person("WDC", forenames="Muhammad Asif", surname="Khan", date_of_birth=dt.date(1979, 3, 4))
        make_person("WDC", forenames="Tariq", surname="Mahmood", date_of_birth=dt.date(1979, 4, 3))
    page = _results(login(Role.LICENSING_OFFICER, "CDC"), forenames="Mohd Asif", surname="Khan",
                    date_of_birth=["3", "4", "1979"])
    assert "Muhammad Asif Khan" in page and "Tariq Mahmood" not in page
    assert "day and month transposed" in page and "Wycombe District Council" in page


def test_swapped_name_order_is_found(app, login):
    with arranged(app):
        make_person("AVDC", forenames="Hussain", surname="Zahid", date_of_birth=dt.date(1988, 9, 21))
    page = _results(login(Role.LICENSING_OFFICER), forenames="Zahid", surname="Hussain",
                    date_of_birth=["21", "9", "1988"])
    assert "Hussain Zahid" in page


def test_exact_licence_number_goes_first(app, login):
    with arranged(app):
        holder = make_person("SBDC", forenames="Kashif", surname="Butt", date_of_birth=dt.date(1983, 1, 5))
        make_person("SBDC", forenames="Kashif", surname="Butt", date_of_birth=dt.date(1983, 1, 6))
        db.session.add(
            Licence(
                person=holder,
                authority=authority("SBDC"),
                licence_type=LicenceType.PRIVATE_HIRE_DRIVER,
                number="SBDC-PH-7781",
                status=LicenceStatus.GRANTED,
            )
        )
        db.session.commit()
    page = _results(login(Role.TRANSPORT_OFFICER), reference_number="sbdc-ph-7781")
    assert "Exact licence number" in page and page.count("Kashif Butt</a>") == 1


def test_name_with_approximate_age_narrows_a_common_name(app, login):
    today = dt.date.today()
    younger, elder = dt.date(today.year - 40, 2, 2), dt.date(today.year - 60, 2, 2)
    with arranged(app):
        make_person("WDC", forenames="Mohammed", surname="Ali", date_of_birth=younger)
        make_person("CDC", forenames="Muhammad", surname="Ali", date_of_birth=elder)
    page = _results(login(Role.LICENSING_OFFICER), forenames="Mohammed", surname="Ali", approximate_age="41")
    # The dates as shown, not bare years: a year's four digits can be in the page's random CSP nonce or CSRF
    # token, or in "Test User 1966", whose number is a counter that runs across the whole suite.
    assert f"born {younger:%d %B %Y}" in page
    assert all(shown not in page for shown in (f"{elder:%d %B %Y}", f"{elder:%d %b %Y}", elder.isoformat()))


def test_police_only_records_never_appear_in_council_searches(app, login):
    with arranged(app):
        make_person("TVP", forenames="Kamran", surname="Zaidi", national_insurance="JT777777A")
    assert "Kamran Zaidi" not in _results(login(Role.LICENSING_OFFICER), national_insurance="JT777777A")
    assert "Kamran Zaidi" in _results(login(Role.POLICE_SPOC), national_insurance="JT777777A")


def test_search_needs_at_least_one_detail_and_valid_formats(app, login):
    officer = login(Role.LICENSING_OFFICER)
    assert "Enter at least one detail" in _results(officer)
    assert "National Insurance number in the correct format" in _results(officer, national_insurance="QQ1")
    assert "whole number between 16 and 100" in _results(officer, approximate_age="x")


def test_hostile_search_terms_are_literal(app, login):
    officer = login(Role.LICENSING_OFFICER)
    for term in ("'; DROP TABLE person_records;--", "%", "_", "\\", "<script>alert(1)</script>"):
        page = _results(officer, surname=term)
        assert "<script>alert(1)</script>" not in page


def test_a_surname_alone_finds_people(app, login):
    with arranged(app):
        make_person("WDC", forenames="Tariq", surname="Mehmood", date_of_birth=dt.date(1970, 1, 9))
        make_person("CDC", forenames="Tariq", surname="Mahmood", date_of_birth=dt.date(1971, 1, 9))
        make_person("CDC", forenames="Tariq", surname="Muhammad", date_of_birth=dt.date(1972, 1, 9))
    page = _results(login(Role.LICENSING_OFFICER), surname="Mehmood")
    assert "Tariq Mehmood" in page and "Tariq Mahmood" in page and "Tariq Muhammad" not in page


def test_a_common_name_alone_asks_the_officer_to_narrow_the_search(app, login, monkeypatch):
    from licensing.register import search

    monkeypatch.setattr(search, "MAX_SEARCH_CANDIDATES", 3)
    with arranged(app):
        for year in range(1970, 1975):
            make_person("WDC", forenames="Mohammed", surname="Khan", date_of_birth=dt.date(year, 1, 9))
    page = _results(login(Role.LICENSING_OFFICER), forenames="Muhammad", surname="Khan")
    assert "Add a date of birth, an age or a postcode to narrow the search" in page
    assert page.count("Mohammed Khan</a>") == 3
