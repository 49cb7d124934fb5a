"""Linking records into identities: strong evidence links, doubtful pairs go to review, decisions stick."""

import datetime as dt

from sqlalchemy import select

from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.db import db
from licensing.people.models import JobCursor, LinkState, PersonRecord, RecordLink
from tests.factories import make_person


def _link(a_id, b_id):
    low, high = sorted((a_id, b_id))
    return db.session.scalar(select(RecordLink).where(RecordLink.record_a_id == low, RecordLink.record_b_id == high))


def _identity(record_id):
    return db.session.get(PersonRecord, record_id).identity_id


def test_spelling_variant_with_transposed_dob_and_same_licence_links_automatically(app, county):
    with app.app_context():
        wycombe = make_person("WDC", forenames="Muhammad Asif", surname="Khan", date_of_birth=dt.date(1979, 3, 4),
                              driving_licence_number="KHAN9703049MA9AB", national_insurance="JT123456A",
                              postcode="HP11 2BZ")
        chiltern = make_person("CDC", forenames="Mohd. Asif", surname="Khan", date_of_birth=dt.date(1979, 4, 3),
                               driving_licence_number="KHAN9703049MA9AB", postcode="HP6 5AB")
        assert _identity(wycombe.id) == _identity(chiltern.id)
        link = _link(wycombe.id, chiltern.id)
        assert link.state is LinkState.AUTOMATIC and link.score >= 0.999
        assert "licence" in link.summary.lower() and "transposed" in link.summary.lower()
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "link.automatic"))


def test_two_men_with_the_same_name_and_birth_date_but_different_ni_are_never_merged(app, county):
    with app.app_context():
        first = make_person("WDC", forenames="Mohammed", surname="Khan", date_of_birth=dt.date(1980, 1, 1),
                            national_insurance="JT123456A", driving_licence_number="KHAN9801010M99AB")
        second = make_person("AVDC", forenames="Mohammed", surname="Khan", date_of_birth=dt.date(1980, 1, 1),
                             national_insurance="NP654321B", driving_licence_number="KHAN9801010M98CD")
        assert _identity(first.id) != _identity(second.id)
        link = _link(first.id, second.id)
        assert link is None or link.state is LinkState.PENDING


def _doubtful_pair():
    a = make_person("WDC", forenames="Shahid", surname="Rafiq", date_of_birth=dt.date(1975, 6, 12), postcode="HP13 6AA")
    b = make_person("CDC", forenames="Shahid", surname="Rafique", date_of_birth=dt.date(1975, 6, 12),
                    postcode="HP5 1AB")
    return a.id, b.id


def test_doubtful_pair_goes_to_the_review_queue_and_a_confirmation_merges_the_person_view(app, login):
    with app.app_context():
        a_id, b_id = _doubtful_pair()
        link = _link(a_id, b_id)
        assert link.state is LinkState.PENDING and _identity(a_id) != _identity(b_id)
        link_id = link.id
    officer = login(Role.LICENSING_OFFICER, "SBDC")
    queue = officer.get("/review").get_data(as_text=True)
    assert "Shahid Rafiq / Shahid Rafique" in queue
    pair_page = officer.get(f"/review/{link_id}").get_data(as_text=True)
    assert "Evidence" in pair_page and "Wycombe District Council" in pair_page
    assert officer.submit(f"/review/{link_id}", {"decision": "confirm"}).status_code == 302
    with app.app_context():
        assert _link(a_id, b_id).state is LinkState.CONFIRMED
        identity_id = _identity(a_id)
        assert identity_id == _identity(b_id)
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "link.confirmed"))
    officer.submit(f"/people/{identity_id}/reason", {"reason": "Checking the merged record"})
    page = officer.get(f"/people/{identity_id}").get_data(as_text=True)
    assert "Records held (2)" in page


def test_rejected_pair_is_remembered_and_never_proposed_again(app, login, runner):
    with app.app_context():
        a_id, b_id = _doubtful_pair()
        link_id = _link(a_id, b_id).id
    officer = login(Role.LICENSING_OFFICER)
    assert officer.submit(f"/review/{link_id}", {"decision": "reject"}).status_code == 302
    result = runner.invoke(args=["people", "rematch", "--restart"])
    assert result.exit_code == 0 and "Re-linked" in result.output
    with app.app_context():
        assert _link(a_id, b_id).state is LinkState.REJECTED
        assert _identity(a_id) != _identity(b_id)
    assert "Shahid Rafiq" not in officer.get("/review").get_data(as_text=True)


