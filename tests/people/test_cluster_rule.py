"""The register joins records into one person by match_file's rule (issue 11, score.keeps_apart): no two
records in it that are hard evidence of two people (a veto) or whose summed evidence is below
cluster_conflict_weight. A birth date, sex or licence that differs is evidence weighed in that sum, not a
veto."""

import csv

from sqlalchemy import select

from licensing.auth.models import Role
from licensing.db import db
from licensing.matching import match_file
from licensing.people.models import LinkState, PersonRecord, RecordLink
from tests.imports.helpers import csv_file, person_row

LICENCE = "HUSSA802205I99XY"  # Imran Hussain, born 20/02/1985
IMRAN = {"forenames": "Imran", "surname": "Hussain", "address_line": "12 Desborough Road",
         "postcode": "HP11 2PU"}


def _form(reference: str, day: str, month: str, year: str, **numbers) -> dict:
    return {
        "authority_reference": reference,
        "forenames": "Imran",
        "surname": "Hussain",
        "date_of_birth": [day, month, year],
        "sex": "M",
        "address_line": "12 Desborough Road",
        "town": "High Wycombe",
        "postcode": "HP11 2PU",
        "national_insurance": numbers.get("national_insurance", ""),
        "driving_licence_number": numbers.get("driving_licence_number", ""),
    }


def _import(runner, tmp_path, rows: list[dict]) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(csv_file(rows))
    assert runner.invoke(args=["import-records", str(path), "--authority", "WDC"]).exit_code == 0


def _records() -> dict[str, PersonRecord]:
    return {r.authority_reference: r for r in db.session.scalars(select(PersonRecord))}


def _links() -> list[RecordLink]:
    return db.session.scalars(select(RecordLink).order_by(RecordLink.id)).all()


def test_one_man_whose_birth_dates_differ_with_the_same_ni_and_licence_added_by_form_is_linked(app, login):
    # The pair links on its own (71 bits); its birth dates are weighed in that, not a contradiction of itself.
    same = {"national_insurance": "JT123456A", "driving_licence_number": LICENCE}
    for authority, day, month, year in (("WDC", "20", "2", "1985"), ("CDC", "14", "9", "1987")):
        form = _form(f"{authority}-1", day, month, year, **same)
        assert login(Role.LICENSING_OFFICER, authority).submit("/records/new", form).status_code == 302
    with app.app_context():
        records = _records()
        assert records["WDC-1"].identity_id == records["CDC-1"].identity_id
        (link,) = _links()
        assert link.state is LinkState.AUTOMATIC, link.review_reason


def test_one_man_whose_birth_dates_differ_with_the_same_ni_and_licence_imported_is_linked(
    app, county, runner, tmp_path
):
    same = {**IMRAN, "national_insurance": "JT123456A", "driving_licence_number": LICENCE}
    _import(runner, tmp_path, [person_row(1, date_of_birth="20/02/1985", **same),
                               person_row(2, date_of_birth="14/09/1987", **same)])
    with app.app_context():
        records = _records()
        assert records["REF00001"].identity_id == records["REF00002"].identity_id
        (link,) = _links()
        assert link.state is LinkState.AUTOMATIC, link.review_reason


CHAIN = [
    # 1 and 2 share the NI number, 2 and 3 the licence (each pair links on its own); 1 and 3 share only the
    # name and address, and their birth dates differ (3's licence holds 1's): 22 bits for one person.
    {"date_of_birth": "20/02/1985", "national_insurance": "JT123456A"},
    {"date_of_birth": "20/02/1985", "national_insurance": "JT123456A", "driving_licence_number": LICENCE},
    {"date_of_birth": "14/09/1987", "driving_licence_number": LICENCE},
]


def test_a_chain_to_a_record_whose_birth_date_differs_joins_as_match_file_joins_it(
    app, county, runner, tmp_path
):
    _import(runner, tmp_path, [person_row(n, **IMRAN, **row) for n, row in enumerate(CHAIN, start=1)])
    with app.app_context():
        records = _records()
        assert len({r.identity_id for r in records.values()}) == 1
        by_pair = {(link.record_a_id, link.record_b_id): link for link in _links()}
        one, two, three = (records[f"REF0000{n}"].id for n in (1, 2, 3))
        assert by_pair[(one, two)].state is by_pair[(two, three)].state is LinkState.AUTOMATIC
        assert not any("contradicts itself" in (link.review_reason or "") for link in by_pair.values())
    lines = ["record_id,source,forenames,surname,date_of_birth,address_line,town,postcode,national_insurance,"
             "driving_licence_number"]
    for n, row in enumerate(CHAIN, start=1):
        day, month, year = row["date_of_birth"].split("/")
        lines.append(f"R{n},WDC,Imran,Hussain,{year}-{month}-{day},12 Desborough Road,High Wycombe,HP11 2PU,"
                     f"{row.get('national_insurance', '')},{row.get('driving_licence_number', '')}")
    (tmp_path / "file.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    match_file(tmp_path / "file.csv", tmp_path / "out.csv", progress=None, estimate=False)
    with open(tmp_path / "out.csv", encoding="utf-8", newline="") as fh:
        links = {(r["id_a"], r["id_b"]) for r in csv.DictReader(fh)}
    assert links == {("R1", "R2"), ("R2", "R3"), ("R1", "R3")}


def test_a_father_and_son_at_one_address_25_years_apart_stay_two_people(app, county, runner, tmp_path):
    # The father's two records link on his NI number; the son shares his name and address only.
    home = {**IMRAN, "forenames": "Imran"}
    _import(runner, tmp_path, [
        person_row(1, date_of_birth="20/02/1960", national_insurance="JT123456A", **home),
        person_row(2, date_of_birth="20/02/1960", national_insurance="JT123456A", driving_licence_number=
                   "HUSSA602200I99XY", **home),
        person_row(3, date_of_birth="20/02/1985", driving_licence_number=LICENCE, **home),
    ])
    with app.app_context():
        records = _records()
        assert records["REF00001"].identity_id == records["REF00002"].identity_id
        assert records["REF00003"].identity_id != records["REF00001"].identity_id
        assert not [link for link in _links() if link.state is LinkState.AUTOMATIC
                    and records["REF00003"].id in (link.record_a_id, link.record_b_id)]


def test_an_officer_confirming_a_pair_whose_birth_dates_differ_joins_it(app, login):
    # Names and address only: held for review by its probability. An officer who confirms it is not refused
    # as "clearly different" for the birth date the pair was held for.
    assert login(Role.LICENSING_OFFICER, "WDC").submit("/records/new", _form("WDC-2", "20", "2", "1985"))
    assert login(Role.LICENSING_OFFICER, "CDC").submit("/records/new", _form("CDC-2", "14", "9", "1987"))
    with app.app_context():
        (link,) = _links()
        assert link.state is LinkState.PENDING
        link_id = link.id
    officer = login(Role.LICENSING_OFFICER, "CDC")
    assert officer.submit(f"/review/{link_id}", {"decision": "confirm"}).status_code == 302
    with app.app_context():
        records = _records()
        assert records["WDC-2"].identity_id == records["CDC-2"].identity_id
        assert db.session.get(RecordLink, link_id).state is LinkState.CONFIRMED
