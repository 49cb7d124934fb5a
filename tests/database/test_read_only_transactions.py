"""On PostgreSQL a transaction that only read is committed, not rolled back: psycopg forgets every prepared
statement at a ROLLBACK, so each page that only read (a form) cost the connection all its prepared statements
and the server parsed and planned everything afresh. Anything that wrote is still rolled back."""

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from licensing.auth.models import Role
from licensing.authorities.models import Authority, AuthorityKind
from licensing.db import db
from tests.conftest import postgresql_only

PREPARED_AFTER_RUNS = 5  # psycopg's prepare_threshold: a statement is prepared on the run after this many


@pytest.fixture
def app(one_connection_app):
    return one_connection_app


def _prepared_statements(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(text("SELECT statement FROM pg_prepared_statements")))


@postgresql_only
def test_a_page_that_only_reads_leaves_the_connection_its_prepared_statements(app, login):
    officer = login(Role.LICENSING_OFFICER, "WDC")
    # The add-a-person form reads (the signed-in user, the form's choices) and commits nothing.
    for _ in range(PREPARED_AFTER_RUNS + 1):
        assert officer.get("/records/new").status_code == 200
    prepared = _prepared_statements(app)
    # The signed-in user's load ran on every request: it is prepared, and still is after each page's end.
    assert any(statement.startswith("SELECT users.id") for statement in prepared), prepared


@postgresql_only
def test_a_transaction_that_wrote_is_still_rolled_back(app):
    with app.app_context():
        db.session.add(Authority(code="RBK", name="Rolled Back Council", kind=AuthorityKind.LICENSING))
        db.session.flush()
        db.session.rollback()
        # A write through a data-modifying WITH (a statement that does not start with SELECT) likewise.
        db.session.execute(text(
            "WITH made AS (INSERT INTO authorities (code, name, kind, is_active) "
            "VALUES ('RBW', 'Rolled Back With', 'licensing_authority', true) RETURNING id) "
            "SELECT id FROM made"))
        db.session.rollback()
        assert db.session.scalar(select(func.count()).where(Authority.code.in_(["RBK", "RBW"]))) == 0


@postgresql_only
def test_a_failed_read_is_rolled_back_and_the_connection_works_after(app):
    with app.app_context():
        with pytest.raises(DBAPIError):
            db.session.execute(text("SELECT 1 / 0"))
        db.session.rollback()
        assert db.session.scalar(text("SELECT 2")) == 2
