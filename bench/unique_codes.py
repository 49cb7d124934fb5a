"""De-duplicating match-file's pair codes: numpy's ``np.unique`` against ``batch.sorted_unique``.

    .venv/bin/python bench/unique_codes.py                 # 9,000,000 codes, as at 1,000,000 records
    .venv/bin/python bench/unique_codes.py --codes 2000000

The codes are i * 2**32 + j for random records i < j, each pair written about 3.4 times (1,000,000 records
give 9,078,744 codes for 2,675,368 pairs). Prints CPU seconds of each (best of --repeat) and checks that both
give the same array.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from licensing.matching.batch import sorted_unique  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codes", type=int, default=9_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(20261130)
    pairs = args.codes * 10 // 34
    i = rng.integers(0, 1_000_000, pairs, dtype=np.int64)
    j = i + rng.integers(1, 1_000, pairs, dtype=np.int64)
    codes = ((i << 32) | j)[rng.integers(0, pairs, args.codes)]
    best = {"np.unique": float("inf"), "sorted_unique": float("inf")}
    for _ in range(args.repeat):
        started = time.process_time()
        expected = np.unique(codes)
        best["np.unique"] = min(best["np.unique"], time.process_time() - started)
        copy = codes.copy()
        started = time.process_time()
        got = sorted_unique(copy)
        best["sorted_unique"] = min(best["sorted_unique"], time.process_time() - started)
        assert np.array_equal(got, expected)
    load = os.getloadavg()[0]
    print(f"{args.codes:,} codes, {len(expected):,} distinct; numpy {np.__version__}; load {load:.1f}")
    for name, seconds in best.items():
        print(f"{name:14} {seconds:6.2f} s CPU (best of {args.repeat})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
