"""Regression tests for the recall fixes found with bench/match_quality.py (one table per fix).

Each fix keeps the policy: only strong evidence links automatically, names alone never link, and a
contradiction (different valid NI, DVLA 14th character) never links.
"""

import pytest

from licensing.matching import MatchRecord, blocking_keys, is_valid_dvla_number, prepare, score_pair
from licensing.matching.blocking import link_keys
from licensing.matching.compare import compare_dl, compare_dob, compare_tokens
from licensing.matching.identifiers import parse_dvla_number
from licensing.matching.normalise import parse_name
from licensing.matching.records import normalise_dob

HOME = dict(postcodes=("HP13 6AB",), address_lines=("12 High St",))


def rec(record_id="x", **fields):
    defaults = dict(forenames="Asif", surname="Khan", date_of_birth="1980-03-05")
    defaults.update(fields)
    return MatchRecord(record_id, **defaults)


# --- 1. licence numbers whose check characters are digits ------------------------------------


@pytest.mark.parametrize(
    "description, left, right, level",
    [
        (
            "14th character differs, digit check characters",
            "KHAN9801015A99A1",
            "KHAN9801015A98B2",
            "conflict_14th",
        ),
        (
            "only the surname part differs, digit check characters",
            "AWAN9858052Y99H4",
            "AKHTA858052Y99Z7",
            "name_change",
        ),
        ("first 14 agree, check characters differ", "KHAN9801015A99A1", "KHAN9801015A9937", "check_differs"),
        ("different people, digit check characters", "KHAN9801015A99A1", "PATEL702139M9936", "different"),
    ],
)
def test_licence_numbers_with_digit_check_characters_are_compared_fully(description, left, right, level):
    a = prepare(rec(driving_licence_number=left))
    b = prepare(rec(driving_licence_number=right))
    assert compare_dl(a, b) == level, description


def test_form_validation_accepts_digit_check_characters_but_stays_strict_about_the_rest():
    assert is_valid_dvla_number("KHAN9801015A99A1")
    assert not is_valid_dvla_number("KHAN9813015A99A1")
    assert parse_dvla_number("KHAN9801015A99A1") is None
    assert parse_dvla_number("KHAN9801015A99A1", strict=False).arbitrary == "9"
    assert parse_dvla_number("KHAN9801315A99A1", strict=False).day == 31
    assert (
        parse_dvla_number("KHAN9813015A99A1", strict=False) is None
    )  # month 13: the person part stays strict
    assert parse_dvla_number("KHAN9801015A9AA1", strict=False) is None  # 14th character must be a digit


def test_same_name_same_dob_men_with_digit_check_characters_never_link():
    common = dict(forenames="Muhammad", surname="Khan", date_of_birth="1980-01-01", **HOME)
    a = rec("a", driving_licence_number="KHAN9801010M99A1", **common)
    b = rec("b", driving_licence_number="KHAN9801010M98Z9", **common)
    result = score_pair(a, b)
    assert result.contradicts and result.decision != "link"


# --- 2. messy dates of birth in unambiguous formats ------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("13/10/1966", ("1966-10-13", True)),
        ("13-10-1966", ("1966-10-13", True)),
        ("13.10.1966", ("1966-10-13", True)),
        ("1/2/1966", ("1966-02-01", True)),
        ("19661013", ("1966-10-13", True)),
        ("1966/10/13", ("1966-10-13", True)),
        (" 1966-10-13 ", ("1966-10-13", True)),
        ("19551192", ("19551192", False)),  # impossible: stays text
        ("31/02/1980", ("31/02/1980", False)),
        ("13-10-66", ("13-10-66", False)),  # century unknown: stays text
        ("", ("", False)),
    ],
)
def test_normalise_dob_reads_unambiguous_formats(raw, expected):
    assert normalise_dob(raw) == expected


@pytest.mark.parametrize(
    "left, right, level",
    [
        ("13/10/1966", "1966-10-13", "exact"),
        ("19661013", "1966-10-13", "exact"),
        ("13/10/1966", "1966-13-10", "different"),
    ],
)
def test_reformatted_dob_compares_as_a_date(left, right, level):
    assert compare_dob(prepare(rec(date_of_birth=left)), prepare(rec(date_of_birth=right))) == level


def test_reformatted_dob_with_agreeing_ni_links():
    a = rec(
        "a",
        forenames="Rukhsana",
        surname="Ali",
        date_of_birth="13/10/1966",
        national_insurance="XR964320A",
        **HOME,
    )
    b = rec(
        "b",
        forenames="Rukhsana",
        surname="Ali",
        date_of_birth="1966-10-13",
        national_insurance="XR964320A",
        **HOME,
    )
    assert score_pair(a, b).decision == "link"


# --- 3. honorific names still give birth-date blocking keys ----------------------------------


