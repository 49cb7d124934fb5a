"""Finding 9, the last gaps: a stale badge renewal or status change and a stale edit of a user are refused
with nothing overwritten; a badge or a police item sent twice is made once."""

import datetime as dt
import re

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from licensing.audit.models import AuditEvent
from licensing.auth.models import Role, User
from licensing.auth.services import update_user
from licensing.db import db
from licensing.errors import StaleSave
from licensing.intelligence.models import IntelligenceItem
from licensing.licences.models import Badge, BadgeStatus
from licensing.people.models import PersonRecord
from tests.factories import arranged, clock_date, make_person, make_user
from tests.intelligence.factories import item_form
from tests.licences.factories import in_date_checks_form, make_badge

STALE = "Someone else changed this since you opened it"
ALREADY = "This form was already sent"
TODAY = clock_date(__name__)


_checks = in_date_checks_form


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" type="hidden" value="([^"]*)"|name="{name}" value="([^"]*)"', page)
    assert found, f"no hidden {name}"
    return found.group(1) or found.group(2)


def _opened(client, path: str, name: str) -> str:
    page = client.get(path).get_data(as_text=True)
    client.fetch_csrf(path)
    return _hidden(page, name)


def _actions(app, action: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == action))


@pytest.fixture
def badge_id(app, county):
    with arranged(app):
        record = make_person("BCC-CT", forenames="Shazia", surname="Bibi", authority_reference="CT-H-0042")
        # expiring within the renewal window, so a renewal is allowed
        return make_badge(record, number="BCC000020", expires_on=TODAY + dt.timedelta(days=30)).id


def test_a_stale_badge_status_change_is_refused(app, login, badge_id):
    first, second = login(Role.TRANSPORT_OFFICER), login(Role.TRANSPORT_OFFICER)
    path = f"/badges/{badge_id}/status"
    v1, v2 = _opened(first, path, "version"), _opened(second, path, "version")
    assert v1 == v2
    done = first.submit(path, {"action": "suspend", "reason": "Investigation opened", "version": v1})
    assert done.status_code == 302
    late = second.submit(path, {"action": "withdraw", "reason": "Left the operator", "version": v2})
    assert late.status_code == 400 and STALE in late.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Badge, badge_id).status is BadgeStatus.SUSPENDED
    assert _actions(app, "badge.suspended") == 1 and _actions(app, "badge.withdrawn") == 0
    # Sent again from the same page, the first form is stale too: one suspension.
    again = first.submit(path, {"action": "suspend", "reason": "Investigation opened", "version": v1})
    assert again.status_code == 400 and _actions(app, "badge.suspended") == 1


def test_a_stale_badge_renewal_is_refused(app, login, badge_id):
    first, second = login(Role.TRANSPORT_OFFICER), login(Role.TRANSPORT_OFFICER)
    renew, status = f"/badges/{badge_id}/renew", f"/badges/{badge_id}/status"
    v_renew, v_status = _opened(first, renew, "version"), _opened(second, status, "version")
    withdrawn = second.submit(
        status, {"action": "withdraw", "reason": "Left the operator", "version": v_status}
    )
    assert withdrawn.status_code == 302
    with app.app_context():
        expires_on = db.session.get(Badge, badge_id).expires_on
    late = first.submit(renew, {**_checks(), "version": v_renew})
    assert late.status_code == 400 and STALE in late.get_data(as_text=True)
    with app.app_context():
        badge = db.session.get(Badge, badge_id)
        assert badge.status is BadgeStatus.WITHDRAWN and badge.expires_on == expires_on
    assert _actions(app, "badge.renewed") == 0
    # A renewal opened on the current version lands (the rule, not the version, then refuses a withdrawn one).
    fresh = _opened(first, renew, "version")
    assert fresh != v_renew


def test_two_renewals_opened_together_renew_once(app, login, badge_id):
    first, second = login(Role.TRANSPORT_OFFICER), login(Role.TRANSPORT_OFFICER)
    path = f"/badges/{badge_id}/renew"
    v1, v2 = _opened(first, path, "version"), _opened(second, path, "version")
    assert first.submit(path, {**_checks(), "version": v1}).status_code == 302
    with app.app_context():
        expires_on = db.session.get(Badge, badge_id).expires_on
    late = second.submit(path, {**_checks(), "version": v2})
    assert late.status_code == 400 and STALE in late.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Badge, badge_id).expires_on == expires_on
    assert _actions(app, "badge.renewed") == 1


