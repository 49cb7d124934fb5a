"""TOTP two-factor sign-in for every account: enrolment, single-use codes, rate limits, recovery codes, reset."""  # noqa: E501

import re
import time

import pyotp
import pytest
from sqlalchemy import select

from config import TestingConfig
from licensing import create_app
from licensing.audit.models import AuditEvent
from licensing.auth.models import Role, User
from licensing.db import db
from tests.conftest import RegisterClient, sign_in_fully
from tests.factories import PASSWORD, arranged, make_user


def _password_step(client, email, password=PASSWORD):
    client.fetch_csrf("/sign-in")
    return client.submit("/sign-in", {"email": email, "password": password})


def _secret(app, email):
    with app.app_context():
        return db.session.scalar(select(User.totp_secret).where(User.email == email))


def _wrong_codes(secret, count=1):
    """Six-digit codes that none of the steps near now (the app accepts one either side) generates: a fixed
    "000000" is the right code once in a million steps, and then the test would fail by chance."""
    totp = pyotp.TOTP(secret)
    step = int(time.time()) // totp.interval
    near = {totp.generate_otp(s) for s in range(step - 3, step + 4)}
    return [code for code in (f"{n:06d}" for n in range(count + len(near))) if code not in near][:count]


@pytest.mark.parametrize("role", list(Role))
def test_every_role_needs_the_second_factor(app, county, role):
    with arranged(app):
        email = make_user(role).email
    client = app.test_client()
    response = _password_step(client, email)
    assert response.headers["Location"].endswith("/sign-in/two-factor")
    assert client.get("/home").status_code == 302  # not signed in on the password alone
    client.fetch_csrf("/sign-in/two-factor")
    wrong = _wrong_codes(_secret(app, email))[0]
    assert client.submit("/sign-in/two-factor", {"code": wrong}).status_code == 400
    code = pyotp.TOTP(_secret(app, email)).now()
    assert client.submit("/sign-in/two-factor", {"code": code}).headers["Location"].endswith("/home")
    assert client.get("/home").status_code == 200


def test_a_code_works_once(app, county):
    with arranged(app):
        email = make_user(Role.LICENSING_OFFICER).email
    code = pyotp.TOTP(_secret(app, email)).now()
    first, second = app.test_client(), app.test_client()
    for client in (first, second):
        _password_step(client, email)
        client.fetch_csrf("/sign-in/two-factor")
    assert first.submit("/sign-in/two-factor", {"code": code}).status_code == 302
    replay = second.submit("/sign-in/two-factor", {"code": code})
    assert replay.status_code == 400 and "used already" in replay.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.two_factor_failed"))


def test_wrong_codes_are_rate_limited(app, county, database_url, redis_url):
    limited = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=database_url,
        RATELIMIT_STORAGE_URI=redis_url,
        TWO_FACTOR_RATE_LIMIT="3 per 5 minutes",
    )
    limited.test_client_class = RegisterClient
    with arranged(app):
        email = make_user(Role.POLICE_SPOC).email
    client = limited.test_client()
    _password_step(client, email)
    client.fetch_csrf("/sign-in/two-factor")
    wrong = _wrong_codes(_secret(app, email), 4)
    statuses = [client.submit("/sign-in/two-factor", {"code": code}).status_code for code in wrong]
    assert statuses == [400, 400, 400, 429]
    right = pyotp.TOTP(_secret(app, email)).now()
    assert client.submit("/sign-in/two-factor", {"code": right}).status_code == 429


def test_first_sign_in_enrols_with_a_qr_code_and_recovery_codes_work_once(app, county):
    with arranged(app):
        email = make_user(Role.TRANSPORT_OFFICER, totp_secret="").email
    client = app.test_client()
    assert _password_step(client, email).headers["Location"].endswith("/sign-in/enrol")
    page = client.get("/sign-in/enrol").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page
    secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', page).group(1)
    client.fetch_csrf("/sign-in/enrol")
    assert client.submit("/sign-in/enrol", {"code": _wrong_codes(secret)[0]}).status_code == 400
    done = client.submit("/sign-in/enrol", {"code": pyotp.TOTP(secret).now()}).get_data(as_text=True)
    codes = re.findall(r"<li><code>([0-9a-f]{8}-[0-9a-f]{8})</code></li>", done)
    assert len(codes) == 10 and client.get("/home").status_code == 200
    assert _secret(app, email) == secret
    for attempt, expected in ((codes[0], "/home"), (codes[0], None)):
        other = app.test_client()
        _password_step(other, email)
        other.fetch_csrf("/sign-in/two-factor")
        response = other.submit("/sign-in/two-factor", {"code": attempt})
        if expected:
            assert response.headers["Location"].endswith(expected)
        else:
            assert response.status_code == 400
    with app.app_context():
        assert len(db.session.scalar(select(User).where(User.email == email)).recovery_code_hashes) == 9


def test_administrator_reset_is_audited_and_the_user_enrols_again(app, login):
    with arranged(app):
        user = make_user(Role.LICENSING_OFFICER)
        user_id, email = user.id, user.email
    officer = login(user_email=email)
    admin = login(Role.ADMINISTRATOR)
    assert "Reset two-factor sign-in" in admin.get(f"/admin/users/{user_id}").get_data(as_text=True)
    assert admin.submit(f"/admin/users/{user_id}/reset-two-factor", {}).status_code == 302
    assert officer.get("/home").status_code == 302  # their sessions ended
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.two_factor_reset"))
        assert event.subject_id == str(user_id) and event.user_email == admin.user_email
    assert _password_step(app.test_client(), email).headers["Location"].endswith("/sign-in/enrol")
    assert sign_in_fully(app.test_client(), email, PASSWORD).headers["Location"].endswith("/home")


def test_demo_seed_prints_each_accounts_totp_secret_in_development(app, runner):
    result = runner.invoke(args=["seed", "demo", "--records", "20"])
    assert result.exit_code == 0, result.output
    from seed.demo import DEMO_USERS

    with app.app_context():
        for email, *_ in DEMO_USERS:
            secret = db.session.scalar(select(User.totp_secret).where(User.email == email))
            assert re.search(rf"{re.escape(email)}.*TOTP secret {secret}", result.output)
    quiet = (
        create_app(
            TestingConfig,
            SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
            SHOW_DEMO_TOTP_SECRETS=False,
        )
        .test_cli_runner()
        .invoke(args=["seed", "demo", "--if-empty"])
    )
    assert "TOTP secret" not in quiet.output
