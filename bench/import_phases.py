"""Process CPU by phase of one import into a new SQLite database, to see which part grows with the register.

    .venv/bin/python bench/import_phases.py FILE [DATABASE_URL]

FILE is a synthetic file of bench/import_speed.py (--files keeps them). Unlike bench/import_profile.py
(cProfile, whose per-call overhead inflates the many small calls of the checking pass several times), a few
functions are wrapped with a process-CPU timer, so the figures are close to an unprofiled run's; the cyclic
collector's passes are timed too. Phases nest (copy_rows is inside _insert_new and link_records_batch), so the
shares add up to more than 100%."""

from __future__ import annotations

import collections
import functools
import gc
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from import_profile import county_app  # noqa: E402
from sqlalchemy import select  # noqa: E402

from licensing.authorities.models import Authority  # noqa: E402
from licensing.db import db  # noqa: E402
from licensing.imports import linking, services  # noqa: E402
from licensing.matching import score  # noqa: E402

spent: collections.Counter = collections.Counter()
calls: collections.Counter = collections.Counter()


def timed(owner, name: str, label: str = "") -> None:
    original = getattr(owner, name)
    label = label or name

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        started = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - started
            calls[label] += 1

    setattr(owner, name, wrapper)


def count_collections() -> list[float]:
    """CPU seconds of the cyclic collector's passes, by generation, counted from now on."""
    spent_by_generation = [0.0, 0.0, 0.0]
    started = [0.0]

    def callback(phase: str, info: dict) -> None:
        if phase == "start":
            started[0] = time.process_time()
        else:
            spent_by_generation[info["generation"]] += time.process_time() - started[0]

    gc.callbacks.append(callback)
    return spent_by_generation


def main() -> None:
    path = Path(sys.argv[1])
    collections_spent = count_collections()
    for name in ("_check", "_insert_new", "link_records_batch"):
        timed(services, name)
    for name in ("copy_rows", "key_holder_counts", "_bulk_match_records", "_join_in_order", "_write_links",
                 "_upsert_term_counts", "blocking_keys", "surname_keys", "typo_keys", "frequency_terms",
                 "prepare", "among"):
        timed(linking, name)
    for name in ("decide", "result"):
        timed(score.Scorer, name, f"Scorer.{name}")
    timed(linking._RunningCounts, "preload", "_RunningCounts.preload")
    work = Path(tempfile.mkdtemp(prefix="import-phases-"))
    app = county_app(sys.argv[2] if len(sys.argv) > 2 else f"sqlite:///{work / 'phases.db'}")
    with app.app_context():
        authority = db.session.scalar(select(Authority).where(Authority.code == "WDC"))
        cpu, wall = time.process_time(), time.monotonic()
        report = services.run_import(path, path.name, authority, actor=None, actor_label="bench")
        db.session.commit()
        total = time.process_time() - cpu
    print(f"{path.name}: {total:.1f} s CPU, {time.monotonic() - wall:.1f} s wall; {report.summary_line()}")
    for label, seconds in spent.most_common():
        print(f"  {label:28s} {seconds:7.2f} s  {100 * seconds / total:5.1f}%  calls {calls[label]:,}")
    by_generation = ", ".join(f"{seconds:.2f}" for seconds in collections_spent)
    print(f"  cyclic collector, generations 0/1/2: {by_generation} s; "
          f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024:,} MB")


if __name__ == "__main__":
    main()
