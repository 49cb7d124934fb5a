"""Finding 5: police access needs a second person; set-up links; users change their own password."""

import re

from sqlalchemy import select

from licensing.audit.models import AuditEvent
from licensing.auth.models import Role, User
from licensing.authorities.models import Authority
from licensing.db import db
from tests.conftest import sign_in_fully
from tests.factories import PASSWORD, arranged, make_user


def _authority_id(app, code):
    with app.app_context():
        return db.session.scalar(select(Authority.id).where(Authority.code == code))


def _set_up(app, response, chosen="marble kettle orchid lantern"):
    path = re.search(
        r'<code id="setup-link">http://localhost(/set-up/[^<]+)</code>', response.get_data(as_text=True)
    )
    client = app.test_client()
    client.fetch_csrf(path.group(1))
    assert (
        client.submit(path.group(1), {"new_password": chosen, "confirm_password": chosen}).status_code == 302
    )
    return chosen


def _can_sign_in(app, email, password):
    response = sign_in_fully(app.test_client(), email, password)
    return response.status_code == 302 and response.headers["Location"].endswith("/home")


def test_an_administrator_cannot_give_police_access_alone(app, login):
    admin = login(Role.ADMINISTRATOR)
    created = admin.submit(
        "/admin/users/new",
        {
            "email": "new.spoc@example.org",
            "name": "New Spoc",
            "authority_id": _authority_id(app, "TVP"),
            "role": "police_spoc",
        },
    )
    assert created.status_code == 200 and "cannot be used until" in created.get_data(as_text=True)
    password = _set_up(app, created)
    assert not _can_sign_in(app, "new.spoc@example.org", password)
    with app.app_context():
        new_id = db.session.scalar(select(User.id).where(User.email == "new.spoc@example.org"))
    # The same administrator cannot approve their own request.
    assert admin.submit(f"/admin/users/{new_id}/approve", {}).status_code == 403
    assert not _can_sign_in(app, "new.spoc@example.org", password)
    # The police point of contact hears of it on their home page and approves.
    police = login(Role.POLICE_SPOC)
    assert "1 police account waits for your approval" in police.get("/home").get_data(as_text=True)
    assert "new.spoc@example.org" in police.get("/admin/approvals").get_data(as_text=True)
    assert police.submit(f"/admin/users/{new_id}/approve", {}).status_code == 302
    assert _can_sign_in(app, "new.spoc@example.org", password)
    with app.app_context():
        actions = set(
            db.session.scalars(select(AuditEvent.action).where(AuditEvent.subject_id == str(new_id)))
        )
        assert {
            "user.police_access_requested",
            "user.police_access_approved",
            "user.setup_completed",
        } <= actions


def test_promoting_to_police_needs_a_second_administrator(app, login):
    with arranged(app):
        officer = make_user(Role.LICENSING_OFFICER, authority="WDC")
        officer_id, email = officer.id, officer.email
    first = login(Role.ADMINISTRATOR)
    form = {
        "name": "Promoted",
        "authority_id": _authority_id(app, "TVP"),
        "role": "police_spoc",
        "is_enabled": "y",
    }
    assert first.submit(f"/admin/users/{officer_id}", form).status_code == 302
    assert not _can_sign_in(app, email, PASSWORD)
    second = login(Role.ADMINISTRATOR)
    assert second.submit(f"/admin/users/{officer_id}/approve", {}).status_code == 302
    assert _can_sign_in(app, email, PASSWORD)


def test_users_change_their_own_password_and_other_sessions_end(app, login):
    client = login(Role.LICENSING_OFFICER)
    other_session = login(user_email=client.user_email)
    client.fetch_csrf("/account/password")
    wrong = client.submit(
        "/account/password",
        {"current_password": "not it at all", "new_password": "x" * 5, "confirm_password": "x" * 5},
    )
    assert wrong.status_code == 400
    new = "quartz meadow violin harbour"
    assert (
        client.submit(
            "/account/password", {"current_password": PASSWORD, "new_password": new, "confirm_password": new}
        ).status_code
        == 302
    )
    assert client.get("/home").status_code == 200
    assert other_session.get("/home").status_code == 302  # signed out
    assert _can_sign_in(app, client.user_email, new) and not _can_sign_in(app, client.user_email, PASSWORD)


def test_a_password_chosen_by_someone_else_is_changed_at_first_sign_in(app, county, runner):
    result = runner.invoke(
        args=[
            "users",
            "create-admin",
            "--email",
            "first@example.org",
            "--name",
            "First Admin",
            "--authority",
            "BCC-CT",
        ],
        input="violet anchor pepper summit\n" * 2,
    )
    assert result.exit_code == 0, result.output
    client = app.test_client()
    assert sign_in_fully(client, "first@example.org", "violet anchor pepper summit").status_code == 302
    assert client.get("/admin/users").headers["Location"].endswith("/account/password")
    client.fetch_csrf("/account/password")
    new = "copper lagoon thistle engine"
    client.submit(
        "/account/password",
        {"current_password": "violet anchor pepper summit", "new_password": new, "confirm_password": new},
    )
    assert client.get("/admin/users").status_code == 200
