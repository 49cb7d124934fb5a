"""On PostgreSQL a cursor describes its result's columns only when something reads them. SQLAlchemy asks for
every statement's description but, for a statement it has run before, only to see that there is one; psycopg
built a Column object per column per statement (the signed-in user's load alone: 33, on every request)."""

import psycopg
import pytest
from sqlalchemy import text

from licensing.auth.models import Role
from licensing.db import db
from tests.conftest import postgresql_only


@pytest.fixture
def columns_built(monkeypatch):
    built = []
    original = psycopg.Column.__init__

    def counted(self, cursor, index):
        built.append(index)
        original(self, cursor, index)

    monkeypatch.setattr(psycopg.Column, "__init__", counted)
    return built


@postgresql_only
def test_a_page_whose_statements_have_run_before_builds_no_column_descriptions(app, login, columns_built):
    officer = login(Role.LICENSING_OFFICER, "WDC")
    assert officer.get("/search").status_code == 200  # the signed-in user's load has run (and been mapped)
    columns_built.clear()
    page = officer.get("/search")
    assert page.status_code == 200 and "Signed in as" in page.get_data(as_text=True)
    assert columns_built == []


@postgresql_only
def test_a_description_read_later_is_its_own_result_s_even_after_the_cursor_ran_again(app):
    with app.app_context():
        cursor = db.session.connection().connection.dbapi_connection.cursor()
        cursor.execute("SELECT 1 AS number, 'a'::text AS word, now() AS at")
        first = cursor.description
        expected = [(c.name, c.type_code) for c in psycopg.Cursor.description.fget(cursor)]
        cursor.execute("SELECT 2 AS other")
        assert len(first) == 3
        assert [(c.name, c.type_code) for c in first] == expected
        assert [c.name for c in cursor.description] == ["other"]
        assert first[0].name == "number" and first[-1].name == "at"
        cursor.execute("SET LOCAL statement_timeout = 0")  # no rows: no description, as psycopg says
        assert cursor.description is None
        db.session.rollback()


@postgresql_only
def test_sqlalchemy_maps_a_new_statement_s_columns_from_the_description(app):
    with app.app_context():
        row = db.session.execute(text("SELECT 7 AS seven, 'x' AS ex")).one()
        assert row._mapping["seven"] == 7 and row.ex == "x"
