"""match-file's faster paths give the decisions of the plain ones: identity-number deletion keys made as
integers block as the strings do, and the prefilter of candidate pairs skips only pairs Scorer.decide turns
away."""

import random
from pathlib import Path

import numpy as np
import pytest

from licensing.matching import batch
from licensing.matching.frequencies import CountedFrequencies
from licensing.matching.score import DEFAULT_SETTINGS, Scorer
from seed.benchmark import write_benchmark
from seed.population import generate_population


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
    rng = random.Random(7)  # noqa: S311  (test data, not security)
    symbols = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    for _ in range(300):
        core = "".join(rng.choice(symbols[:4] + symbols[26:29]) for _ in range(rng.choice((6, 7, 8))))
        cores.append(core)
    assert integer_blocks(cores) == string_blocks(cores)
    assert any(len(b) > 1 for b in string_blocks(cores))  # the data makes shared keys to test


@pytest.fixture(scope="module")
def bench_file(tmp_path_factory):
    directory = tmp_path_factory.mktemp("bench")
    return write_benchmark(generate_population(4000, seed=20261122), directory).records


def test_prefilter_skips_only_pairs_decide_turns_away(bench_file):
    report = batch.BatchReport()
    prepared = batch._read_records(Path(bench_file), report, batch._Progress(None))
    frequencies = CountedFrequencies(own_records=2)
    frequencies.add_all(prepared)
    pairs = batch._candidate_pairs(prepared, report)
    settings, _ = batch.estimate_settings(prepared, pairs, DEFAULT_SETTINGS, frequencies)
    rng = np.random.default_rng(3)
    extra = rng.integers(0, len(prepared), size=(20_000, 2))
    extra = extra[extra[:, 0] < extra[:, 1]]
    codes = np.unique(np.concatenate([pairs, (extra[:, 0] << 32) | extra[:, 1]]))
    left, right = batch._split(codes)
    scorer = Scorer(settings, frequencies)
    maybe = batch._may_score(batch._Columns(prepared), left, right, scorer)
    skipped = list(zip(left[~maybe].tolist(), right[~maybe].tolist(), strict=True))
    assert len(skipped) > len(codes) // 4
    assert [scorer.decide(prepared[i], prepared[j]) for i, j in skipped] == [None] * len(skipped)


def test_match_file_is_byte_identical_without_the_prefilter(bench_file, tmp_path, monkeypatch):
    fast = batch.match_file(bench_file, tmp_path / "fast.csv", progress=None, review_path=tmp_path / "f.csv")
    monkeypatch.setattr(batch, "_may_score", lambda columns, left, right, scorer: np.ones(len(left), bool))
    plain = batch.match_file(bench_file, tmp_path / "b.csv", progress=None, review_path=tmp_path / "p.csv")
    assert fast.links == plain.links > 0
    assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert (tmp_path / "f.csv").read_bytes() == (tmp_path / "p.csv").read_bytes()
