"""A PostgreSQL register that outlives one benchmark run, for bench/search_latency.py --keep.

    python bench/kept_postgres.py --dir /tmp/searchspeed6 --from-sqlite /tmp/register-1000000-seed20261122.db

A million records take most of an hour to generate and load, so a kept cluster (DIR/pg, the same settings
as bench/bulk_load.py's throwaway one) is started again on the next run and its database reused. A register
already bulk-loaded into a kept SQLite file is copied table by table with COPY (minutes, not an hour): the
rows are the ones bulk_load writes, so the two databases hold the same register.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pwd
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bulk_load import (  # noqa: E402
    BENCH_SETTINGS,
    COLUMNS,
    LOADED_TABLES,
    _authorities_and_viewer,
    _PostgresWriter,
    create_postgres_database,
    migrate,
    postgres_url,
    vacuum_analyze,
)
from config import TestingConfig  # noqa: E402
from licensing import create_app  # noqa: E402
from tests.postgres import PG_BIN, _as_postgres_user, _run  # noqa: E402


@contextlib.contextmanager
def kept_cluster(directory: Path) -> Iterator[str]:
    """The cluster in DIRECTORY/pg, made on first use; started here and stopped (never removed) after.
    Yields its socket directory."""
    base = directory / "pg"
    data = base / "data"
    if not data.exists():
        base.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(base, user.pw_uid, user.pw_gid)
        _run(_as_postgres_user([str(PG_BIN / "initdb"), "-D", str(data), "-U", "app", "--auth=trust", "-E",
                                "UTF8", "--locale=C.UTF-8", "--no-sync"]))
    options = {"listen_addresses": "''", "fsync": "off", "synchronous_commit": "off",
               "full_page_writes": "off", **BENCH_SETTINGS}
    flags = " ".join(f"-c {key}={value}" for key, value in options.items())
    _run(_as_postgres_user([str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", f"{base}/server.log", "-w",
                            "-t", "60", "-o", f"-k {base} {flags}", "start"]))
    try:
        yield str(base)
    finally:
        _run(_as_postgres_user([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]))


class _Tables:
    """What _PostgresWriter.write reads: table -> rows."""

    def __init__(self) -> None:
        self.tables: dict = {}


def copy_from_sqlite(sqlite_path: Path, url: str, echo=print) -> int:
    """Copy a bulk-loaded SQLite register into the migrated, empty PostgreSQL database at url; returns the
    number of person records."""
    from licensing.db import db

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    source = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    with app.app_context():
        _authorities_and_viewer()  # the same six authorities and officer, in the same order, so the same ids
        db.session.remove()
        raw = db.engine.raw_connection()
        try:
            writer = _PostgresWriter(raw)
            for table in LOADED_TABLES:
                started = time.perf_counter()
                columns = COLUMNS[table]
                rows = source.execute(f"SELECT {', '.join(columns)} FROM {table}")  # noqa: S608
                sink = _Tables()
                batches = iter(lambda rows=rows: rows.fetchmany(50_000), [])
                sink.tables[table] = (row for batch in batches for row in batch)
                writer.write(sink)
                echo(f"  {table} copied in {time.perf_counter() - started:.0f}s")
            writer.finish(echo)
        finally:
            raw.close()
        records = source.execute("SELECT count(*) FROM person_records").fetchone()[0]
        db.engine.dispose()
    source.close()
    return records



def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, required=True, help="the kept cluster goes in DIR/pg")
    parser.add_argument("--from-sqlite", type=Path, required=True, help="a register bulk-loaded into SQLite")
    parser.add_argument("--database", help="database name (default register_<records>)")
    args = parser.parse_args(argv)
    source = sqlite3.connect(f"file:{args.from_sqlite}?mode=ro", uri=True)
    size = source.execute("SELECT count(*) FROM person_records").fetchone()[0]
    source.close()
    name = args.database or f"register_{size}"
    with kept_cluster(args.dir) as server:
        url = create_postgres_database(server, name)
        migrate(url)
        started = time.perf_counter()
        copy_from_sqlite(args.from_sqlite, url, echo=lambda m: print(m, flush=True))
        vacuum_analyze(url)
        (args.dir / f"{name}.loaded").touch()
        print(f"{name}: {size:,} records copied and analysed in {time.perf_counter() - started:.0f}s; "
              f"{postgres_url(server, name)} while the cluster runs", flush=True)


if __name__ == "__main__":
    main()
