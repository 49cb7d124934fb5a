"""Production's engine options recover a pooled PostgreSQL connection that the server dropped (a restart, an
idle timeout, an administrator's pg_terminate_backend) before a request uses it: the pool pings it at checkout
and connects afresh, so the officer's next page answers rather than failing."""

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from config import Config, TestingConfig
from licensing import create_app
from licensing.auth.models import Role
from licensing.db import db
from tests.conftest import RegisterClient, postgresql_only


@pytest.fixture
def app(database_url):
    """Production's engine options, with one pooled connection so the test knows which one to drop."""
    options = {**Config.SQLALCHEMY_ENGINE_OPTIONS, "pool_size": 1, "max_overflow": 0, "pool_timeout": 10}
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url, SQLALCHEMY_ENGINE_OPTIONS=options)
    app.test_client_class = RegisterClient
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@postgresql_only
def test_a_page_answers_after_the_server_dropped_the_pooled_connection(app, login, database_url):
    officer = login(Role.LICENSING_OFFICER, "WDC")
    assert officer.get("/search").status_code == 200
    with app.app_context():
        pooled = db.session.scalar(text("SELECT pg_backend_pid()"))
        db.session.commit()
    admin = create_engine(database_url, poolclass=NullPool)
    with admin.connect() as conn:
        assert conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pooled})
    admin.dispose()
    page = officer.get("/search")
    assert page.status_code == 200 and 'name="surname"' in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(text("SELECT pg_backend_pid()")) != pooled