def test_a_badge_issue_form_sent_twice_issues_one_badge(app, login, county):
    with arranged(app):
        make_person("BCC-CT", forenames="Imran", surname="Malik", authority_reference="CT-H-0077")
    officer = login(Role.TRANSPORT_OFFICER)
    token = _opened(officer, "/badges/new", "form_token")
    data = {"form_token": token, "holder": "existing", "holder_reference": "CT-H-0077",
            "badge_type": "driver", "operator_name": "Chiltern Cars", **_checks()}
    first = officer.submit("/badges/new", data)
    assert first.status_code == 302, first.get_data(as_text=True)
    again = officer.submit("/badges/new", data)
    assert again.status_code == 400 and ALREADY in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Badge.id))) == 1
    assert _actions(app, "badge.issued") == 1
    fresh = _opened(officer, "/badges/new", "form_token")
    assert fresh != token


def test_an_intelligence_form_sent_twice_makes_one_item(app, login, county):
    with arranged(app):
        identity_id = make_person("WDC", forenames="Omar", surname="Latif").identity_id
    spoc = login(Role.POLICE_SPOC)
    path = f"/intelligence/new?identity_id={identity_id}"
    data = {**item_form(), "form_token": _opened(spoc, path, "form_token")}
    assert spoc.submit(path, data).status_code == 302
    again = spoc.submit(path, data)
    assert again.status_code == 400 and ALREADY in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(IntelligenceItem.id))) == 1
    assert _actions(app, "intelligence.submitted") == 1
    # A new subject (no identity yet) is made once too: one police-only record, one item.
    path = "/intelligence/new"
    subject = {
        **item_form(force_reference="TVP/2026/00043"),
        "subject_forenames": "Kamran",
        "subject_surname": "Aziz",
        "subject_date_of_birth": ["3", "3", "1991"],
        "form_token": _opened(spoc, path, "form_token"),
    }
    assert spoc.submit(path, subject).status_code == 302
    assert spoc.submit(path, subject).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(IntelligenceItem.id))) == 2
        assert db.session.scalar(select(func.count()).where(PersonRecord.surname == "Aziz")) == 1


def _edit_form(user: User, **overrides) -> dict:
    return {"name": user.name, "authority_id": user.authority_id, "role": user.role.value, "is_enabled": "y",
            **overrides}


def test_a_stale_user_edit_is_refused(app, login):
    with arranged(app):
        target = make_user(Role.LICENSING_OFFICER, authority="WDC")
        target_id, form = target.id, _edit_form(target)
    first, second = login(Role.ADMINISTRATOR), login(Role.ADMINISTRATOR)
    path = f"/admin/users/{target_id}"
    v1, v2 = _opened(first, path, "version"), _opened(second, path, "version")
    assert first.submit(path, {**form, "name": "Aisha Khan", "version": v1}).status_code == 302
    late = second.submit(path, {**form, "name": "Ayesha Khan", "is_enabled": "", "version": v2})
    assert late.status_code == 400 and STALE in late.get_data(as_text=True)
    with app.app_context():
        user = db.session.get(User, target_id)
        assert user.name == "Aisha Khan" and user.is_enabled
    assert _actions(app, "user.updated") == 1


def test_a_sign_in_does_not_make_an_open_user_edit_stale(app, login):
    """Only an administrator's edit bumps the version: the user signing in meanwhile changes nothing."""
    with arranged(app):
        target = make_user(Role.LICENSING_OFFICER, authority="WDC")
        email, target_id, form = target.email, target.id, _edit_form(target)
    admin = login(Role.ADMINISTRATOR)
    path = f"/admin/users/{target_id}"
    version = _opened(admin, path, "version")
    login(user_email=email)
    assert admin.submit(path, {**form, "name": "Aisha Khan", "version": version}).status_code == 302
    with app.app_context():
        user = db.session.get(User, target_id)
        assert user.name == "Aisha Khan" and user.last_login_at is not None


def test_a_concurrent_user_edit_at_the_database_is_refused(app, county):
    """The version is compared and bumped in one UPDATE: an edit read before a rival commit fails."""
    with arranged(app):
        target_id = make_user(Role.LICENSING_OFFICER, authority="WDC").id
        admin_id = make_user(Role.ADMINISTRATOR).id
    with app.app_context():
        admin = db.session.get(User, admin_id)
        target = mine = db.session.get(User, target_id)
        assert mine.version_id == 1
        with Session(db.engine) as rival:
            rival.execute(update(User).where(User.id == target.id).values(version_id=2, name="Rival name"))
            rival.commit()
        with pytest.raises(StaleSave):
            update_user(mine, name="Late name", authority=mine.authority, role=mine.role, is_enabled=True,
                        actor=admin)
        db.session.rollback()
        assert db.session.get(User, target.id).name == "Rival name"
