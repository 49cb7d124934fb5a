import re

from sqlalchemy import select

from licensing.audit.models import AuditEvent
from licensing.auth.models import Role, User
from licensing.db import db
from tests.conftest import sign_in_fully
from tests.factories import PASSWORD, arranged, make_user


def _sign_in(client, email, password):
    return sign_in_fully(client, email, password)


def test_demo_style_user_can_sign_in_and_reach_home(app, client, county):
    with arranged(app):
        user = make_user(Role.LICENSING_OFFICER, name="Wendy Carter")
        email = user.email
    response = _sign_in(client, email, PASSWORD)
    assert response.status_code == 302 and response.headers["Location"].endswith("/home")
    home = client.get("/home").get_data(as_text=True)
    assert "Signed in as Wendy Carter" in home
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.signed_in",
                                                          AuditEvent.user_email == email))


def test_wrong_password_and_unknown_user_get_the_same_generic_message(app, client, county):
    with arranged(app):
        email = make_user(Role.POLICE_SPOC).email
    wrong = _sign_in(client, email, "not the password at all")
    unknown = _sign_in(client, "nobody@example.org", "not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    message = "Enter a correct email address and password"
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)
    assert client.get("/home").status_code == 302
    with app.app_context():
        failures = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "auth.sign_in_failed")
        ).all()
        assert {e.user_email for e in failures} == {email, "nobody@example.org"}


def test_account_locks_after_five_failures_even_for_the_right_password(app, client, county):
    with arranged(app):
        email = make_user(Role.LICENSING_OFFICER).email
    for _ in range(5):
        assert _sign_in(client, email, "wrong-password-guess").status_code == 401
    assert _sign_in(client, email, PASSWORD).status_code == 401
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        assert user.locked_until is not None
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.locked_out"))


def test_admin_can_unlock_a_locked_account(app, county, login):
    with arranged(app):
        email = make_user(Role.LICENSING_OFFICER).email
    client = app.test_client()
    for _ in range(5):
        _sign_in(client, email, "wrong-password-guess")
    admin = login(Role.ADMINISTRATOR)
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
    assert admin.submit(f"/admin/users/{user_id}/unlock").status_code == 302
    assert _sign_in(app.test_client(), email, PASSWORD).status_code == 302


def test_disabled_user_cannot_sign_in(app, client, county):
    with arranged(app):
        email = make_user(Role.AUDITOR, is_enabled=False).email
    assert _sign_in(client, email, PASSWORD).status_code == 401


def test_sign_out_kills_the_old_session_cookie(app, login):
    client = login(Role.LICENSING_OFFICER)
    cookie = client.get_cookie("session").value
    assert client.submit("/sign-out").status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    response = replay.get("/home")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_disabling_a_user_ends_their_live_session(app, login):
    officer = login(Role.LICENSING_OFFICER)
    assert officer.get("/home").status_code == 200
    admin = login(Role.ADMINISTRATOR)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == officer.user_email))
        form = {"name": user.name, "authority_id": user.authority_id, "role": user.role.value}
    assert admin.submit(f"/admin/users/{user.id}", form).status_code == 302  # checkbox absent: disabled
    assert officer.get("/home").status_code == 302


def test_session_cookie_flags_in_production_config():
    from config import Config

    assert Config.SESSION_COOKIE_SECURE and Config.SESSION_COOKIE_HTTPONLY
    assert Config.SESSION_COOKIE_SAMESITE == "Lax" and Config.SESSION_COOKIE_NAME.startswith("__Host-")


def test_session_cookie_is_httponly_and_samesite(app, client, county):
    with arranged(app):
        email = make_user(Role.AUDITOR).email
    assert _sign_in(client, email, PASSWORD).status_code == 302
    # The signed-in session's cookie as the browser keeps it (an unchanged session is not set on every page).
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_passwords_are_stored_as_argon2id(app, county):
    with arranged(app):
        assert make_user(Role.AUDITOR).password_hash.startswith("$argon2id$")


def test_production_config_refuses_to_start_without_secrets(monkeypatch):
    import pytest

    from config import ProductionConfig

    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        ProductionConfig()


def test_sign_in_page_has_security_headers(client):
    response = client.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp and "frame-ancestors 'none'" in csp
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert f'nonce="{nonce}"' in response.get_data(as_text=True)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
