"""Writes that add many rows send them in one statement on both databases (SQLite inserted them one by one:
a search's reasons, a record's blocking keys), and store the same rows as before."""

import datetime as dt

from sqlalchemy import select

from licensing.auth.models import Role
from licensing.db import db
from licensing.people.identity import record_keys, to_match_record
from licensing.people.models import AccessGrant, BlockingKey, PersonRecord
from tests.factories import arranged, make_person
from tests.people.test_person_page_statements import _recorded_statements

REASON = "Renewal check WDC/2026/41"


def _inserts_into(statements: list[str], table: str) -> list[str]:
    """The INSERT statements into `table` among those recorded (an executemany counts once)."""
    return [sql for sql in statements if sql.upper().startswith(f"INSERT INTO {table.upper()} ")]


def test_a_search_records_its_reason_for_every_person_found_in_one_insert(app, login):
    with arranged(app):
        people = [
            make_person("WDC", forenames=name, surname="Quarrendon", date_of_birth=dt.date(1960 + i, 2, 3))
            for i, name in enumerate(("Amir", "Bethan", "Cormac"))
        ]
        identity_ids = {person.identity_id for person in people}
    officer = login(Role.LICENSING_OFFICER, "WDC")
    with _recorded_statements(app) as statements:
        page = officer.submit("/search", {"surname": "Quarrendon", "reason": REASON})
    inserts = _inserts_into(statements, "access_grants")
    assert page.status_code == 200
    assert len(inserts) == 1, inserts
    with app.app_context():
        grants = db.session.scalars(select(AccessGrant).where(AccessGrant.reason == REASON)).all()
    assert {grant.identity_id for grant in grants} == identity_ids and len(grants) == 3
    for grant in grants:  # each person's link carries its own grant
        assert f"/people/{grant.identity_id}?grant={grant.id}" in page.get_data(as_text=True)


def test_a_new_record_stores_its_blocking_keys_in_one_insert(app, login):
    officer = login(Role.LICENSING_OFFICER, "WDC")
    form = {
        "authority_reference": "WDC-D-009041", "forenames": "Imran", "surname": "Quarrendon",
        "date_of_birth": ["9", "7", "1981"], "sex": "M", "address_line": "4 Queen Street",
        "town": "High Wycombe", "postcode": "HP13 6BD", "national_insurance": "JT 65 43 21 C",
    }
    with _recorded_statements(app) as statements:
        response = officer.submit("/records/new", form)
    inserts = _inserts_into(statements, "blocking_keys")
    assert response.status_code == 302
    assert len(inserts) == 1, inserts
    with app.app_context():
        record = db.session.scalar(
            select(PersonRecord).where(PersonRecord.authority_reference == "WDC-D-009041"))
        stored = db.session.scalars(select(BlockingKey.key).where(BlockingKey.person_record_id == record.id))
        assert sorted(stored) == sorted(record_keys(to_match_record(record)))
