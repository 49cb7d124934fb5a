"""Blocking keys: variants meet, keys stay selective and short, partial queries work."""

import pytest

from licensing.matching import MatchRecord, blocking_keys, query_keys
from licensing.matching.blocking import link_keys
from licensing.matching.records import prepare

R = MatchRecord


def test_keys_have_kinds_and_fit_the_column():
    record = R(
        "a",
        forenames="Muhammad Asif",
        surname="Khan",
        date_of_birth="1980-03-05",
        postcodes=("HP13 6AB",),
        national_insurance="AB123456C",
        driving_licence_number="KHAN9803055MA9AB",
        other_names=("Asif Mahmood " + "X" * 80,),
    )
    keys = blocking_keys(record)
    assert {k.split(":", 1)[0] for k in keys} == {"dl", "ni", "dob", "nm", "pc"}
    assert all(len(k) <= 64 for k in keys)
    assert "dl:KHAN9803055MA" in keys
    assert "ni:AB123456" in keys


@pytest.mark.parametrize(
    "description, left, right",
    [
        (
            "spelling variant of Muhammad",
            dict(forenames="Mohd Asif", surname="Khan", date_of_birth="1980-03-05"),
            dict(forenames="Muhammad Asif", surname="Khan", date_of_birth="1980-03-05"),
        ),
        (
            "day and month transposed",
            dict(forenames="Asif", surname="Khan", date_of_birth="1980-03-05"),
            dict(forenames="Asif", surname="Khan", date_of_birth="1980-05-03"),
        ),
        (
            "name order swapped",
            dict(forenames="Asif", surname="Iqbal", date_of_birth="1980-03-05"),
            dict(forenames="Iqbal", surname="Asif", date_of_birth="1980-03-05"),
        ),
        (
            "leading Muhammad dropped",
            dict(forenames="Muhammad Tariq", surname="Hussain", date_of_birth="1971-01-01"),
            dict(forenames="Tariq", surname="Hussein", date_of_birth="1971-01-01"),
        ),
        (
            "initial only",
            dict(forenames="M", surname="Khan", date_of_birth="1980-03-05"),
            dict(forenames="Mohammed", surname="Khan", date_of_birth="1980-03-05"),
        ),
        (
            "DOB one digit off, same birth year",
            dict(forenames="Asif", surname="Khan", date_of_birth="1980-03-05"),
            dict(forenames="Asif", surname="Khan", date_of_birth="1980-03-06"),
        ),
        (
            "licence 14th-character conflict meets",
            dict(surname="Morgan", driving_licence_number="MORGA753116SM9IJ"),
            dict(surname="Morgan", driving_licence_number="MORGA753116SM8IJ"),
        ),
    ],
)
def test_variants_share_a_key(description, left, right):
    assert blocking_keys(R("a", **left)) & blocking_keys(R("b", **right)), description


def test_mahmood_and_muhammad_do_not_share_name_keys():
    a = blocking_keys(R("a", forenames="Mahmood", surname="Khan", date_of_birth="1980-03-05"))
    b = blocking_keys(R("b", forenames="Muhammad", surname="Khan", date_of_birth="1980-03-05"))
    assert not {k for k in a & b if k.startswith("nm:")}


def test_no_key_is_a_bare_common_value():
    keys = blocking_keys(
        R("a", forenames="Muhammad", surname="Khan", date_of_birth="1980-01-01", postcodes=("HP13 6AB",))
    )
    for key in keys:
        kind, _, rest = key.partition(":")
        assert rest.count(":") >= 1 or kind in ("dl", "ni"), (
            key
        )  # every name/DOB/postcode key combines two things
    assert "dob:1980-01-01" not in keys and "nm:can" not in keys


def test_common_names_with_different_dobs_do_not_share_link_keys():
    a = set(link_keys(prepare(R("a", forenames="Muhammad", surname="Khan", date_of_birth="1980-01-01"))))
    b = set(link_keys(prepare(R("b", forenames="Muhammad", surname="Khan", date_of_birth="1981-01-01"))))
    assert a and b and not a & b


@pytest.mark.parametrize(
    "description, query, stored, expect_exact",
    [
        (
            "name and birth year only",
            dict(forenames="Mohd", surname="Khan", date_of_birth="1980"),
            dict(forenames="Muhammad", surname="Khan", date_of_birth="1980-03-05"),
            True,
        ),
        (
            "name only: prefix",
            dict(forenames="Mohd", surname="Khan"),
            dict(forenames="Muhammad", surname="Khan", date_of_birth="1980-03-05"),
            False,
        ),
        (
            "postcode only: prefix",
            dict(postcodes=("hp136ab",)),
            dict(forenames="Muhammad", surname="Khan", postcodes=("HP13 6AB",)),
            False,
        ),
        (
            "DOB only: prefix",
            dict(date_of_birth="1980-03-05"),
            dict(forenames="Muhammad", surname="Khan", date_of_birth="1980-03-05"),
            False,
        ),
    ],
)
def test_partial_queries_find_stored_records(description, query, stored, expect_exact):
    q = query_keys(R("q", **query))
    s = blocking_keys(R("s", **stored))
    assert q, description
    exact = q & s
    prefix = {k for k in q if k.endswith(":") and any(x.startswith(k) for x in s)}
    assert exact or prefix, description
    assert bool(exact) is expect_exact or bool(prefix)
    assert not any(k.endswith(":") for k in s)  # stored keys are never prefixes


def test_full_record_query_keys_are_its_blocking_keys_plus_the_missing_date_and_forename_keys():
    record = R("a", forenames="Asif", surname="Khan", date_of_birth="1980-03-05", postcodes=("HP13 6AB",))
    extra = query_keys(record) - blocking_keys(record)
    assert blocking_keys(record) <= query_keys(record)
    # A stored record with no date of birth ("-"), and the forename with the date and any surname (marriage).
    assert extra == {"nm:asaf:can:-"} | {f"dob:1980-03-05:asaf:{i}" for i in "abcdefghijlmnopqrstuvwxyz"}


@pytest.mark.parametrize(
    "forenames, surname",
    [
        ("John", "Jones"),
        ("Hassan", "Hussain"),
        ("Ahmed", "Ahmad"),
        ("Mohamed", "Mohamed"),
        ("Ali", "Ali"),
        ("Abdi", "Abdi"),
    ],
)
def test_names_whose_tokens_share_a_code_still_get_name_and_date_keys(forenames, surname):
    a = R("a", forenames=forenames, surname=surname, date_of_birth="1981-07-14")
    keys = blocking_keys(a)
    assert any(k.startswith("nm:") for k in keys) and any(k.startswith("dob:") for k in keys)
    b = R("b", forenames=forenames, surname=surname, date_of_birth="1981-07-14", postcodes=("HP13 6AB",))
    assert blocking_keys(a) & blocking_keys(b)
