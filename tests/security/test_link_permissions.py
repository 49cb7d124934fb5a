"""Finding 1: only an authority holding one of the records may confirm, reject or unlink; adverse unlinks need two."""  # noqa: E501

import datetime as dt

from sqlalchemy import func, select

from licensing.alerts.models import Alert
from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.db import db
from licensing.people.models import LinkState, PersonRecord, RecordLink, UnlinkRequest
from licensing.sanctions.models import GroundsCategory, Sanction, SanctionType
from tests.factories import arranged, make_person


def _pair(first="WDC", second="CDC"):
    a = make_person(
        first, forenames="Shahid", surname="Rafiq", date_of_birth=dt.date(1975, 6, 12), postcode="HP13 6AA"
    )
    b = make_person(
        second, forenames="Shahid", surname="Rafique", date_of_birth=dt.date(1975, 6, 12), postcode="HP5 1AB"
    )
    link = db.session.scalar(
        select(RecordLink).where(RecordLink.record_a_id == a.id, RecordLink.record_b_id == b.id)
    )
    assert link.state is LinkState.PENDING
    return a.id, b.id, link.id


def _linked(first="WDC", second="CDC"):
    a = make_person(
        first,
        forenames="Naveed",
        surname="Akhtar",
        national_insurance="JT333333C",
        date_of_birth=dt.date(1990, 7, 7),
    )
    b = make_person(
        second,
        forenames="Naveed",
        surname="Akhtar",
        national_insurance="JT333333C",
        date_of_birth=dt.date(1990, 7, 7),
    )
    assert a.identity_id == b.identity_id
    return a.id, b.id


def _identity(record_id):
    return db.session.get(PersonRecord, record_id).identity_id


def test_officer_of_a_third_authority_cannot_confirm_or_reject_a_pair(app, login):
    with arranged(app):
        _, _, link_id = _pair()
    outsider = login(Role.LICENSING_OFFICER, "SBDC")
    assert "Shahid" not in outsider.get("/review").get_data(as_text=True)
    for decision in ("confirm", "reject"):
        assert outsider.submit(f"/review/{link_id}", {"decision": decision}).status_code == 403
    police = login(Role.POLICE_SPOC)
    assert police.submit(f"/review/{link_id}", {"decision": "reject"}).status_code == 403
    with app.app_context():
        assert db.session.get(RecordLink, link_id).state is LinkState.PENDING
    holder = login(Role.LICENSING_OFFICER, "CDC")
    assert holder.submit(f"/review/{link_id}", {"decision": "reject"}).status_code == 302
    with app.app_context():
        assert db.session.get(RecordLink, link_id).state is LinkState.REJECTED


def test_officer_with_no_record_on_the_person_cannot_unlink(app, login):
    with arranged(app):
        a_id, b_id = _linked()
    for outsider in (
        login(Role.LICENSING_OFFICER, "SBDC"),
        login(Role.POLICE_SPOC),
        login(Role.TRANSPORT_OFFICER),
    ):
        assert outsider.submit(f"/records/{b_id}/unlink", {"reason": "Not him"}).status_code == 403
    with app.app_context():
        assert _identity(a_id) == _identity(b_id)
        assert not db.session.scalar(select(AuditEvent).where(AuditEvent.action == "link.unlinked"))


def test_unlinking_an_adverse_record_needs_a_second_officer_and_alerts_its_holder(app, login):
    with arranged(app):
        a_id, b_id = _linked()
        db.session.add(
            Sanction(
                person_record_id=b_id,
                authority_id=db.session.get(PersonRecord, b_id).authority_id,
                sanction_type=SanctionType.REVOCATION,
                grounds=GroundsCategory.SAFEGUARDING,
                decided_on=dt.date(2026, 1, 5),
                effective_on=dt.date(2026, 1, 5),
                decision_maker="Licensing sub-committee",
            )
        )
        db.session.commit()
        identity_id = _identity(a_id)
    first = login(Role.LICENSING_OFFICER, "WDC")
    assert first.submit(f"/records/{b_id}/unlink", {"reason": "Different man"}).status_code == 302
    with app.app_context():
        assert _identity(a_id) == _identity(b_id)  # not yet
        assert db.session.scalar(select(func.count(UnlinkRequest.id))) == 1
    # The requester cannot approve their own request.
    assert first.submit(f"/records/{b_id}/unlink/approve", {}).status_code == 302
    with app.app_context():
        assert _identity(a_id) == _identity(b_id)
    # An officer of an authority holding neither record cannot approve either.
    assert (
        login(Role.LICENSING_OFFICER, "SBDC").submit(f"/records/{b_id}/unlink/approve", {}).status_code == 403
    )
    second = login(Role.LICENSING_OFFICER, "WDC")
    second.submit(f"/people/{identity_id}/reason", {"reason": "Approve unlink"})
    assert "Approve the unlink" in second.get(f"/people/{identity_id}").get_data(as_text=True)
    assert second.submit(f"/records/{b_id}/unlink/approve", {}).status_code == 302
    with app.app_context():
        assert _identity(a_id) != _identity(b_id)
        cdc = db.session.get(PersonRecord, b_id).authority_id
        alert = db.session.scalar(select(Alert).where(Alert.authority_id == cdc))
        assert alert is not None and "unlinked" in alert.summary
        approved = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "link.unlink_approved"))
        assert approved.reason == "Different man" and approved.user_email == second.user_email
        assert db.session.get(UnlinkRequest, 1).decided_at is not None
