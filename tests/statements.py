"""Recording the SQL statements a block of code runs, for tests that count or inspect them."""

import contextlib

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
