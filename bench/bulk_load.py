"""Load N synthetic person records fast into a migrated database, for benchmarks.

    python bench/bulk_load.py --records 100000 --database sqlite --keep /tmp/register.db
    python bench/bulk_load.py --records 100000 --database postgresql   # in a throwaway cluster

Writes what the app would have written for each record, without the engine's linking (every record
stays its own identity): identities, person_records, addresses, person_names, blocking_keys (the
engine's ``blocking_keys`` of a MatchRecord built the way ``to_match_record`` builds it), term_counts
(``frequency_terms`` summed in memory), the six demo authorities and a licensing officer, plus one
driver licence per council record and one badge per client-transport record so reference searches
have something to find.

Speed: the keys are computed in worker processes; PostgreSQL is loaded with COPY and SQLite with
executemany on the raw driver connection (WAL, synchronous=OFF). Secondary indexes are dropped and
rebuilt from their own stored definitions, and foreign-key checks are off during the load (the rows
are consistent by construction), so the final schema is exactly the migrated one.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import multiprocessing
import os
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config import TestingConfig  # noqa: E402
from licensing import create_app  # noqa: E402
from licensing.matching import MatchRecord  # noqa: E402
from licensing.people.identity import record_keys  # noqa: E402
from seed.population import DEFAULT_SEED, generate_population  # noqa: E402
from tests.postgres import postgres_cluster as test_cluster  # noqa: E402
from tests.postgres import postgres_url  # noqa: E402

LOADED_TABLES = ("identities", "person_records", "addresses", "person_names", "blocking_keys", "term_counts",
                 "licences", "badges")
VIEWER_EMAIL = "bench.officer@example.org"
LOAD_TIMESTAMP = dt.datetime(2026, 11, 1, 9, 0, 0)
CHUNK = 20_000


# The cluster helper the test suite uses, tuned here for bulk loading.
BENCH_SETTINGS = {"shared_buffers": "1GB", "maintenance_work_mem": "1GB", "max_wal_size": "8GB",
                  "checkpoint_timeout": "30min", "effective_cache_size": "8GB"}


@contextlib.contextmanager
def postgres_cluster(settings: dict[str, str] | None = None) -> Iterator[str]:
    """A throwaway PostgreSQL 15 cluster (tests/postgres.py) with bulk-load settings; yields its socket
    directory."""
    with test_cluster({**BENCH_SETTINGS, **(settings or {})}, prefix="pgbench-") as base:
        yield base


def create_postgres_database(server: str, name: str) -> str:
    from sqlalchemy import create_engine, text

    admin = create_engine(postgres_url(server, "postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return postgres_url(server, name)


def migrate(url: str) -> None:
    """Build the schema with the real Alembic migrations."""
    from flask_migrate import upgrade

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        from licensing.db import db

        db.engine.dispose()



def vacuum_analyze(url: str) -> None:
    """Fresh planner statistics and visibility map for a PostgreSQL register loaded in bulk or migrated."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        # VACUUM on its own first: a database-wide VACUUM ANALYZE was seen to leave the visibility map unset,
        # which rules out index-only scans of blocking_keys (autovacuum would set it on a live server).
        conn.execute(text("VACUUM"))
        conn.execute(text("ANALYZE"))
    engine.dispose()

# ----------------------------------------------------------------------------------------------------
# Rows from the synthetic population
# ----------------------------------------------------------------------------------------------------
def _split_name(name: str) -> tuple[str, str]:
    """As seed/demo.py does: everything before the last space is forenames."""
    forenames, _, surname = name.rpartition(" ")
    return forenames, surname


def match_record(record_id: int, synthetic) -> MatchRecord:
    """What to_match_record() returns for the PersonRecord this synthetic record becomes."""
    return MatchRecord(
        record_id=str(record_id),
        source=synthetic.authority_code,
        forenames=synthetic.forenames.strip(),
        surname=synthetic.surname.strip(),
        other_names=tuple(f"{f} {s}".strip() for f, s in map(_split_name, _ordered_other_names(synthetic))),
        date_of_birth=synthetic.date_of_birth.isoformat() if synthetic.date_of_birth else "",
        sex=synthetic.sex,
        postcodes=tuple(a.postcode for a in _ordered_addresses(synthetic)),
        address_lines=tuple(a.line1 for a in _ordered_addresses(synthetic)),
        national_insurance=synthetic.national_insurance,
        driving_licence_number=synthetic.driving_licence_number,
    )


