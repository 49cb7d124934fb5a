"""Scoring levels, weights, policy and explanations."""

import dataclasses

import pytest

from licensing.matching import (
    CountedFrequencies,
    MatchRecord,
    MatchSettings,
    UniformFrequencies,
    prepare,
    score_pair,
)
from licensing.matching.compare import compare_dl, compare_dob, compare_ni

R = MatchRecord


def rec(record_id="x", **fields):
    defaults = dict(forenames="Asif", surname="Khan", date_of_birth="1980-03-05", sex="M")
    defaults.update(fields)
    return R(record_id, **defaults)


@pytest.mark.parametrize(
    "description, left, right, level",
    [
        ("same date", "1980-03-05", "1980-03-05", "exact"),
        ("day and month swapped", "1980-03-05", "1980-05-03", "transposed"),
        ("one digit wrong", "1980-03-05", "1980-03-08", "typo"),
        ("digits swapped, one side not a date", "1980-03-15", "1980-03-51", "typo"),
        ("year off by one across a decade", "1979-03-05", "1980-03-05", "year_off"),
        ("different", "1980-03-05", "1975-11-21", "different"),
        ("missing one side", "1980-03-05", "", "missing"),
        ("same raw text", "19551192", "19551192", "exact_text"),
        ("raw text one slip from ISO", "19551192", "1955-11-29", "typo"),
        ("raw text vs ISO, unrelated", "sometime in 1955", "1955-11-29", "different"),
    ],
)
def test_dob_levels(description, left, right, level):
    assert compare_dob(prepare(rec(date_of_birth=left)), prepare(rec(date_of_birth=right))) == level, (
        description
    )


@pytest.mark.parametrize(
    "description, left, right, level",
    [
        ("same", "MORGA753116SM9IJ", "MORGA753116SM9IJ", "exact"),
        ("14th character differs: DVLA's tie-break", "MORGA753116SM9IJ", "MORGA753116SM8IJ", "conflict_14th"),
        ("check letters differ", "MORGA753116SM9IJ", "MORGA753116SM9IK", "check_differs"),
        ("one character typo", "MORGA753116SM9IJ", "MORGA753117SM9IJ", "typo"),
        ("only the surname part differs", "MORGA753116SM9IJ", "JONES753116SM9AB", "name_change"),
        ("different valid numbers", "MORGA753116SM9IJ", "PATEL801015A99AB", "different"),
        ("one invalid", "MORGA753116SM9IJ", "XXXXXXXXXX", "different_unverified"),
        ("missing", "", "", "missing"),
    ],
)
def test_dl_levels(description, left, right, level):
    a = prepare(rec(driving_licence_number=left))
    b = prepare(rec(driving_licence_number=right))
    assert compare_dl(a, b) == level, description


@pytest.mark.parametrize(
    "description, other, level",
    [
        (
            "fits surname, DOB and sex",
            dict(surname="Morgan", date_of_birth="1976-03-11", sex="F"),
            "cross_consistent",
        ),
        (
            "DOB clearly different",
            dict(surname="Morgan", date_of_birth="1960-08-22", sex="F"),
            "cross_inconsistent",
        ),
        ("sex different", dict(surname="Morgan", date_of_birth="1976-03-11", sex="M"), "cross_inconsistent"),
        ("DOB one digit off", dict(surname="Morgan", date_of_birth="1976-03-12", sex="F"), "cross_unclear"),
    ],
)
def test_dl_checked_against_the_other_records_own_data(description, other, level):
    a = prepare(
        rec(
            forenames="Sarah",
            driving_licence_number="MORGA753116SM9IJ",
            surname="Morgan",
            date_of_birth="1976-03-11",
            sex="F",
        )
    )
    b = prepare(rec(forenames="Sarah", **other))
    assert compare_dl(a, b) == level, description
    assert compare_dl(b, a) == level


