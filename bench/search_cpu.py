"""Where a search's time goes between this process and the database server: python bench/search_cpu.py URL
HITS.json [--key K] [--kinds K,...] [--label L]

Replays the queries of a ``bench/search_latency.py --dump-hits`` file against a kept register (as
bench/search_profile.py does), each in a fresh session as in a web request, after 20 untimed ones, and prints
one line: wall p50/p95/p99, this process's CPU p50/p95, statements per search and, on a PostgreSQL server on
this machine, the server process's own CPU per search (from /proc: a figure a busy machine inflates far less
than wall time, so two versions of the code can be compared side by side on a shared machine).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, select, text  # noqa: E402

from bench.bulk_load import VIEWER_EMAIL  # noqa: E402
from bench.search_profile import TODAY, add_replay_arguments, criteria_of, replayed_queries  # noqa: E402
from config import TestingConfig  # noqa: E402
from licensing import create_app  # noqa: E402
from licensing.auth.models import User  # noqa: E402
from licensing.db import db  # noqa: E402
from licensing.register import search  # noqa: E402

WARM_UP = 20


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))] if ordered else 0.0


def _process_cpu_ms(pid: int | None) -> float:
    """User and system CPU of a local process, in ms (0 when there is none to read)."""
    if pid is None or not Path(f"/proc/{pid}/stat").exists():
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_replay_arguments(parser)
    parser.add_argument("--label", default="", help="printed at the start of the line")
    args = parser.parse_args(argv)
    queries = replayed_queries(args)
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=args.url)
    statements = [0]
    with app.app_context():
        viewer_id = db.session.scalar(select(User.id).where(User.email == VIEWER_EMAIL))
        for query in queries[:WARM_UP]:
            db.session.remove()
            search.search_people(criteria_of(query["criteria"]), viewer=db.session.get(User, viewer_id),
                                 today=TODAY)
        backend = None
        if db.engine.dialect.name == "postgresql":
            backend = db.session.scalar(text("SELECT pg_backend_pid()"))
        db.session.remove()
        def count(*_) -> None:
            statements[0] += 1

        event.listen(db.engine, "before_cursor_execute", count)
        gc.collect()
        gc.freeze()
        server_started = _process_cpu_ms(backend)
        wall, cpu, counted = [], [], []
        for query in queries:
            db.session.remove()
            viewer = db.session.get(User, viewer_id)
            statements[0] = 0
            started, cpu_started = time.perf_counter(), time.process_time()
            search.search_people(criteria_of(query["criteria"]), viewer=viewer, today=TODAY)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
            counted.append(statements[0])
        server = (_process_cpu_ms(backend) - server_started) / len(queries)
    server_text = f" | server CPU {server:5.2f} ms/search" if backend is not None else ""
    walls = " ".join(f"p{p} {_percentile(wall, p):6.2f}" for p in (50, 95, 99))
    cpus = " ".join(f"p{p} {_percentile(cpu, p):6.2f}" for p in (50, 95))
    print(
        f"{args.label:8} n={len(queries)} wall {walls} | CPU {cpus}{server_text} | "
        f"statements {sum(counted) / len(counted):.2f}/search | load {os.getloadavg()[0]:.1f}",
        flush=True,
    )


if __name__ == "__main__":
    main()
