"""match-file prepares each row without a MatchRecord in between (records.prepare_row): field for field the
same as the general path, for clean and messy rows."""

from dataclasses import fields

import pytest

from licensing.matching.records import MatchRecord, prepare_row, prepare_uncached

ROWS = [
    # forenames, surname, dob, sex, postcode, line, ni, dl
    ("Imtiaz", "Akhtar", "2003-05-07", "M", "MK2 7ZE", "145 Kings Ave", "EX166013A", "AKHTA005073MI9SD"),
    ("Harjit", "Bassi", "18/02/1974", "male", "mk186dx", "185a Castle Cl", "HP972963 D", "BASSI752184H995I"),
    ("Zoë", "O'Brien-Smith", "19551192", "F", "NOT A PC", "Flat 3, 12 High St", "000000", ""),
    ("Sophie", "", "", "", "", "", "", "bassi752184h995i12"),
    ("", "Syed", "1966-13-10", "x", "HP13 6AB", "Rose Cottage", "AB123456", "NOTALICENCE"),
    ("Abdul Rahman", "Khan", "1980-01-02", "", "ZZ99 9ZZ", "", "QQ123456C", "KHAN9801020AB9CD"),
]


@pytest.mark.parametrize("row", ROWS)
def test_prepare_row_matches_the_general_path(row):
    fore, sur, dob, sex, pc, line, ni, dl = row
    general = prepare_uncached(
        MatchRecord(
            record_id="R1",
            forenames=fore,
            surname=sur,
            date_of_birth=dob,
            sex=sex,
            postcodes=(pc,) if pc else (),
            address_lines=(line,) if pc else (),
            national_insurance=ni,
            driving_licence_number=dl,
        )
    )
    fast = prepare_row("R1", fore, sur, dob, sex, pc, line, ni, dl)
    assert fast.record_id == general.record_id == "R1"
    for f in fields(general):
        if f.name != "record":
            assert getattr(fast, f.name) == getattr(general, f.name), f.name


def test_a_row_keeps_its_id_and_no_match_record():
    # match-file needs only a row's id: a MatchRecord a row (1,000,000 of them held 126 MB) is not built.
    # The general path keeps the record it was given, for callers that read its fields as written.
    fast = prepare_row("R1", "Harjit", "Bassi", "1974-02-18", "M", "MK18 6DX", "185 Castle Close", "", "")
    assert (fast.record_id, fast.record) == ("R1", None)
    given = MatchRecord(record_id="R1", forenames="Harjit", surname="Bassi")
    general = prepare_uncached(given)
    assert (general.record_id, general.record) == ("R1", given)


def test_licence_parts_that_repeat_are_shared_not_copied_per_record():
    # A million rows each held three new short strings for their licence's surname stem, initials and check
    # characters (about 150 MB at 1,000,000 records); equal parts are now one string.
    one = prepare_row("R1", "Imtiaz", "Akhtar", "", "", "", "", "", "AKHTA005073MI9SD").dl_parsed
    other_number = "".join(["AKHTA", "105073MI9SD"])  # made at run time: not the same constant
    two = prepare_row("R2", "Imran", "Akhtar", "", "", "", "", "", other_number).dl_parsed
    assert (one.surname_stem, one.initials, one.check) == (two.surname_stem, two.initials, two.check)
    assert one.surname_stem is two.surname_stem
    assert one.initials is two.initials
    assert one.check is two.check


def test_rows_with_one_licence_number_share_its_parse():
    # A person's licence number repeats across their rows: it is parsed once and the rows share the result,
    # which is the one prepare_uncached gives each of them.
    number = "".join(["BASSI", "752184H995I"])
    first = prepare_row("R1", "Harjit", "Bassi", "", "", "", "", "", number)
    again = prepare_row("R2", "Harjit", "Bassi", "", "", "", "", "", " ".join(["bassi", "752184h995i"]))
    repeat = prepare_row("R3", "Harjit", "Bassi", "", "", "", "", "", "".join(["BASSI", "752184H995I"]))
    general = prepare_uncached(MatchRecord(record_id="R1", driving_licence_number=number))
    assert first.dl_parsed == again.dl_parsed == general.dl_parsed
    assert first.dl == again.dl == repeat.dl == general.dl == "BASSI752184H995I"
    assert repeat.dl_parsed is first.dl_parsed
    unparsable = prepare_row("R4", "", "", "", "", "", "", "", "NOTALICENCE")
    assert (unparsable.dl, unparsable.dl_parsed) == ("NOTALICENCE", None)


def test_rows_with_one_ni_number_or_one_address_share_its_strings():
    # A person's NI number and address repeat across their rows: the rows share one set of strings (about
    # 70 MB at 1,000,000 records), equal to what prepare_uncached gives each of them.
    def row(record_id, ni, line):
        return prepare_row(record_id, "Harjit", "Bassi", "", "", "MK18 6DX", line, ni, "")

    first = row("R1", "".join(["HP972963", "D"]), "".join(["185 Castle", " Close"]))
    again = row("R2", "".join(["HP97", "2963D"]), "".join(["185 Castle ", "Close"]))
    general = prepare_uncached(
        MatchRecord(
            record_id="R1",
            national_insurance="HP972963D",
            postcodes=("MK18 6DX",),
            address_lines=("185 Castle Close",),
        )
    )
    for p in (first, again):
        assert (p.ni, p.ni_core, p.ni_valid, p.houses) == (
            general.ni, general.ni_core, general.ni_valid, general.houses
        )
    assert again.ni is first.ni and again.ni_core is first.ni_core
    assert again.houses is first.houses


def test_rows_prepared_after_the_caches_are_emptied_are_the_same_and_compare_the_same():
    # match_file empties prepare_row's tables once its file is read (records.release_row_caches).
    from licensing.matching import records
    from licensing.matching.score import Scorer

    before = [prepare_row(f"R{i}", *row) for i, row in enumerate(ROWS)]
    records.release_row_caches()
    assert not records._names_by_text and not records._licences
    after = [prepare_row(f"R{i}", *row) for i, row in enumerate(ROWS)]
    for old, new in zip(before, after, strict=True):
        for f in fields(old):
            if f.name != "names_id":  # a fresh id: ids are never reused
                assert getattr(new, f.name) == getattr(old, f.name), f.name
    assess = Scorer().assess
    for x in range(len(ROWS)):
        for y in range(len(ROWS)):
            assert assess(after[x], after[y]) == assess(before[x], before[y])
