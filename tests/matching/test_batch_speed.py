"""match-file's identity-number deletion keys, made as integers, block as the strings do."""

import random

from licensing.matching import batch
from licensing.matching.records import MatchRecord, prepare
from tests.matching.pairing import pairs_by_batch, pairs_by_keys


def string_blocks(cores):
    blocks = {}
    for i, core in enumerate(cores):
        if len(core) >= 6:
            for key in {f"idd:{core[:k]}{core[k + 1 :]}" for k in range(len(core))}:
                blocks.setdefault(key, []).append(i)
    return sorted(blocks.values())


def integer_blocks(cores):
    keys, owners = batch._deletion_keys(cores)
    blocks = {}
    for key, owner in zip(keys.tolist(), owners.tolist(), strict=True):
        blocks.setdefault(key, []).append(owner)
    return sorted(blocks.values())


def test_deletion_keys_block_as_the_strings():
    cores = ["AB123456", "AB123465", "AB12345", "AB1234", "XB123456", "AA112233", "A1B2C3", "A1B2C3D", ""]
    cores += ["AAAAAAA", "AAAAAAAA", "AAAAAA1", "1AAAAAA", "A1AAAAA", "AAAAAA"]  # runs of one character
    rng = random.Random(7)  # noqa: S311  (test data, not security)
    symbols = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    for _ in range(300):
        core = "".join(rng.choice(symbols[:4] + symbols[26:29]) for _ in range(rng.choice((6, 7, 8))))
        cores.append(core)
    assert integer_blocks(cores) == string_blocks(cores)
    assert any(len(b) > 1 for b in string_blocks(cores))  # the data makes shared keys to test


def test_dated_keys_made_as_integers_pair_the_records_the_strings_pair():
    """The date with initials, forenames or one name, made as integers: the same pairs as the strings, also
    where a long list of forenames is cut at 64 characters (two lists that differ only past the cut meet) and
    where the date is kept as text."""
    # Sorted, the forenames' codes differ only past the cut; written, the first four differ (no other key).
    common = "Abdullah Bartholomew Christopher Maximilian Alexander Benedict Cornelius"
    born = "1970-12-01"
    records = [
        MatchRecord("a", forenames="Zed Yann Xavier Quentin " + common, surname="Quayle", date_of_birth=born),
        MatchRecord("b", forenames="Wendy Vera Ursula Tamsin " + common, surname="Ormer", date_of_birth=born),
        MatchRecord("c", forenames="Tariq", surname="Hussain", date_of_birth="19551192"),
        MatchRecord("d", forenames="Tariq", surname="Begum", date_of_birth="19551192"),
        MatchRecord("e", forenames="Tariq", surname="Hussain", date_of_birth="1955-11-29"),
        MatchRecord("f", forenames="Amina", surname="Hussain", date_of_birth="1955-11-29"),
        MatchRecord("g", forenames="Amina", surname="Hussain", date_of_birth="1955-11-30"),
    ]
    prepared = [prepare(r) for r in records]
    found, _ = pairs_by_batch(prepared)
    assert found == pairs_by_keys(prepared)
    assert {(0, 1), (2, 3), (4, 5)} <= found  # past the cut; a date as text; one name with the date
