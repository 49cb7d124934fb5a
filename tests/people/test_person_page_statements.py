"""The person page loads each kind of thing once for the whole identity, so its SQL statement count does not
grow with the number of records linked to the person (it was one query a kind for each record)."""

import datetime as dt

from licensing.auth.models import Role
from licensing.db import db
from tests.factories import arranged, join_records, make_person
from tests.licences.factories import make_badge, make_complaint, make_licence, make_sanction
from tests.statements import recorded_statements, tables_read

COUNCILS = ("WDC", "CDC", "SBDC", "BCC-CT")


def _identity_with(records: int, surname: str) -> int:
    made = [make_person(code, forenames="Tariq", surname=surname, date_of_birth=dt.date(1979, 4, 4))
            for code in COUNCILS[:records]]
    for record in made:
        make_licence(record, status="granted")
        make_sanction(record, sanction_type="warning", grounds="road_safety")
    db.session.commit()
    return join_records(*made)


def _statements_for_page(app, client, identity_id: int) -> tuple[int, str]:
    granted = client.submit(f"/people/{identity_id}/reason", {"reason": "Renewal WDC/2026/7"})
    with recorded_statements(app) as statements:
        page = client.get(granted.headers["Location"])
    assert page.status_code == 200
    return len(statements), page.get_data(as_text=True)


def test_the_person_page_runs_as_many_statements_for_four_records_as_for_two(app, login):
    with arranged(app):
        two, four = _identity_with(2, "Hussain"), _identity_with(4, "Hameed")
    officer = login(Role.LICENSING_OFFICER, "WDC")
    for_two, page_two = _statements_for_page(app, officer, two)
    for_four, page_four = _statements_for_page(app, officer, four)
    assert page_two.count("Tariq Hussain") >= 1 and page_four.count("Tariq Hameed") >= 1
    assert for_four == for_two


def _statements_of_page(app, client, identity_id: int) -> list[str]:
    granted = client.submit(f"/people/{identity_id}/reason", {"reason": "Renewal WDC/2026/8"})
    with recorded_statements(app) as statements:
        page = client.get(granted.headers["Location"])
    assert page.status_code == 200 and "Tariq Hosseini" in page.get_data(as_text=True)
    return statements


def test_the_person_page_loads_the_identity_and_its_records_once(app, login):
    with arranged(app):
        person = _identity_with(3, "Hosseini")
    officer = login(Role.LICENSING_OFFICER, "WDC")
    statements = _statements_of_page(app, officer, person)
    identity_loads = [s for s in statements if s.startswith("SELECT identities.")]
    record_loads = [s for s in statements if s.startswith("SELECT person_records.")]
    # In one statement with the records' authorities, one round trip (they were three).
    assert len(identity_loads) == 1 and "JOIN person_records" in identity_loads[0], identity_loads
    assert "JOIN authorities" in identity_loads[0], identity_loads
    assert record_loads == [], record_loads
    assert not [s for s in statements if s.startswith("SELECT authorities.")], statements
    # The records' addresses come in the same statement (they were a round trip of their own).
    assert "JOIN addresses" in identity_loads[0], identity_loads
    assert not [s for s in statements if s.startswith("SELECT addresses.")], statements


def test_the_reason_form_does_not_load_the_persons_history(app, login):
    with arranged(app):
        person = _identity_with(2, "Haddad")
    officer = login(Role.LICENSING_OFFICER, "WDC")
    with recorded_statements(app) as statements:
        page = officer.get(f"/people/{person}")
    assert page.status_code == 200
    assert "Why do you need to see this person?" in page.get_data(as_text=True)
    assert "Tariq Haddad" not in page.get_data(as_text=True)
    assert not [s for s in statements if tables_read(s, HISTORY_TABLES)], statements


HISTORY_TABLES = ("sanctions", "complaints", "intelligence_items", "dbs_certificates", "badges", "licences")


def _history_loads(statements: list[str]) -> set[str]:
    return {table for s in statements for table in tables_read(s, HISTORY_TABLES)}


