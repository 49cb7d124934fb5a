"""The register, through the new-record form and an import: twins whose NI numbers were issued in sequence are
put to an officer, never joined into one person; one man's slip in his own NI number still links."""

from sqlalchemy import select

from licensing.auth.models import Role
from licensing.db import db
from licensing.people.models import LinkState, PersonRecord, RecordLink
from tests.factories import arranged, make_county, make_person
from tests.imports.helpers import csv_file, person_row

TWINS_REASON = "Review: numbers one character apart and forenames that differ, as twins&#39; can be"


def _record(reference: str, forenames: str, national_insurance: str) -> dict:
    return {
        "authority_reference": reference,
        "forenames": forenames,
        "surname": "Thrussell",
        "date_of_birth": ["12", "4", "1990"],
        "sex": "M",
        "address_line": "15 Goodwin Street",
        "town": "High Wycombe",
        "postcode": "HP13 6AB",
        "national_insurance": national_insurance,
    }


def _add_both(app, login, first: dict, second: dict):
    """The first record added at Wycombe, the second at Chiltern: (the link's id and state, or None; the two
    records' identities)."""
    assert login(Role.LICENSING_OFFICER, "WDC").submit("/records/new", first).status_code == 302
    assert login(Role.LICENSING_OFFICER, "CDC").submit("/records/new", second).status_code == 302
    with app.app_context():
        a, b = db.session.scalars(select(PersonRecord).order_by(PersonRecord.id)).all()
        link = db.session.scalar(select(RecordLink))
        return (link.id, link.state) if link else None, (a.identity_id, b.identity_id)


def test_twins_with_consecutive_ni_numbers_added_by_form_go_to_review_and_stay_two_people(app, login):
    link, (first, second) = _add_both(
        app, login, _record("WDC-T-1", "John", "AB123456C"), _record("CDC-T-1", "James", "AB123457C")
    )
    assert first != second
    assert link[1] is LinkState.PENDING
    queue = login(Role.LICENSING_OFFICER, "CDC").get("/review").get_data(as_text=True)
    assert "John Thrussell / James Thrussell" in queue and TWINS_REASON in queue


def test_the_pair_page_says_why_the_twins_were_held_for_review(app, login):
    (link_id, _), _ = _add_both(
        app, login, _record("WDC-T-4", "John", "AB123456C"), _record("CDC-T-4", "James", "AB123457C")
    )
    page = login(Role.LICENSING_OFFICER, "CDC").get(f"/review/{link_id}").get_data(as_text=True)
    assert f'<div class="govuk-inset-text">{TWINS_REASON}</div>' in page


def test_one_man_with_a_slip_in_his_ni_number_added_by_form_is_linked(app, login):
    link, (first, second) = _add_both(
        app, login, _record("WDC-T-2", "John", "AB123456C"), _record("CDC-T-2", "John", "AB123457C")
    )
    assert first == second
    assert link[1] is LinkState.AUTOMATIC


def test_a_slip_mid_ni_number_with_another_forename_added_by_form_is_linked(app, login):
    # AB123456C / AB173456C: 50,000 apart, no sequence of issue; the forename replaced is then no twin's.
    link, (first, second) = _add_both(
        app, login, _record("WDC-T-3", "John", "AB123456C"), _record("CDC-T-3", "James", "AB173456C")
    )
    assert first == second
    assert link[1] is LinkState.AUTOMATIC


def test_twins_with_consecutive_ni_numbers_imported_in_one_file_go_to_review(app, county, runner, tmp_path):
    # The import links a file's records among themselves in one batch: the same rule, the same outcome.
    twins = {"surname": "Thrussell", "date_of_birth": "12/04/1990", "address_line": "15 Goodwin Street",
             "postcode": "HP13 6AB"}
    path = tmp_path / "twins.csv"
    path.write_bytes(csv_file([
        person_row(1, forenames="John", national_insurance="AB123456C", **twins),
        person_row(2, forenames="James", national_insurance="AB123457C", **twins),
    ]))
    assert runner.invoke(args=["import-records", str(path), "--authority", "WDC"]).exit_code == 0
    with app.app_context():
        first, second = db.session.scalars(select(PersonRecord).order_by(PersonRecord.id)).all()
        link = db.session.scalar(select(RecordLink))
        assert first.identity_id != second.identity_id
        assert link.state is LinkState.PENDING and TWINS_REASON.replace("&#39;", "'") in link.summary


