import pytest

from licensing.api.tokens import create_token
from licensing.db import db
from tests.factories import arranged, make_user


class ApiClient:
    """A test client that sends a bearer token and JSON."""

    def __init__(self, client, token: str, user_email: str) -> None:
        self.client, self.token, self.user_email = client, token, user_email

    def _headers(self, extra=None) -> dict:
        return {"Authorization": f"Bearer {self.token}", **(extra or {})}

    def get(self, url, headers=None, **kwargs):
        return self.client.get(url, headers=self._headers(headers), **kwargs)

    def post(self, url, json=None, headers=None, **kwargs):
        return self.client.post(url, json=json, headers=self._headers(headers), **kwargs)

    def put(self, url, json=None, headers=None, **kwargs):
        return self.client.put(url, json=json, headers=self._headers(headers), **kwargs)


@pytest.fixture
def api(app, county):
    """api(role, authority=None) -> an ApiClient with a fresh token for a new user of that role."""

    def _api(role, authority: str | None = None) -> ApiClient:
        with arranged(app):
            user = make_user(role, authority=authority)
            plain, _ = create_token(user, "test system", actor=None)
            db.session.commit()
            email = user.email
        return ApiClient(app.test_client(), plain, email)

    return _api