def test_the_person_page_queries_only_the_history_the_persons_records_hold(app, login):
    with arranged(app):
        record = make_person("WDC", forenames="Tariq", surname="Haider", date_of_birth=dt.date(1979, 4, 4))
        make_licence(record, status="granted", number="PH71001")
        db.session.commit()
        person = record.identity_id
    officer = login(Role.LICENSING_OFFICER, "WDC")
    granted = officer.submit(f"/people/{person}/reason", {"reason": "Renewal WDC/2026/9"})
    with recorded_statements(app) as statements:
        page = officer.get(granted.headers["Location"])
    assert page.status_code == 200 and "PH71001" in page.get_data(as_text=True)
    assert _history_loads(statements) == {"licences"}, statements

    with arranged(app):
        make_sanction(db.session.get(type(record), record.id), sanction_type="revocation",
                      grounds="sexual_misconduct")
        db.session.commit()
    granted = officer.submit(f"/people/{person}/reason", {"reason": "Renewal WDC/2026/10"})
    with recorded_statements(app) as statements:
        page = officer.get(granted.headers["Location"])
    assert page.status_code == 200 and "Revoked" in page.get_data(as_text=True)
    assert _history_loads(statements) == {"licences", "sanctions"}, statements


def test_the_person_page_reads_its_history_in_two_statements(app, login):
    # Each kind the records hold was a statement of its own: licences, badges, DBS certificates, decisions,
    # complaints. Now the kinds most records hold in one, the rarer kinds in another; everything still shows,
    # each kind in its own place.
    with arranged(app):
        first = make_person("WDC", forenames="Tariq", surname="Hanif", date_of_birth=dt.date(1979, 4, 4))
        second = make_person("CDC", forenames="Tariq", surname="Hanif", date_of_birth=dt.date(1979, 4, 4))
        make_licence(first, status="granted", number="PH72001")
        make_licence(second, status="granted", number="PH72002")
        make_badge(first, number="BCC720001")
        make_sanction(second, sanction_type="suspension", grounds="road_safety")
        make_complaint(first, category="sexual_harassment")
        db.session.commit()
        person = join_records(first, second)
    officer = login(Role.LICENSING_OFFICER, "WDC")
    granted = officer.submit(f"/people/{person}/reason", {"reason": "Renewal WDC/2026/11"})
    with recorded_statements(app) as statements:
        page = officer.get(granted.headers["Location"])
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "PH72001" in text and "PH72002" in text and "BCC720001" in text and "Suspended" in text
    reads = [s for s in statements if tables_read(s, HISTORY_TABLES)]
    assert [tables_read(s, HISTORY_TABLES) for s in reads] == [{"sanctions", "complaints"},
                                                               {"licences", "badges", "dbs_certificates"}]


def test_the_search_page_and_the_person_page_commit_without_expiring_what_they_loaded(app, login):
    # Their commit (the audit row, the grants) came after rendering and expired every record, address,
    # licence and decision the page had loaded, one object at a time, though nothing read them again.
    from sqlalchemy import event

    from licensing.people.models import PersonRecord

    with arranged(app):
        person = _identity_with(3, "Hosseini")
    officer = login(Role.LICENSING_OFFICER, "WDC")
    expired: list = []  # the records expired

    def record(target, attrs) -> None:
        expired.append(target)

    event.listen(PersonRecord, "expire", record)
    try:
        searched = officer.submit("/search", {"reason": "Renewal WDC/2026/9", "surname": "Hosseini"})
        assert searched.status_code == 200 and "Tariq Hosseini" in searched.get_data(as_text=True)
        assert expired == []
        granted = officer.submit(f"/people/{person}/reason", {"reason": "Renewal WDC/2026/9"})
        expired.clear()
        page = officer.get(granted.headers["Location"])
        assert page.status_code == 200 and "Tariq Hosseini" in page.get_data(as_text=True)
        assert expired == []
    finally:
        event.remove(PersonRecord, "expire", record)


def test_the_person_page_builds_none_of_its_queries_on_a_view(app, login, monkeypatch):
    """Every query the page runs is built once (with bind parameters), not on each view: building a SELECT and
    its cache key cost more than running it (the reason check and the pending unlinks were built per view)."""
    from sqlalchemy.sql.selectable import Select

    with arranged(app):
        person = _identity_with(2, "Haddad")
    officer = login(Role.LICENSING_OFFICER, "WDC")
    granted = officer.submit(f"/people/{person}/reason", {"reason": "Renewal WDC/2026/9"})
    assert officer.get(granted.headers["Location"]).status_code == 200
    built = []
    original = Select.__init__

    def counted(self, *args, **kwargs):
        built.append(args)
        original(self, *args, **kwargs)

    monkeypatch.setattr(Select, "__init__", counted)
    page = officer.get(granted.headers["Location"])
    assert page.status_code == 200 and "Tariq Haddad" in page.get_data(as_text=True)
    assert "Renewal WDC/2026/9" in page.get_data(as_text=True)
    assert built == []
