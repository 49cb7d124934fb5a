"""The import's batch linking decides exactly as the single-record path does on the same records, and stores
the same search keys."""

import datetime as dt

from sqlalchemy import event, func, select

from licensing.auth.models import Role
from licensing.db import db
from licensing.imports.services import run_import
from licensing.people.identity import key_holder_counts, limited_keys, term_counts
from licensing.people.inputs import AddressInput, PersonRecordInput
from licensing.people.models import BlockingKey, PersonRecord, RecordLink, TermCount
from licensing.people.services import create_person_record
from licensing.register.search import SearchCriteria, search_people
from tests.factories import arranged, authority, make_county, make_person, make_user
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


# Many "Mohammed Khan"s born in 1975 at one postcode: with the limit at 3, their two-names-and-year key and
# their postcode-and-name key become too common to fetch candidates part way through the list.
COMMON = [
    *[
        (f"K{n:02d}", "Mohammed", "Khan", f"1975-{n:02d}-{n + 10:02d}", "HP13 6AA", "", "")
        for n in range(1, 9)
    ],
    ("K20", "Muhammad", "Khan", "1975-01-11", "HP13 6AA", "", ""),  # K01's variant: same DOB
    ("K21", "Mohammed", "Khan", "1975-12-25", "HP13 6AA", "JK654321B", ""),
    ("K22", "Mohd", "Khan", "1975-12-26", "HP22 5XY", "JK654321B", ""),  # K21's variant: same NI
    # Look-alikes: the same name and date of birth, different identifiers and addresses.
    ("K30", "Imran", "Khan", "1980-02-02", "HP11 2AA", "AB123456C", "KHAN9802020I99AB"),
    ("K31", "Imran", "Khan", "1980-02-02", "HP19 8ZZ", "CE654321A", "KHAN9802020I98CD"),
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


def _by_form(people) -> None:
    for ref, forenames, surname, dob, postcode, ni, dl in people:
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


def _by_import(people):
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
        for ref, forenames, surname, dob, postcode, ni, dl in people
    ]
    return run_import(csv_file(rows), "batch.csv", authority("WDC"), actor=None)


def test_batch_and_single_record_paths_decide_the_same(app, second_app):
    with arranged(app):  # one at a time, through the form's service
        _stored_people()
        _by_form(PEOPLE)
        db.session.commit()
        single, single_keys = _decisions(), _keys()
    with arranged(second_app):  # all at once, through the import
        _stored_people()
        report = _by_import(PEOPLE)
        db.session.commit()
        batch, batch_keys = _decisions(), _keys()
    assert report.created == len(PEOPLE)
    states = {state for *_, state, _ in single[0]}
    assert {"automatic", "pending_review"} <= states, "the sample must exercise both kinds of decision"
    assert batch == single
    assert any(key.startswith("fz:") for _, key in single_keys), "the typo-tolerant search keys are stored"
    assert batch_keys == single_keys
    assert report.linked >= 1 and report.review >= 1


def _holders(key: str) -> int:
    return db.session.scalar(select(func.count()).select_from(BlockingKey).where(BlockingKey.key == key))


def test_a_common_name_still_meets_its_variants_and_both_paths_agree(app, second_app):
    for each in (app, second_app):
        each.config["MATCH_MAX_KEY_HOLDERS"] = 3
    with arranged(app):
        make_county()
        _by_form(COMMON)
        db.session.commit()
        single = _decisions()
        loose = db.session.scalars(
            select(BlockingKey.key).where(BlockingKey.key.like("nm:%")).group_by(BlockingKey.key)
        ).all()
        assert max(_holders(key) for key in loose) > 3, "the limit must bind for this test to mean anything"
    with arranged(second_app):
        make_county()
        report = _by_import(COMMON)
        db.session.commit()
        batch = _decisions()
    assert report.created == len(COMMON)
    assert batch == single
    links = {(a, b): state for a, b, state, _ in single[0]}
    # The variants meet through the date of birth with a name, and through the NI number.
    assert links.get(("K01", "K20")) in {"automatic", "pending_review"}
    assert links.get(("K21", "K22")) == "automatic"
    # The look-alikes are never joined automatically.
    assert links.get(("K30", "K31")) in {None, "pending_review"}
    assert not any(sorted(group) == ["K30", "K31"] or {"K30", "K31"} <= set(group) for group in single[1])
    # Past the limit, the two-names-and-year key fetches nobody: the last Mohammed Khans born in 1975
    # meet none of the earlier ones they share only that key and the postcode with.
    assert ("K07", "K08") not in links and ("K01", "K08") not in links