def _ordered_other_names(synthetic) -> tuple[str, ...]:
    # seed/demo.py stores them all as previous names (women) or all as aliases (men), in order; the
    # relationship orders by PersonName.id, which is that order.
    return tuple(synthetic.other_names)


def _ordered_addresses(synthetic) -> list:
    # The relationship orders by from_on descending (stable for ties: insertion order).
    return sorted(synthetic.addresses, key=lambda a: a.from_date, reverse=True)


_RECORDS: list = []  # set before forking the key workers, so they read it without pickling


def _keys_for_slice(bounds: tuple[int, int]) -> tuple[int, list[list[str]], Counter]:
    """Blocking keys (sorted, as index_record stores them) and frequency terms for records [start, stop)."""
    from licensing.people.identity import frequency_terms

    start, stop = bounds
    keys: list[list[str]] = []
    terms: Counter = Counter()
    for index in range(start, stop):
        mr = match_record(index + 1, _RECORDS[index])
        keys.append(sorted(record_keys(mr)))
        terms.update(frequency_terms(mr))
    return start, keys, terms


KEY_TIMEOUT = 900  # seconds for one chunk's keys: a stuck worker fails the load instead of hanging it


def _worker_init() -> None:
    # A forked worker inherits the parent's Python SIGTERM handler (reports_latency.py installs one), which
    # turns the SIGTERM of Pool.terminate() into an exception the worker may never get to run: die instead.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def _key_pool(n: int, workers: int) -> Iterator[object]:
    """The key workers, forked before the app opens connections or starts threads (the rate limiter's
    in-memory storage runs a timer thread): a fork while another thread holds a lock left a worker waiting
    on a futex for ever and the 1M SQLite load hung. They are closed and joined, never terminated, once
    every chunk has been read."""
    if workers <= 1 or n <= 2 * CHUNK:
        yield None
        return
    pool = multiprocessing.get_context("fork").Pool(workers, initializer=_worker_init)
    try:
        yield pool
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


def _iter_keys(n: int, pool) -> Iterator[tuple[int, list[list[str]], Counter]]:
    slices = [(s, min(s + CHUNK, n)) for s in range(0, n, CHUNK)]
    if pool is None:
        yield from map(_keys_for_slice, slices)
        return
    results = pool.imap(_keys_for_slice, slices)
    for _ in slices:
        yield results.next(timeout=KEY_TIMEOUT)


@dataclass
class Authorities:
    ids: dict[str, int]
    kinds: dict[str, str]


@dataclass
class RowSink:
    """Rows for each table, flushed to the database by the dialect's writer."""

    tables: dict[str, list[tuple]] = field(default_factory=dict)

    def add(self, table: str, row: tuple) -> None:
        self.tables.setdefault(table, []).append(row)


COLUMNS = {
    "identities": ("id", "created_at", "merged_into_id"),
    "person_records": (
        "id",
        "authority_id",
        "identity_id",
        "authority_reference",
        "forenames",
        "surname",
        "date_of_birth",
        "sex",
        "phone",
        "email",
        "driving_licence_number",
        "national_insurance",
        "created_at",
        "updated_at",
        "version_id",
    ),
    "addresses": ("id", "person_record_id", "line1", "line2", "town", "postcode", "from_on", "to_on"),
    "person_names": ("id", "person_record_id", "kind", "forenames", "surname"),
    "blocking_keys": ("person_record_id", "key"),  # no id of its own (migration import10001)
    "term_counts": ("kind", "term", "count"),
    "licences": (
        "id",
        "person_record_id",
        "authority_id",
        "licence_type",
        "number",
        "status",
        "issued_on",
        "expires_on",
        "conditions",
        "vehicle_registration",
        "created_at",
    ),
    "badges": (
        "id",
        "person_record_id",
        "authority_id",
        "badge_type",
        "number",
        "operator_name",
        "status",
        "issued_on",
        "expires_on",
        "dbs_certificate_id",
        "first_reference_on",
        "second_reference_on",
        "english_test_passed_on",
        "safeguarding_training_on",
        "status_reason",
        "created_at",
    ),
}


