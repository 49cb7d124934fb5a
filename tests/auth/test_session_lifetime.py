"""A session ends 30 minutes after it was last used (idle) and 10 hours after sign-in however active
(absolute). The signed cookie is re-signed when the session changes or its signature is a minute old, not
on every response, so an unchanged session costs no signing and no Set-Cookie on most pages."""

import datetime as dt
import time

import pytest
from itsdangerous import TimestampSigner

from licensing.auth.models import Role
from licensing.db import utcnow

MINUTE = 60


@pytest.fixture
def clock(monkeypatch):
    """Moves the clock the session cookie is signed and checked with (itsdangerous's) forward by `seconds`."""
    offset = {"seconds": 0}
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) + offset["seconds"])

    def forward(seconds: int) -> None:
        offset["seconds"] += seconds

    return forward


def _signed_in_page(client) -> bool:
    response = client.get("/search")
    if response.status_code == 302:
        assert "/sign-in" in response.headers["Location"], response.headers["Location"]
        return False
    assert response.status_code == 200
    return True


def test_an_unchanged_session_is_not_signed_again_within_a_minute(app, login, clock):
    officer = login(Role.LICENSING_OFFICER)
    officer.get("/search")  # whatever the sign-in left to change (its message shown) is done here
    clock(50)
    response = officer.get("/search")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert response.headers["Vary"] == "Cookie"


def test_a_session_is_signed_again_once_its_signature_is_a_minute_old(app, login, clock):
    officer = login(Role.LICENSING_OFFICER)
    officer.get("/search")
    clock(MINUTE)
    response = officer.get("/search")
    assert response.status_code == 200 and "session=" in response.headers["Set-Cookie"]


def test_a_session_unused_for_thirty_minutes_ends(app, login, clock):
    officer = login(Role.LICENSING_OFFICER)
    assert _signed_in_page(officer)
    clock(30 * MINUTE + 1)
    assert not _signed_in_page(officer)


def test_a_session_in_use_lasts_beyond_thirty_minutes_and_then_ends_when_left(app, login, clock):
    officer = login(Role.LICENSING_OFFICER)
    for _ in range(4):  # used every 20 minutes for 80 minutes
        clock(20 * MINUTE)
        assert _signed_in_page(officer)
    clock(29 * MINUTE)  # re-signed at most a minute before the last request: still alive 29 minutes on
    assert _signed_in_page(officer)
    clock(30 * MINUTE + 1)
    assert not _signed_in_page(officer)


def test_a_sign_in_ends_after_ten_hours_however_active(app, login):
    officer = login(Role.LICENSING_OFFICER)
    assert _signed_in_page(officer)
    with officer.session_transaction() as session:
        session["signed_in_at"] = (utcnow() - dt.timedelta(hours=10, seconds=1)).timestamp()
    assert not _signed_in_page(officer)
