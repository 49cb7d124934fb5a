"""Rebuild the keys of kept bench registers with the real CLI command, timed.

The search bench (`search_latency.py --keep DIR`) keeps its SQLite files and PostgreSQL cluster in DIR, built
under the keying rules of the day. After a change of those rules (matching.keying_fingerprint) this upgrades
each kept register to the current schema and runs `flask people rebuild-keys --if-stale` on it, printing the
command's own summary, its wall and CPU time and peak memory: what an upgrade of a register that size costs.

    .venv/bin/python bench/rebuild_kept_keys.py --keep /tmp/search10 --sizes 100000,1000000
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bulk_load import DEFAULT_SEED, migrate, postgres_url, vacuum_analyze  # noqa: E402
from bench.kept_postgres import kept_cluster  # noqa: E402
from config import TestingConfig  # noqa: E402
from licensing import create_app  # noqa: E402
from licensing.db import db  # noqa: E402


def rebuild(url: str, label: str) -> None:
    migrate(url)
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    wall, cpu = time.perf_counter(), time.process_time()
    result = app.test_cli_runner().invoke(args=["people", "rebuild-keys", "--if-stale"])
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{label}: exit {result.exit_code}, {wall:.1f} s wall, {cpu:.1f} s CPU in this process, "
          f"peak RSS so far {peak:,.0f} MB", flush=True)
    print("  " + result.output.strip().replace("\n", "\n  "), flush=True)
    with app.app_context():
        db.engine.dispose()
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, required=True, help="the search bench's --keep directory")
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    databases = args.databases.split(",")
    if "sqlite" in databases:
        for size in sizes:
            rebuild(f"sqlite:///{args.keep}/register-{size}-seed{args.seed}.db", f"sqlite {size:,}")
    if "postgresql" in databases:
        with kept_cluster(args.keep) as server:
            for size in sizes:
                url = postgres_url(server, f"register_{size}")
                rebuild(url, f"postgresql {size:,}")
                vacuum_analyze(url)


if __name__ == "__main__":
    main()