class _Counters:
    def __init__(self) -> None:
        self.address = self.name = self.key = self.licence = self.badge = 0


def _rows_for_record(record_id: int, synthetic, keys: list[str], auth: Authorities, counters: _Counters,
                     sink: RowSink, ts) -> None:
    sink.add("identities", (record_id, ts, None))
    sink.add(
        "person_records",
        (
            record_id,
            auth.ids[synthetic.authority_code],
            record_id,
            synthetic.authority_reference.strip(),
            synthetic.forenames.strip(),
            synthetic.surname.strip(),
            synthetic.date_of_birth,
            synthetic.sex,
            synthetic.phone,
            synthetic.email.lower(),
            synthetic.driving_licence_number,
            synthetic.national_insurance,
            ts,
            ts,
            1,
        ),
    )
    for a in synthetic.addresses:
        counters.address += 1
        sink.add(
            "addresses", (counters.address, record_id, a.line1, "", a.town, a.postcode, a.from_date, None)
        )
    kind = "previous" if synthetic.sex == "F" else "alias"
    for name in synthetic.other_names:
        counters.name += 1
        forenames, surname = _split_name(name)
        sink.add("person_names", (counters.name, record_id, kind, forenames, surname))
    for key in keys:
        counters.key += 1
        sink.add("blocking_keys", (record_id, key))
    code = synthetic.authority_code
    issued = dt.date(2023, 1, 1) + dt.timedelta(days=record_id % 1200)
    if auth.kinds[code] == "licensing_authority":
        counters.licence += 1
        sink.add(
            "licences",
            (
                counters.licence,
                record_id,
                auth.ids[code],
                "private_hire_driver",
                licence_number(code, record_id),
                "granted",
                issued,
                issued + dt.timedelta(days=1095),
                "",
                "",
                ts,
            ),
        )
    elif auth.kinds[code] == "client_transport":
        counters.badge += 1
        sink.add("badges", (counters.badge, record_id, auth.ids[code], "driver", badge_number(record_id),
                            "Chiltern Cars Ltd", "valid", issued, issued + dt.timedelta(days=1095), None,
                            None, None, None, None, "", ts))


def licence_number(authority_code: str, record_id: int) -> str:
    return f"{authority_code}-PH-{record_id:07d}"


def badge_number(record_id: int) -> str:
    return f"BCC{record_id:07d}"


# ----------------------------------------------------------------------------------------------------
# Writers
# ----------------------------------------------------------------------------------------------------
class _PostgresWriter:
    def __init__(self, raw) -> None:
        self.raw = raw
        self.conn = raw.driver_connection
        self.cur = self.conn.cursor()
        # Skip foreign-key triggers during the load (superuser only); the rows are consistent by construction.
        self.cur.execute("SET session_replication_role = replica")
        self.cur.execute("SET maintenance_work_mem = '1GB'")
        self.cur.execute("SET max_parallel_maintenance_workers = 2")
        self.cur.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = 'public' "
            "AND i.tablename = ANY(%s) AND i.indexname NOT IN (SELECT conname FROM pg_constraint) "
            "ORDER BY i.tablename, i.indexname", (list(LOADED_TABLES),))
        self.indexes = self.cur.fetchall()
        for name, _ in self.indexes:
            self.cur.execute(f'DROP INDEX "{name}"')

    def write(self, sink: RowSink) -> None:
        for table, rows in sink.tables.items():
            with self.cur.copy(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        sink.tables.clear()

    def finish(self, echo) -> None:
        started = time.perf_counter()
        for _name, definition in self.indexes:
            self.cur.execute(definition)
        echo(f"  indexes rebuilt in {time.perf_counter() - started:.1f}s")
        for table in LOADED_TABLES:
            if table not in ("term_counts", "blocking_keys"):  # tables without a serial id
                self.cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                 f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)")
        self.cur.execute("SET session_replication_role = origin")
        self.conn.commit()


