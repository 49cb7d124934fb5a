"""Round 10 quality change (bench/results/matching_round10_quality10.txt): an identity number (not a valid NI
number) with two adjacent characters swapped is its own level, ``text_transposed``. By chance a 7-digit number
has 6 swapped neighbours against 63 with one digit changed, so a swap is stronger evidence than another slip;
``match_file`` counts each kind from the file, and does not count as chance the near numbers of records whose
birth dates are one date with a slip (one person's two slips)."""

from dataclasses import replace
from pathlib import Path

import pytest

from licensing.matching import prepare
from licensing.matching.batch import (
    BatchReport,
    _candidate_pairs,
    _Progress,
    _read_records,
    estimate_settings,
)
from licensing.matching.compare import compare_dob, near_number_level
from licensing.matching.em import near_agreement_counts
from licensing.matching.frequencies import CountedFrequencies
from licensing.matching.score import DEFAULT_SETTINGS
from tests.matching.pairing import near_agreement_pairs
from tests.matching.test_round7_quality import FILE_PRIOR, _filler, rec
from tests.matching.test_round9_quality import _counted


@pytest.mark.parametrize(
    "left, right, level",
    [
        ("4137787", "4137877", "text_transposed"),
        ("4137787", "4137797", "text_typo"),  # a digit changed
        ("4137787", "413787", "text_typo"),  # a digit dropped
        ("4137787", "4137778", "text_transposed"),
    ],
)
def test_near_number_level(left, right, level):
    assert near_number_level(left, right) == level


def test_near_numbers_are_counted_by_kind_and_only_between_two_peoples_birth_dates():
    holders = {
        "1234567": ["1970-01-01"],
        "1243567": ["1980-02-02"],  # swapped, two birth dates
        "1234568": ["1990-03-03"],  # a digit changed, two birth dates
        "1234576": ["1970-01-02"],  # swapped, but the birth date is one day off the first's
    }

    def two_people(a, b):
        return a[:7] != b[:7]  # this test's stand-in for "not one date with a slip"

    counts = near_agreement_counts(holders, kind=near_number_level, apart=two_people)
    # 1234567~1243567 swapped; 1234568~1234576 two edits; 1234576~1234567 same month (one person's slip)
    assert counts == {"text_transposed": 1, "text_typo": 1}
    assert near_agreement_pairs(holders) == 3  # every pair with two birth dates, whatever their kind


HEADER = "record_id,source,forenames,surname,date_of_birth,address_line,town,postcode,national_insurance"


def _ni_levels(tmp_path: Path, second) -> dict:
    """The NI levels match_file estimates for 600 people with sparse 7-digit numbers, every third written
    again by ``second(number, dob)``."""
    forenames = ("Adam", "Bilal", "Carol", "Dawn", "Emil", "Farid", "Grace", "Hamza", "Ines", "Jonah")
    surnames = ("Baker", "Patel", "Quinn", "Rahman", "Stone", "Turner", "Walsh", "Young", "Zaman", "Lloyd")
    rows = []
    for i in range(600):
        number = f"{1000003 + i * 7919}"
        dob = f"19{50 + i % 45}-{1 + i % 12:02d}-{10 + i % 18:02d}"
        name = f"{forenames[i % 10]},{surnames[i // 10 % 10]}"
        line = f"{i} Elm Rd,Wycombe,HP{10 + i % 80} {i % 9}AB"
        rows.append(f"P{i},A,{name},{dob},{line},{number}")
        if i % 3 == 0:
            other_number, other_dob = second(number, dob)
            rows.append(f"Q{i},B,{name},{other_dob},{line},{other_number}")
    src = tmp_path / "in.csv"
    src.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    report = BatchReport()
    prepared = _read_records(src, report, _Progress(None))
    frequencies = CountedFrequencies()
    frequencies.add_all(prepared)
    settings, _ = estimate_settings(
        prepared, _candidate_pairs(prepared, report), DEFAULT_SETTINGS, frequencies
    )
    return settings.levels["ni"]


def _swapped_with_a_date_slip(number: str, dob: str) -> tuple[str, str]:
    """The same person again: the last two digits swapped and the day's last digit slipped (one date)."""
    day = dob[:-1] + str((int(dob[-1]) + 1) % 10)
    return number[:-2] + number[-1] + number[-2], day


def test_one_persons_two_slips_are_not_counted_as_chance_near_numbers(tmp_path):
    levels = _ni_levels(tmp_path, _swapped_with_a_date_slip)
    default = DEFAULT_SETTINGS.levels["ni"]
    assert compare_dob(prepare(rec("a", dob="1950-01-19")), prepare(rec("b", dob="1950-01-10"))) == "typo"
    # 200 swapped pairs with a slipped birth date are one person each, not chance: u stays below the default.
    assert levels["text_transposed"].u < default["text_transposed"].u
    assert levels["text_typo"].u < default["text_typo"].u


def test_swaps_and_other_slips_are_counted_apart(tmp_path):
    # The second record is another person (a birth date decades apart) whose number is one digit off: the file
    # shows numbers a digit apart are common by chance; swaps stay rare.
    def neighbour(number, dob):
        return number[:-1] + str((int(number[-1]) + 1) % 10), f"{int(dob[:4]) - 30}{dob[4:]}"

    levels = _ni_levels(tmp_path, neighbour)
    assert levels["text_typo"].u > DEFAULT_SETTINGS.levels["ni"]["text_typo"].u
    assert levels["text_transposed"].u < DEFAULT_SETTINGS.levels["ni"]["text_transposed"].u


# --- FEBRL3 rec-312: Jacobie Tilleq on one record, Blake Moody on four; numbers 4137877 and 4137787 ---

# As match_file estimates them on FEBRL3: a swap a third as likely by chance as another slip, and names often
# replaced in that file's duplicates.
FEBRL3_LIKE = replace(FILE_PRIOR, prior=5.4e-4).with_levels(
    ni={
        "text_transposed": replace(DEFAULT_SETTINGS.levels["ni"]["text_transposed"], m=0.041, u=2.7e-6),
        "text_typo": replace(DEFAULT_SETTINGS.levels["ni"]["text_typo"], m=0.043, u=8.2e-6),
    },
    surname={"different": replace(DEFAULT_SETTINGS.levels["surname"]["different"], m=0.18)},
    forenames={"different": replace(DEFAULT_SETTINGS.levels["forenames"]["different"], m=0.2)},
)
STUDLEY = dict(dob="", pc="4869", line="Studley Street")


def test_a_replaced_name_with_a_swapped_number_links_and_a_digit_changed_goes_to_an_officer():
    person = [rec(f"moody{i}", "Blake", "Moody", national_insurance="4137787", **STUDLEY) for i in range(4)]
    slipped = {**STUDLEY, "line": "Studley Steet"}
    stray = rec("stray", "Jacobie", "Tilleq", national_insurance="4137877", **slipped)
    lodger = rec("lodger", "Peter", "Osei", national_insurance="4137797", **STUDLEY)  # a digit changed
    # Six records at the postcode among 12,000: the postcode counts for about as much as rec-312's in FEBRL3.
    scorer = _counted(_filler(12_000) + person + [stray, lodger], FEBRL3_LIKE)
    swapped = scorer.assess(prepare(person[0]), prepare(stray))
    assert swapped.levels[1] == "text_transposed"
    assert swapped.decision == "link"
    changed = scorer.assess(prepare(person[0]), prepare(lodger))
    assert changed.levels[1] == "text_typo"
    assert changed.decision == "review"