def test_without_the_limit_the_common_key_still_proposes(app):
    """The other side of the rule: under the limit, the two-names-and-year key does fetch candidates."""
    app.config["MATCH_MAX_KEY_HOLDERS"] = 100
    with arranged(app):
        make_county()
        _by_form(COMMON)
        db.session.commit()
        links = {(a, b) for a, b, *_ in _decisions()[0]}
    assert ("K07", "K08") in links or ("K01", "K08") in links


def _statements_while(run, wanted) -> list[str]:
    """The statements that `wanted(statement)` picks out, in order, run while `run()` runs."""
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        if wanted(statement):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    return seen


def _bounded_count_statements(run, fragment: str = "FROM blocking_keys AS b WHERE b.key") -> set[str]:
    """The distinct statements that count a key's holders (or hold another `fragment`) while `run()` runs."""
    return set(_statements_while(run, lambda statement: fragment in statement))


def test_the_form_and_the_import_count_key_holders_with_one_statement(app, second_app):
    """One home for the rule's count: both paths run key_holder_counts' statement, and its counts are the
    holders, capped at the limit plus one, on a register where the limit binds."""
    for each in (app, second_app):
        each.config["MATCH_MAX_KEY_HOLDERS"] = 3
    with arranged(app):
        make_county()
        by_form = _bounded_count_statements(lambda: _by_form(COMMON))
        db.session.commit()
        loose = limited_keys(db.session.scalars(select(BlockingKey.key)))
        counts = key_holder_counts([*loose, "nm:nobody"], limit=3)
        assert counts == {key: min(_holders(key), 4) for key in [*loose, "nm:nobody"]}
        assert max(counts.values()) == 4, "the limit must bind for this test to mean anything"
    with arranged(second_app):
        make_county()
        by_import = _bounded_count_statements(lambda: _by_import(COMMON))
        db.session.commit()
    assert len(by_form) == 1
    assert by_import == by_form


def test_the_form_the_import_and_a_surname_search_read_name_counts_with_one_statement(app, second_app):
    """One home for reading term counts: the form's linking, the import's batch and a surname search's slips
    all run term_counts' statement, and it returns the stored counts, leaving out terms nobody holds."""
    reads_counts = "JOIN term_counts AS t"
    with arranged(app):
        make_county()
        by_form = _bounded_count_statements(lambda: _by_form(COMMON), reads_counts)
        db.session.commit()
        officer = make_user(role=Role.LICENSING_OFFICER)
        khan = SearchCriteria(surname="Khan")
        by_search = _bounded_count_statements(
            lambda: search_people(khan, viewer=officer, today=dt.date(2026, 11, 30)), reads_counts
        )
        stored = {(c.kind, c.term): c.count for c in db.session.scalars(select(TermCount))}
        assert term_counts([*stored, ("surname", "nobody")]) == stored
    with arranged(second_app):
        make_county()
        by_import = _bounded_count_statements(lambda: _by_import(COMMON), reads_counts)
        db.session.commit()
    assert len(by_form) == 1
    assert by_import == by_form == by_search


def _reads_of_stored_records(run) -> int:
    """How many statements read records' identifying fields back (stored_match_records), while run() runs."""
    return len(_statements_while(
        run, lambda s: "person_records.forenames" in s and s.lstrip().upper().startswith("SELECT")
    ))


def test_chunk_after_chunk_the_import_decides_as_the_form_and_reads_back_none_of_its_own_records(
    app, second_app, monkeypatch
):
    """An import's later chunks take their candidates among its earlier records from memory, not the
    database: the same decisions as one record at a time on the form, and no record read back."""
    monkeypatch.setattr("licensing.imports.services.WRITE_CHUNK", 3)
    people = PEOPLE + COMMON
    with arranged(app):
        make_county()
        _by_form(people)
        db.session.commit()
        single = _decisions()
    with arranged(second_app):
        make_county()
        reads = _reads_of_stored_records(lambda: _by_import(people))
        db.session.commit()
        batch = _decisions()
    assert any(state == "automatic" for *_, state, _ in single[0])
    assert batch == single
    assert reads == 0


