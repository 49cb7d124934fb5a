"""Levels and estimates added for data the register did not make (FEBRL-like typos, identity numbers of other
schemes): each with a pair that links and a look-alike that must not."""

import csv
from pathlib import Path

import pytest

from licensing.matching import MatchRecord, Scorer, prepare, score_pair
from licensing.matching.batch import (
    BatchReport,
    _candidate_pairs,
    _Progress,
    _read_records,
    estimate_settings,
    match_file,
)
from licensing.matching.blocking import batch_keys
from licensing.matching.em import exact_agreement_u, posteriors
from licensing.matching.frequencies import CountedFrequencies
from licensing.matching.score import DEFAULT_SETTINGS, FIELDS

HOME = dict(postcodes=("HP13 6AB",), address_lines=("1 Wellington Street",))


def rec(record_id, forenames, surname, dob, **fields):
    return MatchRecord(record_id, forenames=forenames, surname=surname, date_of_birth=dob, **fields)


# --- swapped names with a slip in one of them ---------------------------------------------------


def test_swapped_names_with_a_slip_read_as_reordered():
    a = rec("a", "Challenor", "Nathqn", "1960-02-13", national_insurance="2694239", **HOME)
    b = rec("b", "Nathan", "Challenor", "1960-02-13", national_insurance="2694239", **HOME)
    result = score_pair(a, b)
    assert (result.level("surname"), result.level("forenames")) == ("reordered", "fuzzy")
    assert result.decision == "link"


def test_swapped_names_with_a_slip_do_not_join_father_and_son():
    father = rec("f", "Challenor", "Nathqn", "1935-06-01", **HOME)
    son = rec("s", "Nathan", "Challenor", "1960-02-13", **HOME)
    result = score_pair(father, son)
    assert result.level("surname") == "reordered"
    assert result.decision != "link"


# --- u of an identity number counted from the file ------------------------------------------------


def test_exact_agreement_u_counts_chance_pairs_only():
    # two values held by two records each, both pairs judged one person: only the floor of 3 chance pairs
    assert exact_agreement_u([2, 2, 1], 1.0, 1_000_000) == 3 / 1_000_000
    # ten records share a placeholder and none of the pairs is one person: 45 chance pairs
    assert exact_agreement_u([10], 0.0, 1_000_000) == 45 / 1_000_000


def test_posteriors_follow_the_weights():
    agree = ("missing", "text_exact", "exact", "exact", "exact", "agree", "postcode")
    differ = ("missing", "text_exact", "different", "different", "different", "differ", "different")
    high, low = posteriors([agree, differ], DEFAULT_SETTINGS, 0.1)
    assert len(FIELDS) == len(agree)
    assert high > 0.999 and low < 0.5


HEADER = "record_id,source,forenames,surname,date_of_birth,address_line,town,postcode,national_insurance"


def _match(tmp_path: Path, rows: list[str]) -> set[tuple[str, str]]:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    match_file(src, out, progress=None)
    with open(out, encoding="utf-8", newline="") as fh:
        return {(r["id_a"], r["id_b"]) for r in csv.DictReader(fh)}


