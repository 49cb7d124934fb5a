"""Back up and restore the register: SQLite through its online backup API, PostgreSQL through pg_dump."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import MetaData, select
from sqlalchemy.engine import Engine, make_url

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _sqlite_path(engine: Engine) -> str:
    database = engine.url.database
    if not database or database == ":memory:":
        raise ValueError("An in-memory SQLite database cannot be backed up")
    return database


def _libpq_url(engine: Engine) -> str:
    """The SQLAlchemy URL as libpq reads it (no +driver), password included for the child process only."""
    return make_url(engine.url).set(drivername="postgresql").render_as_string(hide_password=False)


def _pg_tool(name: str) -> str:
    found = shutil.which(name) or (str(PG_BIN / name) if (PG_BIN / name).exists() else None)
    if found is None:
        raise FileNotFoundError(f"{name} is not installed (apt-get install postgresql-client-15)")
    return found


def create_backup(engine: Engine, target: Path) -> Path:
    """Write a consistent copy of the database to `target` while the app keeps running."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == "sqlite":
        source = sqlite3.connect(_sqlite_path(engine))
        destination = sqlite3.connect(target)
        try:
            with destination:
                source.backup(destination)
        finally:
            destination.close()
            source.close()
    else:
        command = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target),
                   "--dbname", _libpq_url(engine)]
        subprocess.run(command, check=True, capture_output=True)  # noqa: S603 (arguments from our own config)
    os.chmod(target, 0o600)  # it holds police information: readable by the service account only
    return target


def restore_backup(engine: Engine, source: Path) -> None:
    """Replace the database's contents with the backup's (the app must be stopped)."""
    if not source.exists():
        raise FileNotFoundError(f"No backup at {source}")
    engine.dispose()
    if engine.dialect.name == "sqlite":
        backup = sqlite3.connect(source)
        live = sqlite3.connect(_sqlite_path(engine))
        try:
            with live:
                backup.backup(live)
        finally:
            live.close()
            backup.close()
    else:
        command = [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                   "--dbname", _libpq_url(engine), str(source)]
        subprocess.run(command, check=True, capture_output=True)  # noqa: S603 (arguments from our own config)


def table_checksums(engine: Engine) -> dict[str, tuple[int, str]]:
    """Row count and a SHA-256 over every row (in primary-key order) of every table, to compare two copies."""
    metadata = MetaData()
    metadata.reflect(engine)
    sums: dict[str, tuple[int, str]] = {}
    with engine.connect() as conn:
        for name, table in sorted(metadata.tables.items()):
            digest, count = hashlib.sha256(), 0
            order = list(table.primary_key.columns) or list(table.columns)
            for row in conn.execute(select(table).order_by(*order)):
                digest.update(repr(tuple(_plain(v) for v in row)).encode())
                count += 1
            sums[name] = (count, digest.hexdigest())
    return sums


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value
