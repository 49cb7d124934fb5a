"""Name normalisation: variants, titles, compounds, invisible characters; Mahmood is not Muhammad."""

import pytest

from licensing.matching.compare import T_DIMINUTIVE, T_NONE, compare_tokens, token_level
from licensing.matching.normalise import (
    clean_text,
    parse_name,
    phonetic,
    split_full_name,
)


def canon(text):
    return [t.canon for t in parse_name(text)]


@pytest.mark.parametrize(
    "family, spellings",
    [
        (
            "muhammad",
            [
                "Muhammad",
                "Mohammed",
                "Mohammad",
                "Mohamed",
                "Muhammed",
                "Mohamad",
                "Mohd",
                "Md",
                "Muhd",
                "MOHD.",
            ],
        ),
        ("hussain", ["Hussain", "Hussein", "Husain", "Hossain"]),
        ("ahmed", ["Ahmed", "Ahmad"]),
        ("rahman", ["Rehman", "Rahman"]),
        ("mahmood", ["Mahmood", "Mehmood", "Mahmud", "Mahmoud"]),
        ("iqbal", ["Iqbal", "Ikbal"]),
        ("yousaf", ["Yousaf", "Yusuf", "Yousuf", "Yousef"]),
        ("alexander", ["Aleksander", "Oleksandr", "Alexander"]),
    ],
)
def test_spelling_variants_share_a_canonical_form(family, spellings):
    for spelling in spellings:
        assert canon(spelling) == [family], spelling


@pytest.mark.parametrize(
    "left, right",
    [
        ("Mahmood", "Muhammad"),
        ("Mehmood", "Mohammed"),
        ("Hassan", "Hussain"),
        ("Asif", "Atif"),
        ("Zahid", "Sajid"),
    ],
)
def test_different_names_are_not_matched(left, right):
    a, b = parse_name(left)[0], parse_name(right)[0]
    assert token_level(a, b) == T_NONE
    assert a.canon != b.canon


def test_mahmood_and_muhammad_do_not_share_a_phonetic_code():
    assert phonetic(parse_name("Mahmood")[0].canon) != phonetic(parse_name("Mohd")[0].canon)
    assert phonetic(parse_name("Mohd")[0].canon) == phonetic(parse_name("Muhammad")[0].canon)


@pytest.mark.parametrize(
    "short, formal",
    [
        ("Steve", "Stephen"),
        ("Steve", "Steven"),
        ("Jon", "John"),
        ("Mike", "Michael"),
        ("Dave", "David"),
        ("Bob", "Robert"),
        ("Bill", "William"),
        ("Liz", "Elizabeth"),
        ("Kate", "Catherine"),
        ("Sue", "Susan"),
        ("Tony", "Anthony"),
        ("Alex", "Alexander"),
        ("Alex", "Alexandra"),
    ],
)
def test_diminutives(short, formal):
    assert token_level(parse_name(short)[0], parse_name(formal)[0]) == T_DIMINUTIVE


@pytest.mark.parametrize("left, right", [("Jon", "Jonathan"), ("Bob", "Roberta"), ("Dan", "Danielle")])
def test_unsafe_diminutives_are_not_assumed(left, right):
    assert token_level(parse_name(left)[0], parse_name(right)[0]) > T_DIMINUTIVE


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mr Asif Khan", ["asif", "khan"]),
        ("Dr. Tariq Mahmood", ["tariq", "mahmood"]),
        ("Haji Mohd Iqbal", ["muhammad", "iqbal"]),
        ("Abdul-Rahman", ["abd+rahman"]),
        ("Abdul Rahman", ["abd+rahman"]),
        ("Abdulrahman", ["abd+rahman"]),
        ("Abdur Rehman", ["abd+rahman"]),
        ("Abdurrehman", ["abd+rahman"]),
        ("Salah-ud-Din", ["salah+din"]),
        ("Salahuddin", ["salah+din"]),
        ("M. A. Khan", ["m", "a", "khan"]),
        ("Mu\u200bhammad\u200f Al\u202ei", ["muhammad", "ali"]),  # zero-width and bidi controls
        ("\u202bMohd\u202c \ufeffAsif", ["muhammad", "asif"]),
        ("José Núñez", ["jose", "nunez"]),
        ("O'Brien", ["obrien"]),
    ],
)
def test_parse_name(text, expected):
    assert canon(text) == expected


def test_honorifics_are_soft_and_may_be_dropped():
    tokens = parse_name("Syed Asif")
    assert [t.soft for t in tokens] == [True, False]
    match = compare_tokens(
        tuple(t for t in parse_name("Syed Mohd Asif") if not t.soft), parse_name("Muhammad Asif")
    )
    assert match.level == "variant"


def test_clean_text():
    assert clean_text("  ÉLODIE  d'Arcy-Smith ") == "elodie darcy smith"
    assert clean_text("\u200b\u200d") == ""


@pytest.mark.parametrize(
    "left, right, level",
    [
        ("Muhammad Asif", "Muhammad Asif", "exact"),
        ("Mohd Asif", "Muhammad Asif", "variant"),
        ("Asif Muhammad", "Muhammad Asif", "variant"),  # order within forenames
        ("Asif", "Muhammad Asif", "subset"),  # leading Muhammad dropped
        ("Muhammad Asif Iqbal", "Muhammad Asif", "subset"),  # middle name dropped
        ("M A", "Muhammad Asif", "initials"),
        ("Muhammad Tariq", "Muhammad Asif", "different"),
        ("Abdul Karim", "Abdul Rahim", "different"),  # two recognised names after Abdul
        ("Abdul Ryuf", "Abdul Rauf", "variant"),  # Abdul does not make a slip in Rauf a recognised name
        ("Stephen", "Steve", "diminutive"),
        ("Christopher", "Christophr", "fuzzy"),
        ("", "Asif", "missing"),
    ],
)
def test_forename_list_levels(left, right, level):
    assert compare_tokens(parse_name(left), parse_name(right)).level == level


def test_split_full_name():
    assert split_full_name("Muhammad Asif Khan") == ("muhammad asif", "khan")
    assert split_full_name("Asif Khan Syed") == ("asif", "khan syed")
    assert split_full_name("Khan") == ("", "khan")