class _SqliteWriter:
    def __init__(self, raw) -> None:
        self.raw = raw
        self.conn = raw.driver_connection
        self.conn.commit()
        self.journal_mode = self.conn.execute("PRAGMA journal_mode").fetchone()[0]
        for pragma in ("foreign_keys=OFF", "journal_mode=WAL", "synchronous=OFF", "cache_size=-1000000",
                       "temp_store=MEMORY"):
            self.conn.execute(f"PRAGMA {pragma}")
        placeholders = ",".join("?" * len(LOADED_TABLES))
        self.indexes = self.conn.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({placeholders}) ORDER BY tbl_name, name", LOADED_TABLES).fetchall()
        for name, _ in self.indexes:
            self.conn.execute(f'DROP INDEX "{name}"')
        self.conn.commit()

    @staticmethod
    def _adapt(value):
        # The strings SQLAlchemy's SQLite Date and DateTime types store and parse.
        if isinstance(value, dt.datetime):
            return value.strftime("%Y-%m-%d %H:%M:%S.%f")
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    def write(self, sink: RowSink) -> None:
        adapt = self._adapt
        for table, rows in sink.tables.items():
            columns = COLUMNS[table]
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            if table in ("blocking_keys", "term_counts", "person_names"):
                self.conn.executemany(sql, rows)
            else:
                self.conn.executemany(sql, ([adapt(v) for v in row] for row in rows))
        sink.tables.clear()

    def finish(self, echo) -> None:
        self.conn.commit()
        started = time.perf_counter()
        for _, definition in self.indexes:
            self.conn.execute(definition)
        self.conn.commit()
        echo(f"  indexes rebuilt in {time.perf_counter() - started:.1f}s")
        problems = self.conn.execute("PRAGMA foreign_key_check").fetchmany(5)
        if problems:
            raise RuntimeError(f"foreign key problems after load: {problems}")
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.execute(f"PRAGMA journal_mode={self.journal_mode}")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.execute("PRAGMA foreign_keys=ON")


# ----------------------------------------------------------------------------------------------------
# The load
# ----------------------------------------------------------------------------------------------------
@dataclass
class LoadReport:
    records: int
    people: int
    blocking_keys: int
    term_counts: int
    licences: int
    badges: int
    seconds_generate: float
    seconds_load: float
    population: object = field(repr=False, default=None)

    @property
    def seconds_total(self) -> float:
        return self.seconds_generate + self.seconds_load


def _authorities_and_viewer() -> Authorities:
    """The six demo authorities and one licensing officer, through the ORM."""
    from sqlalchemy import select

    from licensing.auth.models import Role, User
    from licensing.authorities.models import Authority
    from licensing.db import db
    from seed.demo import AUTHORITIES

    existing = {a.code: a for a in db.session.scalars(select(Authority))}
    for code, name, kind in AUTHORITIES:
        if code not in existing:
            existing[code] = Authority(code=code, name=name, kind=kind)
            db.session.add(existing[code])
    db.session.flush()
    if db.session.scalar(select(User).where(User.email == VIEWER_EMAIL)) is None:
        # An unusable hash: nobody signs in as this user, and argon2 would cost time.
        db.session.add(User(email=VIEWER_EMAIL, name="Bench Officer", role=Role.LICENSING_OFFICER,
                            authority=existing["WDC"], password_hash="!bench-user-cannot-sign-in"))
    db.session.commit()
    return Authorities(
        ids={c: a.id for c, a in existing.items()}, kinds={c: a.kind.value for c, a in existing.items()}
    )


