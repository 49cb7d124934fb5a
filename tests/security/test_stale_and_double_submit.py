"""Finding 9, the rest: a stale edit of a person record or a police item is refused with nothing overwritten,
and a create form sent twice (double click, resend) makes one record, its one-time token held in the
database so every worker sees it."""

import datetime as dt
import re

from sqlalchemy import func, select

from licensing.auth.models import Role
from licensing.complaints.models import Complaint
from licensing.db import db
from licensing.intelligence.models import IntelligenceItem
from licensing.people.models import PersonRecord
from licensing.sanctions.models import Sanction
from tests.factories import arranged, clock_date, make_person
from tests.intelligence.factories import item_form
from tests.statements import recorded_statements

STALE = "Someone else changed this since you opened it"
ALREADY = "This form was already sent"
TODAY = clock_date(__name__)


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" type="hidden" value="([^"]*)"|name="{name}" value="([^"]*)"', page)
    assert found, f"no hidden {name}"
    return found.group(1) or found.group(2)


def _opened(client, path: str) -> dict:
    page = client.get(path).get_data(as_text=True)
    client.fetch_csrf(path)
    return {name: _hidden(page, name) for name in ("form_token", "version") if f'name="{name}"' in page}


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_complaint_sent_twice_is_recorded_once(app, login):
    with arranged(app):
        record_id = make_person("WDC").id
    officer = login(Role.LICENSING_OFFICER, "WDC")
    path = f"/records/{record_id}/complaints/new"
    token = _opened(officer, path)["form_token"]
    data = {
        "form_token": token,
        "received_on": [str(TODAY.day), str(TODAY.month), str(TODAY.year)],
        "source": "public",
        "category": "rudeness",
        "narrative": "Swore at a passenger",
        "substantiated": "",
    }
    assert officer.submit(path, data).status_code == 302
    again = officer.submit(path, data)
    assert again.status_code == 400 and ALREADY in again.get_data(as_text=True)
    assert _count(app, Complaint) == 1
    fresh = _opened(officer, path)["form_token"]
    assert fresh != token and officer.submit(path, {**data, "form_token": fresh}).status_code == 302
    assert _count(app, Complaint) == 2


def test_a_decision_sent_twice_is_recorded_once(app, login):
    with arranged(app):
        record_id = make_person("WDC").id
    officer = login(Role.LICENSING_OFFICER, "WDC")
    path = f"/records/{record_id}/decision"
    token = _opened(officer, path)["form_token"]
    day = [str(TODAY.day), str(TODAY.month), str(TODAY.year)]
    data = {
        "form_token": token,
        "decision": "warning",
        "grounds": "road_safety",
        "decided_on": day,
        "effective_on": day,
        "decision_maker": "Licensing manager",
        "narrative": "Speeding in a school zone",
        "licence_id": "0",
        "appeal_outcome": "none",
        "new_licence_type": "",
    }
    first = officer.submit(path, data)
    assert first.status_code == 302, first.get_data(as_text=True)
    again = officer.submit(path, data)
    assert again.status_code == 400 and ALREADY in again.get_data(as_text=True)
    assert _count(app, Sanction) == 1


def test_a_new_record_sent_twice_is_made_once(app, login):
    officer = login(Role.LICENSING_OFFICER, "WDC")
    token = _opened(officer, "/records/new")["form_token"]
    data = {
        "form_token": token,
        "authority_reference": "WDC-D-777001",
        "forenames": "Yasir",
        "surname": "Rafiq",
        "date_of_birth": ["2", "4", "1985"],
        "sex": "M",
        "address_line": "3 Totteridge Lane",
        "town": "High Wycombe",
        "postcode": "HP13 7QE",
    }
    assert officer.submit("/records/new", data).status_code == 302
    again = officer.submit("/records/new", {**data, "authority_reference": "WDC-D-777002"})
    assert again.status_code == 400 and ALREADY in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(PersonRecord.surname == "Rafiq")) == 1


