"""Twins (and brothers registered together) share surname, date of birth and address, and their identity
numbers are often issued in sequence: a few apart in value, or (licence numbers) one initial apart. Such
numbers are no proof of one person when the forenames differ or are only alike: those pairs go to an officer,
never link automatically. One person's slip in his number, with his own forename (or a diminutive, variant or
initial of it), still links; so does a slip no sequence of issue explains (a digit changed higher up, two
inner digits swapped, a licence number off outside the initials), whatever the forenames."""

import csv
from dataclasses import replace

from licensing.matching import MatchRecord, Scorer, prepare, score_pair
from licensing.matching.compare import licences_issued_in_sequence, numbers_issued_in_sequence
from licensing.matching.frequencies import CountedFrequencies, UniformFrequencies
from licensing.matching.score import DEFAULT_SETTINGS

HOME = dict(sex="M", postcodes=("HP13 6AB",), address_lines=("15 Goodwin Street",))
TWINS_REASON = "Review: numbers one character apart and forenames that differ, as twins' can be"


def person(record_id, forenames, surname="Thrussell", dob="1990-04-12", **numbers):
    return MatchRecord(record_id, forenames=forenames, surname=surname, date_of_birth=dob, **HOME, **numbers)


TWINS = {
    "John and James, consecutive NI numbers": (
        person("a", "John", national_insurance="AB123456C"),
        person("b", "James", national_insurance="AB123457C"),
    ),
    "Hassan and Hussain, consecutive NI numbers": (
        person("a", "Hassan", "Zaheerabadi", national_insurance="JT482913A"),
        person("b", "Hussain", "Zaheerabadi", national_insurance="JT482914A"),
    ),
    "John Adam and James Brian, licence numbers one initial apart": (
        person("a", "John Adam", "Smith", driving_licence_number="SMITH904120JA9AB"),
        person("b", "James Brian", "Smith", driving_licence_number="SMITH904120JB9AB"),
    ),
    "John and Mark, licence numbers one initial apart": (
        person("a", "John", "Smith", driving_licence_number="SMITH904120J99AB"),
        person("b", "Mark", "Smith", driving_licence_number="SMITH904120M99AB"),
    ),
    "Javed and Jawad (alike only by sound), consecutive NI numbers": (
        person("a", "Javed", "Iqbal", national_insurance="JT482913A"),
        person("b", "Jawad", "Iqbal", national_insurance="JT482914A"),
    ),
    "Amir and Amin, numbers of another scheme one digit apart": (
        person("a", "Amir", "Rahman", national_insurance="9030076"),
        person("b", "Amin", "Rahman", national_insurance="9030077"),
    ),
}

ONE_PERSON = {
    "John, a slip in his NI number": (
        person("a", "John", national_insurance="AB123456C"),
        person("b", "John", national_insurance="AB123457C"),
    ),
    "William and Bill (a diminutive), a slip in his NI number": (
        person("a", "William", national_insurance="AB123456C"),
        person("b", "Bill", national_insurance="AB123457C"),
    ),
    "Mohammed and Muhammad (a variant), a slip in his NI number": (
        person("a", "Mohammed", "Khan", national_insurance="JT482913A"),
        person("b", "Muhammad", "Khan", national_insurance="JT482914A"),
    ),
    "J and John (an initial), a slip in his NI number": (
        person("a", "J", national_insurance="AB123456C"),
        person("b", "John", national_insurance="AB123457C"),
    ),
    "John, a slip in his licence number": (
        person("a", "John", "Smith", driving_licence_number="SMITH904120J99AB"),
        person("b", "John", "Smith", driving_licence_number="SMIHT904120J99AB"),
    ),
    "John Adam and J Adam, a slip in his licence number": (
        person("a", "John Adam", "Smith", driving_licence_number="SMITH904120JA9AB"),
        person("b", "J Adam", "Smith", driving_licence_number="SMITH904102JA9AB"),
    ),
}


