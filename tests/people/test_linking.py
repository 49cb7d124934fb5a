"""Linking records into identities: strong evidence links, doubtful pairs go to review, decisions stick."""

import datetime as dt

from sqlalchemy import select

from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.db import db
from licensing.people.models import JobCursor, LinkState, PersonRecord, RecordLink
from tests.factories import arranged, make_person


def _link(a_id, b_id):
    low, high = sorted((a_id, b_id))
    return db.session.scalar(
        select(RecordLink).where(RecordLink.record_a_id == low, RecordLink.record_b_id == high)
    )


def _identity(record_id):
    return db.session.get(PersonRecord, record_id).identity_id


def test_spelling_variant_with_transposed_dob_and_same_licence_links_automatically(app, county):
    with arranged(app):
        wycombe = make_person(
            "WDC",
            forenames="Muhammad Asif",
            surname="Khan",
            date_of_birth=dt.date(1979, 3, 4),
            driving_licence_number="KHAN9703049MA9AB",
            national_insurance="JT123456A",
            postcode="HP11 2BZ",
        )
        chiltern = make_person(
            "CDC",
            forenames="Mohd. Asif",
            surname="Khan",
            date_of_birth=dt.date(1979, 4, 3),
            driving_licence_number="KHAN9703049MA9AB",
            postcode="HP6 5AB",
        )
    with app.app_context():  # audit events are sealed into the trail when the arrangement commits
        assert _identity(wycombe.id) == _identity(chiltern.id)
        link = _link(wycombe.id, chiltern.id)
        assert link.state is LinkState.AUTOMATIC and link.score >= 0.999
        assert "licence" in link.summary.lower() and "transposed" in link.summary.lower()
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "link.automatic"))


def test_two_men_with_the_same_name_and_birth_date_but_different_ni_are_never_merged(app, county):
    with arranged(app):
        first = make_person("WDC", forenames="Mohammed", surname="Khan", date_of_birth=dt.date(1980, 1, 1),
                            national_insurance="JT123456A", driving_licence_number="KHAN9801010M99AB")
        second = make_person("AVDC", forenames="Mohammed", surname="Khan", date_of_birth=dt.date(1980, 1, 1),
                             national_insurance="NP654321B", driving_licence_number="KHAN9801010M98CD")
        assert _identity(first.id) != _identity(second.id)
        link = _link(first.id, second.id)
        assert link is None or link.state is LinkState.PENDING


def _doubtful_pair():
    a = make_person(
        "WDC", forenames="Shahid", surname="Rafiq", date_of_birth=dt.date(1975, 6, 12), postcode="HP13 6AA"
    )
    b = make_person("CDC", forenames="Shahid", surname="Rafique", date_of_birth=dt.date(1975, 6, 12),
                    postcode="HP5 1AB")
    return a.id, b.id


def test_doubtful_pair_goes_to_the_review_queue_and_a_confirmation_merges_the_person_view(app, login):
    with arranged(app):
        a_id, b_id = _doubtful_pair()
        link = _link(a_id, b_id)
        assert link.state is LinkState.PENDING and _identity(a_id) != _identity(b_id)
        link_id = link.id
    officer = login(Role.LICENSING_OFFICER, "CDC")
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
    with arranged(app):
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
    with arranged(app):
        a_id, b_id = _doubtful_pair()
        link_id = _link(a_id, b_id).id
    login(Role.LICENSING_OFFICER).submit(f"/review/{link_id}", {"decision": "confirm"})
    runner.invoke(args=["people", "rematch", "--restart"])
    with app.app_context():
        assert _link(a_id, b_id).state is LinkState.CONFIRMED and _identity(a_id) == _identity(b_id)


def test_review_decision_needs_a_choice_and_bad_input_changes_nothing(app, login):
    with arranged(app):
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
    with arranged(app):
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
    with arranged(app):
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
    with arranged(app):
        ids = [make_person("WDC", forenames=f"Person{i}", surname="Rematch").id for i in range(4)]
        db.session.add(JobCursor(name="rematch", position=ids[1]))
        db.session.commit()
    result = runner.invoke(args=["people", "rematch", "--batch-size", "1"])
    assert result.exit_code == 0
    assert "Re-linked 2 records" in result.output and "4/4" in result.output
    with app.app_context():
        assert db.session.get(JobCursor, "rematch").position == 0


