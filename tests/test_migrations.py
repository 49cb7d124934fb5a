"""The migrations build the schema from empty on both databases, and match the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from config import TestingConfig
from licensing import create_app
from licensing.db import db


def _empty_database(request, tmp_path) -> str:
    if request.node.callspec.params["backend"] == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    from tests.conftest import postgres_url

    server = request.getfixturevalue("postgres_server")
    admin = create_engine(postgres_url(server, "postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS migration_check WITH (FORCE)"))
        conn.execute(text("CREATE DATABASE migration_check"))
    admin.dispose()
    return postgres_url(server, "migration_check")


import pytest  # noqa: E402


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_upgrade_from_empty_then_down_and_up_again(request, tmp_path, backend):
    url = _empty_database(request, tmp_path)
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"authorities", "person_records", "record_links", "blocking_keys", "audit_events", "users",
                "licences", "badges", "sanctions", "complaints", "intelligence_items"} <= tables
        with db.engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert differences == [], "models and migrations differ: run flask db migrate"
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert "audit_events" in inspect(db.engine).get_table_names()
        db.engine.dispose()
