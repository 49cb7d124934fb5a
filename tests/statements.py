"""Recording the SQL statements a block of code runs, for tests that count or inspect them."""

import contextlib
import re

from sqlalchemy import event

from licensing.db import db


@contextlib.contextmanager
def recorded_statements(app):
    """Every SQL statement run inside the block, whitespace collapsed (an executemany counts once)."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(" ".join(statement.split()))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def tables_read(statement: str, tables) -> set[str]:
    """The tables among `tables` whose rows a SELECT reads (it selects their id): a statement of its own each,
    or one UNION ALL branch each."""
    if not statement.lstrip().upper().startswith("SELECT"):
        return set()
    return {table for table in tables if re.search(rf'\b{table}\.(id|"id")[,\s]', statement)}
