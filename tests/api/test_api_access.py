"""Tokens, roles and the error shape: every /api/v1 route x every role, with bearer tokens."""

import datetime as dt
import re

import pytest
from sqlalchemy import select

from licensing.api.models import ApiToken
from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.db import db
from tests.api.route_roles import ROUTE_ROLES
from tests.factories import arranged, make_user


def _api_urls(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            url = re.sub(r"<int:\w+>", "1", rule.rule)
            url = re.sub(r"<string:\w+>", "X1", url)
            method = next(m for m in ("GET", "PUT", "POST") if m in rule.methods)
            yield rule.endpoint, method, url


def _call(client, method, url, headers):
    return client.open(url, method=method, json={}, headers=headers)


def test_every_api_route_needs_a_token_and_says_so_in_json(app, client, county):
    for endpoint, method, url in _api_urls(app):
        for headers in ({}, {"Authorization": "Bearer lir_not-a-real-token"}, {"Authorization": "Basic abc"}):
            response = _call(client, method, url, headers)
            assert response.status_code == 401, (endpoint, headers)
            error = response.get_json()["error"]
            assert error["status"] == 401 and error["code"] == "unauthorised" and error["fields"] == {}
            assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("role", list(Role))
def test_api_role_matrix(app, api, role):
    caller = api(role)
    for endpoint, method, url in _api_urls(app):
        response = _call(caller.client, method, url, caller._headers())
        assert response.headers["Content-Type"] == "application/json", (endpoint, response.status_code)
        if role in ROUTE_ROLES[endpoint]:
            assert response.status_code not in (401, 403), (role, endpoint, response.get_json())
        else:
            assert response.status_code == 403, (role, endpoint, response.status_code)
            assert response.get_json()["error"]["code"] == "forbidden"
    with app.app_context():
        denied = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "access.denied")).all()
        assert len(denied) == sum(
            1 for e, roles in ROUTE_ROLES.items() if e.startswith("api.") and role not in roles
        )


def test_cli_prints_the_token_alone_on_its_last_line_and_stores_only_a_hash(app, runner, county):
    with arranged(app):
        email = make_user(Role.LICENSING_OFFICER).email
    result = runner.invoke(args=["api-tokens", "create", "--email", email, "--label", "Uniform"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("lir_") and " " not in token
    response = app.test_client().get("/api/v1/alerts", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    with app.app_context():
        stored = db.session.scalar(select(ApiToken))
        assert stored.token_hash != token and token not in (stored.token_hash, stored.prefix)
        assert stored.last_used_at is not None
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "api_token.created"))
    assert (
        runner.invoke(args=["api-tokens", "create", "--email", "nobody@x.org", "--label", "x"]).exit_code == 2
    )


def test_revoked_expired_and_disabled_tokens_stop_working(app, api):
    caller = api(Role.LICENSING_OFFICER)
    assert caller.get("/api/v1/alerts").status_code == 200
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        token.expires_at = dt.datetime(2020, 1, 1)
        db.session.commit()
    assert caller.get("/api/v1/alerts").status_code == 401
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        token.expires_at, token.revoked_at = dt.datetime(2099, 1, 1), dt.datetime(2026, 1, 1)
        db.session.commit()
    assert caller.get("/api/v1/alerts").status_code == 401
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        token.revoked_at = None
        token.user.is_enabled = False
        db.session.commit()
    assert caller.get("/api/v1/alerts").status_code == 401


def test_admin_page_shows_a_new_token_once_and_revokes_it(app, login, county):
    with arranged(app):
        officer = make_user(Role.LICENSING_OFFICER)
        officer_id = officer.id
    admin = login(Role.ADMINISTRATOR)
    admin.fetch_csrf("/admin/api-tokens/")
    page = admin.submit("/admin/api-tokens/", {"user_id": str(officer_id), "label": "Civica", "days": "30"})
    assert page.headers["Cache-Control"] == "no-store"
    token = re.search(r"<code>(lir_[^<]+)</code>", page.get_data(as_text=True)).group(1)
    listing = admin.get("/admin/api-tokens/").get_data(as_text=True)
    assert token not in listing and "Civica" in listing
    headers = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get("/api/v1/alerts", headers=headers).status_code == 200
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    admin.submit(f"/admin/api-tokens/{token_id}/revoke", {})
    assert app.test_client().get("/api/v1/alerts", headers=headers).status_code == 401
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "api_token.revoked"))
