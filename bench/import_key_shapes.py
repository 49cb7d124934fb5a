"""What each shape of the blocking_keys table costs to fill, on SQLite and PostgreSQL.

    .venv/bin/python bench/import_key_shapes.py --source DB --repeat 5 [--databases sqlite postgresql]

DB is a SQLite register made by an import (bench/import_profile.py leaves one in /tmp/import-profile-*).
Its key rows are inserted --repeat times (person ids shifted each time) in chunks of 5,000 people sorted by
key, as the import writes them, into an empty table of each shape: sqlite3 executemany (256 MB page cache),
or COPY into a throwaway PostgreSQL cluster (tests/postgres.py). Prints CPU and wall seconds: the process's
own on SQLite, the server backend's on PostgreSQL."""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.postgres import postgres_cluster  # noqa: E402

KEY = "key varchar(64) {collate} not null"
COMPOSITE = ", primary key (person_record_id, key)"
BOTH = ["(key, person_record_id)", "(person_record_id)"]
BY_KEY = ["(key, person_record_id)"]
SHAPES = {  # name -> (table definition, extra indexes); {fk} and {collate} are filled per database
    "now": ("id {serial} primary key, person_record_id integer not null {fk}, " + KEY,
            ["(key, person_record_id)", "(person_record_id)"]),
    "no_fk": ("id {serial} primary key, person_record_id integer not null, " + KEY,
              ["(key, person_record_id)", "(person_record_id)"]),
    "composite_pk": ("person_record_id integer not null {fk}, " + KEY + COMPOSITE, BY_KEY),
    "composite_pk_no_fk": ("person_record_id integer not null, " + KEY + COMPOSITE, BY_KEY),
    "no_id_no_fk": ("person_record_id integer not null, " + KEY, BOTH),
}


def chunks_of(source: Path) -> tuple[list[list[tuple[int, str]]], int]:
    rows = sqlite3.connect(source).execute("SELECT person_record_id, key FROM blocking_keys").fetchall()
    top = max(r[0] for r in rows)
    chunks: dict[int, list] = {}
    for person, key in rows:
        chunks.setdefault((person - 1) // 5000, []).append((person, key))
    return [sorted(chunks[c], key=lambda r: r[1]) for c in sorted(chunks)], top


def sqlite_shape(name: str, chunks, top: int, repeat: int, work: Path) -> str:
    columns, indexes = SHAPES[name]
    path = work / f"{name}.db"
    db = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "cache_size=-262144"):
        db.execute(f"PRAGMA {pragma}")
    db.execute("CREATE TABLE person_records (id integer primary key)")
    fk = "references person_records(id)"
    suffix = " WITHOUT ROWID" if "primary key (person_record_id" in columns else ""
    db.execute(f"CREATE TABLE blocking_keys ({columns.format(serial='integer', fk=fk, collate='')}){suffix}")
    for i, index in enumerate(indexes):
        db.execute(f"CREATE INDEX ix_{i} ON blocking_keys {index}")
    db.execute("BEGIN")
    cpu, wall = time.process_time(), time.monotonic()
    for rep in range(repeat):
        shift = rep * top
        people = ((shift + i,) for i in range(1, top + 1))
        db.executemany("INSERT INTO person_records (id) VALUES (?)", people)
        for chunk in chunks:
            db.executemany("INSERT INTO blocking_keys (person_record_id, key) VALUES (?, ?)",
                           ((p + shift, k) for p, k in chunk))
    db.execute("COMMIT")
    cpu, wall = time.process_time() - cpu, time.monotonic() - wall
    size = path.stat().st_size / 1e6
    return f"sqlite      {name:<20} {cpu:6.1f} s CPU {wall:6.1f} s wall  file {size:5.0f} MB"


def backend_cpu(connection) -> float:
    fields = Path(f"/proc/{connection.info.backend_pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_shape(name: str, chunks, top: int, repeat: int, socket: str) -> str:
    import psycopg  # noqa: PLC0415 (only this database needs it)

    columns, indexes = SHAPES[name]
    with psycopg.connect(f"host={socket} user=app dbname=postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE shape_{name}")
    with psycopg.connect(f"host={socket} user=app dbname=shape_{name}") as db:
        db.execute("CREATE TABLE person_records (id serial primary key)")
        fk = "references person_records(id)"
        table = columns.format(serial="serial", fk=fk, collate='collate "C"')
        db.execute(f"CREATE TABLE blocking_keys ({table})")
        for index in indexes:
            db.execute(f"CREATE INDEX ON blocking_keys {index}")
        db.commit()
        cpu, wall = backend_cpu(db), time.monotonic()
        for rep in range(repeat):
            shift = rep * top
            with db.cursor().copy("COPY person_records (id) FROM STDIN") as copy:
                for i in range(1, top + 1):
                    copy.write_row((shift + i,))
            for chunk in chunks:
                with db.cursor().copy("COPY blocking_keys (person_record_id, key) FROM STDIN") as copy:
                    for person, key in chunk:
                        copy.write_row((person + shift, key))
        db.commit()
        cpu, wall = backend_cpu(db) - cpu, time.monotonic() - wall
    return f"postgresql  {name:<20} {cpu:6.1f} s server CPU {wall:6.1f} s wall"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True, help="a SQLite register made by an import")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--shapes", nargs="+", default=list(SHAPES))
    args = parser.parse_args()
    chunks, top = chunks_of(Path(args.source))
    print(f"{sum(map(len, chunks)) * args.repeat:,} key rows, {top * args.repeat:,} people", flush=True)
    if "sqlite" in args.databases:
        with tempfile.TemporaryDirectory(prefix="key-shapes-") as work:
            for name in args.shapes:
                print(sqlite_shape(name, chunks, top, args.repeat, Path(work)), flush=True)
    if "postgresql" in args.databases:
        with postgres_cluster(prefix="key-shapes-") as socket:
            for name in args.shapes:
                print(postgres_shape(name, chunks, top, args.repeat, socket), flush=True)


if __name__ == "__main__":
    main()
