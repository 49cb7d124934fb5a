"""Declarative base, shared column types and the Flask-SQLAlchemy handle."""

import contextlib
import datetime as dt
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Annotated

import psycopg
from flask_sqlalchemy import SQLAlchemy
from psycopg import pq
from psycopg.pq import TransactionStatus
from sqlalchemy import JSON, Boolean, DateTime, MetaData, String, Text, cast, event, func, select
from sqlalchemy import Enum as SAEnum
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, mapped_column, registry
from sqlalchemy.sql.elements import BindParameter

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={str: String(255), dt.datetime: DateTime(), dict: JSON, list: JSON},
    )


intpk = Annotated[int, mapped_column(primary_key=True)]
created_at = Annotated[dt.datetime, mapped_column(default=utcnow, server_default=func.current_timestamp())]
bool_false = Annotated[bool, mapped_column(Boolean, default=False, server_default="0")]
text = Annotated[str, mapped_column(Text, default="", server_default="")]
short_str = Annotated[str, mapped_column(String(100), default="", server_default="")]

db = SQLAlchemy(model_class=Base)


def commit_rendered_page() -> None:
    """Commit once the page is rendered. Nothing reads the loaded objects afterwards (the session ends with
    the request), so they are not expired: expiring walks every object a search or person page loaded."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


# How long a SQLite connection waits for another process's write lock before "database is locked".
SQLITE_BUSY_TIMEOUT_MS = 15_000


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """Foreign keys on; a database file in WAL mode with a busy timeout, so several gunicorn workers read
    while one writes and a writer waits for the lock rather than failing. synchronous stays FULL: a commit is
    on disk before the request is answered."""
    if not type(dbapi_connection).__module__.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # Only a file can log ahead (memory and temporary databases keep their own journal); the mode is kept in
    # the file, so it is switched once.
    on_file = any(row[1] == "main" and row[2] for row in cursor.execute("PRAGMA database_list"))
    if on_file and cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


@event.listens_for(Engine, "do_connect")
def _postgres_without_jit(dialect, connection_record, cargs, cparams) -> None:
    """PostgreSQL's JIT compiler stays off: it compiled a search's expressions for up to 5.6 s whenever a
    plan's estimated cost passed jit_above_cost, for statements that run in milliseconds. Nothing here is a
    long analytic query that JIT pays back on. Cursors describe their columns only when asked (below)."""
    if dialect.name == "postgresql":
        cparams["options"] = f"{cparams.get('options', '')} -c jit=off".strip()
        cparams.setdefault("cursor_factory", DescribedOnDemandCursor)


class ColumnsOnDemand(Sequence):
    """A result's cursor.description whose psycopg Column objects are built on first read. SQLAlchemy reads
    the description of every statement it sends but, for a statement it has run before (nearly all of them),
    only to see that there is one: it keeps the columns it mapped the first time. psycopg built a Column per
    column per statement (126 on the person page) for nobody."""

    __slots__ = ("_cursor", "_result", "_columns")

    def __init__(self, cursor: psycopg.Cursor, result) -> None:
        self._cursor, self._result, self._columns = cursor, result, None

    def _built(self) -> list:
        if self._columns is None:
            cursor = self._cursor
            if cursor.pgresult is not self._result:  # the cursor has run something since: this result's
                cursor = SimpleNamespace(pgresult=self._result, _encoding=cursor._encoding,
                                         adapters=cursor.adapters)
            self._columns = [psycopg.Column(cursor, index) for index in range(self._result.nfields)]
        return self._columns

    def __len__(self) -> int:
        return self._result.nfields

    def __getitem__(self, index):
        return self._built()[index]

    def __iter__(self):
        return iter(self._built())

    def __eq__(self, other) -> bool:
        return list(self) == other

    __hash__ = None  # a list's: unhashable

    def __repr__(self) -> str:
        return repr(self._built())


_TUPLES = (pq.ExecStatus.TUPLES_OK, pq.ExecStatus.SINGLE_TUPLE, pq.ExecStatus.TUPLES_CHUNK)


class DescribedOnDemandCursor(psycopg.Cursor):
    @property
    def description(self) -> ColumnsOnDemand | None:  # type: ignore[override]
        """What psycopg's description answers (None where it does), its columns built when read. It builds
        psycopg.Column as psycopg does (pgresult, _encoding, adapters): setup.cfg pins psycopg below 3.4, and
        tests/database/test_columns_on_demand.py compares it with psycopg's own on each upgrade."""
        result = self.pgresult
        if result and (result.nfields or result.status in _TUPLES):
            return ColumnsOnDemand(self, result)
        return None


# PostgreSQL: psycopg forgets every prepared statement at a ROLLBACK (it sends DEALLOCATE ALL and restarts its
# counts), so each page that only read and was not committed (a form, the sign-in pages) cost that worker's
# connection all its prepared statements: the server parsed and planned every statement afresh, a third of its
# CPU under load. A transaction that ran only SELECTs ends the same way whether committed or rolled back, so
# it is committed; anything else (a write, a DDL or SET statement, a failed statement) is rolled back.
_WROTE = "licensing.wrote"


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes(conn, cursor, statement, parameters, context, executemany) -> None:
    if not statement.startswith("SELECT"):  # the compiler writes every read as SELECT; WITH may hold a write
        conn.info[_WROTE] = True


@event.listens_for(Engine, "commit")
def _forget_writes(conn) -> None:
    conn.info.pop(_WROTE, None)


@event.listens_for(Engine, "rollback")
def _commit_reads(conn) -> None:
    """Just before SQLAlchemy rolls a transaction back: a read-only one on PostgreSQL is committed first, so
    the rollback that follows finds no transaction and psycopg keeps its prepared statements."""
    if conn.info.pop(_WROTE, False) or conn.dialect.name != "postgresql" or conn.closed or conn.invalidated:
        return
    dbapi_connection = conn.connection.dbapi_connection
    # INTRANS: idle inside a transaction that has not failed. A failed COMMIT is left to the rollback.
    if dbapi_connection is not None and dbapi_connection.info.transaction_status == TransactionStatus.INTRANS:
        with contextlib.suppress(psycopg.Error):
            dbapi_connection.commit()


# PostgreSQL: `column = ANY(array parameter)` keeps one statement text however many values, so psycopg
# prepares it; but the server planned such a prepared statement afresh at every run. It plans the first five
# runs with the values, then keeps its generic plan only if that looks no dearer, and a generic plan costs an
# unknown array as ten values where the runs held one to eight: the custom plan always won (the person and
# search pages' reads, planned at each of 900 runs a minute). Read through a one-row sub-select, the array is
# unknown to every plan, so each costs it alike and the generic plan is kept after the fifth run.
def planned_once_array_sql(placeholder: str, sql_type: str) -> str:
    """SQL text for an array parameter at `placeholder`, of `sql_type` elements, to use in `= ANY(...)`."""
    return f"CAST((SELECT CAST({placeholder} AS {sql_type}[])) AS {sql_type}[])"


def planned_once_array(parameter: BindParameter):
    """planned_once_array_sql as a Core expression for `column == any_(...)`; `parameter`: an ARRAY bind."""
    return cast(select(parameter).scalar_subquery(), parameter.type)


def str_enum(enum_cls) -> "SAEnum":
    """A portable enum column that stores the members' values as strings (no native PG enum types)."""
    return SAEnum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=40,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
        name=enum_cls.__name__.lower(),
    )
