import shutil

import pytest
from sqlalchemy import create_engine, text

from config import TestingConfig
from licensing import create_app
from tests.conftest import RegisterClient, _database_numbers, postgres_url


@pytest.fixture
def second_app(database_url, request, tmp_path):
    """Another fresh, migrated database of the same kind as `app`'s, to run the same records a second way."""
    if database_url.startswith("sqlite"):
        path = tmp_path / "second.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url, cleanup = f"sqlite:///{path}", None
    else:
        server, template = (
            request.getfixturevalue("postgres_server"),
            request.getfixturevalue("postgres_template"),
        )
        name = f"second_{next(_database_numbers)}"
        admin = create_engine(postgres_url(server, "postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {template}"))
        url, cleanup = postgres_url(server, name), (admin, name)
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    app.test_client_class = RegisterClient
    yield app
    with app.app_context():
        from licensing.db import db

        db.session.remove()
        db.engine.dispose()
    if cleanup:
        admin, name = cleanup
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
