import pytest

from config import TestingConfig
from licensing import create_app
from licensing.db import db
from tests.conftest import RegisterClient


@pytest.fixture
def one_connection_app(database_url):
    """An app with one pooled connection, so its requests and the test's own queries share one server session
    (a server's prepared statements and transaction state are that session's)."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url,
                     SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0, "pool_timeout": 10})
    app.test_client_class = RegisterClient
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
