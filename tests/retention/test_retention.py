"""Retention review: due items are listed to whoever reviews them; retain records a rationale and a new review
date; disposal deletes the rows, leaves a tombstone without personal data, keeps the chain whole and re-links
what remains."""

import datetime as dt
import json

from sqlalchemy import func, select

from licensing.alerts.models import Alert, AlertKind
from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.complaints.models import Complaint, ComplaintCategory, ComplaintSource
from licensing.db import db
from licensing.intelligence.models import IntelligenceItem, intelligence_recipients
from licensing.licences.models import Licence, LicenceStatus, LicenceType
from licensing.people.models import AccessGrant, Address, BlockingKey, Identity, PersonRecord, RecordLink
from licensing.requests.attachments import Attachment, attach, storage_dir
from licensing.requests.models import InformationRequest, RequestKind
from licensing.retention.models import RetentionDecision
from licensing.sanctions.models import GroundsCategory, Sanction, SanctionType
from tests.factories import arranged, authority, clock_date, make_intelligence, make_person, make_user

TODAY = clock_date(__name__)
RATIONALE = "Past the eleven-year rule; no live proceedings depend on it."


def _person(code, **kw):
    defaults = dict(
        forenames="Tariq",
        surname="Mahmood",
        national_insurance="JT454545C",
        date_of_birth=dt.date(1979, 3, 14),
    )
    return make_person(code, **{**defaults, **kw})


def _sanction(record, decided_on):
    sanction = Sanction(
        person_record_id=record.id,
        authority_id=record.authority_id,
        sanction_type=SanctionType.REVOCATION,
        grounds=GroundsCategory.DISHONESTY,
        decided_on=decided_on,
        effective_on=decided_on,
        decision_maker="Sub-committee",
        narrative="Dishonest about a previous conviction",
    )
    db.session.add(sanction)
    db.session.commit()
    return sanction


def _licence(record, expires_on, status=LicenceStatus.EXPIRED):
    licence = Licence(
        person_record_id=record.id,
        authority_id=record.authority_id,
        licence_type=LicenceType.PRIVATE_HIRE_DRIVER,
        number=f"PH{record.id:06d}",
        status=status,
        issued_on=expires_on - dt.timedelta(days=1095),
        expires_on=expires_on,
        conditions="",
    )
    db.session.add(licence)
    db.session.commit()
    return licence


def _complaint(record, received_on):
    complaint = Complaint(
        person_record_id=record.id,
        authority_id=record.authority_id,
        received_on=received_on,
        source=ComplaintSource.PUBLIC,
        category=ComplaintCategory.RUDENESS,
        narrative="Rude to a passenger",
        outcome="",
        complainant_name="A Member",
    )
    db.session.add(complaint)
    db.session.commit()
    return complaint


def _decide(client, path, data):
    client.fetch_csrf(path)
    return client.submit(path, data)


def _verify_chain(runner):
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    return result.output


def test_disposing_a_decision_deletes_the_record_and_relinks_what_remains(app, login, runner):
    with arranged(app):
        old = _person("WDC")
        middle, other = _person("CDC"), _person("AVDC")
        identity_id = old.identity_id
        assert {middle.identity_id, other.identity_id} == {identity_id}
        decision = _sanction(old, dt.date(2012, 1, 9))
        _licence(middle, TODAY + dt.timedelta(days=300), status=LicenceStatus.GRANTED)
        _licence(other, TODAY + dt.timedelta(days=300), status=LicenceStatus.GRANTED)
        db.session.add(
            Alert(
                authority_id=middle.authority_id,
                identity_id=identity_id,
                kind=AlertKind.DECISION,
                subject_type="sanctions",
                subject_id=decision.id,
                raised_by_authority_id=old.authority_id,
                summary="Revocation recorded",
            )
        )
        db.session.commit()
        old_id, decision_id, kept = old.id, decision.id, sorted([middle.id, other.id])
    admin = login(Role.ADMINISTRATOR)
    page = admin.get("/retention/").get_data(as_text=True)
    assert f"/retention/sanctions/{decision_id}" in page and "11 years from the decision" in page
    response = _decide(
        admin, f"/retention/sanctions/{decision_id}", {"outcome": "dispose", "rationale": RATIONALE}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Sanction, decision_id) is None
        assert db.session.get(PersonRecord, old_id) is None
        for model in (Address, BlockingKey):
            assert db.session.scalar(select(func.count()).where(model.person_record_id == old_id)) == 0
        assert (
            db.session.scalar(
                select(func.count()).where(
                    (RecordLink.record_a_id == old_id) | (RecordLink.record_b_id == old_id)
                )
            )
            == 0
        )
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(Alert)
                .where(Alert.subject_id == decision_id, Alert.subject_type == "sanctions")
            )
            == 0
        )
        remaining = db.session.scalars(select(PersonRecord).where(PersonRecord.id.in_(kept))).all()
        assert len({r.identity_id for r in remaining}) == 1  # still one person
        link = db.session.scalar(
            select(RecordLink).where(RecordLink.record_a_id == kept[0], RecordLink.record_b_id == kept[1])
        )
        assert link is not None and link.state.joins_records
        tombstone = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention.disposed"))
        assert (tombstone.subject_type, tombstone.subject_id) == ("sanctions", str(decision_id))
        assert tombstone.details["erased"]["person_records"] == 1
        assert tombstone.details["erased"]["alerts"] == 1
        assert sorted(tombstone.details["relinked_records"]) == kept
        text = json.dumps(tombstone.details) + tombstone.reason
        for personal in ("Tariq", "Mahmood", "JT454545C", "1979", "Dishonest", "WDC-"):
            assert personal not in text
        decision_row = db.session.scalar(select(RetentionDecision))
        assert decision_row.outcome.value == "dispose" and decision_row.rationale == RATIONALE
        assert tombstone.details["decision"] == decision_row.id
    assert "Audit chain verified" in _verify_chain(runner)
    assert f"/retention/sanctions/{decision_id}" not in admin.get("/retention/").get_data(as_text=True)


