"""match-file's shortcuts give the answers of the plain code: pair codes de-duplicated by a sort, token-list
comparisons cached by shared tuples, licence surname stems cached per name id, term-frequency deltas per
value. A whole file matched with and without the shortcuts writes the same bytes."""

import csv
import random

import numpy as np

from licensing.matching import batch, compare, records, score
from licensing.matching.batch import match_file, sorted_unique
from licensing.matching.frequencies import CountedFrequencies
from licensing.matching.normalise import parse_full_name
from licensing.matching.records import MatchRecord, prepare_row, prepare_uncached
from licensing.matching.score import DEFAULT_SETTINGS, Scorer, _tf_delta

NAMES = [
    ("Muhammad Asif", "Khan"),
    ("Mohammed Asif", "Khan"),
    ("Asif", "Khan"),
    ("Khan", "Asif"),
    ("Imran", "Khan"),
    ("Imraan", "Khan"),
    ("M", "Khan"),
    ("Abdul Rahman", "Hussain"),
    ("Abdulrahman", "Hussein"),
    ("Rahman", "Abdul"),
    ("Sarah", "Smith"),
    ("Sara", "Smyth"),
    ("Steve", "Jones"),
    ("Stephen", "Jones"),
    ("Javed", "Iqbal"),
    ("Jawed", "Iqbal"),
    ("Syed Tariq", "Shah"),
    ("Tariq", "Syed Shah"),
    ("Sophie", "Crou Ch"),
    ("Soph Ie", "Crouch"),
    ("Fatima", "Bibi"),
    ("Fatima", "Begum"),
    ("Nathqn", "Challenor"),
    ("Challenor", "Nathan"),
]


def _rows():
    rng = random.Random(20261130)  # noqa: S311 (synthetic data, fixed seed)
    rows = []
    for i, (fore, sur) in enumerate(NAMES * 3):
        dob = rng.choice(["1980-01-02", "1980-02-01", "1981-01-02", "02/01/1980", "19800102", ""])
        dl = rng.choice(["", "KHAN9801020AB9CD", "KHAN9801020AB9CE", "HUSSA801020AB9CD", "NOTALICENCE"])
        ni = rng.choice(["", "AB123456C", "AB123465C", "AB123456D", "1234567"])
        pc, line = rng.choice(
            [("HP13 6AB", "12 High St"), ("HP13 6AD", "12a High Street"), ("", ""), ("X1", "3 Rd")]
        )
        rows.append((f"R{i:03d}", fore, sur, dob, rng.choice(["M", "F", ""]), pc, line, ni, dl))
    return rows


def test_sorted_unique_is_numpys_unique():
    rng = np.random.default_rng(7)
    for n in (0, 1, 2, 1000):
        codes = rng.integers(0, 50, n).astype(np.int64) << 32 | rng.integers(0, 50, n)
        assert np.array_equal(sorted_unique(codes.copy()), np.unique(codes))


def test_equal_token_lists_of_parsed_names_are_one_object():
    # So their comparison is cached by identity: Khan is one tuple whatever the forenames.
    assert parse_full_name("Asif", "Khan").family is parse_full_name("Imran", "Khan").family
    assert parse_full_name("Asif", "Khan").given is parse_full_name("Asif", "Hussain").given


def test_name_comparisons_with_the_cache_are_those_without(monkeypatch):
    prepared = [prepare_row(*row) for row in _rows()]
    weights = DEFAULT_SETTINGS.weights
    compare._token_matches.clear()
    cached = [compare.compare_names(a, b, weights) for a in prepared for b in prepared]
    assert compare._token_matches  # the cache was used
    monkeypatch.setattr(compare, "_compare_tokens_cached", compare.compare_tokens)
    assert [compare.compare_names(a, b, weights) for a in prepared for b in prepared] == cached


def test_surname_stems_per_name_id_are_the_records_own():
    for row in _rows():
        p = prepare_row(*row)
        assert compare._surname_stems(p) == compare._surname_stems_uncached(p)
        assert compare._surname_stems(p) is compare._stems_by_names[p.names_id]
    # Two surnames on a record with previous names: the general path's names.
    p = prepare_uncached(MatchRecord("R1", forenames="Sarah", surname="Smith", other_names=("Sarah Jones",)))
    assert compare._surname_stems(p) == {"SMITH", "JONES"}


def test_term_frequency_deltas_once_per_value_are_the_formula():
    scorer = Scorer(DEFAULT_SETTINGS, CountedFrequencies())
    for field in ("surname", "forenames", "dob"):
        for frequency in (None, 0.0, 1e-9, 0.001, 0.5, 1.0, 2.0):
            want = _tf_delta(DEFAULT_SETTINGS, field, frequency)
            assert scorer._delta(field, frequency) == want
            assert scorer._delta(field, frequency) == want  # from the cache


def _plain_code(monkeypatch):
    """The code without this round's shortcuts."""
    monkeypatch.setattr(batch, "sorted_unique", np.unique)
    monkeypatch.setattr(compare, "_compare_tokens_cached", compare.compare_tokens)
    monkeypatch.setattr(compare, "_surname_stems", compare._surname_stems_uncached)
    monkeypatch.setattr(score.Scorer, "_delta", lambda self, f, q: _tf_delta(self.settings, f, q))
    monkeypatch.setattr(records, "_house_number", records._house_number.__wrapped__)


def test_match_file_writes_the_same_bytes_with_and_without_the_shortcuts(tmp_path, monkeypatch):
    source = tmp_path / "in.csv"
    with open(source, "w", newline="", encoding="utf-8") as fh:
        out = csv.DictWriter(fh, fieldnames=[*batch.REQUIRED_COLUMNS, *batch.OPTIONAL_COLUMNS])
        out.writeheader()
        for rid, fore, sur, dob, sex, pc, line, ni, dl in _rows():
            out.writerow({"record_id": rid, "source": "AV", "forenames": fore, "surname": sur,
                          "date_of_birth": dob, "sex": sex, "address_line": line, "town": "Wycombe",
                          "postcode": pc, "national_insurance": ni, "driving_licence_number": dl})
    outputs = {}
    for plain in (False, True):
        if plain:
            _plain_code(monkeypatch)
        links, review = tmp_path / f"links{plain}.csv", tmp_path / f"review{plain}.csv"
        report = match_file(source, links, progress=None, review_path=review)
        outputs[plain] = (
            links.read_bytes(),
            review.read_bytes(),
            report.links,
            report.reviews,
            report.warnings,
        )
    assert outputs[True] == outputs[False]
    assert outputs[False][2] + outputs[False][3] > 0  # the file has links and reviews to compare
