"""match-file's scoring phase with and without its per-value caches, alternately in one process.

    .venv/bin/python bench/scoring_caches.py --input /tmp/records.csv [--pairs 1000000] [--rounds 3]

Reads a records.csv (as written by seed.benchmark), makes the candidate pairs and settings as match_file does,
then scores the pairs ``--rounds`` times each way, the two ways taking turns so both see the same machine
load: with the caches (token-list comparisons by shared tuples, licence surname stems per name id,
term-frequency deltas per value) and with the plain functions. Every round starts with empty caches, the
name-comparison cache included. Prints CPU seconds per round, the best of each way, and checks that both
ways find the same links and reviews.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from licensing.matching import compare, score  # noqa: E402
from licensing.matching.batch import (  # noqa: E402
    DEFAULT_SETTINGS,
    BatchReport,
    CountedFrequencies,
    _candidate_pairs,
    _Progress,
    _read_records,
    _score_range,
    estimate_settings,
)


def _use_caches(on: bool, cached) -> None:
    tokens, stems, delta = cached
    compare._compare_tokens_cached = tokens if on else compare.compare_tokens
    compare._surname_stems = stems if on else compare._surname_stems_uncached
    score.Scorer._delta = delta if on else (lambda self, f, q: score._tf_delta(self.settings, f, q))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True)
    parser.add_argument("--pairs", type=int, default=0, help="score only the first N candidate pairs")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    gc.disable()  # as match_file
    report, progress = BatchReport(output_path=""), _Progress(None)
    prepared = _read_records(Path(args.input), report, progress)
    frequencies = CountedFrequencies(own_records=2)
    frequencies.add_all(prepared)
    pairs = _candidate_pairs(prepared, report)
    settings, _ = estimate_settings(prepared, pairs, DEFAULT_SETTINGS, frequencies)
    if args.pairs:
        pairs = pairs[: args.pairs]
    cached = (compare._compare_tokens_cached, compare._surname_stems, score.Scorer._delta)
    best, digests = {}, set()
    print(f"{len(prepared):,} records, {len(pairs):,} pairs scored per round")
    for _ in range(args.rounds):
        for on in (False, True):
            _use_caches(on, cached)
            settings.name_cache.clear()
            compare._token_matches.clear()
            compare._stems_by_names.clear()
            started = time.process_time()
            found, _ = _score_range(prepared, pairs, settings, frequencies, 0, 1, progress)
            seconds = time.process_time() - started
            way = "caches" if on else "plain"
            best[way] = min(best.get(way, seconds), seconds)
            digests.add(hashlib.sha256(repr(found).encode()).hexdigest())
            print(f"{way:7} {seconds:6.2f} s CPU  load average {os.getloadavg()[0]:.1f}", flush=True)
    _use_caches(True, cached)
    print(
        f"best: plain {best['plain']:.2f} s, caches {best['caches']:.2f} s CPU; same links and reviews both "
        f"ways: {len(digests) == 1}"
    )
    return 0 if len(digests) == 1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
