"""Writes that add many rows send them in one statement on both databases (SQLite inserted them one by one:
a search's reasons, a record's blocking keys), and store the same rows as before."""

import datetime as dt

from sqlalchemy import select

from licensing.auth.models import Role, User
from licensing.db import db, utcnow
from licensing.people.identity import record_keys, to_match_record
from licensing.people.models import AccessGrant, BlockingKey, LinkState, PersonRecord, RecordLink, TermCount
from tests.factories import arranged, make_person, make_user
from tests.statements import recorded_statements

REASON = "Renewal check WDC/2026/41"


def _inserts_into(statements: list[str], table: str) -> list[str]:
    """The INSERT statements into `table` among those recorded (an executemany counts once), with or without
    a WITH before them."""
    return [sql for sql in statements if f"INSERT INTO {table.upper()} " in " ".join(sql.upper().split())]


def _writes_to(statements: list[str], table: str) -> list[str]:
    """Every statement that inserts into, updates or deletes from `table`."""
    verbs = ("INSERT INTO", "UPDATE", "DELETE FROM")
    return [sql for sql in statements
            if any(f"{verb} {table.upper()} " in " ".join(sql.upper().split()) for verb in verbs)]



def _imran_quarrendon(reference: str, **more) -> dict:
    """The new-record form for one synthetic man, Imran Quarrendon born 9 July 1981, under `reference`."""
    return {
        "authority_reference": reference, "forenames": "Imran", "surname": "Quarrendon",
        "date_of_birth": ["9", "7", "1981"], "sex": "M", "address_line": "4 Queen Street",
        "town": "High Wycombe", "postcode": "HP13 6BD", **more,
    }

def test_a_search_records_its_reason_for_every_person_found_in_one_insert(app, login):
    with arranged(app):
        people = [
            make_person("WDC", forenames=name, surname="Quarrendon", date_of_birth=dt.date(1960 + i, 2, 3))
            for i, name in enumerate(("Amir", "Bethan", "Cormac"))
        ]
        identity_ids = {person.identity_id for person in people}
    officer = login(Role.LICENSING_OFFICER, "WDC")
    with recorded_statements(app) as statements:
        page = officer.submit("/search", {"surname": "Quarrendon", "reason": REASON})
    inserts = _inserts_into(statements, "access_grants")
    assert page.status_code == 200
    assert len(inserts) == 1, inserts
    with app.app_context():
        postgresql = db.engine.dialect.name == "postgresql"
    # The viewer's expired grants are deleted too: on PostgreSQL in the INSERT's own statement.
    assert len(_writes_to(statements, "access_grants")) == (1 if postgresql else 2), statements
    with app.app_context():
        grants = db.session.scalars(select(AccessGrant).where(AccessGrant.reason == REASON)).all()
    assert {grant.identity_id for grant in grants} == identity_ids and len(grants) == 3
    for grant in grants:  # each person's link carries its own grant
        assert f"/people/{grant.identity_id}?grant={grant.id}" in page.get_data(as_text=True)


def test_a_search_deletes_the_viewers_expired_grants_and_keeps_live_ones_and_other_viewers(app, login):
    with arranged(app):
        people = [make_person("WDC", surname="Quarrendon", date_of_birth=dt.date(1970 + i, 5, 6))
                  for i in range(2)]
        officer_id = make_user(Role.LICENSING_OFFICER, authority="WDC").id
        colleague_id = make_user(Role.LICENSING_OFFICER, authority="WDC").id
        old, fresh = dt.datetime(2020, 1, 1), utcnow()
        db.session.add_all([
            AccessGrant(user_id=officer_id, identity_id=people[0].identity_id, reason="Old", granted_at=old),
            AccessGrant(user_id=officer_id, identity_id=people[1].identity_id, reason="Live",
                        granted_at=fresh),
            AccessGrant(user_id=colleague_id, identity_id=people[0].identity_id, reason="Theirs",
                        granted_at=old),
        ])
        db.session.commit()
        email = db.session.get(User, officer_id).email
    officer = login(user_email=email)
    assert officer.submit("/search", {"surname": "Quarrendon", "reason": REASON}).status_code == 200
    with app.app_context():
        kept = db.session.execute(select(AccessGrant.user_id, AccessGrant.reason)).all()
    assert sorted(kept) == sorted([(officer_id, "Live"), (colleague_id, "Theirs"),
                                   (officer_id, REASON), (officer_id, REASON)])


def test_a_new_record_stores_its_blocking_keys_in_one_insert(app, login):
    officer = login(Role.LICENSING_OFFICER, "WDC")
    form = _imran_quarrendon("WDC-D-009041", national_insurance="JT 65 43 21 C")
    with recorded_statements(app) as statements:
        response = officer.submit("/records/new", form)
    inserts = _inserts_into(statements, "blocking_keys")
    assert response.status_code == 302
    assert len(inserts) == 1, inserts
    with app.app_context():
        record = db.session.scalar(
            select(PersonRecord).where(PersonRecord.authority_reference == "WDC-D-009041"))
        stored = db.session.scalars(select(BlockingKey.key).where(BlockingKey.person_record_id == record.id))
        assert sorted(stored) == sorted(record_keys(to_match_record(record)))


def _term_count(kind: str, term: str) -> int:
    found = select(TermCount.count).where(TermCount.kind == kind, TermCount.term == term)
    return db.session.scalar(found) or 0


