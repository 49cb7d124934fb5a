"""Finding 9: a save based on an older version is refused with a clear message; nothing is overwritten."""

import datetime as dt
import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.db import db
from licensing.people.models import LinkState, RecordLink
from licensing.requests.models import InformationRequest
from tests.factories import arranged, authority, make_person, make_user

STALE = "Someone else changed this since you opened it"


def _request(app):
    with arranged(app):
        a = make_person(
            "WDC",
            forenames="Naveed",
            surname="Akhtar",
            national_insurance="JT333333C",
            date_of_birth=dt.date(1990, 7, 7),
        )
        make_person(
            "CDC",
            forenames="Naveed",
            surname="Akhtar",
            national_insurance="JT333333C",
            date_of_birth=dt.date(1990, 7, 7),
        )
        officer = make_user(Role.LICENSING_OFFICER, authority="CDC")
        item = InformationRequest(
            kind="information_request",
            identity_id=a.identity_id,
            from_authority_id=authority("CDC").id,
            to_authority_id=authority("WDC").id,
            details="Any concerns?",
            requested_by_id=officer.id,
            sent_on=dt.date.today(),
            due_on=dt.date.today() + dt.timedelta(days=28),
        )
        db.session.add(item)
        db.session.commit()
        return item.id


def _version(page: str) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"|name="version" value="(\d+)"', page).group(
        1
    )


def test_two_replies_opened_together_cannot_both_land(app, login):
    request_id = _request(app)
    first, second = login(Role.LICENSING_OFFICER, "WDC"), login(Role.LICENSING_OFFICER, "WDC")
    v1, v2 = (_version(c.get(f"/requests/{request_id}").get_data(as_text=True)) for c in (first, second))
    assert first.submit(f"/requests/{request_id}", {"reply": "First reply", "version": v1}).status_code == 302
    late = second.submit(f"/requests/{request_id}", {"reply": "Second reply", "version": v2})
    assert late.status_code == 400 and STALE in late.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(InformationRequest, request_id).reply == "First reply"
    # Submitting the same form twice also lands once.
    again = first.submit(f"/requests/{request_id}", {"reply": "First reply", "version": v1})
    assert again.status_code == 400


def test_two_rejections_opened_together_are_one_decision(app, login):
    with arranged(app):
        a = make_person(
            "WDC",
            forenames="Shahid",
            surname="Rafiq",
            date_of_birth=dt.date(1975, 6, 12),
            postcode="HP13 6AA",
        )
        b = make_person(
            "CDC",
            forenames="Shahid",
            surname="Rafique",
            date_of_birth=dt.date(1975, 6, 12),
            postcode="HP5 1AB",
        )
        link_id = db.session.scalar(
            select(RecordLink.id).where(RecordLink.record_a_id == a.id, RecordLink.record_b_id == b.id)
        )
    first, second = login(Role.LICENSING_OFFICER, "WDC"), login(Role.LICENSING_OFFICER, "CDC")
    v1, v2 = (_version(c.get(f"/review/{link_id}").get_data(as_text=True)) for c in (first, second))
    assert first.submit(f"/review/{link_id}", {"decision": "reject", "version": v1}).status_code == 302
    late = second.submit(f"/review/{link_id}", {"decision": "confirm", "version": v2})
    assert late.status_code == 400 and STALE in late.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(RecordLink, link_id).state is LinkState.REJECTED
        decided = select(func.count(AuditEvent.id)).where(
            AuditEvent.action.in_(["link.rejected", "link.confirmed"])
        )
        assert db.session.scalar(decided) == 1


def test_a_concurrent_write_at_the_database_raises_stale_data(app, county):
    """Two sessions that both read version 1: the second UPDATE matches no row, so nothing is overwritten."""
    request_id = _request(app)
    with app.app_context():
        other = db.session.registry()  # the request's session
        mine = db.session.get(InformationRequest, request_id)
        from sqlalchemy.orm import Session

        with Session(db.engine) as rival:
            theirs = rival.get(InformationRequest, request_id)
            theirs.reply = "Rival reply"
            rival.commit()
        mine.reply = "Late reply"
        with pytest.raises(StaleDataError):
            other.flush()
        db.session.rollback()
        assert db.session.get(InformationRequest, request_id).reply == "Rival reply"