def test_a_stale_person_record_edit_is_refused(app, login):
    with arranged(app):
        record = make_person("WDC", forenames="Bilal", surname="Anwar", date_of_birth=dt.date(1988, 8, 8))
        record_id = record.id
    first, second = login(Role.LICENSING_OFFICER, "WDC"), login(Role.LICENSING_OFFICER, "WDC")
    path = f"/records/{record_id}/edit"
    opened_first, opened_second = _opened(first, path), _opened(second, path)
    assert opened_first["version"] == opened_second["version"]
    base = {
        "forenames": "Bilal",
        "date_of_birth": ["8", "8", "1988"],
        "sex": "M",
        "address_line": "1 Oxford Rd",
        "town": "High Wycombe",
        "postcode": "HP11 2BZ",
    }
    assert (
        first.submit(path, {**base, "surname": "Anwar-Shah", "version": opened_first["version"]}).status_code
        == 302
    )
    stale = second.submit(path, {**base, "surname": "Anvar", "version": opened_second["version"]})
    assert stale.status_code in (400, 409) and STALE in stale.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(PersonRecord, record_id).surname == "Anwar-Shah"


def test_a_stale_police_item_edit_is_refused(app, login):
    with arranged(app):
        identity_id = make_person("WDC", forenames="Omar", surname="Latif").identity_id
    first = login(Role.POLICE_SPOC)
    assert first.submit(f"/intelligence/new?identity_id={identity_id}", item_form()).status_code == 302
    with app.app_context():
        item_id = db.session.scalar(select(IntelligenceItem.id))
    second = login(Role.POLICE_SPOC)
    second.submit(f"/people/{identity_id}/reason", {"reason": "Review of TVP/2026/00042"})
    path = f"/intelligence/{item_id}/edit"
    version_first, version_second = _opened(first, path)["version"], _opened(second, path)["version"]
    assert (
        first.submit(
            path, {**item_form(status="charged"), "change_reason": "Charged today", "version": version_first}
        ).status_code
        == 302
    )
    stale = second.submit(
        path,
        {**item_form(status="no_further_action"), "change_reason": "NFA decided", "version": version_second},
    )
    assert stale.status_code in (400, 409) and STALE in stale.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(IntelligenceItem, item_id).status.value == "charged"


def test_a_create_forms_token_is_claimed_without_a_savepoint_and_stale_tokens_go(app, login):
    """The token is taken with INSERT ... ON CONFLICT DO NOTHING (no savepoint round trips to catch a
    duplicate); on PostgreSQL the stale tokens' DELETE is in that same statement."""
    from licensing.auth.models import FormSubmission, User

    officer = login(Role.LICENSING_OFFICER, "WDC")
    with arranged(app):
        user_id = db.session.scalar(select(User.id).limit(1))
        db.session.add(FormSubmission(token="stale-token", user_id=user_id,
                                      submitted_at=dt.datetime(2020, 1, 1)))
    token = _opened(officer, "/records/new")["form_token"]
    with app.app_context():
        postgresql = db.engine.dialect.name == "postgresql"
    with recorded_statements(app) as statements:
        made = officer.submit("/records/new", {
            "form_token": token, "authority_reference": "WDC-D-777101", "forenames": "Yasir",
            "surname": "Quorndon", "date_of_birth": ["2", "4", "1985"], "sex": "M",
            "address_line": "3 Totteridge Lane", "town": "High Wycombe", "postcode": "HP13 7QE"})
    touching = [s.upper() for s in statements if "FORM_SUBMISSIONS" in s.upper() or "SAVEPOINT" in s.upper()]
    assert made.status_code == 302
    assert len(touching) == (1 if postgresql else 2), touching
    assert not any("SAVEPOINT" in s for s in touching)
    with app.app_context():
        assert db.session.scalars(select(FormSubmission.token)).all() == [token]
