"""Rate limits on sign-in and badge checks, per address and per account, counted in a shared redis-server."""

import redis
from sqlalchemy import select

from config import TestingConfig
from licensing import create_app
from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.db import db
from tests.conftest import RegisterClient, sign_in_fully
from tests.factories import PASSWORD, arranged, make_badge_for_limits, make_user


def _limited_app(database_url, redis_url, **limits):
    app = create_app(
        TestingConfig, SQLALCHEMY_DATABASE_URI=database_url, RATELIMIT_STORAGE_URI=redis_url, **limits
    )
    app.test_client_class = RegisterClient
    return app


def _sign_in(client, email, password, address="192.0.2.1"):
    client.fetch_csrf("/sign-in")
    return client.submit(
        "/sign-in", {"email": email, "password": password}, environ_base={"REMOTE_ADDR": address}
    )


def test_sign_in_is_limited_per_address(app, database_url, redis_url):
    limited = _limited_app(database_url, redis_url, SIGN_IN_RATE_LIMIT="3 per minute")
    client = limited.test_client()
    statuses = [
        _sign_in(client, f"nobody{i}@example.org", "wrong guess", "192.0.2.7").status_code for i in range(4)
    ]
    assert statuses == [401, 401, 401, 429]
    # Another address is not held back, and the counters live in redis, where every worker sees them.
    assert _sign_in(client, "other@example.org", "wrong guess", "192.0.2.8").status_code == 401
    assert any(b"192.0.2.7" in key for key in redis.Redis.from_url(redis_url).keys("*"))
    with limited.app_context():
        tried = db.session.scalars(
            select(AuditEvent.user_email).where(AuditEvent.action == "auth.sign_in_failed")
        )
        assert "nobody3@example.org" not in set(tried)  # the refused attempt never reached the password check


def test_sign_in_is_limited_per_account_across_addresses(app, county, database_url, redis_url):
    with arranged(app):
        email = make_user(Role.LICENSING_OFFICER).email
    limited = _limited_app(database_url, redis_url, SIGN_IN_RATE_LIMIT="2 per minute", LOGIN_MAX_FAILURES=100)
    client = limited.test_client()
    assert _sign_in(client, email, "wrong guess", "198.51.100.1").status_code == 401
    assert _sign_in(client, email, "wrong guess", "198.51.100.2").status_code == 401
    assert _sign_in(client, email, PASSWORD, "198.51.100.3").status_code == 429


def test_badge_checks_are_limited_per_account(app, county, database_url, redis_url):
    with arranged(app):
        email = make_user(Role.TRANSPORT_OFFICER).email
        number = make_badge_for_limits()
    limited = _limited_app(database_url, redis_url, BADGE_CHECK_RATE_LIMIT="2 per minute")
    client = limited.test_client()
    assert sign_in_fully(client, email, PASSWORD).headers["Location"].endswith("/home")
    client.fetch_csrf("/badges/check")
    form = {"number": number, "reason": "School route 14 this morning"}
    statuses = [
        client.submit("/badges/check", form, environ_base={"REMOTE_ADDR": f"192.0.2.{i}"}).status_code
        for i in range(3)
    ]
    assert statuses == [200, 200, 429]
    assert "Too many requests" in client.submit("/badges/check", form).get_data(as_text=True)


def test_badge_check_needs_a_reason_and_records_it(app, login):
    with arranged(app):
        number = make_badge_for_limits()
    officer = login(Role.LICENSING_OFFICER)
    refused = officer.submit("/badges/check", {"number": number})
    assert refused.status_code == 400 and "Enter the reason" in refused.get_data(as_text=True)
    assert "Holder" not in refused.get_data(as_text=True)
    page = officer.submit("/badges/check", {"number": number, "reason": "Passenger complaint 2026/4"})
    assert page.status_code == 200 and "Holder" in page.get_data(as_text=True)
    with app.app_context():
        [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "badge.checked")).all()
        assert event.reason == "Passenger complaint 2026/4"