def test_a_new_record_adds_its_name_and_date_counts_in_one_statement(app, login):
    # Each (kind, term) was an upsert of its own: the total, the surname, each forename and the date.
    with arranged(app):
        make_person("CDC", forenames="Bilal", surname="Quarrendon", date_of_birth=dt.date(1981, 7, 9))
    with app.app_context():
        before = {term: _term_count(*term) for term in
                  [("total", ""), ("surname", "quarrendon"), ("forename", "imran"), ("dob", "1981-07-09")]}
    assert before[("surname", "quarrendon")] == 1 and before[("forename", "imran")] == 0
    officer = login(Role.LICENSING_OFFICER, "WDC")
    form = _imran_quarrendon("WDC-D-009042")
    with recorded_statements(app) as statements:
        response = officer.submit("/records/new", form)
    assert response.status_code == 302
    assert len(_writes_to(statements, "term_counts")) == 1, _writes_to(statements, "term_counts")
    with app.app_context():
        after = {term: _term_count(*term) for term in before}
    assert after == {term: count + 1 for term, count in before.items()}


def test_an_edited_name_moves_its_counts_in_two_statements(app, login):
    # The terms lost and the terms gained: one statement each, where each term was one.
    with arranged(app):
        record = make_person("WDC", forenames="Imran", surname="Quenby", date_of_birth=dt.date(1981, 7, 9))
        record_id = record.id
    with app.app_context():
        before = {term: _term_count(*term) for term in
                  [("total", ""), ("surname", "quenby"), ("surname", "quarrendon"), ("forename", "imran")]}
    officer = login(Role.LICENSING_OFFICER, "WDC")
    edit = officer.get(f"/records/{record_id}/edit")
    assert edit.status_code == 200
    with recorded_statements(app) as statements:
        response = officer.submit(f"/records/{record_id}/edit", {
            "forenames": "Imran", "surname": "Quarrendon", "date_of_birth": ["9", "7", "1981"], "sex": "M",
            "address_line": "4 Queen Street", "town": "High Wycombe", "postcode": "HP13 6BD",
        })
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert len(_writes_to(statements, "term_counts")) == 2, _writes_to(statements, "term_counts")
    with app.app_context():
        after = {term: _term_count(*term) for term in before}
    assert after == {**before, ("surname", "quenby"): before[("surname", "quenby")] - 1,
                     ("surname", "quarrendon"): before[("surname", "quarrendon")] + 1}


def test_a_new_record_is_not_read_again_after_its_commit(app, login):
    # The saved message and the redirect read the record after the commit had expired it: one more SELECT of
    # the record, after the write, on every record added.
    officer = login(Role.LICENSING_OFFICER, "WDC")
    form = _imran_quarrendon("WDC-D-009043")
    with recorded_statements(app) as statements:
        response = officer.submit("/records/new", form)
    assert response.status_code == 302 and "grant=" in response.headers["Location"]
    audit_insert = max(i for i, sql in enumerate(statements) if "INSERT INTO audit_events" in sql)
    assert statements[audit_insert + 1:] == []
    assert "Record WDC-D-009043 saved" in officer.get(response.headers["Location"]).get_data(as_text=True)


def test_a_new_record_deletes_no_keys_and_reads_no_links_it_cannot_have_yet(app, login):
    # A record just added has no blocking keys and no links: deleting its keys before writing them, and
    # reading its links, were two statements (three with a candidate) on every record added.
    with arranged(app):
        held = make_person("CDC", forenames="Imran", surname="Quarrendon", date_of_birth=dt.date(1981, 7, 9),
                           national_insurance="JT654321C")
        held_id = held.id
    officer = login(Role.LICENSING_OFFICER, "WDC")
    form = _imran_quarrendon("WDC-D-009044", national_insurance="JT 65 43 21 C")
    with recorded_statements(app) as statements:
        response = officer.submit("/records/new", form)
    assert response.status_code == 302
    flat = [" ".join(sql.upper().split()) for sql in statements]
    assert not [sql for sql in flat if sql.startswith("DELETE FROM BLOCKING_KEYS")], statements
    link_lookups = [sql.partition(" WHERE ")[2] for sql in flat
                    if sql.startswith("SELECT") and "FROM RECORD_LINKS" in sql]
    # Its automatic links were read, then its links with the candidates; what is left is the check that
    # joining the two identities contradicts nothing (links across them), and the new link read back by id.
    assert not [where for where in link_lookups if " OR " in where], link_lookups
    assert len([where for where in link_lookups if "RECORD_LINKS.RECORD_A_ID IN" in where]) <= 1, link_lookups
    with app.app_context():  # the same decision: the same man, linked automatically into one identity
        record = db.session.scalar(
            select(PersonRecord).where(PersonRecord.authority_reference == "WDC-D-009044"))
        assert record.identity_id == db.session.get(PersonRecord, held_id).identity_id
        link = db.session.scalar(select(RecordLink))
        assert {link.record_a_id, link.record_b_id} == {record.id, held_id}
        assert link.state is LinkState.AUTOMATIC
        stored = db.session.scalars(select(BlockingKey.key).where(BlockingKey.person_record_id == record.id))
        assert sorted(stored) == sorted(record_keys(to_match_record(record)))
