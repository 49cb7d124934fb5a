import re

from sqlalchemy import func, select

from licensing.audit.models import AuditEvent
from licensing.auth.models import Role, User
from licensing.authorities.models import Authority
from licensing.db import db


def _authority_id(app, code):
    with app.app_context():
        return db.session.scalar(select(Authority.id).where(Authority.code == code))


def _user_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


def test_admin_creates_a_user_who_sets_their_own_password_through_a_one_time_link(app, login):
    admin = login(Role.ADMINISTRATOR)
    response = admin.submit(
        "/admin/users/new",
        {
            "email": "New.Officer@Example.org",
            "name": "New Officer",
            "authority_id": _authority_id(app, "SBDC"),
            "role": "licensing_officer",
            "password": "admin chosen passphrase",
        },
    )
    assert response.status_code == 200
    link = re.search(
        r'<code id="setup-link">http://localhost(/set-up/[^<]+)</code>', response.get_data(as_text=True)
    )
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "new.officer@example.org"))
        assert user.role is Role.LICENSING_OFFICER and user.authority.code == "SBDC"
        assert (
            user.password_hash == "" and user.setup_token_hash and user.setup_token_hash not in link.group(1)
        )
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.created"))
    client = app.test_client()
    client.fetch_csrf()
    assert (
        client.submit(
            "/sign-in", {"email": "new.officer@example.org", "password": "admin chosen passphrase"}
        ).status_code
        == 401
    )
    client.fetch_csrf(link.group(1))
    weak = client.submit(link.group(1), {"new_password": "password1234", "confirm_password": "password1234"})
    assert weak.status_code == 400 and "breached" in weak.get_data(as_text=True)
    assert (
        client.submit(
            link.group(1),
            {
                "new_password": "marble kettle orchid lantern",
                "confirm_password": "marble kettle orchid lantern",
            },
        ).status_code
        == 302
    )
    assert client.get(link.group(1)).status_code == 404  # one use only
    client.fetch_csrf()
    assert (
        client.submit(
            "/sign-in", {"email": "new.officer@example.org", "password": "marble kettle orchid lantern"}
        ).status_code
        == 302
    )


def test_role_must_fit_the_authority(app, login):
    admin = login(Role.ADMINISTRATOR)
    before = _user_count(app)
    response = admin.submit(
        "/admin/users/new",
        {
            "email": "p@example.org",
            "name": "Not Police",
            "authority_id": _authority_id(app, "WDC"),
            "role": "police_spoc",
        },
    )
    assert response.status_code == 400
    assert "must belong to a police force" in response.get_data(as_text=True)
    assert _user_count(app) == before


def test_bad_user_input_gets_clear_messages_and_changes_nothing(app, login):
    admin = login(Role.ADMINISTRATOR)
    before = _user_count(app)
    cases = [
        ({"email": "not-an-email"}, "Enter an email address like name@example.com"),
        ({"role": "superuser"}, "Not a valid choice"),
        ({"name": "Bad\x00Name"}, "must not contain control characters"),
        ({"authority_id": "99999"}, "Not a valid choice"),
    ]
    for change, message in cases:
        form = {
            "email": "x@example.org",
            "name": "X",
            "authority_id": _authority_id(app, "WDC"),
            "role": "licensing_officer",
            **change,
        }
        response = admin.submit("/admin/users/new", form)
        assert response.status_code == 400, change
        if message:
            assert message in response.get_data(as_text=True), change
    assert _user_count(app) == before


def test_duplicate_email_is_refused(app, login):
    admin = login(Role.ADMINISTRATOR)
    form = {
        "email": admin.user_email.upper(),
        "name": "Dup",
        "authority_id": _authority_id(app, "WDC"),
        "role": "auditor",
    }
    response = admin.submit("/admin/users/new", form)
    assert response.status_code == 400 and "already exists" in response.get_data(as_text=True)


def test_mass_assignment_fields_are_ignored(app, login):
    admin = login(Role.ADMINISTRATOR)
    admin.submit(
        "/admin/users/new",
        {
            "email": "m@example.org",
            "name": "M",
            "authority_id": _authority_id(app, "WDC"),
            "role": "licensing_officer",
            "password": "a perfectly long passphrase",
            "is_enabled": "0",
            "failed_login_count": "99",
            "session_version": "7",
            "id": "1",
        },
    )
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "m@example.org"))
        assert user.is_enabled and user.failed_login_count == 0 and user.session_version == 1 and user.id != 1


def test_admin_cannot_disable_themselves(app, login):
    admin = login(Role.ADMINISTRATOR)
    with app.app_context():
        me = db.session.scalar(select(User).where(User.email == admin.user_email))
        form = {"name": me.name, "authority_id": me.authority_id, "role": "administrator"}
    response = admin.submit(f"/admin/users/{me.id}", form)
    assert response.status_code == 400 and "cannot disable your own account" in response.get_data(
        as_text=True
    )


def test_authorities_are_data_an_admin_can_add(app, login):
    admin = login(Role.ADMINISTRATOR)
    response = admin.submit(
        "/admin/authorities/new",
        {"code": "MKC", "name": "Milton Keynes City Council", "kind": "licensing_authority"},
    )
    assert response.status_code == 302
    assert "Milton Keynes City Council" in admin.get("/admin/authorities").get_data(as_text=True)
    again = admin.submit("/admin/authorities/new", {"code": "MKC", "name": "Other", "kind": "police"})
    assert again.status_code == 400 and "already exists" in again.get_data(as_text=True)
    bad = admin.submit(
        "/admin/authorities/new", {"code": "mk c!", "name": "X", "kind": "licensing_authority"}
    )
    assert bad.status_code == 400 and "capital letters" in bad.get_data(as_text=True)
