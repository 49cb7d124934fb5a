"""Issue 12 findings 2, 3, 8, 10, 11, 13 and 14, through HTTP on SQLite and PostgreSQL."""

import datetime as dt
import threading

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from config import DevelopmentConfig, ProductionConfig, TestingConfig
from licensing import create_app
from licensing.audit.models import AuditEvent
from licensing.auth.models import Role, User
from licensing.auth.services import check_password_policy
from licensing.db import db
from licensing.errors import RuleViolation
from licensing.people.models import AccessGrant
from tests.factories import PASSWORD, arranged, make_person, make_user


def _sign_in(client, email, password):
    client.fetch_csrf("/sign-in")
    return client.submit("/sign-in", {"email": email, "password": password})


def test_parallel_wrong_passwords_never_get_more_tries_than_the_limit(app, county):
    with arranged(app):
        email = make_user(Role.LICENSING_OFFICER).email
    clients = [app.test_client() for _ in range(20)]
    for client in clients:
        client.fetch_csrf("/sign-in")
    barrier = threading.Barrier(len(clients))
    statuses = []

    def guess(client):
        barrier.wait()
        statuses.append(
            client.submit("/sign-in", {"email": email, "password": "wrong-password-guess"}).status_code
        )

    threads = [threading.Thread(target=guess, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(statuses) == 20 and set(statuses) <= {401}
    with app.app_context():
        failures = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "auth.sign_in_failed")
        ).all()
        tried = [e for e in failures if e.details["why"] == "wrong password"]
        assert len(tried) == app.config["LOGIN_MAX_FAILURES"]
        assert db.session.scalar(select(User).where(User.email == email)).locked_until is not None
    assert _sign_in(app.test_client(), email, PASSWORD).status_code == 401


def test_unknown_and_known_email_cost_the_same(app, county, monkeypatch):
    """Both paths verify exactly one argon2 hash and compute none; the unknown one used to hash twice (a
    dummy hash made afresh each time). Counted, not timed: with the suite's cheap argon2 settings a hash is
    about a millisecond, lost in a busy machine's noise, and a timing threshold fails by chance."""
    with arranged(app):
        email = make_user(Role.LICENSING_OFFICER).email
    client = app.test_client()
    _sign_in(client, "warm-up@example.org", "not the password")  # the dummy hash is made once, here
    calls = []

    def counted(name):
        original = getattr(PasswordHasher, name)

        def wrapper(self, *args, **kwargs):
            calls.append(name)
            return original(self, *args, **kwargs)

        return wrapper

    for name in ("hash", "verify"):
        monkeypatch.setattr(PasswordHasher, name, counted(name))

    def hashing(address):
        calls.clear()
        assert _sign_in(client, address, "not the password").status_code == 401
        return sorted(calls)

    assert [hashing(email) for _ in range(3)] == [["verify"]] * 3
    assert [hashing(f"nobody{i}@example.org") for i in range(3)] == [["verify"]] * 3


@pytest.mark.parametrize(
    "password, ok",
    [
        ("short pass", False),
        ("x" * 65, False),
        ("password1234", False),
        ("qwertyuiop123", False),
        ("1q2w3e4r5t6y", False),
        ("register-demo-2026", True),
        (PASSWORD, True),
        ("é" * 3 + " vert glacier mardi", True),
    ],
)
def test_password_policy(app, password, ok):
    with app.app_context():
        if ok:
            check_password_policy(password)
        else:
            with pytest.raises(RuleViolation):
                check_password_policy(password)