def test_between_chunks_the_import_freezes_what_it_holds_out_of_the_collector_and_unfreezes_at_the_end(
    app, monkeypatch
):
    """The collector's full passes rescanned every object an import holds (its remembered records among
    them), chunk after chunk: while the chunks are written the collector is off, from the second chunk on
    what earlier chunks left alive is frozen out of it, and once the import is over nothing stays frozen
    and the collector is on again. The first chunk, all a small import has, pays for no collection."""
    import gc

    from licensing.imports import services

    monkeypatch.setattr("licensing.imports.services.WRITE_CHUNK", 5)
    at_each_chunk = []
    link = services.link_records_batch

    def watching(*args, **kwargs):
        at_each_chunk.append((gc.get_freeze_count(), gc.isenabled()))
        return link(*args, **kwargs)

    monkeypatch.setattr(services, "link_records_batch", watching)
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    with arranged(app):
        make_county()
        report = _by_import(PEOPLE + COMMON)
        db.session.commit()
    assert report.created == len(PEOPLE + COMMON) and len(at_each_chunk) == 5
    assert at_each_chunk[0] == (0, False)
    assert all(frozen > 0 and not enabled for frozen, enabled in at_each_chunk[1:])
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_an_import_works_out_each_new_records_frequency_terms_once_not_again_as_a_later_candidate(
    app, monkeypatch
):
    """A remembered record keeps the name and birth-date terms it was counted by: when it is a candidate of a
    later chunk, its terms are not worked out again (a few per cent of a large import's time)."""
    from licensing.imports import linking

    monkeypatch.setattr("licensing.imports.services.WRITE_CHUNK", 3)
    worked_out = []
    terms_of = linking.frequency_terms

    def counting(record):
        worked_out.append(record.record_id)
        return terms_of(record)

    monkeypatch.setattr(linking, "frequency_terms", counting)
    with arranged(app):
        make_county()
        report = _by_import(PEOPLE + COMMON)
        db.session.commit()
    assert report.created == len(PEOPLE + COMMON) and report.linked + report.review > 5
    assert sorted(worked_out) == sorted(set(worked_out)) and len(worked_out) == report.created


def test_an_earlier_record_that_is_a_candidate_chunk_after_chunk_is_prepared_once_as_a_candidate(
    app, second_app, monkeypatch
):
    """The Khans share their keys, so each is a candidate of chunk after chunk: it is prepared when it is
    written and once more when it is first a candidate, then kept prepared, and the decisions are those of
    an import that kept nothing prepared."""
    from collections import Counter

    from licensing.imports import linking

    monkeypatch.setattr("licensing.imports.services.WRITE_CHUNK", 3)
    prepared = Counter()
    prepare = linking.prepare

    def counting(record):
        prepared[record.record_id] += 1
        return prepare(record)

    monkeypatch.setattr(linking, "prepare", counting)
    with arranged(app):
        make_county()
        _by_import(PEOPLE + COMMON)
        db.session.commit()
        kept = _decisions()
    assert max(prepared.values()) == 2
    monkeypatch.setattr(linking, "REMEMBERED_PREPARED", 0)
    prepared.clear()
    with arranged(second_app):
        make_county()
        _by_import(PEOPLE + COMMON)
        db.session.commit()
        assert _decisions() == kept
    assert max(prepared.values()) > 2


def test_two_imports_writing_at_once_leave_the_collector_on_once_both_are_done():
    """Imports run in threads of the web process may overlap: the one that finishes first must not turn the
    collector back on under the other, and the one that finishes last must not leave it off."""
    import gc

    from licensing.imports.services import _frozen_between_chunks

    assert gc.isenabled()
    first, second = _frozen_between_chunks(), _frozen_between_chunks()
    settle = first.__enter__()
    second.__enter__()
    settle()
    first.__exit__(None, None, None)
    assert not gc.isenabled() and gc.get_freeze_count() > 0
    second.__exit__(None, None, None)
    assert gc.isenabled() and gc.get_freeze_count() == 0