def test_disposing_the_last_record_deletes_the_identity_and_what_pointed_at_it(app, login, runner):
    with arranged(app):
        record = make_person("WDC", forenames="Imran", surname="Qureshi")
        licence = _licence(record, dt.date(2016, 4, 30))
        identity_id = record.identity_id
        viewer = make_user(Role.LICENSING_OFFICER)
        db.session.add(AccessGrant(user_id=viewer.id, identity_id=identity_id, reason="Renewal check"))
        db.session.add(
            Alert(
                authority_id=authority("CDC").id,
                identity_id=identity_id,
                kind=AlertKind.NEW_LINK,
                subject_type="person_records",
                subject_id=record.id,
                raised_by_authority_id=record.authority_id,
                summary="New link",
            )
        )
        asker = make_user(Role.LICENSING_OFFICER, authority="CDC")
        about = InformationRequest(kind=RequestKind.INFORMATION_REQUEST, identity_id=identity_id,
                                   from_authority_id=authority("CDC").id, to_authority_id=record.authority_id,
                                   requested_by_id=asker.id, sent_on=dt.date(2016, 3, 1),
                                   due_on=dt.date(2016, 3, 29))
        db.session.add(about)
        db.session.flush()
        document = attach(about, filename="reply.pdf", data=b"%PDF-1.4 synthetic", actor=asker,
                          storage=storage_dir())
        document_file = storage_dir() / document.storage_key
        db.session.commit()
        record_id, licence_id = record.id, licence.id
    assert document_file.exists()
    manager = login(Role.LICENSING_MANAGER, "WDC")
    assert f"/retention/licences/{licence_id}" in manager.get("/retention/").get_data(as_text=True)
    response = _decide(
        manager, f"/retention/licences/{licence_id}", {"outcome": "dispose", "rationale": RATIONALE}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Licence, licence_id) is None
        assert db.session.get(PersonRecord, record_id) is None
        assert db.session.get(Identity, identity_id) is None
        assert db.session.scalar(select(func.count()).select_from(AccessGrant)) == 0
        assert db.session.scalar(select(func.count()).select_from(Alert)) == 0
        assert db.session.scalar(select(func.count()).select_from(InformationRequest)) == 0
        assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0
        tombstone = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention.disposed"))
        assert tombstone.details["erased"]["identities"] == 1
        assert tombstone.details["erased"]["attachments"] == 1
        assert "Qureshi" not in json.dumps(tombstone.details)
    assert not document_file.exists()  # the document's file went with the committed disposal
    _verify_chain(runner)


def test_retaining_sets_a_new_review_date_with_a_rationale(app, login):
    with arranged(app):
        licence = _licence(make_person("WDC"), dt.date(2015, 6, 30))
        licence_id = licence.id
    manager = login(Role.LICENSING_MANAGER, "WDC")
    path = f"/retention/licences/{licence_id}"
    missing_date = _decide(manager, path, {"outcome": "retain", "rationale": RATIONALE})
    assert missing_date.status_code == 400 and "Enter the new review date" in missing_date.get_data(
        as_text=True
    )
    too_far = TODAY + dt.timedelta(days=366 * 6)
    refused = _decide(
        manager,
        path,
        {
            "outcome": "retain",
            "rationale": RATIONALE,
            "review_on": [str(too_far.day), str(too_far.month), str(too_far.year)],
        },
    )
    assert refused.status_code == 400 and "no later than" in refused.get_data(as_text=True)
    new_date = TODAY + dt.timedelta(days=400)
    response = _decide(
        manager,
        path,
        {
            "outcome": "retain",
            "rationale": "Appeal pending in the county court",
            "review_on": [str(new_date.day), str(new_date.month), str(new_date.year)],
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Licence, licence_id) is not None
        decision = db.session.scalar(select(RetentionDecision))
        assert (decision.outcome.value, decision.review_on) == ("retain", new_date)
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention.retained"))
        assert event.reason == "Appeal pending in the county court" and event.subject_id == str(licence_id)
    assert path not in manager.get("/retention/").get_data(as_text=True)
    again = _decide(manager, path, {"outcome": "dispose", "rationale": RATIONALE})
    assert again.status_code == 400 and "not due for review yet" in again.get_data(as_text=True)


def test_items_not_due_are_not_listed_and_cannot_be_disposed(app, login):
    with arranged(app):
        record = make_person("WDC")
        recent = _sanction(record, TODAY - dt.timedelta(days=365 * 3))
        held = _licence(make_person("WDC"), TODAY + dt.timedelta(days=30), status=LicenceStatus.GRANTED)
        recent_id, held_id = recent.id, held.id
    admin = login(Role.ADMINISTRATOR)
    assert "nothing-due" in admin.get("/retention/").get_data(as_text=True)
    for path in (f"/retention/sanctions/{recent_id}", f"/retention/licences/{held_id}"):
        response = _decide(admin, path, {"outcome": "dispose", "rationale": RATIONALE})
        assert response.status_code == 400 and "not due for review yet" in response.get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.get(Sanction, recent_id) is not None and db.session.get(Licence, held_id) is not None
        )


