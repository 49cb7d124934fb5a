"""Where match-file's reading phase spends its CPU: what a second process could take over, and what not.

    .venv/bin/python bench/match_file_read_phase.py --input /tmp/NAME/b1m/records.csv

Prints, for one process reading the file as ``match_file`` does (``batch._read_records``, cyclic GC off):
1. CPU and wall seconds of the read, and the resident memory once the row caches are emptied and the free heap
   handed back (``release_row_caches`` + ``malloc_trim``, as match_file does before forking workers);
2. the cost of working out each distinct value once (names, street, house number, postcode, NI number,
   licence, date): the part of reading that repeats only on a cache miss;
3. ``prepare_row`` over every row again with every cache warm: the per-row cost a second process can not take
   over (the parent builds the records it keeps itself).
Run it in a fresh process each time (the caches are module-level).
"""

from __future__ import annotations

import argparse
import csv
import ctypes
import gc
import time
from pathlib import Path

from licensing.matching import batch, normalise
from licensing.matching import identifiers as ids
from licensing.matching import records as rec

ROW_FIELDS = (
    "record_id", "forenames", "surname", "date_of_birth", "sex", "postcode", "address_line",
    "national_insurance", "driving_licence_number",
)  # fmt: skip


def resident_gb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1e6
    return float("nan")


def per_value(name: str, compute, values) -> None:
    distinct = list(dict.fromkeys(values))
    started = time.process_time()
    for value in distinct:
        compute(value)
    spent = time.process_time() - started
    print(
        f"  {name:10s} {len(distinct):9,} distinct  {spent:6.2f} s"
        f"  ({spent / len(distinct) * 1e6:5.2f} us each)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True, help="a records.csv written by seed.benchmark")
    args = parser.parse_args()
    path = Path(args.input)
    gc.disable()

    cpu, wall = time.process_time(), time.monotonic()
    prepared = batch._read_records(path, batch.BatchReport(), batch._Progress(None))
    cpu, wall = time.process_time() - cpu, time.monotonic() - wall
    rec.release_row_caches()
    ctypes.CDLL(None).malloc_trim(0)
    print(
        f"read {len(prepared):,} records: {cpu:.2f} s CPU, {wall:.2f} s wall,"
        f" {resident_gb():.3f} GB resident after"
    )
    del prepared

    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = [h.strip().lower() for h in next(reader)]
        at = [header.index(f) if f in header else None for f in ROW_FIELDS]
        rows = [tuple(row[i].strip() if i is not None else "" for i in at) for row in reader]
    rows = [(*r[:6], r[6] if r[5] else "", *r[7:]) for r in rows]  # the line only with a postcode, as read
    _, fore, sur, dob, _, pc, line, ni, dl = zip(*rows, strict=True)
    print("each distinct value worked out once (a cache miss):")
    per_value("names", lambda v: normalise.parse_full_name.__wrapped__(*v), zip(fore, sur, strict=True))
    per_value("street", rec._street.__wrapped__, line)
    per_value("house", rec._house_number.__wrapped__, line)
    per_value("postcode", rec._one_postcode.__wrapped__, pc)
    per_value("ni", rec._ni_fields, ni)
    per_value(
        "licence", lambda v: ids.parse_normalised_dvla_number(ids.normalise_dvla_number(v), strict=False), dl
    )
    per_value("date", rec._dob_fields.__wrapped__, dob)

    prepare_row = rec.prepare_row
    for row in rows:
        prepare_row(*row)  # fill the caches
    started = time.process_time()
    kept = [prepare_row(*row) for row in rows]
    spent = time.process_time() - started
    print(
        f"prepare_row of every row with every cache warm: {spent:.2f} s"
        f" ({spent / len(kept) * 1e6:.2f} us a row)"
    )


if __name__ == "__main__":
    main()