def test_confirmed_pair_is_not_undone_by_a_later_automatic_run(app, login, runner):
    with app.app_context():
        a_id, b_id = _doubtful_pair()
        link_id = _link(a_id, b_id).id
    login(Role.LICENSING_OFFICER).submit(f"/review/{link_id}", {"decision": "confirm"})
    runner.invoke(args=["people", "rematch", "--restart"])
    with app.app_context():
        assert _link(a_id, b_id).state is LinkState.CONFIRMED and _identity(a_id) == _identity(b_id)


def test_review_decision_needs_a_choice_and_bad_input_changes_nothing(app, login):
    with app.app_context():
        a_id, b_id = _doubtful_pair()
        link_id = _link(a_id, b_id).id
    officer = login(Role.LICENSING_OFFICER)
    for data in ({}, {"decision": "maybe"}):
        response = officer.submit(f"/review/{link_id}", data)
        assert response.status_code == 400
    with app.app_context():
        assert _link(a_id, b_id).state is LinkState.PENDING


def test_no_chaining_through_a_weak_middle_record(app, county):
    """A~B share an NI number, B~C share a licence number, but A and C have different NI numbers."""
    with app.app_context():
        a = make_person("WDC", forenames="Imran", surname="Hussain", date_of_birth=dt.date(1985, 2, 20),
                        national_insurance="JT111111A")
        c = make_person("AVDC", forenames="Imran", surname="Hussain", date_of_birth=dt.date(1985, 2, 20),
                        national_insurance="NP222222B", driving_licence_number="HUSSA802205I99XY")
        b = make_person("CDC", forenames="Imran", surname="Hussain", date_of_birth=dt.date(1985, 2, 20),
                        national_insurance="JT111111A", driving_licence_number="HUSSA802205I99XY")
        identities = {_identity(a.id), _identity(b.id), _identity(c.id)}
        assert len(identities) == 2, "A and C must never share an identity"
        assert _identity(a.id) != _identity(c.id)
        pending = db.session.scalars(select(RecordLink).where(RecordLink.state == LinkState.PENDING)).all()
        assert any(link.review_reason for link in pending) or any(
            {link.record_a_id, link.record_b_id} == {a.id, c.id} for link in pending)


def test_unlinking_a_record_splits_it_off_and_it_stays_apart(app, login, runner):
    with app.app_context():
        a = make_person("WDC", forenames="Naveed", surname="Akhtar", national_insurance="JT333333C",
                        date_of_birth=dt.date(1990, 7, 7))
        b = make_person("CDC", forenames="Naveed", surname="Akhtar", national_insurance="JT333333C",
                        date_of_birth=dt.date(1990, 7, 7))
        a_id, b_id, identity_id = a.id, b.id, a.identity_id
        assert _identity(b_id) == identity_id
    officer = login(Role.LICENSING_OFFICER)
    assert officer.submit(f"/records/{b_id}/unlink", {"reason": ""}).status_code == 302
    with app.app_context():
        assert _identity(b_id) == identity_id  # no reason, no change
    officer.submit(f"/records/{b_id}/unlink", {"reason": "Different man: confirmed with CDC"})
    runner.invoke(args=["people", "rematch", "--restart"])
    with app.app_context():
        assert _identity(a_id) != _identity(b_id)
        assert _link(a_id, b_id).state is LinkState.UNLINKED
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "link.unlinked"))
        assert event.reason == "Different man: confirmed with CDC"


def test_rematch_resumes_from_where_it_stopped(app, county, runner):
    with app.app_context():
        ids = [make_person("WDC", forenames=f"Person{i}", surname="Rematch").id for i in range(4)]
        db.session.add(JobCursor(name="rematch", position=ids[1]))
        db.session.commit()
    result = runner.invoke(args=["people", "rematch", "--batch-size", "1"])
    assert result.exit_code == 0
    assert "Re-linked 2 records" in result.output and "4/4" in result.output
    with app.app_context():
        assert db.session.get(JobCursor, "rematch").position == 0