def test_demo_password_is_refused_in_production(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:1/0")
    monkeypatch.setenv("AUDIT_HMAC_KEY", "y" * 40)
    app = create_app(ProductionConfig)
    with app.app_context(), pytest.raises(RuleViolation):
        check_password_policy("register-demo-2026")


def test_development_makes_a_random_secret_key_in_instance(monkeypatch, tmp_path):
    from licensing import config

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    first = create_app(DevelopmentConfig).config["SECRET_KEY"]
    again = create_app(DevelopmentConfig).config["SECRET_KEY"]
    assert first == again == (tmp_path / "secret_key").read_text().strip() and len(first) == 64
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
    assert first != TestingConfig.SECRET_KEY
    with pytest.raises(RuntimeError):
        create_app(TestingConfig, SECRET_KEY="")


def test_huge_and_odd_numbers_answer_4xx(app, login):
    officer = login(Role.LICENSING_OFFICER)
    admin = login(Role.ADMINISTRATOR)
    for client, url in [
        (officer, "/people/99999999999999999999999"),
        (officer, "/people/9223372036854775808"),
        (officer, "/records/99999999999999999999/edit"),
        (officer, "/review/99999999999999999999"),
    ]:
        assert client.get(url).status_code == 404, url
    for client, url in [
        (officer, "/review?page=99999999999999999999999"),
        (officer, "/review?page=-1"),
        (officer, "/review?page=abc"),
        (admin, "/admin/users?page=9223372036854775808"),
        (admin, "/audit/?page=99999999999999"),
    ]:
        assert client.get(url).status_code == 400, url
    assert officer.get("/review?page=2").status_code == 200


def test_audit_filter_with_the_last_possible_date(app, login):
    auditor = login(Role.AUDITOR)
    response = auditor.get(
        "/audit/?date_to=31&date_to=12&date_to=9999&date_from=1&date_from=1&date_from=2000"
    )
    assert response.status_code == 200
    assert "audit.read" in response.get_data(as_text=True) or response.status_code == 200


def test_duplicate_reference_race_is_a_409_not_a_500(app, login):
    """Two saves of one reference at once: the loser's INSERT meets the unique constraint."""
    from licensing.people import services

    officer = login(Role.LICENSING_OFFICER)
    with arranged(app):
        make_person("WDC", authority_reference="WDC/RACE/1")
    original = services.db.session.query

    class NothingYet:  # the race: the duplicate check ran before the other request committed
        def filter_by(self, **kwargs):
            return self

        def first(self):
            return None

    def blind_query(*entities):
        return NothingYet() if entities == (services.PersonRecord.id,) else original(*entities)

    form = {
        "authority_reference": "WDC/RACE/1",
        "forenames": "Ann",
        "surname": "Race",
        "date_of_birth": ["1", "2", "1980"],
        "sex": "F",
        "address_line": "1 High Street",
        "town": "High Wycombe",
        "postcode": "HP11 2BZ",
    }
    services.db.session.query = blind_query
    try:
        response = officer.submit("/records/new", form)
    finally:
        services.db.session.query = original
    assert response.status_code == 409
    assert "Internal" not in response.get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(
                    select(AuditEvent).where(AuditEvent.action == "person_record.created").subquery()
                )
            )
            == 1
        )


def test_each_person_view_logs_the_reason_its_request_carries(app, login):
    with arranged(app):
        identity_id = make_person("WDC").identity_id
    officer = login(Role.LICENSING_OFFICER)
    first = officer.submit(f"/people/{identity_id}/reason", {"reason": "Renewal WDC/1"}).headers["Location"]
    second = officer.submit(f"/people/{identity_id}/reason", {"reason": "Complaint WDC/2"}).headers[
        "Location"
    ]
    assert "grant=" in first and "grant=" in second
    officer.get(first)
    officer.get(second)
    # Without a carried reason, two live reasons are ambiguous: ask again rather than guess.
    assert "Why do you need to see this person?" in officer.get(f"/people/{identity_id}").get_data(
        as_text=True
    )
    with app.app_context():
        reasons = db.session.scalars(
            select(AuditEvent.reason).where(AuditEvent.action == "person.viewed").order_by(AuditEvent.id)
        ).all()
        assert reasons == ["Renewal WDC/1", "Complaint WDC/2"]


def test_a_grant_of_another_user_or_person_opens_nothing(app, login):
    with arranged(app):
        one = make_person("WDC").identity_id
        other = make_person(
            "CDC", forenames="Zara", date_of_birth=dt.date(1999, 1, 2), postcode="HP5 1AB"
        ).identity_id
        assert one != other
    officer, colleague = login(Role.LICENSING_OFFICER), login(Role.LICENSING_OFFICER)
    location = officer.submit(f"/people/{one}/reason", {"reason": "Renewal WDC/3"}).headers["Location"]
    grant = location.split("grant=")[1]
    for client, url in [
        (colleague, f"/people/{one}?grant={grant}"),
        (officer, f"/people/{other}?grant={grant}"),
    ]:
        assert "Why do you need to see this person?" in client.get(url).get_data(as_text=True)


def test_stated_reasons_are_bounded(app, login):
    with arranged(app):
        ids = [make_person("WDC").identity_id for _ in range(3)]
        user = make_user(Role.LICENSING_OFFICER)
        old = dt.datetime(2020, 1, 1)
        db.session.add_all(
            AccessGrant(user_id=user.id, identity_id=i, reason="Old", granted_at=old) for i in ids
        )
        db.session.commit()
        email = user.email
    officer = login(user_email=email)
    officer.submit(f"/people/{ids[0]}/reason", {"reason": "Fresh reason"})
    with app.app_context():
        assert db.session.scalars(select(AccessGrant.reason)).all() == ["Fresh reason"]


def test_security_headers_and_proxy_fix(database_url):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url, PROXY_FIX_X_FOR=1)
    response = app.test_client().get(
        "/sign-in", headers={"X-Forwarded-For": "203.0.113.9"}, environ_base={"REMOTE_ADDR": "10.0.0.1"}
    )
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    with app.test_request_context(
        "/", headers={"X-Forwarded-For": "203.0.113.9"}, environ_base={"REMOTE_ADDR": "10.0.0.1"}
    ):
        from flask import request

        app.wsgi_app({**request.environ, "PATH_INFO": "/favicon.ico"}, lambda *a: None)
    plain = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url)
    assert plain.wsgi_app.__class__.__name__ != "ProxyFix"
    assert app.wsgi_app.__class__.__name__ == "ProxyFix"
