from sqlalchemy import func, select

from licensing.auth.models import Role, User
from licensing.db import db
from tests.factories import PASSWORD, arranged, make_user


def test_sign_in_without_csrf_token_is_rejected(app, client, county):
    with arranged(app):
        email = make_user(Role.LICENSING_OFFICER).email
    response = client.post("/sign-in", data={"email": email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/home").status_code == 302


def test_admin_form_without_csrf_token_changes_nothing(app, login):
    admin = login(Role.ADMINISTRATOR)
    with app.app_context():
        before = db.session.scalar(select(func.count(User.id)))
        authority_id = db.session.scalar(select(User.authority_id).where(User.email == admin.user_email))
    response = admin.post("/admin/users/new", data={
        "email": "new@example.org", "name": "New", "authority_id": authority_id, "role": "auditor",
        "password": "a long enough password"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == before


def test_forged_csrf_token_is_rejected(app, login):
    officer = login(Role.LICENSING_OFFICER)
    response = officer.post(
        "/search", data={"csrf_token": "forged", "surname": "Khan", "reason": "Case 123 check"}
    )
    assert response.status_code == 400
