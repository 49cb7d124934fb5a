"""Every route x every role: allowed, 403, or a redirect to sign-in. A new route without an entry here
fails."""

import pytest
from sqlalchemy import select

from licensing.auth.models import Role, User
from licensing.db import db
from licensing.people.models import LinkState, RecordLink
from tests.factories import arranged, make_intelligence, make_person, make_user

LO, TO, PS, AD, AU = (Role.LICENSING_OFFICER, Role.TRANSPORT_OFFICER, Role.POLICE_SPOC, Role.ADMINISTRATOR,
                      Role.AUDITOR)
EVERYONE = frozenset(Role)
SEARCHERS = frozenset({LO, TO, PS})

PUBLIC = {"static", "favicon", "auth.sign_in", "main.index", "main.accessibility", "auth.set_up",
          "auth.two_factor", "auth.enrol"}
# endpoint -> roles allowed; anything else signed in gets 403, anonymous users are sent to sign in.
CORE_ROUTES = {
    "auth.sign_out": EVERYONE,
    "main.home": EVERYONE,
    "people.search": SEARCHERS,
    "people.person": SEARCHERS,
    "people.give_reason": SEARCHERS,
    "people.new_record": SEARCHERS,
    "people.review_queue": SEARCHERS,
    "people.review_pair": SEARCHERS,
    "people.unlink": SEARCHERS,
    "people.edit_record": SEARCHERS,
    "people.check_applicant": frozenset({LO}),
    "people.applicant_check": frozenset({LO}),
    "sanctions.record_decision_view": frozenset({LO}),
    "complaints.new_complaint": frozenset({LO, TO}),
    "requests.new_request": frozenset({LO, TO}),
    "requests.index": frozenset({LO, TO}),
    "requests.detail": frozenset({LO, TO}),
    "alerts.inbox": frozenset({LO, TO}),
    "alerts.acknowledge": frozenset({LO, TO}),
    "audit.events": frozenset({AD, AU}),
    "admin.users": frozenset({AD}),
    "admin.new_user": frozenset({AD}),
    "admin.edit_user": frozenset({AD}),
    "admin.unlock": frozenset({AD}),
    "admin.authorities": frozenset({AD}),
    "admin.new_authority": frozenset({AD}),
}


def _area_expectations() -> dict:
    """Each area's tests may add `ROUTE_ROLES = {endpoint: roles}` in tests/<area>/route_roles.py."""
    import importlib
    from pathlib import Path

    merged = dict(CORE_ROUTES)
    for path in sorted(Path(__file__).resolve().parents[1].glob("*/route_roles.py")):
        merged.update(importlib.import_module(f"tests.{path.parent.name}.route_roles").ROUTE_ROLES)
    return merged


EXPECTED = _area_expectations()


def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - PUBLIC == set(EXPECTED), (
        "add each new route with the roles allowed (CORE_ROUTES or tests/<area>/route_roles.py)"
    )


def _sample_ids(record, other) -> dict[str, int]:
    """One object of each kind that a route takes by id."""
    import datetime as dt

    from licensing.alerts.models import Alert, AlertKind
    from licensing.licences.models import Badge, BadgeStatus, BadgeType
    from licensing.people.models import ApplicantCheck, Nr3sOutcome
    from licensing.requests.models import InformationRequest, RequestKind

    officer = make_user(LO)
    check = ApplicantCheck(
        authority_id=record.authority_id,
        checked_by_id=officer.id,
        applicant_reference="A1",
        nr3s_outcome=Nr3sOutcome.NOT_SEARCHED,
    )
    request = InformationRequest(
        kind=RequestKind.INFORMATION_REQUEST,
        identity_id=record.identity_id,
        from_authority_id=other.authority_id,
        to_authority_id=record.authority_id,
        requested_by_id=officer.id,
        sent_on=dt.date(2026, 1, 5),
        due_on=dt.date(2026, 2, 2),
    )
    alert = Alert(
        authority_id=record.authority_id,
        identity_id=record.identity_id,
        kind=AlertKind.DECISION,
        subject_type="person_records",
        subject_id=record.id,
        raised_by_authority_id=other.authority_id,
    )
    badge_holder = make_person("BCC-CT")
    badge = Badge(
        person_record_id=badge_holder.id,
        authority_id=badge_holder.authority_id,
        badge_type=BadgeType.DRIVER,
        number="BCC900001",
        operator_name="Matrix Cars",
        status=BadgeStatus.VALID,
        issued_on=dt.date(2025, 1, 1),
        expires_on=dt.date(2028, 1, 1),
    )
    item = make_intelligence(make_person("TVP"))
    db.session.add_all([check, request, alert, badge])
    db.session.commit()
    return {"check_id": check.id, "request_id": request.id, "alert_id": alert.id, "badge_id": badge.id,
            "item_id": item.id}


def _urls(app):
    """One concrete URL and method per rule, with ids of real objects."""
    with arranged(app):
        record = make_person("WDC")
        other = make_person("CDC")
        link = db.session.scalar(select(RecordLink).where(RecordLink.record_a_id == record.id,
                                                          RecordLink.record_b_id == other.id))
        link = link or RecordLink(
            record_a_id=record.id, record_b_id=other.id, score=0.7, evidence=[], summary=""
        )
        link.state = LinkState.PENDING
        db.session.add(link)
        db.session.commit()
        user_id = db.session.scalar(select(User.id)) or make_user(AD).id
        values = {"identity_id": record.identity_id, "user_id": user_id, "authority_id": record.authority_id,
                  "attachment_id": 1, "operator_id": 1, "record_id": record.id, "link_id": link.id,
                  **_sample_ids(record, other)}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC or rule.endpoint.startswith("api."):
            continue  # the bearer-token API has its own matrix: tests/api/test_api_access.py
        url = rule.rule
        for name in rule.arguments:
            url = url.replace(f"<int:{name}>", str(values.get(name, 1)))  # an area's own ids: 404 is fine
        method = "GET" if "GET" in rule.methods else "POST"
        yield rule.endpoint, method, url


@pytest.mark.parametrize("role", list(Role))
def test_role_route_matrix(app, login, role):
    with arranged(app):
        make_user(AD)  # so a user id exists for the admin routes
    client = login(role)
    for endpoint, method, url in _urls(app):
        if endpoint == "auth.sign_out":
            continue
        response = client.get(url) if method == "GET" else client.submit(url, {})
        allowed = role in EXPECTED[endpoint]
        if allowed:
            assert response.status_code != 403, (role, endpoint, url)
        else:
            assert response.status_code == 403, (role, endpoint, url, response.status_code)


def test_anonymous_users_are_sent_to_sign_in_everywhere(app, client, county):
    for endpoint, method, url in _urls(app):
        response = client.get(url) if method == "GET" else client.post(url)
        if method == "POST" and response.status_code == 400:
            continue  # CSRF rejected before anything else: also no access
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"], (endpoint, url)


def test_denied_access_is_audited(app, login):
    from licensing.audit.models import AuditEvent

    officer = login(LO)
    assert officer.get("/audit/").status_code == 403
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "access.denied"))
        assert event.user_email == officer.user_email and event.details == {"view": "events"}