@pytest.mark.parametrize(
    "left, right, level",
    [
        ("AB123456C", "AB123456C", "exact"),
        ("AB123456C", "ab 12 34 56 d", "exact"),  # the suffix is not part of the identity
        ("AB123456C", "AB123465C", "typo"),
        ("AB123456C", "JK654321A", "different"),
        ("AB123456C", "QQ999999Z", "different_unverified"),
        ("AB123456C", "", "missing"),
    ],
)
def test_ni_levels(left, right, level):
    assert compare_ni(prepare(rec(national_insurance=left)), prepare(rec(national_insurance=right))) == level


def test_agreeing_licence_number_links_despite_spelling_variants():
    a = rec("a", forenames="Mohd Asif", surname="Khan", driving_licence_number="KHAN9803055MA9AB")
    b = rec(
        "b",
        forenames="Muhammad Asif",
        surname="Khan",
        date_of_birth="",
        driving_licence_number="KHAN9803055MA9AB",
    )
    result = score_pair(a, b)
    assert result.decision == "link"
    assert result.probability >= 0.999
    assert "Driving licence number: the same" in result.explanation


def test_agreeing_ni_number_links():
    a = rec("a", national_insurance="AB123456C", date_of_birth="1980-03-05")
    b = rec("b", national_insurance="AB 12 34 56 C", date_of_birth="1980-05-03")
    assert score_pair(a, b).decision == "link"


@pytest.mark.parametrize(
    "description, b_fields",
    [
        (
            "same common name and postcode, no DOB",
            dict(date_of_birth="", postcodes=("HP13 6AB",), address_lines=("12 High St",)),
        ),
        (
            "same name and address, birth date 30 years apart (father and son)",
            dict(date_of_birth="1950-03-05", postcodes=("HP13 6AB",), address_lines=("12 High St",)),
        ),
    ],
)
def test_names_and_address_alone_never_link(description, b_fields):
    a = rec(
        "a",
        forenames="Muhammad Asif",
        date_of_birth="1980-03-05",
        postcodes=("HP13 6AB",),
        address_lines=("12 High St",),
    )
    b = rec("b", forenames="Muhammad Asif", **b_fields)
    result = score_pair(a, b)
    assert result.decision != "link", description


def test_common_name_with_exact_dob_goes_to_review_not_link():
    freq = CountedFrequencies.from_records(
        [
            rec(str(i), forenames="Muhammad", surname="Khan", date_of_birth=f"19{50 + i % 40}-01-01")
            for i in range(400)
        ]
        + [rec(f"o{i}", forenames=f"Name{i}", surname=f"Surname{i}") for i in range(400)]
    )
    a = rec("a", forenames="Muhammad", surname="Khan", date_of_birth="1980-01-01")
    b = rec("b", forenames="Mohammed", surname="Khan", date_of_birth="1980-01-01")
    result = score_pair(a, b, frequencies=freq)
    assert result.decision != "link"
    assert "Surname: the same (common: 1 in 2)" in result.explanation


def test_same_name_and_dob_but_different_ni_contradicts_and_never_links():
    a = rec("a", forenames="Muhammad Asif", national_insurance="AB123456C", postcodes=("HP13 6AB",))
    b = rec("b", forenames="Muhammad Asif", national_insurance="JK654321A", postcodes=("HP13 6AB",))
    result = score_pair(a, b)
    assert result.contradicts
    assert result.decision != "link"
    assert (
        "National Insurance number: two different valid numbers: two different people" in result.explanation
    )
    without_address = score_pair(
        rec("a", national_insurance="AB123456C"), rec("b", national_insurance="JK654321A")
    )
    assert without_address.decision == "no_link"


def test_dvla_14th_character_contradicts_even_when_everything_else_agrees():
    common = dict(
        surname="Morgan",
        forenames="Sarah Mary",
        date_of_birth="1976-03-11",
        sex="F",
        postcodes=("HP13 6AB",),
        national_insurance="",
    )
    a = rec("a", driving_licence_number="MORGA753116SM9IJ", **common)
    b = rec("b", driving_licence_number="MORGA753116SM8IJ", **common)
    result = score_pair(a, b)
    assert result.contradicts
    assert result.decision != "link"
    assert "14th character" in result.summary()