def test_complaints_follow_each_authoritys_own_policy(app, login):
    with arranged(app):
        authority("WDC").complaint_retention_years = 2
        db.session.commit()
        short = _complaint(make_person("WDC"), TODAY - dt.timedelta(days=365 * 3))
        default = _complaint(make_person("CDC"), TODAY - dt.timedelta(days=365 * 3))
        short_id, default_id = short.id, default.id
    page = login(Role.ADMINISTRATOR).get("/retention/").get_data(as_text=True)
    assert f"/retention/complaints/{short_id}" in page and "2 years from receipt" in page
    assert f"/retention/complaints/{default_id}" not in page


def test_reviewers_see_only_their_own_items_and_police_items_only_police(app, login, runner):
    with arranged(app):
        wdc = _licence(make_person("WDC"), dt.date(2014, 1, 31))
        subject = make_person("TVP", forenames="Kamran", surname="Aslam")
        item = make_intelligence(subject, recipients=("WDC",))
        item.review_on = TODAY - dt.timedelta(days=1)
        db.session.commit()
        wdc_id, item_id, subject_id = wdc.id, item.id, subject.id
    other_manager = login(Role.LICENSING_MANAGER, "CDC")
    assert f"/retention/licences/{wdc_id}" not in other_manager.get("/retention/").get_data(as_text=True)
    assert other_manager.get(f"/retention/licences/{wdc_id}").status_code == 404
    admin = login(Role.ADMINISTRATOR)
    assert f"intelligence_items/{item_id}" not in admin.get("/retention/").get_data(as_text=True)
    assert admin.get(f"/retention/intelligence_items/{item_id}").status_code == 404
    assert login(Role.LICENSING_OFFICER).get("/retention/").status_code == 403
    police = login(Role.POLICE_SPOC)
    page = police.get("/retention/").get_data(as_text=True)
    assert f"/retention/intelligence_items/{item_id}" in page and "Its MoPI review date" in page
    assert f"/retention/licences/{wdc_id}" not in page
    response = _decide(
        police,
        f"/retention/intelligence_items/{item_id}",
        {"outcome": "dispose", "rationale": "No longer necessary for a policing purpose."},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(IntelligenceItem, item_id) is None
        assert db.session.execute(select(intelligence_recipients)).all() == []
        assert db.session.get(PersonRecord, subject_id) is None
        tombstone = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention.disposed"))
        assert tombstone.subject_type == "intelligence_items" and "Kamran" not in json.dumps(
            tombstone.details
        )
    _verify_chain(runner)


def test_retaining_a_police_item_moves_its_review_date(app, login):
    with arranged(app):
        item = make_intelligence(make_person("TVP"))
        item.review_on = TODAY - dt.timedelta(days=3)
        db.session.commit()
        item_id = item.id
    police = login(Role.POLICE_SPOC)
    new_date = TODAY + dt.timedelta(days=180)
    response = _decide(
        police,
        f"/retention/intelligence_items/{item_id}",
        {
            "outcome": "retain",
            "rationale": "Investigation still open; review in six months.",
            "review_on": [str(new_date.day), str(new_date.month), str(new_date.year)],
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(IntelligenceItem, item_id).review_on == new_date
    assert f"intelligence_items/{item_id}" not in police.get("/retention/").get_data(as_text=True)


def test_an_authority_sets_its_complaint_policy_from_the_command_line(app, runner, county):
    result = runner.invoke(args=["retention", "complaint-policy", "WDC", "3"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert authority("WDC").complaint_retention_years == 3
    assert runner.invoke(args=["retention", "complaint-policy", "WDC"]).exit_code == 0
    assert runner.invoke(args=["retention", "complaint-policy", "NOPE", "3"]).exit_code != 0
    with app.app_context():
        assert authority("WDC").complaint_retention_years is None
