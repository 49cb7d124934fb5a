"""CPU per object of match-file's two frozen dataclasses made by their __init__ and by frozen.slot_builder.

    .venv/bin/python bench/frozen_builders.py [--count 300000] [--rounds 3]

A row's MatchRecord (its id only) and a parsed DvlaNumber, each way in turn, ``--rounds`` times; prints the
best microseconds of CPU per object of each way, and checks that both ways make equal objects.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from licensing.matching.frozen import slot_builder  # noqa: E402
from licensing.matching.identifiers import DvlaNumber  # noqa: E402
from licensing.matching.records import MatchRecord  # noqa: E402

PARTS = dict(
    number="BASSI752184H995I", surname_stem="BASSI", decade=7, month=2, sex="F", day=18, year_digit=4,
    initials="H9", arbitrary="9", check="5I",
)  # fmt: skip


def _microseconds(make, count: int) -> float:
    start = time.process_time()
    for i in range(count):
        make(i)
    return (time.process_time() - start) / count * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    build_record, build_number = slot_builder(MatchRecord), slot_builder(DvlaNumber)
    assert build_record("R1") == MatchRecord("R1") and build_number(**PARTS) == DvlaNumber(**PARTS)
    ways = {
        "MatchRecord(id) by __init__": lambda i: MatchRecord("R1"),
        "MatchRecord(id) by slot_builder": lambda i: build_record("R1"),
        "DvlaNumber by __init__": lambda i: DvlaNumber(**PARTS),
        "DvlaNumber by slot_builder": lambda i: build_number(**PARTS),
    }
    best = {name: float("inf") for name in ways}
    for _ in range(args.rounds):
        for name, make in ways.items():
            best[name] = min(best[name], _microseconds(make, args.count))
    for name, us in best.items():
        print(f"{name:36} {us:.2f} microseconds CPU each (best of {args.rounds} x {args.count:,})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
