"""Labelled linkage benchmark written from a synthetic population.

Files (UTF-8, csv module, '\\n' line endings):

* ``records.csv``   - ``record_id,source,forenames,surname,date_of_birth,address_line,
  town,postcode,national_insurance,driving_licence_number``; the most recent address;
  blanks stay blank.  About 0.5% of rows carry realistic council mess in the date of
  birth (``12/03/1980``, ``19800312``, an impossible ``19551192``) or the NI number
  (spaces, lower case, an invalid prefix).
* ``truth.csv``     - ``record_id,person_id,name_group,hard_case``.
* ``hard_pairs.csv`` - ``id_a,id_b,kind,is_match``: labelled hard non-matching pairs
  (same_name_same_dob, father_son, common_name) and hard true pairs.

CLI::

    python -m seed.benchmark --records 10000 --out /tmp/bench10k [--seed 20261122]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from pathlib import Path
from typing import NamedTuple, TextIO

from seed.population import DEFAULT_SEED, Population, generate_population

RECORDS_HEADER = ("record_id", "source", "forenames", "surname", "date_of_birth",
                  "address_line", "town", "postcode", "national_insurance",
                  "driving_licence_number")
TRUTH_HEADER = ("record_id", "person_id", "name_group", "hard_case")
HARD_PAIRS_HEADER = ("id_a", "id_b", "kind", "is_match")
MESSY_RATE = 0.005
# Prefixes that break DOMAIN.md's rules (never issued, or a forbidden letter).
_INVALID_NI_PREFIXES = ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ", "DA", "QA", "AO", "FV", "UZ")


class BenchmarkPaths(NamedTuple):
    records: Path
    truth: Path
    hard_pairs: Path


def _messy_dob(d, rnd) -> str:
    r = rnd()
    if r < 0.35:
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if r < 0.6:
        return f"{d.year}{d.month:02d}{d.day:02d}"
    if r < 0.8:
        # a keying slip that leaves an impossible day, e.g. 1955-11-02 -> 19551192
        return f"{d.year}{d.month:02d}9{d.day % 10}"
    return f"{d.day:02d}-{d.month:02d}-{d.year % 100:02d}"


def _messy_ni(ni: str, rnd) -> str:
    r = rnd()
    if r < 0.4:
        return f"{ni[:2]} {ni[2:4]} {ni[4:6]} {ni[6:8]} {ni[8]}"
    if r < 0.7:
        return ni.lower() if rnd() < 0.5 else f" {ni.lower()}"
    return _INVALID_NI_PREFIXES[int(rnd() * len(_INVALID_NI_PREFIXES))] + ni[2:]


def write_records_csv(population: Population, fh: TextIO, messy_rate: float = MESSY_RATE) -> int:
    """Write records.csv to an open text file; returns the number of messy rows."""
    rng = random.Random(population.seed * 1_000_003 + 7)
    rnd = rng.random
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow(RECORDS_HEADER)
    messy = 0
    rows = []
    for r in population.records:
        dob = r.date_of_birth.isoformat()
        ni = r.national_insurance
        if rnd() < messy_rate:
            messy += 1
            if ni and rnd() < 0.5:
                ni = _messy_ni(ni, rnd)
            else:
                dob = _messy_dob(r.date_of_birth, rnd)
        if r.addresses:
            a = r.addresses[0]
            line, town, postcode = a.line1, a.town, a.postcode
        else:
            line = town = postcode = ""
        rows.append((r.record_id, r.authority_code, r.forenames, r.surname, dob, line, town,
                     postcode, ni, r.driving_licence_number))
        if len(rows) >= 10000:
            writer.writerows(rows)
            rows.clear()
    writer.writerows(rows)
    return messy


def write_truth_csv(population: Population, fh: TextIO) -> None:
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow(TRUTH_HEADER)
    writer.writerows(
        (r.record_id, r.true_person_id, r.name_group, r.hard_case or "")
        for r in population.records
    )


def write_hard_pairs_csv(population: Population, fh: TextIO) -> dict:
    """Write hard_pairs.csv; returns counts per 'kind:match|non_match'."""
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow(HARD_PAIRS_HEADER)
    counts: dict = {}
    for a, b, kind, is_match in population.hard_pairs():
        writer.writerow((a, b, kind, 1 if is_match else 0))
        key = f"{kind}:{'match' if is_match else 'non_match'}"
        counts[key] = counts.get(key, 0) + 1
    return counts


def write_benchmark(population: Population, directory, messy_rate: float = MESSY_RATE
                    ) -> BenchmarkPaths:
    """Write records.csv, truth.csv and hard_pairs.csv into ``directory``."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths = BenchmarkPaths(out / "records.csv", out / "truth.csv", out / "hard_pairs.csv")
    with open(paths.records, "w", encoding="utf-8", newline="") as fh:
        write_records_csv(population, fh, messy_rate)
    with open(paths.truth, "w", encoding="utf-8", newline="") as fh:
        write_truth_csv(population, fh)
    with open(paths.hard_pairs, "w", encoding="utf-8", newline="") as fh:
        write_hard_pairs_csv(population, fh)
    return paths


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m seed.benchmark",
        description="Write a labelled synthetic record-linkage benchmark.")
    parser.add_argument("--records", type=int, required=True, help="number of records")
    parser.add_argument("--out", required=True, help="output directory")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--messy-rate", type=float, default=MESSY_RATE,
                        help="share of rows with a messy DOB or NI value (default 0.005)")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    population = generate_population(args.records, args.seed)
    t1 = time.perf_counter()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    paths = BenchmarkPaths(out / "records.csv", out / "truth.csv", out / "hard_pairs.csv")
    with open(paths.records, "w", encoding="utf-8", newline="") as fh:
        messy = write_records_csv(population, fh, args.messy_rate)
    with open(paths.truth, "w", encoding="utf-8", newline="") as fh:
        write_truth_csv(population, fh)
    with open(paths.hard_pairs, "w", encoding="utf-8", newline="") as fh:
        pair_counts = write_hard_pairs_csv(population, fh)
    t2 = time.perf_counter()
    multi = sum(1 for p in population.people if len(p.record_ids) > 1)
    report = {
        "records": len(population.records),
        "people": len(population.people),
        "people_with_several_records": multi,
        "messy_rows": messy,
        "hard_case_records": population.hard_case_counts(),
        "hard_pairs": dict(sorted(pair_counts.items())),
        "seconds_generate": round(t1 - t0, 2),
        "seconds_write": round(t2 - t1, 2),
        "files": [str(p) for p in paths],
    }
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
