"""Search ranks its candidates by evidence before any cap: a rare name pair is not lost among a common name's
holders by record id."""

import datetime as dt

from sqlalchemy import select

from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.db import db
from licensing.register import search
from licensing.register.search import MAX_SEARCH_CANDIDATES
from tests.factories import arranged, make_person

REASON = {"reason": "Application CDC/2026/0102"}


def _names_in_order(client, names: list[str], **fields) -> list[str]:
    """The given names in the order the results page shows them (absent names left out)."""
    response = client.submit("/search", {**REASON, **fields})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    found = [(page.find(f">{name}</a>"), name) for name in names]
    return [name for at, name in sorted(found) if at >= 0]


def test_a_rare_name_pair_is_found_among_more_holders_of_a_common_one_than_are_scored(app, login):
    # More people called Mohammed Ashraf of that age than the search scores, all older records than his: the
    # candidates were the lowest record ids sharing a key, so Saleem Ashraf was cut before scoring.
    common = MAX_SEARCH_CANDIDATES + 5
    with arranged(app):
        for n in range(common):
            make_person(
                "WDC",
                forenames="Mohammed",
                surname="Ashraf",
                date_of_birth=dt.date(1958 + n % 3, 1 + n % 12, 1 + n % 28),
            )
        make_person("WDC", forenames="Saleem", surname="Ashraf", date_of_birth=dt.date(1959, 8, 2))
    officer = login(Role.LICENSING_OFFICER, "CDC")
    shown = _names_in_order(
        officer, ["Saleem Ashraf", "Mohammed Ashraf"], forenames="Mohd Saleem", surname="Ashraf",
        approximate_age="67",
    )
    assert shown[0] == "Saleem Ashraf"
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "person.searched")).one()
    terms = {"forenames": "Mohd Saleem", "surname": "Ashraf", "approximate_age": "67"}
    assert event.details["terms"] == terms



def test_with_a_date_of_birth_a_typo_key_held_by_more_than_the_limit_is_left_out(app, login, monkeypatch):
    # A name slip and a date slip together meet no exact key: the typo keys find him only while none of them
    # is held by more records than TYPO_DOB_MAX_HOLDERS (three Mustafa Ahmeds hold each of his).
    with arranged(app):
        make_person("WDC", forenames="Mustafa", surname="Ahmed", date_of_birth=dt.date(1978, 10, 7))
        make_person("WDC", forenames="Mustafa", surname="Ahmed", date_of_birth=dt.date(1961, 2, 3))
        make_person("WDC", forenames="Mustafa", surname="Ahmed", date_of_birth=dt.date(1995, 6, 9))
    officer = login(Role.LICENSING_OFFICER, "CDC")
    terms = {"forenames": "Mustafa", "surname": "Ahmd", "date_of_birth": ["1", "10", "1978"]}
    monkeypatch.setattr(search, "TYPO_DOB_MAX_HOLDERS", 3)
    page = officer.submit("/search", {**REASON, **terms}).get_data(as_text=True)
    assert ">Mustafa Ahmed</a>" in page
    monkeypatch.setattr(search, "TYPO_DOB_MAX_HOLDERS", 2)
    page = officer.submit("/search", {**REASON, **terms}).get_data(as_text=True)
    assert ">Mustafa Ahmed</a>" not in page
