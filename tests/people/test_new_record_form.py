"""Adding a person record: formats are checked, bad values get a clear message and nothing is saved."""

from sqlalchemy import func, select

from licensing.auth.models import Role
from licensing.db import db
from licensing.people.models import PersonRecord

VALID = {
    "authority_reference": "WDC-D-009001",
    "forenames": "Asif",
    "surname": "Khan",
    "date_of_birth": ["14", "3", "1979"],
    "sex": "M",
    "address_line": "12 Desborough Road",
    "town": "High Wycombe",
    "postcode": "hp11 2bz",
    "driving_licence_number": "KHAN9703149A99AB",
    "national_insurance": "jt 12 34 56 a",
}


def _count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(PersonRecord.id)))


def test_officer_adds_a_record_at_their_own_authority(app, login):
    officer = login(Role.LICENSING_OFFICER, "WDC")
    response = officer.submit("/records/new", VALID)
    assert response.status_code == 302
    with app.app_context():
        record = db.session.scalar(select(PersonRecord))
        assert record.authority.code == "WDC"
        assert record.national_insurance == "JT123456A" and record.addresses[0].postcode == "HP11 2BZ"


def test_bad_values_get_clear_messages_and_nothing_is_saved(app, login):
    officer = login(Role.LICENSING_OFFICER, "WDC")
    cases = [
        ("national_insurance", "DA123456A", "National Insurance number in the correct format"),
        ("national_insurance", "QO123456A", "National Insurance number in the correct format"),
        ("driving_licence_number", "KHAN97031", "DVLA driving licence number in the correct format"),
        ("postcode", "NOT A CODE", "Enter a real UK postcode"),
        ("date_of_birth", ["30", "2", "1980"], "must be a real date"),
        ("date_of_birth", ["12", "1980"], "must be a real date"),
        ("date_of_birth", ["1", "2", "3", "1980"], "must be a real date"),
        ("date_of_birth", ["aa", "bb", "cccc"], "must be a real date"),
        ("date_of_birth", ["1", "1", "2990"], "must be in the past"),
        ("surname", "Kh\x00an", "must not contain control characters"),
        ("surname", "K" * 101, "Field cannot be longer than 100 characters"),
        ("sex", "X", "Not a valid choice"),
    ]
    for field, value, message in cases:
        response = officer.submit("/records/new", {**VALID, field: value})
        assert response.status_code == 400, (field, value)
        assert message in response.get_data(as_text=True), (field, value)
    assert _count(app) == 0


def test_hostile_text_is_stored_literally_and_rendered_escaped(app, login):
    officer = login(Role.LICENSING_OFFICER, "WDC")
    hostile = {**VALID, "forenames": "<script>alert(1)</script>", "surname": "O'Neill{{7*7}}",
               "authority_reference": "'; DROP TABLE person_records;--"}
    response = officer.submit("/records/new", hostile, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "O&#39;Neill{{7*7}}" in page
    # The braces shown literally, and nowhere evaluated: a random token may hold "49", so look for the name.
    assert "<script>alert(1)" not in page and "Neill49" not in page
    assert _count(app) == 1


def test_invisible_characters_are_stripped_from_names(app, login):
    officer = login(Role.LICENSING_OFFICER, "WDC")
    officer.submit("/records/new", {**VALID, "forenames": "As\u200bif\u202e"})
    with app.app_context():
        assert db.session.scalar(select(PersonRecord.forenames)) == "Asif"


def test_duplicate_reference_at_one_authority_is_refused(app, login):
    officer = login(Role.LICENSING_OFFICER, "WDC")
    assert officer.submit("/records/new", VALID).status_code == 302
    again = officer.submit("/records/new", {**VALID, "forenames": "Other"})
    assert again.status_code == 400 and "already has a record with reference" in again.get_data(as_text=True)
    assert _count(app) == 1
