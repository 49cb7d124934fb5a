"""match_file's candidate pairs at scale: a common name with a birth date is not a block, a new surname still
meets on the forenames with the date."""

from pathlib import Path

import pytest

from licensing.matching import batch, blocking, match_file
from licensing.matching.blocking import batch_keys
from licensing.matching.records import MatchRecord, prepare
from tests.matching.pairing import pairs_by_batch, pairs_by_keys

HEADER = "record_id,source,forenames,surname,date_of_birth,address_line,town,postcode,national_insurance"


def rec(record_id, forenames, surname, dob, postcode=""):
    return MatchRecord(
        record_id,
        forenames=forenames,
        surname=surname,
        date_of_birth=dob,
        postcodes=(postcode,) if postcode else (),
        address_lines=("1 High St",) if postcode else (),
    )


# Four Khans born on one day, each with another forename and postcode: only "dbn:" (Khan with the date) joins
# them. Fatima's two records, one with her married surname: only the forenames with the date join them.
KHANS = [
    rec(f"k{i}", name, "Khan", "1980-03-05", f"HP{i + 1}0 1AA")
    for i, name in enumerate(["Imran", "Tariq", "Bilal", "Zubair"])
]
FATIMA = [
    rec("f1", "Fatima", "Khan", "1977-09-14", "SL6 8SN"),
    rec("f2", "Fatima", "Ahmed", "1977-09-14", "HP17 2PZ"),
]


def pairs_found(tmp_path: Path, monkeypatch, records, limit: int) -> set[tuple[str, str]]:
    """The candidate pairs match_file compares, through its own file path (every pair to review)."""
    monkeypatch.setattr(batch, "MIN_DBN_LIMIT", limit)
    monkeypatch.setattr(batch, "MAX_DBN_SHARE", 0.0)
    rows = [HEADER] + [
        f"{r.record_id},S,{r.forenames},{r.surname},{r.date_of_birth},1 High St,Town,{r.postcodes[0]},"
        for r in records
    ]
    source = tmp_path / "in.csv"
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    seen = []
    real = batch._score_range

    def spy(prepared, pairs, *args):
        left, right = batch._split(pairs)
        seen.extend(
            (prepared[i].record_id, prepared[j].record_id)
            for i, j in zip(left.tolist(), right.tolist(), strict=True)
        )
        return real(prepared, pairs, *args)

    monkeypatch.setattr(batch, "_score_range", spy)
    report = match_file(source, tmp_path / "out.csv", progress=None, estimate=False)
    assert report.candidate_pairs == len(seen)
    return set(seen)


def test_a_name_with_a_birth_date_pairs_records_while_the_name_is_under_the_limit(tmp_path, monkeypatch):
    khan_pairs = {(a.record_id, b.record_id) for i, a in enumerate(KHANS) for b in KHANS[i + 1 :]}
    assert pairs_found(tmp_path, monkeypatch, KHANS + FATIMA, limit=10) == khan_pairs | {("f1", "f2")}


def test_a_common_name_with_a_birth_date_makes_no_pairs_but_a_new_surname_still_meets(tmp_path, monkeypatch):
    # Khan is on five records, Fatima on two: both over a limit of 1, so no "dbn:" key is kept.
    assert pairs_found(tmp_path, monkeypatch, KHANS + FATIMA, limit=1) == {("f1", "f2")}


def test_the_forenames_key_joins_a_changed_surname_only():
    a, b = (prepare(r) for r in FATIMA)
    assert {k for k in set(batch_keys(a)) & set(batch_keys(b)) if not k.startswith("dbn:")} == {
        k for k in batch_keys(a) if k.startswith("dbf:")
    }
    other = prepare(rec("c", "Fatima Noor", "Khan", "1977-09-14"))
    assert not {k for k in batch_keys(a) if k.startswith("dbf:")} & set(batch_keys(other))


