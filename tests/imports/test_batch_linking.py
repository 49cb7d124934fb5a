"""The import's batch linking decides exactly as the single-record path does on the same records, and stores
the same search keys."""

import datetime as dt

from sqlalchemy import select

from licensing.db import db
from licensing.imports.services import run_import
from licensing.people.inputs import AddressInput, PersonRecordInput
from licensing.people.models import BlockingKey, PersonRecord, RecordLink
from licensing.people.services import create_person_record
from tests.factories import arranged, authority, make_county, make_person
from tests.imports.helpers import csv_file

PEOPLE = [
    # (reference, forenames, surname, dob, postcode, NI, DVLA)
    ("B01", "John", "Smith", "1980-05-17", "HP11 2BZ", "JK123456A", ""),
    ("B02", "Jon", "Smith", "1980-05-17", "HP11 2BZ", "JK123456A", ""),  # same NI: links
    ("B03", "John", "Smith", "1980-05-17", "HP21 7QW", "", ""),  # same name and DOB: review band
    ("B04", "Mohammed", "Khan", "1975-01-01", "HP13 6AA", "", ""),
    ("B05", "Muhammad", "Khan", "1975-01-01", "HP13 6AA", "", ""),
    ("B06", "Aisha", "Begum", "1990-07-30", "HP12 3RT", "NP123456D", ""),
    ("B07", "Ayesha", "Begum", "1990-07-30", "HP12 3RT", "NP123456D", ""),
    ("B08", "Peter", "Jones", "1966-11-02", "HP10 9LL", "", ""),
    ("B09", "Peter", "Jones", "1967-11-02", "HP10 9LL", "", ""),
    ("B10", "Sarah", "O'Neill", "1985-03-14", "HP11 1AB", "", ""),
    ("B11", "Sara", "ONeill", "1985-03-14", "HP11 1AB", "", ""),
    ("B12", "Zoë", "Brown", "2001-12-25", "HP14 4EE", "", ""),
]


def _stored_people():
    """Records already in the register before either path runs, so candidates include stored records."""
    make_county()
    make_person(
        "CDC",
        forenames="John",
        surname="Smith",
        date_of_birth=dt.date(1980, 5, 17),
        national_insurance="JK123456A",
        authority_reference="C-1",
    )
    make_person(
        "AVDC",
        forenames="Aisha",
        surname="Begum",
        date_of_birth=dt.date(1990, 7, 30),
        postcode="HP12 3RT",
        authority_reference="A-1",
    )
    make_person(
        "SBDC",
        forenames="Peter",
        surname="Jones",
        date_of_birth=dt.date(1966, 11, 2),
        postcode="HP10 9LL",
        authority_reference="S-1",
    )


def _decisions() -> tuple[set, list]:
    refs = dict(db.session.execute(select(PersonRecord.id, PersonRecord.authority_reference)).all())
    links = {
        (refs[link.record_a_id], refs[link.record_b_id], link.state.value, round(link.score, 9))
        for link in db.session.scalars(select(RecordLink))
    }
    groups: dict[int, list[str]] = {}
    for record in db.session.scalars(select(PersonRecord)):
        groups.setdefault(record.identity_id, []).append(record.authority_reference)
    return links, sorted(sorted(g) for g in groups.values())


def _keys() -> set[tuple[str, str]]:
    """Every stored (reference, search key): what search can find a record by."""
    return set(db.session.execute(
        select(PersonRecord.authority_reference, BlockingKey.key).join(
            BlockingKey, BlockingKey.person_record_id == PersonRecord.id)).all())


def test_batch_and_single_record_paths_decide_the_same(app, second_app):
    with arranged(app):  # one at a time, through the form's service
        _stored_people()
        for ref, forenames, surname, dob, postcode, ni, dl in PEOPLE:
            create_person_record(
                authority("WDC"),
                PersonRecordInput(
                    authority_reference=ref,
                    forenames=forenames,
                    surname=surname,
                    date_of_birth=dt.date.fromisoformat(dob),
                    sex="M",
                    national_insurance=ni,
                    driving_licence_number=dl,
                    addresses=(AddressInput(f"{ref} Road", "Town", postcode),),
                ),
                actor=None,
            )
        db.session.commit()
        single, single_keys = _decisions(), _keys()
    with arranged(second_app):  # all at once, through the import
        _stored_people()
        rows = [
            {
                "local_reference": ref,
                "forenames": forenames,
                "surname": surname,
                "date_of_birth": dob,
                "sex": "M",
                "address_line": f"{ref} Road",
                "town": "Town",
                "postcode": postcode,
                "national_insurance": ni,
                "driving_licence_number": dl,
            }
            for ref, forenames, surname, dob, postcode, ni, dl in PEOPLE
        ]
        report = run_import(csv_file(rows), "batch.csv", authority("WDC"), actor=None)
        db.session.commit()
        batch, batch_keys = _decisions(), _keys()
    assert report.created == len(PEOPLE)
    states = {state for *_, state, _ in single[0]}
    assert {"automatic", "pending_review"} <= states, "the sample must exercise both kinds of decision"
    assert batch == single
    assert any(key.startswith("fz:") for _, key in single_keys), "the typo-tolerant search keys are stored"
    assert batch_keys == single_keys
    assert report.linked >= 1 and report.review >= 1