def bulk_load(url: str, n_records: int, *, seed: int = DEFAULT_SEED, workers: int | None = None,
              population=None, echo: Callable[[str], None] = print) -> LoadReport:
    """Load n synthetic records into the migrated, empty register at url."""
    from sqlalchemy import func, select

    from licensing.db import db
    from licensing.people.models import PersonRecord

    global _RECORDS
    started = time.perf_counter()
    if population is None:
        population = generate_population(n_records, seed=seed)
    records = population.records[:n_records]
    generated = time.perf_counter()
    echo(f"  generated {len(records):,} synthetic records in {generated - started:.1f}s")

    _RECORDS = records
    workers = workers or min(2, os.cpu_count() or 1)
    app = None
    with contextlib.ExitStack() as stack:
        pool = stack.enter_context(_key_pool(len(records), workers))
        app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
        stack.enter_context(app.app_context())
        if db.session.scalar(select(func.count(PersonRecord.id))):
            raise RuntimeError("bulk_load needs an empty register")
        auth = _authorities_and_viewer()
        db.session.remove()
        raw = db.engine.raw_connection()
        try:
            writer = (_PostgresWriter if db.engine.dialect.name == "postgresql" else _SqliteWriter)(raw)
            counters, sink, terms, ts = _Counters(), RowSink(), Counter(), LOAD_TIMESTAMP
            for start, keys, chunk_terms in _iter_keys(len(records), pool):
                for offset, record_keys in enumerate(keys):
                    index = start + offset
                    _rows_for_record(index + 1, records[index], record_keys, auth, counters, sink, ts)
                terms.update(chunk_terms)
                writer.write(sink)
                done = start + len(keys)
                if done % (CHUNK * 25) == 0 or done == len(records):
                    echo(
                        f"  {done:,}/{len(records):,} records written ({time.perf_counter() - generated:.0f}s)"  # noqa: E501
                    )
            for (kind, term), count in sorted(terms.items()):
                sink.add("term_counts", (kind, term, count))
            writer.write(sink)
            writer.finish(echo)
        finally:
            _RECORDS = []
            raw.close()
        db.engine.dispose()
    loaded = time.perf_counter()
    return LoadReport(
        records=len(records),
        people=len({r.true_person_id for r in records}),
        blocking_keys=counters.key,
        term_counts=len(terms),
        licences=counters.licence,
        badges=counters.badge,
        seconds_generate=generated - started,
        seconds_load=loaded - generated,
        population=population,
    )


def schema_snapshot(url: str) -> list[tuple]:
    """Index and constraint definitions, to check a bulk-loaded database against a freshly migrated one."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            rows = conn.execute(
                text(
                    "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
                    "UNION ALL SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "  # noqa: E501
                    "WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2"
                )
            ).all()
        else:
            rows = conn.execute(
                text(
                    "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%' "
                    "ORDER BY type, name"
                )
            ).all()
    engine.dispose()
    return sorted(tuple(r) for r in rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--keep", help="SQLite only: write the database to this path and keep it")
    args = parser.parse_args(argv)
    signal.signal(
        signal.SIGTERM, lambda *_: sys.exit("terminated")
    )  # so the cluster and temp files are removed
    with tempfile.TemporaryDirectory(prefix="bulkload-") as tmp:
        if args.database == "sqlite":
            url = f"sqlite:///{args.keep or Path(tmp) / 'register.db'}"
            migrate(url)
            fresh = schema_snapshot(url)
            report = bulk_load(url, args.records, seed=args.seed)
            same = schema_snapshot(url) == fresh
        else:
            with postgres_cluster() as server:
                url = create_postgres_database(server, "register")
                migrate(url)
                fresh = schema_snapshot(url)
                report = bulk_load(url, args.records, seed=args.seed)
                same = schema_snapshot(url) == fresh
    print(
        f"{args.database}: {report.records:,} records ({report.people:,} people), {report.blocking_keys:,} "
        f"blocking keys, {report.term_counts:,} term counts, {report.licences:,} licences, {report.badges:,} "
        f"badges; generate {report.seconds_generate:.1f}s + load {report.seconds_load:.1f}s; "
        f"schema {'identical to' if same else 'DIFFERENT from'} the migrated one"
    )


if __name__ == "__main__":
    main()