def _people(n: int, number) -> list[str]:
    surnames = ("Baker", "Patel", "Quinn", "Rahman", "Stone", "Turner", "Walsh", "Young", "Zaman", "Lloyd")
    forenames = ("Adam", "Bilal", "Carol", "Dawn", "Emil", "Farid", "Grace", "Hamza", "Ines", "Jonah")
    rows = []
    for i in range(n):
        dob = f"19{50 + i % 45}-{1 + i % 12:02d}-{1 + i % 27:02d}"
        line = f"{i} Elm Rd,Wycombe,HP{10 + i % 80} {i % 9}AB"
        rows.append(f"P{i},A,{forenames[i % 10]},{surnames[i // 10 % 10]},{dob},{line},{number(i)}")
        if i % 3 == 0:  # a second record of every third person: same number, a slip in the surname
            typo = surnames[i // 10 % 10][:-1] + "x"
            rows.append(f"Q{i},B,{forenames[i % 10]},{typo},{dob},{line},{number(i)}")
    return rows


def test_an_identity_number_nobody_shares_by_chance_links_its_records(tmp_path):
    links = _match(tmp_path, _people(300, lambda i: f"{7000000 + i * 37}"))
    linked = {(f"P{i}", f"Q{i}") for i in range(0, 300, 3)} & links
    assert len(linked) >= 95
    assert all(a[1:] == b[1:] for a, b in links)  # nobody else


def test_a_number_a_whole_household_shares_links_nobody(tmp_path):
    rows = _people(300, lambda i: f"{7000000 + i * 37}")
    # one family number given to twelve people at one address: one surname, different forenames and births
    given = ("Ola", "Per", "Kari", "Nils", "Siri", "Tor", "Liv", "Arne", "Eva", "Odd", "Rune", "Ase")
    rows += [
        f"X{i},C,{name},Nordahl,19{40 + 4 * i}-05-0{1 + i % 9},3 Fjord Way,Wycombe,HP5 1ZZ,9999999"
        for i, name in enumerate(given)
    ]
    links = _match(tmp_path, rows)
    assert not [pair for pair in links if pair[0].startswith("X")]


def _estimated_u(tmp_path: Path, rows: list[str]) -> float:
    src = tmp_path / "u.csv"
    src.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    report = BatchReport()
    prepared = _read_records(src, report, _Progress(None))
    pairs = _candidate_pairs(prepared, report)
    settings, _ = estimate_settings(prepared, pairs, DEFAULT_SETTINGS, CountedFrequencies())
    return settings.levels["ni"]["text_exact"].u


def test_the_u_of_an_identity_number_is_counted_from_the_file(tmp_path):
    unique = _people(600, lambda i: f"{7000000 + i * 37}")
    n = len(unique)
    assert _estimated_u(tmp_path, unique) == pytest.approx(3 / (n * (n - 1) / 2))  # nobody shares by chance


# --- the twins guard tells a slip nobody else writes from a name other people carry -------------------


def _scorer_with(names: list[str]) -> Scorer:
    others = [rec(f"o{i}", name, f"Other{i}", f"19{50 + i}-01-01") for i, name in enumerate(names)]
    return Scorer(DEFAULT_SETTINGS, CountedFrequencies.from_records(others))


def test_a_forename_slip_nobody_else_writes_links():
    scorer = _scorer_with(["Catherine"] * 4 + ["Ruth"] * 20)
    a = prepare(rec("a", "Cathwrine", "Graue", "1970-09-17", **HOME))
    b = prepare(rec("b", "Catherine", "Graue", "1970-09-17", **HOME))
    result = scorer.result(a, b)
    assert result.level("forenames") == "fuzzy"
    assert result.decision == "link"


def test_twins_whose_names_other_people_carry_go_to_review():
    scorer = _scorer_with(["Justin"] * 4 + ["Dustin"] * 4 + ["Ruth"] * 20)
    a = prepare(rec("a", "Justin", "Graue", "1970-09-17", **HOME))
    b = prepare(rec("b", "Dustin", "Graue", "1970-09-17", **HOME))
    result = scorer.result(a, b)
    assert result.level("forenames") == "fuzzy"
    assert result.decision == "review"
    assert "twins" in result.guard


# --- two slips (identifier and birth date) with both names agreeing --------------------------------


@pytest.mark.parametrize("number, level", [("4957843", "text_transposed"), ("4975943", "text_typo")])
def test_two_slips_with_both_names_agreeing_link(number, level):
    a = rec("a", "Domenique", "Paterson", "1916-10-17", national_insurance="4975843", **HOME)
    b = rec("b", "Domenique", "Paterson", "1916-01-17", national_insurance=number, **HOME)
    result = score_pair(a, b)
    assert (result.level("ni"), result.level("dob")) == (level, "typo")
    assert result.decision == "link"


def test_two_slips_with_different_forenames_go_to_review():
    a = rec("a", "Domenique", "Paterson", "1916-10-17", national_insurance="4975843", **HOME)
    b = rec("b", "Dominic", "Paterson", "1916-01-17", national_insurance="4957843", **HOME)
    result = score_pair(a, b)
    assert result.decision != "link"


# --- blocking: a replaced name, or an identifier with a slip, still meets --------------------------


def test_batch_keys_meet_on_one_name_with_the_birth_date():
    a = prepare(rec("a", "Georgia", "Petersen", "1970-03-24"))
    b = prepare(rec("b", "Georgia", "Maynard", "1970-03-24"))
    assert set(batch_keys(a)) & set(batch_keys(b))


@pytest.mark.parametrize(
    "left, right", [("4178304", "4173804"), ("6692321", "6692221"), ("AB123456", "AB123465")]
)
def test_batch_keys_meet_on_an_identifier_with_one_slip(left, right):
    a = prepare(rec("a", "Joshua", "Cupo", "", national_insurance=left))
    b = prepare(rec("b", "Jon", "Dolan", "", national_insurance=right))
    assert {k for k in batch_keys(a) if k.startswith("idd:")} & set(batch_keys(b))