def test_changing_a_record_relinks_it_and_a_contradiction_sends_the_link_back_to_review(app, login):
    with arranged(app):
        a = make_person("WDC", forenames="Waqar", surname="Anwar", date_of_birth=dt.date(1982, 8, 8),
                        national_insurance="JT444444A", postcode="HP11 2BZ")
        b = make_person("CDC", forenames="Waqar", surname="Anwar", date_of_birth=dt.date(1982, 8, 8),
                        national_insurance="JT444444A", postcode="HP6 5AB")
        a_id, b_id = a.id, b.id
        assert _identity(a_id) == _identity(b_id)
    officer = login(Role.LICENSING_OFFICER, "CDC")
    form = {
        "forenames": "Waqar",
        "surname": "Anwar",
        "date_of_birth": ["8", "8", "1982"],
        "sex": "M",
        "address_line": "3 New Road",
        "town": "Amersham",
        "postcode": "HP7 0AA",
        "national_insurance": "NP555555B",
    }
    assert officer.submit(f"/records/{b_id}/edit", form).status_code == 302
    with app.app_context():
        record = db.session.get(PersonRecord, b_id)
        assert record.national_insurance == "NP555555B"
        assert [ad.postcode for ad in record.addresses][:1] == ["HP7 0AA"] and len(record.addresses) == 2
        assert _identity(a_id) != _identity(b_id)
        link = _link(a_id, b_id)
        assert link.state is LinkState.PENDING and "no longer certain" in link.review_reason
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person_record.updated"))
    assert login(Role.LICENSING_OFFICER, "WDC").get(f"/records/{b_id}/edit").status_code == 404
    bad = officer.submit(f"/records/{b_id}/edit", {**form, "national_insurance": "QQ1"})
    assert bad.status_code == 400


def test_a_new_link_joining_a_badge_holder_to_a_revocation_alerts_the_holder(app, county):
    from licensing.alerts.models import Alert, AlertKind
    from licensing.licences.models import Badge, BadgeStatus, BadgeType
    from licensing.sanctions.models import GroundsCategory, Sanction, SanctionType
    from tests.factories import authority

    with arranged(app):
        revoked = make_person(
            "WDC",
            forenames="Abid",
            surname="Rafiq",
            driving_licence_number="RAFIQ709099A99ZZ",
            date_of_birth=dt.date(1979, 9, 9),
        )
        db.session.add(
            Sanction(
                person=revoked,
                authority=authority("WDC"),
                sanction_type=SanctionType.REVOCATION,
                grounds=GroundsCategory.SAFEGUARDING,
                decided_on=dt.date(2026, 1, 5),
                effective_on=dt.date(2026, 1, 5),
                decision_maker="Sub-committee",
                narrative="x",
            )
        )
        db.session.commit()
        holder = make_person("BCC-CT", forenames="Abid", surname="Rafiq", date_of_birth=dt.date(1979, 9, 8))
        db.session.add(
            Badge(
                person=holder,
                authority=authority("BCC-CT"),
                badge_type=BadgeType.DRIVER,
                number="BCC-NL-1",
                operator_name="Castle Cars",
                status=BadgeStatus.VALID,
                issued_on=dt.date(2026, 1, 1),
                expires_on=dt.date.today() + dt.timedelta(days=300),
            )
        )
        db.session.commit()
        assert _identity(holder.id) != _identity(
            revoked.id
        )  # a mistyped birth date and no identifier: not linked
        from licensing.people.inputs import AddressInput, PersonRecordInput
        from licensing.people.services import update_person_record
        from tests.factories import make_user

        officer = make_user(Role.TRANSPORT_OFFICER)
        update_person_record(
            holder,
            PersonRecordInput(
                authority_reference=holder.authority_reference,
                forenames="Abid",
                surname="Rafiq",
                date_of_birth=dt.date(1979, 9, 9),
                sex="M",
                driving_licence_number="RAFIQ709099A99ZZ",
                addresses=(AddressInput(holder.addresses[0].line1, "", holder.addresses[0].postcode),),
            ),
            actor=officer,
        )
        db.session.commit()
        assert _identity(holder.id) == _identity(revoked.id)
        alert = db.session.scalar(select(Alert))
        assert alert.kind is AlertKind.NEW_LINK and alert.authority.code == "BCC-CT"
        assert "Revocation by Wycombe District Council" in alert.summary
