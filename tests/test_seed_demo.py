"""The demo county loads through the CLI and reproduces identically from the same seed."""

import hashlib
import shutil

from sqlalchemy import func, select

from licensing.auth.models import User
from licensing.authorities.models import Authority
from licensing.complaints.models import Complaint
from licensing.db import db
from licensing.intelligence.models import IntelligenceItem
from licensing.licences.models import Badge, Licence
from licensing.people.models import PersonRecord
from licensing.sanctions.models import Sanction
from seed.demo import DEMO_PASSWORD, DEMO_USERS


def _digest() -> str:
    rows = db.session.execute(
        select(
            PersonRecord.authority_reference,
            PersonRecord.forenames,
            PersonRecord.surname,
            PersonRecord.date_of_birth,
            PersonRecord.national_insurance,
            PersonRecord.driving_licence_number,
        ).order_by(PersonRecord.id)
    ).all()
    licences = db.session.execute(select(Licence.number, Licence.status).order_by(Licence.id)).all()
    sanctions = db.session.execute(select(Sanction.sanction_type, Sanction.grounds, Sanction.decided_on)
                                   .order_by(Sanction.id)).all()
    return hashlib.sha256(repr((rows, licences, sanctions)).encode()).hexdigest()


def test_seed_demo_loads_the_county_and_demo_users_can_sign_in(app, runner):
    result = runner.invoke(args=["seed", "demo", "--records", "300"])
    assert result.exit_code == 0, result.output
    assert "Demo sign-ins" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Authority.id))) == 6
        assert db.session.scalar(select(func.count(PersonRecord.id))) >= 300
        for model in (Licence, Badge, Sanction, Complaint, IntelligenceItem):
            assert db.session.scalar(select(func.count(model.id))) > 0, model
        assert db.session.scalar(select(func.count(User.id))) == len(DEMO_USERS)
    client = app.test_client()
    client.fetch_csrf("/sign-in")
    response = client.submit("/sign-in", {"email": DEMO_USERS[0][0], "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_seed_demo_if_empty_keeps_existing_data(app, runner):
    runner.invoke(args=["seed", "demo", "--records", "60"])
    result = runner.invoke(args=["seed", "demo", "--records", "60", "--if-empty"])
    assert "already holds data" in result.output and "Demo sign-ins" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Authority.id))) == 6


def test_same_seed_reproduces_the_same_register(app, runner, tmp_path, sqlite_template):
    from config import TestingConfig
    from licensing import create_app

    runner.invoke(args=["seed", "demo", "--records", "120", "--seed", "7"])
    with app.app_context():
        first = _digest()
    # Fresh registers built by the same migrations (the suite's migrated template, copied).
    shutil.copy(sqlite_template, tmp_path / "again.db")
    other = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'again.db'}")
    other.test_cli_runner().invoke(args=["seed", "demo", "--records", "120", "--seed", "7"])
    with other.app_context():
        assert _digest() == first
        db.engine.dispose()
    shutil.copy(sqlite_template, tmp_path / "different.db")
    different = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'different.db'}")
    different.test_cli_runner().invoke(args=["seed", "demo", "--records", "120", "--seed", "8"])
    with different.app_context():
        assert _digest() != first
        db.engine.dispose()
