"""DVLA, NI and postcode parsing and validation (the app's forms rely on these being strict)."""

import pytest

from licensing.matching.identifiers import (
    dvla_consistent_with,
    dvla_surname_stem,
    is_valid_dvla_number,
    is_valid_ni,
    is_valid_postcode,
    normalise_dvla_number,
    normalise_ni,
    normalise_postcode,
    parse_dvla_number,
)


@pytest.mark.parametrize(
    "number, stem, year_units, month, day, sex, initials, arbitrary",
    [
        ("MORGA753116SM9IJ", "MORGA", 76, 3, 11, "F", "SM", "9"),  # women: month + 50
        ("MORGA703116SM9IJ", "MORGA", 76, 3, 11, "M", "SM", "9"),
        ("KHAN9801015A99AB", "KHAN9", 85, 1, 1, "M", "A9", "9"),
        ("MCDON612310J99XY", "MCDON", 60, 12, 31, "M", "J9", "9"),
        ("ali99 812 305 MA 4 ZZ", "ALI99", 85, 12, 30, "M", "MA", "4"),  # spaces, lower case
        ("MORGA753116SM9IJ 35", "MORGA", 76, 3, 11, "F", "SM", "9"),  # issue number on the card dropped
    ],
)
def test_parse_dvla_number_reads_every_part(number, stem, year_units, month, day, sex, initials, arbitrary):
    parsed = parse_dvla_number(number)
    assert parsed is not None
    assert (
        parsed.surname_stem,
        parsed.year_units,
        parsed.month,
        parsed.day,
        parsed.sex,
        parsed.initials,
    ) == (stem, year_units, month, day, sex, initials)
    assert parsed.arbitrary == arbitrary
    assert is_valid_dvla_number(number)


@pytest.mark.parametrize(
    "number, why",
    [
        ("", "empty"),
        ("MORGA753116SM9I", "15 characters"),
        ("MORGA753116SM9IJK", "17 characters"),
        ("MORGA713116SM9IJ", "month 13"),
        ("MORGA763116SM9IJ", "month 63 (women's months stop at 62)"),
        ("MORGA700016SM9IJ", "month 00"),
        ("MORGA703326SM9IJ", "day 32"),
        ("MORGA704316SM9IJ", "month 04 day 31 does not exist"),
        ("MORGA702297SM9IJ", "29 February in a year ending 77 is never a leap year"),
        ("9ORGA753116SM9IJ", "surname part starting with 9"),
        ("MO9GA753116SM9IJ", "letter after 9-padding"),
        ("MORGA753116S19IJ", "digit as second initial"),
        ("MORGA753116SMA1J", "14th character not a digit"),
    ],
)
def test_invalid_dvla_numbers_are_rejected(number, why):
    assert not is_valid_dvla_number(number), why
    assert parse_dvla_number(number) is None


def test_check_characters_may_be_digits_but_strict_parsing_wants_letters():
    assert is_valid_dvla_number("MORGA753116SM912")
    assert parse_dvla_number("MORGA753116SM912") is None
    assert parse_dvla_number("MORGA753116SM912", strict=False).initials == "SM"


def test_29_february_allowed_when_some_century_is_a_leap_year():
    assert is_valid_dvla_number("SMITH802294JA9AB")  # 1984 or 2084... 29 Feb 84 exists


@pytest.mark.parametrize(
    "surname, stem",
    [
        ("Morgan", "MORGA"),
        ("Khan", "KHAN9"),
        ("Ali", "ALI99"),
        ("MacDonald", "MCDON"),
        ("McDonald", "MCDON"),
        ("O'Brien", "OBRIE"),
        ("Smith-Jones", "SMITH"),
        ("Núñez", "NUNEZ"),
    ],
)
def test_dvla_surname_stem(surname, stem):
    assert dvla_surname_stem(surname) == stem


def test_dvla_consistent_with_reports_each_disagreement():
    number = "MORGA753116SM9IJ"
    assert dvla_consistent_with(number, "Morgan", "1976-03-11", "F", "Sarah Mary") == []
    assert dvla_consistent_with(number, "Morgan", "", "", "") == []  # missing values are not faults
    problems = dvla_consistent_with(number, "Khan", "1976-11-03", "M", "Tariq")
    assert len(problems) == 4
    assert any("surname" in p for p in problems)
    assert any("birth date" in p for p in problems)
    assert any("sex" in p for p in problems)
    assert any("first initial" in p for p in problems)
    assert dvla_consistent_with(number, "Morgan", "1976-03-11", "F", "Sarah") == []  # middle name left off
    assert dvla_consistent_with("nonsense", "Morgan") == ["licence number is not a valid DVLA number"]


@pytest.mark.parametrize(
    "value, valid",
    [
        ("AB123456C", True),
        ("ab 12 34 56 c", True),
        ("AB 12 34 56 D", True),
        ("OA123456A", True),  # O may be the first letter
        ("AB123456E", False),  # suffix must be A-D
        ("AB123456", False),  # suffix missing
        ("AB12345C", False),
        ("A1123456C", False),
        *[(f"{c}A123456A", False) for c in "DFIQUV"],  # never first letter
        *[(f"A{c}123456A", False) for c in "DFIQUV"],  # never second letter
        ("AO123456A", False),  # O never second letter
        *[(f"{p}123456A", False) for p in ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ")],
    ],
)
def test_is_valid_ni(value, valid):
    assert is_valid_ni(value) is valid


def test_normalise_ni():
    assert normalise_ni(" ab-12.34.56 c ") == "AB123456C"


@pytest.mark.parametrize(
    "value, valid",
    [
        ("HP13 6AB", True),
        ("hp136ab", True),
        ("SW1A 1AA", True),
        ("M1 1AE", True),
        ("B33 8TH", True),
        ("CR2 6XH", True),
        ("DN55 1PT", True),
        ("W1A 0AX", True),
        ("EC1A 1BB", True),
        ("GIR 0AA", True),
        ("HP13", False),
        ("HP13 6A", False),
        ("QP13 6AB", False),
        ("HP13 6CB", False),
        ("1P13 6AB", False),
        ("HP13 6ABX", False),
        ("", False),
        ("V1 1AA", False),
    ],
)
def test_is_valid_postcode(value, valid):
    assert is_valid_postcode(value) is valid


def test_normalise_postcode_and_dvla():
    assert normalise_postcode(" hp136ab ") == "HP13 6AB"
    assert normalise_postcode("sw1a  1aa") == "SW1A 1AA"
    assert normalise_dvla_number("morga 753116 sm9ij") == "MORGA753116SM9IJ"
