"""The reports' summary tables follow every write path (triggers); `flask reports rebuild` recomputes them.

The expected rows are worked out here in Python from the complaints, decisions, records and addresses read
through the ORM, never by the summaries' own SQL."""

import datetime as dt

from sqlalchemy import select, text

from licensing.api.tokens import create_token
from licensing.auth.models import Role
from licensing.complaints.models import Complaint
from licensing.db import db
from licensing.people.models import PersonRecord
from licensing.reports.models import ReportComplaint, ReportDecision
from licensing.sanctions.models import Sanction
from seed.demo import load_demo
from tests.complaints.test_complaints import _complaint as complaint_form
from tests.factories import arranged, make_person, make_user
from tests.imports.helpers import csv_file, person_row
from tests.retention.test_retention import RATIONALE, _decide, _sanction
from tests.sanctions.test_decisions import _licensed, _revocation


def _district(record: PersonRecord) -> str | None:
    """The outward code of the record's current address: latest from date (none last), then latest id."""
    addresses = sorted(
        record.addresses, key=lambda a: (a.from_on is not None, a.from_on or dt.date.min, a.id), reverse=True
    )
    if not addresses:
        return None
    return addresses[0].postcode.strip().split(" ")[0].upper()


def _expected() -> tuple[set, set]:
    db.session.expire_all()
    complaints = {
        (
            c.id,
            c.authority_id,
            c.received_on,
            c.category.value,
            c.substantiated,
            c.person_record_id,
            c.person.identity_id,
            _district(c.person),
        )
        for c in db.session.scalars(select(Complaint))
    }
    decisions = {
        (s.id, s.authority_id, s.decided_on, s.sanction_type.value, s.grounds.value, s.person_record_id,
         s.person.identity_id)
        for s in db.session.scalars(select(Sanction))
    }
    return complaints, decisions


def _summaries() -> tuple[set, set]:
    complaints = {
        (r.complaint_id, r.authority_id, r.received_on, r.category, r.substantiated, r.person_record_id,
         r.identity_id, r.district)
        for r in db.session.scalars(select(ReportComplaint))
    }
    decisions = {
        (r.sanction_id, r.authority_id, r.decided_on, r.sanction_type, r.grounds, r.person_record_id,
         r.identity_id)
        for r in db.session.scalars(select(ReportDecision))
    }
    return complaints, decisions


def _assert_in_step(app) -> tuple[set, set]:
    with app.app_context():
        expected, held = _expected(), _summaries()
        assert held[0] == expected[0]
        assert held[1] == expected[1]
        return held


def test_the_demo_seed_fills_the_summaries(app):
    with arranged(app):
        load_demo(n_records=120, echo=lambda _: None)
    complaints, decisions = _assert_in_step(app)
    assert len(complaints) > 5 and len(decisions) > 5
    assert len({c[7] for c in complaints}) > 3  # several postcode districts


