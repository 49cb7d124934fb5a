"""The API's endpoints obey the web's rules: reasons, visibility, own writes, conflicts, pages."""

import datetime as dt

import pytest
from sqlalchemy import select

from licensing import create_app
from licensing.alerts.models import Alert, AlertKind
from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.db import db
from licensing.intelligence.models import IntelligenceItem
from licensing.people.models import PersonRecord
from tests.factories import arranged, authority, join_records, make_intelligence, make_person
from tests.licences.factories import make_badge, make_complaint

REASON = {"reason": "Licence application 2026/77"}


def _events(action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_search_needs_a_reason_and_returns_ranked_identities_the_caller_may_see(app, api):
    with arranged(app):
        council = make_person("WDC", forenames="Apia", surname="Searchable", authority_reference="WDC-API")
        police = make_person("TVP", forenames="Apia", surname="Searchable", authority_reference="TVP-API")
        join_records(council, police)
    officer = api(Role.LICENSING_OFFICER)
    missing = officer.post("/api/v1/search", json={"surname": "Searchable"})
    assert missing.status_code == 400 and "reason" in missing.get_json()["error"]["fields"]
    nothing = officer.post("/api/v1/search", json=REASON)
    assert nothing.status_code == 400
    body = officer.post("/api/v1/search", json={"surname": "Searchable", **REASON}).get_json()
    assert body["total"] == 1 and body["page"] == 1
    hit = body["items"][0]
    assert hit["score"] > 0 and hit["explanation"]
    assert [(r["authority_code"], r["reference"]) for r in hit["records"]] == [("WDC", "WDC-API")]
    police_view = (
        api(Role.POLICE_SPOC).post("/api/v1/search", json={"surname": "Searchable", **REASON}).get_json()
    )
    assert sorted(r["reference"] for r in police_view["items"][0]["records"]) == ["TVP-API", "WDC-API"]
    extra = officer.post("/api/v1/search", json={"surname": "Searchable", "role": "administrator", **REASON})
    assert extra.status_code == 400 and "role" in extra.get_json()["error"]["fields"]  # no mass assignment
    with app.app_context():
        event = _events("person.searched")[0]
        assert event.reason == REASON["reason"] and event.details["via"] == "api"


def test_identity_follows_the_person_page_rules(app, api):
    with arranged(app):
        council = make_person("WDC", surname="Identityview")
        police = make_person("TVP", surname="Identityview")
        identity_id = join_records(council, police)
        make_intelligence(police, handling="P")
        make_complaint(council)
        police_only = make_person("TVP", surname="Policeonly").identity_id
    other = api(Role.LICENSING_OFFICER, "CDC")
    assert other.get(f"/api/v1/identities/{identity_id}").status_code == 400  # no reason given yet
    response = other.get(f"/api/v1/identities/{identity_id}", headers={"X-Reason": "Hearing 2026/3"})
    body = response.get_json()
    assert response.status_code == 200 and [r["authority_code"] for r in body["records"]] == ["WDC"]
    assert body["intelligence"][0]["level"] == "summary" and "Informant X" not in response.get_data(
        as_text=True
    )
    assert body["complaints"][0]["complainant_name"] is None
    own = (
        api(Role.LICENSING_OFFICER, "WDC")
        .get(f"/api/v1/identities/{identity_id}", headers={"X-Reason": "Hearing 2026/4"})
        .get_json()
    )
    assert own["complaints"][0]["complainant_name"] == "C Smith"
    police = api(Role.POLICE_SPOC).get(
        f"/api/v1/identities/{identity_id}", headers={"X-Reason": "Op Kestrel"}
    )
    assert "Informant X" in police.get_data(as_text=True)
    assert (
        other.get(f"/api/v1/identities/{police_only}", headers={"X-Reason": "Hearing 2026/3"}).status_code
        == 404
    )
    assert other.get("/api/v1/identities/99999999999", headers={"X-Reason": "Hearing"}).status_code == 404
    with app.app_context():
        assert {e.reason for e in _events("person.viewed")} == {
            "Hearing 2026/3",
            "Hearing 2026/4",
            "Op Kestrel",
        }


def test_badge_check_states_a_reason_and_audits_it(app, api):
    with arranged(app):
        make_badge(make_person("BCC-CT", surname="Badgeholder"), number="BCC123456")
    checker = api(Role.TRANSPORT_OFFICER)
    found = checker.post("/api/v1/badges/check", json={"number": "bcc 123456", "reason": "School run check"})
    found = found.get_json()
    assert (
        found["found"] is True and found["status"] == "valid" and found["holder_name"].endswith("Badgeholder")
    )
    missing = checker.post("/api/v1/badges/check", json={"number": "NOPE1", "reason": "Roadside check"})
    assert missing.get_json() == {
        "number": "NOPE1",
        "found": False,
        "status": None,
        "holder_name": None,
        "identity_id": None,
        "flags": [],
        "complaints": 0,
    }
    with app.app_context():
        assert [(e.reason, e.details["found"]) for e in _events("badge.checked")] == [
            ("School run check", True),
            ("Roadside check", False),
        ]


@pytest.mark.parametrize("body", [{"number": "BCC123456"}, {"number": "BCC123456", "reason": "  "},
                                  {"number": "BCC123456", "reason": "x" * 301}])
def test_badge_check_without_a_reason_is_400_with_field_errors_and_not_audited(app, api, body):
    with arranged(app):
        make_badge(make_person("BCC-CT", surname="Badgeholder"), number="BCC123456")
    response = api(Role.TRANSPORT_OFFICER).post("/api/v1/badges/check", json=body)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["status"] == 400 and "reason" in error["fields"]
    with app.app_context():
        assert _events("badge.checked") == []


def test_openapi_requires_the_badge_checks_reason(app, api):
    document = api(Role.TRANSPORT_OFFICER).get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/api/v1/badges/check"]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    schema = document["components"]["schemas"][ref]
    assert set(schema["required"]) == {"number", "reason"}
    assert schema["properties"]["reason"]["minLength"] == 5


RECORD = {
    "forenames": "Rhys",
    "surname": "Apiwriter",
    "date_of_birth": "1984-02-29",
    "sex": "M",
    "address_line": "1 Station Road",
    "town": "Amersham",
    "postcode": "HP6 5AA",
    "national_insurance": "AB123456C",
    "licence": {
        "licence_type": "private_hire_driver",
        "number": "PH 777",
        "status": "granted",
        "start": "2025-01-01",
        "expiry": "2028-01-01",
    },
}


def test_put_record_creates_updates_links_and_refuses_stale_versions(app, api):
    with arranged(app):
        make_person(
            "CDC",
            forenames="Rhys",
            surname="Apiwriter",
            date_of_birth=dt.date(1984, 2, 29),
            national_insurance="AB123456C",
        )
    officer = api(Role.LICENSING_OFFICER, "WDC")
    created = officer.put("/api/v1/records/WDC-9", json=RECORD).get_json()
    assert created["created"] is True and created["record"]["reference"] == "WDC-9" and created["linked"] == 1
    version = created["record"]["version"]
    same = officer.put("/api/v1/records/WDC-9", json=RECORD | {"version": version}).get_json()
    assert same["created"] is False and same["record"]["version"] == version
    moved = officer.put(
        "/api/v1/records/WDC-9", json=RECORD | {"version": version, "address_line": "2 Hill Rise"}
    )
    assert moved.status_code == 200
    stale = officer.put("/api/v1/records/WDC-9", json=RECORD | {"version": version, "town": "Chesham"})
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "conflict"
    bad = officer.put("/api/v1/records/WDC-10", json=RECORD | {"national_insurance": "QQ1"})
    assert bad.status_code == 400 and "national_insurance" in bad.get_json()["error"]["fields"]
    taken = officer.put("/api/v1/records/WDC-11", json=RECORD | {"national_insurance": ""})
    assert taken.status_code == 400 and "licence_number" in taken.get_json()["error"]["fields"]
    with app.app_context():
        record = db.session.scalar(select(PersonRecord).where(PersonRecord.authority_reference == "WDC-9"))
        assert record.authority.code == "WDC" and record.licences[0].number == "PH777"
        assert record.current_address.line1 == "2 Hill Rise"
        assert _events("link.automatic")


def test_decision_on_own_record_only(app, api):
    with arranged(app):
        make_person("WDC", authority_reference="WDC-DEC")
        make_person("CDC", authority_reference="CDC-DEC")
    officer = api(Role.LICENSING_OFFICER, "WDC")
    decision = {
        "decision": "warning",
        "grounds": "road_safety",
        "decided_on": "2026-01-10",
        "effective_on": "2026-01-10",
        "decision_maker": "Licensing Manager",
        "narrative": "Speeding",
    }
    made = officer.post("/api/v1/records/WDC-DEC/decisions", json=decision)
    assert made.status_code == 201, made.get_json()
    assert officer.post("/api/v1/records/CDC-DEC/decisions", json=decision).status_code == 404
    future = officer.post(
        "/api/v1/records/WDC-DEC/decisions",
        json=decision | {"decided_on": "2099-01-01", "effective_on": "2099-01-01"},
    )
    assert future.status_code == 400 and "future" in future.get_json()["error"]["message"]


def test_police_submit_intelligence(app, api):
    with arranged(app):
        identity_id = make_person("WDC", surname="Subject").identity_id
    item = {
        "identity_id": identity_id,
        "source_evaluation": "2",
        "intelligence_assessment": "A",
        "handling_code": "P",
        "status": "intelligence",
        "category": "child_exploitation",
        "force_reference": "TVP/2026/1",
        "full_text": "Seen with a child at 2am",
        "sanitised_summary": "Police hold safeguarding information",
        "review_on": (dt.date.today() + dt.timedelta(days=200)).isoformat(),
    }
    police = api(Role.POLICE_SPOC)
    response = police.post("/api/v1/intelligence", json=item)
    assert response.status_code == 201, response.get_json()
    wrong = police.post("/api/v1/intelligence", json=item | {"source_evaluation": "untested"})
    assert wrong.status_code == 400 and "source_evaluation" in wrong.get_json()["error"]["fields"]
    assert police.post("/api/v1/intelligence", json=item | {"identity_id": 99999}).status_code == 404
    officer = api(Role.LICENSING_OFFICER)
    assert officer.post("/api/v1/intelligence", json=item).status_code == 403
    with app.app_context():
        assert (
            db.session.get(IntelligenceItem, response.get_json()["item_id"]).full_text
            == "Seen with a child at 2am"
        )


def test_alerts_paginate_and_acknowledge_once(app, api):
    with arranged(app):
        record = make_person("WDC")
        ids = []
        for n in range(3):
            alert = Alert(
                authority_id=authority("WDC").id,
                identity_id=record.identity_id,
                kind=AlertKind.DECISION,
                subject_type="person_records",
                subject_id=record.id,
                summary=f"Alert {n}",
                raised_by_authority_id=authority("CDC").id,
            )
            db.session.add(alert)
            db.session.flush()
            ids.append(alert.id)
        db.session.commit()
    officer = api(Role.LICENSING_OFFICER, "WDC")
    first = officer.get("/api/v1/alerts?per_page=2").get_json()
    second = officer.get("/api/v1/alerts?per_page=2&page=2").get_json()
    assert (first["total"], first["pages"], len(first["items"]), len(second["items"])) == (3, 2, 2, 1)
    assert officer.get("/api/v1/alerts?per_page=1000").status_code == 400
    assert officer.get("/api/v1/alerts?page=abc").status_code == 400
    done = officer.post(
        f"/api/v1/alerts/{ids[0]}/acknowledge", json={"action_taken": "Suspended the licence"}
    )
    assert done.status_code == 200 and done.get_json()["acknowledged"] is True
    again = officer.post(f"/api/v1/alerts/{ids[0]}/acknowledge", json={"action_taken": "Again"})
    assert again.status_code == 409
    other = api(Role.LICENSING_OFFICER, "CDC")
    assert (
        other.post(f"/api/v1/alerts/{ids[1]}/acknowledge", json={"action_taken": "Mine?"}).status_code == 404
    )


def test_too_large_and_rate_limited_answer_in_json(app, api, database_url):
    officer = api(Role.LICENSING_OFFICER)
    huge = officer.client.post(
        "/api/v1/search",
        data=b"{" + b" " * (6 * 1024 * 1024) + b"}",
        headers={**officer._headers(), "Content-Type": "application/json"},
    )
    assert huge.status_code == 413 and huge.get_json()["error"]["code"] == "too_large"
    from config import TestingConfig

    limited = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=database_url,
        API_RATE_LIMIT="2 per minute",
        RATELIMIT_STORAGE_URI="memory://",
    )
    client = limited.test_client()
    statuses = [client.get("/api/v1/alerts", headers=officer._headers()).status_code for _ in range(4)]
    assert statuses == [200, 200, 429, 429]
    body = client.get("/api/v1/alerts", headers=officer._headers()).get_json()
    assert body["error"]["status"] == 429 and body["error"]["code"] == "rate_limited"
    with limited.app_context():
        db.engine.dispose()


def test_openapi_lists_every_api_route(app, api):
    document = api(Role.AUDITOR).get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    documented = {(path, method.upper()) for path, ops in document["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1") and rule.endpoint != "api.openapi":
            path = rule.rule
            for converter in ("int:", "string:"):
                path = path.replace(f"<{converter}", "{")
            path = path.replace(">", "}")
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (path, method) in documented, (path, method)
    search = document["paths"]["/api/v1/search"]["post"]
    assert search["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("SearchRequest")
    assert "reason" in document["components"]["schemas"]["SearchRequest"]["required"]