def test_same_name_and_dob_different_licence_number_contradicts():
    a = rec(
        "a",
        surname="Morgan",
        forenames="Sarah",
        date_of_birth="1976-03-11",
        sex="F",
        driving_licence_number="MORGA753116SM9IJ",
    )
    b = rec(
        "b",
        surname="Morgan",
        forenames="Sarah",
        date_of_birth="1976-03-11",
        sex="F",
        driving_licence_number="PATEL801015A99AB",
    )
    result = score_pair(a, b)
    assert result.contradicts and result.decision != "link"


def test_twins_are_not_linked_automatically():
    home = dict(postcodes=("HP13 6AB",), address_lines=("12 High St",), surname="Zaheerabadi")
    result = score_pair(rec("a", forenames="Hassan", **home), rec("b", forenames="Hussain", **home))
    assert result.decision != "link"
    assert result.level("forenames") == "different"


def test_rare_full_name_with_exact_dob_links():
    a = rec(
        "a",
        forenames="Tobias",
        surname="Fairweather-Quist",
        date_of_birth="1971-06-19",
        postcodes=("HP13 6AB",),
    )
    b = rec(
        "b",
        forenames="Tobias",
        surname="Fairweather Quist",
        date_of_birth="1971-06-19",
        postcodes=("HP13 6AB",),
    )
    assert score_pair(a, b).decision == "link"


def test_term_frequency_makes_khan_weigh_less_than_a_rare_surname():
    people = (
        [rec(str(i), surname="Khan") for i in range(300)]
        + [rec("z", surname="Zaheerabadi")]
        + [rec(f"o{i}", surname=f"Other{i}") for i in range(700)]
    )
    freq = CountedFrequencies.from_records(people)
    khan = score_pair(rec("a"), rec("b"), frequencies=freq)
    rare = score_pair(rec("a", surname="Zaheerabadi"), rec("b", surname="Zaheerabadi"), frequencies=freq)
    khan_w = next(e.weight for e in khan.evidence if e.field == "surname")
    rare_w = next(e.weight for e in rare.evidence if e.field == "surname")
    assert rare_w > khan_w + 5
    assert rare.probability > khan.probability
    assert "Surname: the same (common: 1 in 4)" in khan.explanation


def test_uniform_frequencies_leave_weights_unchanged():
    plain = score_pair(rec("a"), rec("b"))
    uniform = score_pair(rec("a"), rec("b"), frequencies=UniformFrequencies())
    assert uniform.match_weight == pytest.approx(plain.match_weight)


def test_thresholds_come_from_settings():
    a = rec("a", forenames="Tobias", surname="Fairweather", date_of_birth="1971-06-19")
    b = rec("b", forenames="Tobias", surname="Fairweather", date_of_birth="1971-06-19")
    default = score_pair(a, b)
    p = default.probability
    assert 0.5 < p < 1
    above = min(0.9999999999, p + (1 - p) / 2)
    strict = score_pair(a, b, MatchSettings(auto_link_threshold=above, review_threshold=0.5))
    lax = score_pair(a, b, MatchSettings(auto_link_threshold=p - (p - 0.5) / 2, review_threshold=0.1))
    none = score_pair(
        a, b, MatchSettings(auto_link_threshold=above, review_threshold=above, review_look_alikes=False)
    )
    assert default.probability == strict.probability == lax.probability
    assert strict.decision == "review"
    assert lax.decision == "link"
    assert none.decision == "no_link"
    with pytest.raises(ValueError):
        MatchSettings(auto_link_threshold=0.4, review_threshold=0.5)


def test_probability_and_match_weight_are_consistent():
    result = score_pair(rec("a"), rec("b"))
    settings = MatchSettings()
    odds = 2 ** (settings.prior_weight + result.match_weight)
    assert result.probability == pytest.approx(odds / (1 + odds))
    assert result.match_weight == pytest.approx(sum(e.weight for e in result.evidence), abs=0.01)


