"""Schemathesis fuzzes every operation in the OpenAPI document, in process, and finds no server error.

The schema is loaded when the module is collected, so the app and its throwaway SQLite database are built here
rather than in a fixture (schemathesis' fixture loader does not support this pytest)."""

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from config import TestingConfig
from licensing import create_app
from licensing.api.tokens import create_token
from licensing.auth.models import Role
from licensing.db import db
from tests.factories import arranged, make_county, make_person, make_user

_folder = tempfile.TemporaryDirectory(prefix="api-fuzz-")
app = create_app(
    TestingConfig,
    SQLALCHEMY_DATABASE_URI=f"sqlite:///{Path(_folder.name) / 'fuzz.db'}",
    API_RATE_LIMIT="100000 per minute",
)
with arranged(app):
    db.create_all()
    make_county()
    make_person("WDC", authority_reference="X1")
    TOKEN, _ = create_token(make_user(Role.LICENSING_OFFICER, authority="WDC"), "fuzz", actor=None)
    db.session.commit()
    db.session.remove()
AUTH = {"Authorization": f"Bearer {TOKEN}"}

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, headers=AUTH)


@schema.parametrize()
# derandomize: the same cases on every run, so a 500 found is found again, not by the luck of a run.
@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_never_answers_500(case):
    response = case.call(headers=AUTH)
    assert response.status_code < 500, (case.as_curl_command(), response.status_code, response.text[:500])
    if case.method.upper() in ("OPTIONS", "HEAD"):
        return  # Flask answers these itself, with no body
    try:
        body = response.json()  # every answer, error or not, is JSON
    except ValueError:
        raise AssertionError((case.as_curl_command(), response.status_code, response.text[:300])) from None
    assert response.status_code < 400 or set(body["error"]) == {"status", "code", "message", "fields"}