@pytest.mark.parametrize("records, limit", [(1_000, 2000), (1_000_000, 5000)])
def test_the_limit_is_a_share_of_the_file_with_a_floor(records, limit):
    assert batch.dbn_limit(records) == limit


def test_initials_with_a_birth_date_pair_records_only_while_the_initials_are_under_the_limit(
    tmp_path, monkeypatch
):
    # Every token spelt differently, only the initials and the birth date in common ("dbi:" ik).
    records = [
        rec("a", "Imran", "Khan", "1980-03-05", "HP10 1AA"),
        rec("b", "Ibrar", "Kazmi", "1980-03-05", "SL1 1AA"),
    ]
    assert pairs_found(tmp_path, monkeypatch, records, limit=2) == {("a", "b")}
    assert pairs_found(tmp_path, monkeypatch, records, limit=1) == set()


def test_batch_keys_worked_out_once_per_name_are_the_keys_of_batch_keys():
    """match_file's key maker (name parts cached per distinct name) gives each record exactly its keys."""
    records = KHANS + FATIMA + [
        MatchRecord("a", forenames="Mohammed Tariq", surname="Hussain", date_of_birth="1970-12-01",
                    national_insurance="AB123456C", driving_licence_number="HUSSA712010MT9AB",
                    postcodes=("HP13 6AB", "SL6 8SN"), address_lines=("12 High St", "3a Mill Lane")),
        MatchRecord("b", forenames="M T", surname="Hussein", date_of_birth="01/12/1970", sex="M",
                    other_names=("Tariq Hussain", "Syed Tariq Mirza")),
        MatchRecord("c", forenames="John", surname="Jones", date_of_birth="19551192",
                    national_insurance="X12"),
        MatchRecord("d", forenames="Ali", surname="Ali", date_of_birth="1966-02-30",
                    national_insurance="1234567"),
        MatchRecord("e", forenames="Abdul Rahman", surname="Syed", date_of_birth="", postcodes=("ZZ9 9ZZ",),
                    address_lines=("Flat 2",)),
        MatchRecord("f", forenames="", surname="Khan", date_of_birth="1980-03-05"),
    ]
    make = blocking.BatchKeys()
    for _ in range(2):  # the second pass answers from the per-name cache
        for r in records:
            p = prepare(r)
            keys = make(p)
            assert sorted(set(keys)) == sorted(set(batch_keys(p))), r.record_id


def test_candidate_pairs_are_the_pairs_that_share_a_key_of_batch_keys():
    """match_file makes the date-with-two-names keys as integers: the pairs are still exactly those of
    records sharing a key as batch_keys spells it (no block here reaches a limit)."""
    base = KHANS + FATIMA + [
        MatchRecord("a", forenames="Mohammed Tariq", surname="Hussain", date_of_birth="1970-12-01",
                    national_insurance="AB123456C", driving_licence_number="HUSSA712010MT9AB"),
        MatchRecord("b", forenames="M T", surname="Hussein", date_of_birth="01/12/1970", sex="M",
                    other_names=("Tariq Hussain", "Syed Tariq Mirza")),
        MatchRecord("c", forenames="John", surname="Jones", date_of_birth="19551192",
                    national_insurance="X12"),
        MatchRecord("d", forenames="Ali", surname="Ali", date_of_birth="1966-02-30"),
        MatchRecord("e", forenames="Abdul Rahman", surname="Syed", date_of_birth=""),
        MatchRecord("g", forenames="Tariq", surname="Hussain", date_of_birth="1970-01-12"),  # transposed
        MatchRecord("h", forenames="John", surname="Jones", date_of_birth="19551192"),
        MatchRecord("i", forenames="Jon", surname="Jones", date_of_birth="1955-11-29"),
        MatchRecord("j", forenames="Ali", surname="Ali", date_of_birth="1966-02-30",
                    national_insurance="AB123456D"),
    ]
    prepared = [prepare(r) for r in base]
    found, codes = pairs_by_batch(prepared)
    assert found == pairs_by_keys(prepared)
    assert len(found) == codes and len(found) > 10