def test_namesakes_born_days_apart_with_ni_numbers_one_digit_apart_added_by_form_go_to_review(app, login):
    # A common full name, one postcode, valid NI numbers and birth dates each one digit apart: two people as
    # likely as one (issue 11). Not the same house, so nothing confirms one person.
    first = _record("WDC-T-4", "Muhammad Asif", "JT000000A") | {
        "surname": "Khan",
        "date_of_birth": ["1", "1", "1950"],
        "address_line": "0 High St",
    }
    second = _record("CDC-T-4", "Mohd Asif", "JT000050A") | {
        "surname": "Khan",
        "date_of_birth": ["6", "1", "1950"],
        "address_line": "50 High St",
    }
    link, (a, b) = _add_both(app, login, first, second)
    assert a != b
    assert link[1] is LinkState.PENDING


# Gurpreet Singh with his licence number, then as "Gurpreut" (a slip) with his NI number only: the licence
# fits either record's surname, birth date and sex, as a twin's would. The register's counts tell the two
# apart, as match-file's do: "Gurpreut" is written by no other record, "Gurpreet" by several, so one man's
# slip links; two names each carried by several records (Justin and Dustin) are as twins' are: an officer's.
SINGH = {
    "surname": "Singh", "date_of_birth": "29/08/1988",
    "address_line": "77 High Street", "postcode": "SL2 1GP",
}
SINGH_LICENCE = "SINGH808298G999S"
TWINS_ONE_SIDED = (
    "Review: a licence number on one record only, as a twin's would fit, and forenames that differ"
)


def _import_pair(app, runner, tmp_path, first: str, second: str, others: list[str]) -> RecordLink:
    """Other people carrying `others`' forenames, then the pair, imported in one file: the pair's link."""
    rows = [person_row(100 + n, forenames=name) for n, name in enumerate(others)]
    rows += [
        person_row(1, forenames=first, driving_licence_number=SINGH_LICENCE, **SINGH),
        person_row(2, forenames=second, national_insurance="SJ378868A", **SINGH),
    ]
    path = tmp_path / "pair.csv"
    path.write_bytes(csv_file(rows))
    assert runner.invoke(args=["import-records", str(path), "--authority", "WDC"]).exit_code == 0
    with app.app_context():
        pair = db.session.scalars(
            select(PersonRecord.id).where(PersonRecord.authority_reference.in_(["REF00001", "REF00002"]))
        ).all()
        return db.session.scalar(select(RecordLink).where(RecordLink.record_a_id.in_(pair),
                                                          RecordLink.record_b_id.in_(pair)))


def test_an_imported_forename_slip_the_registers_counts_show_links_with_a_licence_on_one_record(
    app, county, runner, tmp_path
):
    link = _import_pair(app, runner, tmp_path, "Gurpreet", "Gurpreut", ["Gurpreet"] * 4)
    assert link.state is LinkState.AUTOMATIC, link.summary


def test_imported_twins_named_justin_and_dustin_with_a_licence_on_one_record_go_to_review(
    app, county, runner, tmp_path
):
    link = _import_pair(app, runner, tmp_path, "Justin", "Dustin", ["Justin"] * 4 + ["Dustin"] * 4)
    assert link.state is LinkState.PENDING and link.summary.endswith(TWINS_ONE_SIDED)


def test_a_slip_without_counts_to_show_it_goes_to_review(app, county, runner, tmp_path):
    # No other Gurpreet in the register: nothing says which spelling is the name.
    link = _import_pair(app, runner, tmp_path, "Gurpreet", "Gurpreut", [])
    assert link.state is LinkState.PENDING and link.summary.endswith(TWINS_ONE_SIDED)


def test_a_forename_slip_the_registers_counts_show_added_by_form_links(app, login):
    with arranged(app):
        make_county()
        for _ in range(4):
            make_person("WDC", forenames="Gurpreet", surname="Sandhu")
    first = _record("WDC-S-1", "Gurpreet", "") | {
        "surname": "Singh", "date_of_birth": ["29", "8", "1988"], "address_line": "77 High Street",
        "postcode": "SL2 1GP", "driving_licence_number": SINGH_LICENCE,
    }
    second = _record("CDC-S-1", "Gurpreut", "SJ378868A") | {
        "surname": "Singh", "date_of_birth": ["29", "8", "1988"], "address_line": "77 High Street",
        "postcode": "SL2 1GP",
    }
    assert login(Role.LICENSING_OFFICER, "WDC").submit("/records/new", first).status_code == 302
    assert login(Role.LICENSING_OFFICER, "CDC").submit("/records/new", second).status_code == 302
    with app.app_context():
        a, b = (db.session.scalar(select(PersonRecord).where(PersonRecord.authority_reference == ref))
                for ref in ("WDC-S-1", "CDC-S-1"))
        assert a.identity_id == b.identity_id
        link = db.session.scalar(select(RecordLink).where(RecordLink.record_a_id == a.id,
                                                          RecordLink.record_b_id == b.id))
        assert link.state is LinkState.AUTOMATIC, link.summary
