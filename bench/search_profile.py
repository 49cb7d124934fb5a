"""Where a search's time goes, per query kind: python bench/search_profile.py URL HITS.json [--key K]
[--repeat N] [--cprofile OUT.prof]

Replays the queries of a ``bench/search_latency.py --dump-hits`` file (no population to generate) against a
register (a kept SQLite file or the kept PostgreSQL database of bench/kept_postgres.py), each in a fresh
session as in a web request, and splits each search's wall time into its phases by timing the functions
search_people calls: exact identifiers, candidate fetch and ranking (_ranked_candidates), candidate columns
(_candidates), scoring (_score), worded evidence (_shown less the next), records and flags
(_add_records_and_flags), the surname listing's own index reads, and the rest. Prints p50 per phase and kind,
with this process's CPU time (the machine may be shared; the PostgreSQL server's CPU is not counted).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bulk_load import VIEWER_EMAIL  # noqa: E402
from config import TestingConfig  # noqa: E402
from licensing import create_app  # noqa: E402
from licensing.register import search  # noqa: E402

TODAY = dt.date(2026, 11, 1)
PHASES = ("_exact_identifier_matches", "_ranked_candidates", "_candidates", "_score", "_shown",
          "_add_records_and_flags", "_surname_listing")


def criteria_of(terms: dict[str, str]) -> search.SearchCriteria:
    values: dict = dict(terms)
    if "date_of_birth" in values:
        values["date_of_birth"] = dt.date.fromisoformat(values["date_of_birth"])
    if "approximate_age" in values:
        values["approximate_age"] = int(values["approximate_age"])
    return search.SearchCriteria(**values)


def add_replay_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments naming a kept register and the dumped queries to replay against it."""
    parser.add_argument("url")
    parser.add_argument("hits", type=Path)
    parser.add_argument("--key", help="which run in the hits file (default the first)")
    parser.add_argument("--kinds", help="comma-separated query kinds (default all)")


def replayed_queries(args: argparse.Namespace) -> list[dict]:
    """The queries of the dumped run that add_replay_arguments' arguments choose."""
    dumped = json.loads(args.hits.read_text())
    queries = dumped[args.key or next(iter(dumped))]
    if args.kinds:
        queries = [q for q in queries if q["kind"] in args.kinds.split(",")]
    return queries


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else 0.0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_replay_arguments(parser)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--cprofile", type=Path)
    parser.add_argument("--cpu", action="store_true", help="phases in this process's CPU time, not wall time")
    args = parser.parse_args(argv)
    queries = replayed_queries(args)

    spent: dict[str, float] = defaultdict(float)
    clock = time.process_time if args.cpu else time.perf_counter

    def timed(name, function):
        def wrapper(*a, **k):
            started = clock()
            try:
                return function(*a, **k)
            finally:
                spent[name] += (clock() - started) * 1000

        return wrapper

    for name in PHASES:
        setattr(search, name, timed(name, getattr(search, name)))

    from sqlalchemy import select

    from licensing.auth.models import User
    from licensing.db import db

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=args.url)
    per_kind: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    profiler = None
    with app.app_context():
        viewer_id = db.session.scalar(select(User.id).where(User.email == VIEWER_EMAIL))
        for q in queries[:20]:  # warm up caches and connections, untimed
            db.session.remove()
            viewer = db.session.get(User, viewer_id)
            search.search_people(criteria_of(q["criteria"]), viewer=viewer, today=TODAY)
        if args.cprofile:
            import cProfile

            profiler = cProfile.Profile()
        for _ in range(args.repeat):
            for q in queries:
                db.session.remove()
                viewer = db.session.get(User, viewer_id)
                spent.clear()
                if profiler:
                    profiler.enable()
                started, cpu = clock(), time.process_time()
                search.search_people(criteria_of(q["criteria"]), viewer=viewer, today=TODAY)
                total = (clock() - started) * 1000
                cpu = (time.process_time() - cpu) * 1000
                if profiler:
                    profiler.disable()
                row = per_kind[q["kind"]]
                row["total"].append(total)
                row["cpu"].append(cpu)
                shown = spent["_shown"] - spent["_add_records_and_flags"]
                inner = spent["_candidates"] + spent["_score"] + spent["_shown"]
                listing = spent["_surname_listing"] - (inner if spent["_surname_listing"] else 0)
                row["exact"].append(spent["_exact_identifier_matches"])
                row["fetch+rank"].append(spent["_ranked_candidates"])
                row["columns"].append(spent["_candidates"])
                row["score"].append(spent["_score"])
                row["evidence"].append(shown)
                row["records+flags"].append(spent["_add_records_and_flags"])
                row["listing idx"].append(max(listing, 0.0))
                named = sum(spent[n] for n in PHASES[:5])  # _shown holds _add_records_and_flags
                row["other"].append(total - named - max(listing, 0.0))
        db.session.remove()
        db.engine.dispose()
    if profiler is not None:
        profiler.dump_stats(str(args.cprofile))
    columns = ("total", "cpu", "exact", "fetch+rank", "columns", "score", "evidence", "records+flags",
               "listing idx", "other")
    what = "CPU" if args.cpu else "wall"
    print(f"{args.url.split('/')[-1]} · p50 {what} ms per phase · {len(queries)} queries x {args.repeat}")
    print(f"  {'kind':<18}" + "".join(f"{c:>14}" for c in columns))
    for kind, row in per_kind.items():
        print(f"  {kind:<18}" + "".join(f"{_median(row[c]):>14.1f}" for c in columns))
    every = [t for row in per_kind.values() for t in row["total"]]
    ordered = sorted(every)
    print(f"  ALL p50 {_median(every):.1f} ms, p95 {ordered[int(len(ordered) * 0.95) - 1]:.1f} ms, "
          f"max {ordered[-1]:.1f} ms")


if __name__ == "__main__":
    main()
