"""Per-test times of the pytest suite, written as it runs, and a comparison of two runs.

Record (a pytest plugin; each test phase's wall time and the test process's CPU time, appended at once, so a
run cut short still leaves its figures):
    TIMELOG=/tmp/before.tsv PYTHONPATH=bench .venv/bin/python -m pytest -p suite_timelog tests/...
Compare two recordings over the tests both hold (the top N by wall time, then the totals):
    .venv/bin/python bench/suite_timelog.py /tmp/before.tsv /tmp/after.tsv [N]
The CPU column is the pytest process only: PostgreSQL, Redis and Chromium run in their own processes."""

import os
import sys
import time
from collections import defaultdict

_started: dict[str, float] = {}
_out = None


def pytest_configure(config):
    global _out
    _out = open(os.environ.get("TIMELOG", "suite_times.tsv"), "a", buffering=1)


def pytest_runtest_logstart(nodeid, location):
    _started[nodeid] = time.process_time()


def pytest_runtest_logreport(report):
    _out.write(f"{report.nodeid}\t{report.when}\t{report.duration:.3f}\t{report.outcome}\n")
    if report.when == "teardown":
        cpu = time.process_time() - _started.pop(report.nodeid, time.process_time())
        _out.write(f"{report.nodeid}\tcpu\t{cpu:.3f}\t{report.outcome}\n")


def read(path: str) -> dict[str, dict[str, float]]:
    """nodeid -> {"wall": setup + call + teardown, "cpu": process CPU}, for tests that finished."""
    tests: dict[str, dict[str, float]] = defaultdict(lambda: {"wall": 0.0})
    with open(path) as handle:
        for line in handle:
            nodeid, when, seconds, _ = line.rstrip("\n").split("\t")
            if when in ("setup", "call", "teardown"):
                tests[nodeid]["wall"] += float(seconds)
            elif when in ("cpu", "total_cpu"):
                tests[nodeid]["cpu"] = float(seconds)
    return {nodeid: figures for nodeid, figures in tests.items() if "cpu" in figures}


def main(before_path: str, after_path: str, top: int = 30) -> None:
    before, after = read(before_path), read(after_path)
    both = sorted(set(before) & set(after), key=lambda n: -before[n]["wall"])
    print(f"{len(both)} tests in both runs ({len(before)} before, {len(after)} after)")
    print(f"{'wall before':>11} {'wall after':>10} {'cpu before':>10} {'cpu after':>9}  test")
    for nodeid in both[:top]:
        b, a = before[nodeid], after[nodeid]
        print(f"{b['wall']:11.2f} {a['wall']:10.2f} {b['cpu']:10.2f} {a['cpu']:9.2f}  {nodeid}")
    for name, run in (("before", before), ("after", after)):
        print(f"total {name}: wall {sum(run[n]['wall'] for n in both):.1f} s, "
              f"cpu {sum(run[n]['cpu'] for n in both):.1f} s")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 30)