@pytest.mark.parametrize(
    "a_fields, b_fields, expected",
    [
        (
            dict(forenames="Mohd Asif"),
            dict(forenames="Muhammad Asif"),
            "Forenames: Mohd and Muhammad are spellings of one name",
        ),
        (
            dict(surname="Rehman"),
            dict(surname="Rahman"),
            "Surname: Rehman and Rahman are spellings of one name",
        ),
        (
            dict(forenames="Mike", surname="Smith"),
            dict(forenames="Michael", surname="Smith"),
            "Forenames: Mike is a short form of Michael",
        ),
        (
            dict(),
            dict(date_of_birth="1980-05-03"),
            "Date of birth: day and month transposed (1980-03-05 and 1980-05-03)",
        ),
        (
            dict(driving_licence_number="KHAN9803055A99AB"),
            dict(driving_licence_number="KHAN9803055A99AB"),
            "Driving licence number: the same",
        ),
        (
            dict(national_insurance="AB123456C"),
            dict(national_insurance="JK654321A"),
            "National Insurance number: two different valid numbers: two different people",
        ),
        (dict(sex="M"), dict(sex="F"), "Sex: differs"),
    ],
)
def test_explanations_read_like_an_officer_would_write_them(a_fields, b_fields, expected):
    result = score_pair(rec("a", **a_fields), rec("b", **b_fields))
    assert expected in result.explanation
    assert all(e.text for e in result.evidence)
    assert not any(
        code in s.lower().split() for s in result.explanation for code in ("dob", "dl", "ni", "ni:", "dob:")
    )


def test_summary_skips_missing_fields_and_leads_with_strongest():
    result = score_pair(rec("a", national_insurance="AB123456C"), rec("b", national_insurance="AB123456C"))
    parts = result.summary().split(" · ")
    assert parts[0] == "National Insurance number: the same"
    assert not any("missing" in p for p in parts)


def test_previous_names_are_compared():
    married = rec("a", forenames="Sarah", surname="Jones", other_names=("Sarah Morgan",), sex="F")
    maiden = rec("b", forenames="Sarah", surname="Morgan", sex="F")
    result = score_pair(married, maiden)
    assert result.level("surname") == "exact"


def test_swapped_name_order_is_recognised():
    a = rec("a", forenames="Asif", surname="Iqbal")
    b = rec("b", forenames="Iqbal", surname="Asif")
    result = score_pair(a, b)
    assert result.level("surname") == "reordered"
    assert "name order differs" in result.summary()


def test_titles_and_honorifics_do_not_change_the_score():
    plain = score_pair(rec("a", forenames="Asif"), rec("b", forenames="Asif"))
    titled = score_pair(rec("a", forenames="Syed Asif"), rec("b", forenames="Mr Asif"))
    assert titled.level("forenames") == plain.level("forenames") == "exact"


def test_settings_levels_can_be_replaced():
    settings = MatchSettings()
    stricter = settings.with_levels(
        dob={"exact": dataclasses.replace(settings.levels["dob"]["exact"], u=0.01)}
    )
    assert stricter.weights["dob"]["exact"] < settings.weights["dob"]["exact"]
    assert settings.weights["dob"]["exact"] == MatchSettings().weights["dob"]["exact"]


def test_em_estimation_runs_and_keeps_u():
    from licensing.matching import estimate_parameters_em

    same = [(rec("a", national_insurance="AB123456C"), rec("b", national_insurance="AB123456C"))] * 20
    different = [
        (rec("a", forenames="Tariq", date_of_birth="1961-02-03"), rec("b", date_of_birth="1990-07-08"))
    ] * 80
    settings, rate = estimate_parameters_em(same + different, iterations=10)
    assert 0 < rate < 1
    assert settings.levels["dob"]["exact"].u == MatchSettings().levels["dob"]["exact"].u
    assert settings.levels["ni"]["exact"].m > 0.9