def test_web_forms_api_import_unlink_and_disposal_keep_the_summaries_in_step(app, login, runner, tmp_path):
    # Web forms: a complaint and a revocation.
    with arranged(app):
        record, licence = _licensed("WDC", "PH900001", surname="Summarised", postcode="hp13 6ex")
        record_id, licence_id = record.id, licence.id
    officer = login(Role.LICENSING_OFFICER, "WDC")
    assert officer.submit(f"/records/{record_id}/complaints/new", complaint_form()).status_code == 302
    assert officer.submit(f"/records/{record_id}/decision", _revocation(licence_id)).status_code == 302
    complaints, decisions = _assert_in_step(app)
    assert (record_id, "HP13") in {(c[5], c[7]) for c in complaints}
    assert any(d[5] == record_id and d[3] == "revocation" for d in decisions)

    # The JSON API: a decision.
    with arranged(app):
        make_person("WDC", authority_reference="WDC-SUM")
        user = make_user(Role.LICENSING_OFFICER, authority="WDC")
        token, _ = create_token(user, "test system", actor=None)
    made = app.test_client().post(
        "/api/v1/records/WDC-SUM/decisions",
        json={"decision": "warning", "grounds": "road_safety", "decided_on": "2026-01-10",
              "effective_on": "2026-01-10", "decision_maker": "Licensing Manager", "narrative": "Speeding"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert made.status_code == 201, made.get_json()
    _, decisions = _assert_in_step(app)
    assert any(d[3] == "warning" and d[2] == dt.date(2026, 1, 10) for d in decisions)

    # The bulk import (executemany): a complaint on an imported record follows its new address on reimport.
    path = tmp_path / "register.csv"
    path.write_bytes(csv_file([person_row(1)]))
    assert runner.invoke(args=["import-records", str(path), "--authority", "WDC"]).exit_code == 0
    with app.app_context():
        imported_id = db.session.scalar(
            select(PersonRecord.id).where(PersonRecord.authority_reference == "REF00001")
        )
    assert officer.submit(f"/records/{imported_id}/complaints/new", complaint_form()).status_code == 302
    path.write_bytes(csv_file([person_row(1, address_line="9 New Road", postcode="SL7 1AB")]))
    result = runner.invoke(args=["import-records", str(path), "--authority", "WDC"])
    assert result.exit_code == 0, result.output
    complaints, _ = _assert_in_step(app)
    assert (imported_id, "SL7") in {(c[5], c[7]) for c in complaints}

    # An unlink moves a record with a complaint and a decision to a new identity.
    with arranged(app):
        a = make_person("WDC", forenames="Naveed", surname="Akhtar", national_insurance="JT333333C",
                        date_of_birth=dt.date(1990, 7, 7))
        b = make_person("CDC", forenames="Naveed", surname="Akhtar", national_insurance="JT333333C",
                        date_of_birth=dt.date(1990, 7, 7))
        b_id, shared = b.id, a.identity_id
        assert b.identity_id == shared  # linked by the matching on the shared NI number
        _sanction(b, dt.date(2026, 3, 1))
    cdc_officer = login(Role.LICENSING_OFFICER, "CDC")
    assert cdc_officer.submit(f"/records/{b_id}/complaints/new", complaint_form()).status_code == 302
    with app.app_context():
        assert {r.identity_id for r in db.session.scalars(
            select(ReportDecision).where(ReportDecision.person_record_id == b_id))} == {shared}
    cdc_officer.submit(f"/records/{b_id}/unlink", {"reason": "Different man: confirmed with WDC"})
    # The record carries a decision, so a second officer approves the unlink.
    login(Role.LICENSING_OFFICER, "CDC").submit(f"/records/{b_id}/unlink/approve", {})
    complaints, decisions = _assert_in_step(app)
    assert {c[6] for c in complaints if c[5] == b_id} | {d[6] for d in decisions if d[5] == b_id} != {shared}

    # Retention disposal deletes a decision (and the record left holding nothing, with its addresses).
    with arranged(app):
        old = make_person("AVDC", forenames="Tariq", surname="Mahmood", national_insurance="JT454545C",
                          date_of_birth=dt.date(1979, 3, 14))
        disposed = _sanction(old, dt.date(2012, 1, 9)).id
    admin = login(Role.ADMINISTRATOR)
    response = _decide(
        admin, f"/retention/sanctions/{disposed}", {"outcome": "dispose", "rationale": RATIONALE}
    )
    assert response.status_code == 302
    _, decisions = _assert_in_step(app)
    assert disposed not in {d[0] for d in decisions}


def test_rebuild_recomputes_the_summaries_from_the_rows(app, runner):
    with arranged(app):
        load_demo(n_records=60, echo=lambda _: None)
    with app.app_context():
        # Rows the triggers never saw (as a COPY with triggers off would leave them), and stale ones.
        db.session.execute(text("DELETE FROM report_decisions"))
        db.session.execute(text("UPDATE report_complaints SET district = 'XX1', identity_id = NULL"))
        db.session.commit()
        assert _summaries() != _expected()
    result = runner.invoke(args=["reports", "rebuild"])
    assert result.exit_code == 0, result.output
    complaints, decisions = _assert_in_step(app)
    assert f"report_complaints {len(complaints):,} rows" in result.output
    assert f"report_decisions {len(decisions):,} rows" in result.output and decisions