# Forenames that differ, as twins' do, but numbers no issue in sequence explains: a typing slip, one person.
SLIPS = {
    "John and James, a digit changed in the middle of the NI number": (
        person("a", "John", national_insurance="AB123456C"),
        person("b", "James", national_insurance="AB173456C"),
    ),
    "John and James, two inner digits of the NI number swapped": (
        person("a", "John", national_insurance="AB123456C"),
        person("b", "James", national_insurance="AB132456C"),
    ),
    "Ned and Ne, the last two digits of a number of another scheme swapped (FEBRL4)": (
        person("a", "Ned", "Rahman", national_insurance="3467256"),
        person("b", "Ne", "Rahman", national_insurance="3467265"),
    ),
    "Amir and Amin, a digit changed in a number of another scheme": (
        person("a", "Amir", "Rahman", national_insurance="9030076"),
        person("b", "Amin", "Rahman", national_insurance="9080076"),
    ),
    "Amir and Amin, two inner digits of a number of another scheme swapped": (
        person("a", "Amir", "Rahman", national_insurance="9030076"),
        person("b", "Amin", "Rahman", national_insurance="9300076"),
    ),
    "John and Jake, a licence number off in its birth date part": (
        person("a", "John", "Smith", driving_licence_number="SMITH904120J99AB"),
        person("b", "Jake", "Smith", driving_licence_number="SMITH904130J99AB"),
    ),
}


def test_numbers_issued_in_sequence_are_close_in_value_with_the_same_letters():
    assert numbers_issued_in_sequence("AB123456", "AB123457")  # consecutive
    assert numbers_issued_in_sequence("AB123459", "AB123460")  # across a carry: two characters apart
    assert numbers_issued_in_sequence("AB123451", "AB123459")  # a family's children, a few apart
    assert numbers_issued_in_sequence("9030076", "9030077")  # another scheme
    assert not numbers_issued_in_sequence("AB123456", "AB173456")  # a digit changed higher up: 50,000 apart
    assert not numbers_issued_in_sequence("AB123456", "AB132456")  # two inner digits swapped
    assert not numbers_issued_in_sequence("AB123456", "AB123465")  # the last two swapped: 9 apart
    assert not numbers_issued_in_sequence("AB123456", "AC123456")  # the letters differ
    assert not numbers_issued_in_sequence("AB123456", "AB123456")  # the same number
    assert not numbers_issued_in_sequence("9030076", "903076")  # a digit dropped


def test_licences_issued_in_sequence_differ_in_one_initial_only():
    assert licences_issued_in_sequence("SMITH904120JA9AB", "SMITH904120JB9AB")  # second initial
    assert licences_issued_in_sequence("SMITH904120J99AB", "SMITH904120M99AB")  # first initial
    assert not licences_issued_in_sequence("SMITH904120J99AB", "SMITH904130J99AB")  # birth date part
    assert not licences_issued_in_sequence("SMITH904120J99AB", "SMIHT904120J99AB")  # surname part swapped
    assert not licences_issued_in_sequence("SMITH904120JA9AB", "SMITH904120AJ9AB")  # initials swapped


def test_a_slip_no_sequence_of_issue_explains_links_whatever_the_forenames():
    for case, (a, b) in SLIPS.items():
        result = score_pair(a, b)
        assert result.decision == "link", (case, result.summary())


def test_twins_with_consecutive_ni_numbers_across_a_carry_never_link():
    # AB123459 / AB123460 are two characters apart: two valid NI numbers that differ, the pair never links.
    a = person("a", "John", national_insurance="AB123459C")
    assert score_pair(a, person("b", "James", national_insurance="AB123460C")).decision != "link"
    assert score_pair(a, person("b", "John", national_insurance="AB123460C")).decision != "link"


def test_twins_with_numbers_one_character_apart_go_to_review_not_link():
    for case, (a, b) in TWINS.items():
        result = score_pair(a, b)
        assert result.probability >= 0.999, case  # the weights alone would link them
        assert result.decision == "review", (case, result.summary())
        assert result.guard == TWINS_REASON, case
        assert TWINS_REASON in result.explanation, case


def test_one_person_with_a_slip_in_his_number_still_links():
    for case, (a, b) in ONE_PERSON.items():
        result = score_pair(a, b)
        assert result.decision == "link", (case, result.summary())


def test_a_licence_number_on_one_twin_only_is_no_proof_of_one_person():
    # SMITH 9 04 12 0: the surname, birth date and sex of either twin.
    john = person("a", "John", "Smith", driving_licence_number="SMITH904120J99AB")
    result = score_pair(john, person("b", "Mark", "Smith"))
    assert result.level("dl") == "cross_consistent" and result.probability >= 0.999
    assert result.decision == "review"
    assert result.guard == "Review: a licence number on one record only, as a twin's would fit, and forenames that differ"  # noqa: E501
    assert score_pair(john, person("b", "John", "Smith")).decision == "link"