@pytest.mark.parametrize(
    "left, right",
    [
        (("Mohammed", "Mirza"), ("Muhammed", "Mirza")),
        (("Imran", "Syed"), ("Imran", "Syed")),
    ],
)
def test_two_word_name_with_an_honorific_still_meets_on_date_of_birth(left, right):
    a = prepare(rec(forenames=left[0], surname=left[1], date_of_birth="1966-09-04"))
    b = prepare(rec(forenames=right[0], surname=right[1], date_of_birth="1966-09-04"))
    shared = {k for k in link_keys(a) if k.startswith("dob:")} & set(link_keys(b))
    assert shared
    assert blocking_keys(a.record) & blocking_keys(b.record)


def test_honorific_still_ignored_when_two_other_names_remain():
    a = prepare(rec(forenames="Syed Imran", surname="Shah"))
    assert not any(":syad" in k or ":syed" in k for k in link_keys(a))


# --- 4. a woman's changed surname -------------------------------------------------------------


def _woman(record_id, surname, dl, **extra):
    return rec(
        record_id,
        forenames="Yasmin",
        surname=surname,
        date_of_birth="1982-08-05",
        driving_licence_number=dl,
        **extra,
    )


@pytest.mark.parametrize(
    "description, a, b, decision",
    [
        (
            "married name, same address, licence shows the change",
            _woman("a", "Awan", "AWAN9858052Y99HK", **HOME),
            _woman("b", "Akhtar", "AKHTA858052Y99ZN", **HOME),
            "link",
        ),
        (
            "married name, NI agrees, no shared address",
            _woman("a", "Awan", "AWAN9858052Y99HK", national_insurance="YA807917A"),
            _woman("b", "Akhtar", "AKHTA858052Y99ZN", national_insurance="YA807917A"),
            "link",
        ),
        (
            "married name, nothing but DOB and forenames",
            _woman("a", "Awan", "AWAN9858052Y99HK"),
            _woman("b", "Akhtar", "AKHTA858052Y99ZN"),
            "no_link",
        ),
        (
            "men: a different surname is not a name change",
            rec("a", surname="Khan", driving_licence_number="KHAN9803055A99AB", **HOME),
            rec("b", surname="Hussain", driving_licence_number="HUSSA803055A99CD", **HOME),
            "no_link",
        ),
        (
            "sex unknown: not treated as a name change",
            rec("a", forenames="Yasmin", surname="Awan", date_of_birth="1982-08-05", **HOME),
            rec("b", forenames="Yasmin", surname="Akhtar", date_of_birth="1982-08-05", **HOME),
            "no_link",
        ),
        (
            "women, different valid NI numbers: still a contradiction",
            _woman("a", "Awan", "AWAN9858052Y99HK", national_insurance="YA807917A", **HOME),
            _woman("b", "Akhtar", "AKHTA858052Y99ZN", national_insurance="JJ506632C", **HOME),
            "no_link",
        ),
        (
            "women, forenames differ too: not a name change",
            _woman("a", "Awan", "AWAN9858052Y99HK", **HOME),
            rec("b", forenames="Nasreen", surname="Akhtar", date_of_birth="1982-08-05", sex="F", **HOME),
            "no_link",
        ),
    ],
)
def test_changed_surname_of_a_woman(description, a, b, decision):
    result = score_pair(a, b)
    if decision != "link":
        assert result.decision != "link", (description, result.summary())
        return
    assert result.decision == "link", (description, result.summary())
    assert result.level("surname") == "changed"
    assert "changed surname" in result.summary()


def test_changed_surname_same_in_batch_and_score_pair(tmp_path):
    from licensing.matching import match_file

    header = "record_id,source,forenames,surname,date_of_birth,address_line,town,postcode,national_insurance,driving_licence_number"
    lines = [
        header,
        "a,AV,Yasmin,Awan,1982-08-05,12 High St,Wycombe,HP13 6AB,YA807917A,AWAN9858052Y99HK",
        "b,WY,Yasmin,Akhtar,1982-08-05,3 Low Rd,Marlow,SL7 1AA,YA807917A,AKHTA858052Y99ZN",
        "c,WY,Asif,Khan,1971-02-13,12 High St,Wycombe,HP13 6AB,,KHAN9702131A99ZN",
        "d,WY,Asif,Hussain,1971-02-13,12 High St,Wycombe,HP13 6AB,,HUSSA702131A99ZN",
    ]
    src = tmp_path / "in.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    match_file(src, out, progress=None)
    rows = out.read_text().splitlines()[1:]
    assert [r.split(",")[:2] for r in rows] == [["a", "b"]]


# --- 5. doubled letters and a final h are spelling variants ----------------------------------


@pytest.mark.parametrize(
    "left, right, level",
    [
        ("Khurram", "Khuram", "variant"),
        ("Hamza", "Hamzah", "variant"),
        ("Farah", "Fara", "variant"),
        ("Butt", "Buttt", "variant"),
        ("Zeeshan", "Zeeeshan", "variant"),
        ("Mahmood", "Muhammad", "different"),  # still two different names
        ("Hassan", "Hussain", "different"),
        ("Ali", "Alia", "different"),
    ],
)
def test_doubled_letters_and_final_h(left, right, level):
    assert compare_tokens(parse_name(left), parse_name(right)).level == level
