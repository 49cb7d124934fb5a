"""Two slips at once, a date of birth one digit off and a valid NI number one digit off, with a common full
name and only a postcode in common: NI numbers are issued in sequence around the 16th birthday where one
lives, so two people born days apart in one area hold numbers one digit apart. Such a pair goes to an officer,
never links. One person's two slips still link when something else confirms him (the same house, the same
licence number); numbers of another scheme (text, as in FEBRL) keep linking as before (issue 11)."""

import csv

from licensing.matching import MatchRecord, score_pair

TWO_SLIPS_REASON = (
    "Review: an identifier and the date of birth both differ slightly: two typing slips, or two people"  # noqa: E501
)
HEADER = "record_id,source,forenames,surname,date_of_birth,address_line,town,postcode,national_insurance,driving_licence_number\n"  # noqa: E501


def khan(record_id, forenames, dob, house, ni, dl=""):
    return MatchRecord(
        record_id,
        forenames=forenames,
        surname="Khan",
        date_of_birth=dob,
        address_lines=(f"{house} High St",),
        postcodes=("HP11 2BZ",),
        national_insurance=ni,
        driving_licence_number=dl,
    )


def test_two_people_born_days_apart_with_valid_ni_numbers_one_digit_apart_go_to_review():
    a = khan("w0", "Muhammad Asif", "1950-01-01", 0, "JT000000A")
    b = khan("w100", "Mohd Asif", "1950-01-06", 50, "JT000050A")
    result = score_pair(a, b)
    assert (result.level("ni"), result.level("dob"), result.level("address")) == ("typo", "typo", "postcode")
    assert result.probability >= 0.999  # the weights alone would link them
    assert result.decision == "review", result.summary()
    assert result.guard == TWO_SLIPS_REASON


def test_one_man_with_two_slips_and_the_same_house_still_links():
    a = khan("a", "Muhammad Asif", "1950-01-01", 7, "JT000000A")
    b = khan("b", "Mohd Asif", "1950-01-06", 7, "JT000050A")
    result = score_pair(a, b)
    assert (result.level("ni"), result.level("dob"), result.level("address")) == (
        "typo",
        "typo",
        "same_address",
    )
    assert result.decision == "link", result.summary()


def test_one_man_with_two_slips_and_the_same_licence_number_still_links():
    a = khan("a", "Muhammad Asif", "1950-01-01", 0, "JT000000A", "KHAN9501010MA9AB")
    b = khan("b", "Mohd Asif", "1950-01-06", 50, "JT000050A", "KHAN9501010MA9AB")
    result = score_pair(a, b)
    assert result.level("dl") == "exact"
    assert result.decision == "link", result.summary()


def test_a_number_of_another_scheme_one_digit_off_keeps_linking_with_a_date_slip():
    # Text levels (not valid NI numbers, as FEBRL's): the exemption stands as before this rule.
    a = khan("a", "Muhammad Asif", "1950-01-01", 0, "9030076")
    b = khan("b", "Mohd Asif", "1950-01-06", 50, "9030576")
    result = score_pair(a, b)
    assert (result.level("ni"), result.level("dob")) == ("text_typo", "typo")
    assert result.decision == "link", result.summary()


def _namesakes_file() -> str:
    rows = [
        f"w{i},WDC,{('Muhammad', 'Mohd')[i % 2]} Asif,Khan,19{50 + i // 2 % 50}-01-0{1 + i // 2 % 9},"
        f"{i // 2} High St,High Wycombe,HP11 2BZ,JT{i // 2:06d}A,"
        for i in range(400)
    ]
    return HEADER + "\n".join(rows) + "\n"


def test_match_file_links_each_of_200_namesakes_only_to_his_own_second_record(runner, tmp_path):
    source, out, review = tmp_path / "in.csv", tmp_path / "out.csv", tmp_path / "review.csv"
    source.write_text(_namesakes_file(), encoding="utf-8")
    result = runner.invoke(args=["match-file", str(source), str(out), "--review", str(review)])
    assert result.exit_code == 0, result.output
    linked = {(row["id_a"], row["id_b"]) for row in csv.DictReader(out.open())}
    assert linked == {(f"w{2 * k}", f"w{2 * k + 1}") for k in range(200)}
    reasons = {(row["id_a"], row["id_b"]): row["reason"] for row in csv.DictReader(review.open())}
    assert reasons[("w0", "w100")] == TWO_SLIPS_REASON
