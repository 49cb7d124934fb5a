"""match-file's reading phase alone, for A/B runs between trees: CPU of this process and of its reader worker,
wall, and resident memory once the row caches are emptied and the free heap handed back (as match_file does
before forking its key workers).

    .venv/bin/python bench/match_file_read_ab.py --input /tmp/NAME/b1m/records.csv --workers 2 [--share 0.55]

``--workers 2`` reads the file in two parts (a forked reader worker) where the tree has the split reader;
``--share`` overrides the main process's share of the file's bytes. Run each in a fresh process.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import inspect
import os
import resource
import time
from pathlib import Path

from licensing.matching import batch
from licensing.matching import records as rec


def resident_gb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1e6
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True, help="a records.csv written by seed.benchmark")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--share", type=float, help="the main process's share of the bytes (split reader)")
    args = parser.parse_args()
    gc.disable()  # as match_file reads
    if args.share is not None:
        batch._PARENT_READ_SHARE = args.share
    split = "workers" in inspect.signature(batch._read_records).parameters
    report = batch.BatchReport()
    cpu, wall = time.process_time(), time.monotonic()
    kw = {"workers": args.workers} if split else {}
    prepared = batch._read_records(Path(args.input), report, batch._Progress(None), **kw)
    cpu, wall = time.process_time() - cpu, time.monotonic() - wall
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    rec.release_row_caches()
    ctypes.CDLL(None).malloc_trim(0)
    print(
        f"read {len(prepared):,} records, workers {args.workers}{'' if split else ' (one reader: no split)'}:"
        f" {cpu:.2f} s CPU, reader worker {child.ru_utime + child.ru_stime:.2f} s CPU, {wall:.2f} s wall,"
        f" {resident_gb():.3f} GB resident after; load {os.getloadavg()[0]:.1f};"
        f" warnings {sorted(report.warnings.items())}"
    )


if __name__ == "__main__":
    main()