def test_an_exact_number_still_links_forenames_that_differ():
    # The number itself is the same: one person known by another name (a second forename used), not twins.
    a = person("a", "John", national_insurance="AB123456C")
    b = person("b", "James", national_insurance="AB123456C")
    assert score_pair(a, b).decision == "link"


HEADER = "record_id,source,forenames,surname,date_of_birth,address_line,town,postcode,national_insurance,driving_licence_number\n"  # noqa: E501


def _row(r: MatchRecord) -> str:
    return ",".join(
        (r.record_id, "WDC", r.forenames, r.surname, r.date_of_birth, r.address_lines[0], "High Wycombe",
         r.postcodes[0], r.national_insurance, r.driving_licence_number)
    )


def _match_file(runner, tmp_path, a: MatchRecord, b: MatchRecord) -> tuple[set, dict]:
    """match-file on a file of the two records: (linked pairs, review reason by pair)."""
    source, out, review = tmp_path / "in.csv", tmp_path / "out.csv", tmp_path / "review.csv"
    source.write_text(HEADER + _row(a) + "\n" + _row(b) + "\n", encoding="utf-8")
    result = runner.invoke(args=["match-file", str(source), str(out), "--review", str(review)])
    assert result.exit_code == 0, result.output
    linked = {(row["id_a"], row["id_b"]) for row in csv.DictReader(out.open())}
    return linked, {(row["id_a"], row["id_b"]): row["reason"] for row in csv.DictReader(review.open())}


def test_match_file_sends_twins_with_near_numbers_to_review_and_links_a_slip(runner, tmp_path):
    for case, (a, b) in TWINS.items():
        assert _match_file(runner, tmp_path, a, b) == (set(), {("a", "b"): TWINS_REASON}), case
    for case, (a, b) in (ONE_PERSON | SLIPS).items():
        assert _match_file(runner, tmp_path, a, b) == ({("a", "b")}, {}), case


def _file_scorer(names: list[str]) -> Scorer:
    others = [person(f"o{i}", name, f"Other{i}", f"19{50 + i % 50}-01-01") for i, name in enumerate(names)]
    return Scorer(replace(DEFAULT_SETTINGS, prior=1e-4), CountedFrequencies.from_records(others))


def test_a_forename_slip_the_file_counts_show_still_links_with_a_slip_in_the_number():
    # Kept from the twins guard: one spelling no other record writes beside one many write is a typing slip;
    # twins get two names each common in its own right. Joshau and Joshua share a spelling key ("variant"),
    # Dustin and Justin are one letter apart ("fuzzy").
    for slip, name in (("Joshau", "Joshua"), ("Dustin", "Justin")):
        a = prepare(person("a", slip, national_insurance="AB123456C"))
        b = prepare(person("b", name, national_insurance="AB123457C"))
        one_man = _file_scorer([slip] + [name] * 80 + ["Ruth"] * 400).result(a, b)
        assert one_man.decision == "link", slip
        twins = _file_scorer([slip] * 30 + [name] * 30 + ["Ruth"] * 400).result(a, b)
        assert twins.decision == "review" and twins.guard == TWINS_REASON, slip


class ForenameCounts(UniformFrequencies):
    """Average frequencies, with how many records carry each forename (as match-file's file and the register's
    term counts tell the linking scorer)."""

    def __init__(self, **counts: int) -> None:
        super().__init__()
        object.__setattr__(self, "counts", counts)

    def forename_count(self, token: str) -> int:
        return self.counts.get(token, 0)


def test_a_licence_number_on_one_record_and_a_forename_slip_the_counts_show_link():
    # Gurpreut, written by no other record beside a Gurpreet many write, is his slip; Dustin beside Justin,
    # each carried by several, is a twin's name. SINGH 9 04 12 0: either record's surname, birth date and sex.
    gurpreet = person("a", "Gurpreet", "Singh", driving_licence_number="SINGH904120G99AB")
    slip = person("b", "Gurpreut", "Singh")
    counts = ForenameCounts(gurpreet=40, gurpreut=1, justin=20, dustin=20)
    assert score_pair(gurpreet, slip, frequencies=counts).decision == "link"
    assert score_pair(gurpreet, slip).decision == "review"  # no counts: nothing shows which is the slip
    justin, dustin = replace(gurpreet, forenames="Justin"), person("b", "Dustin", "Singh")
    twins = score_pair(justin, dustin, frequencies=counts)
    assert twins.decision == "review" and twins.guard.startswith("Review: a licence number on one record")
