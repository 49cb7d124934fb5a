"""Linking a new record costs a fixed number of SQL statements, however many same-name candidates it meets."""

import datetime as dt

from sqlalchemy import event, select

from licensing.db import db
from licensing.people.inputs import AddressInput, PersonRecordInput
from licensing.people.models import LinkState, PersonRecord, RecordLink
from licensing.people.services import create_person_record
from tests.factories import arranged, authority, make_person


def _statements_to_link_among(
    candidates: int, forenames: str, surname: str, ni: str
) -> tuple[int, list[LinkState]]:
    """Statements run to add and link one man among `candidates` others of the same name (one of them the same
    man, with the same NI number), and the link states it made."""
    same_man = make_person("WDC", forenames=forenames, surname=surname, date_of_birth=dt.date(1975, 6, 1),
                           national_insurance=ni)
    for n in range(1, candidates):
        make_person(
            "CDC",
            forenames=forenames,
            surname=surname,
            date_of_birth=dt.date(1940 + n, 1 + n % 12, 9),
            postcode=f"HP{n % 20 + 1} 1AA",
        )
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        record = create_person_record(authority("SBDC"), PersonRecordInput(
            authority_reference=f"SBDC-{candidates}", forenames=forenames, surname=surname,
            date_of_birth=dt.date(1975, 6, 1), sex="M", national_insurance=ni,
            addresses=(AddressInput("4 Mill Lane", "Beaconsfield", "HP9 1AA"),)), actor=None)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert (
        db.session.get(PersonRecord, record.id).identity_id
        == db.session.get(PersonRecord, same_man.id).identity_id
    )
    states = list(db.session.scalars(select(RecordLink.state).where(
        (RecordLink.record_a_id == record.id) | (RecordLink.record_b_id == record.id))))
    db.session.rollback()
    return len(statements), states


def test_linking_among_thirty_same_name_candidates_runs_as_many_statements_as_among_three(app, county):
    with arranged(app):
        among_three, states_three = _statements_to_link_among(3, "Jaswinder", "Sandhu", "JS750601A")
        among_thirty, states_thirty = _statements_to_link_among(30, "Harjinder", "Dhillon", "JH750601A")
    assert states_three == states_thirty == [LinkState.AUTOMATIC]
    assert among_three == among_thirty
