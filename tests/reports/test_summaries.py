"""The reports' summary tables follow every write path (triggers); `flask reports rebuild` recomputes them.

The expected rows are worked out here in Python from the complaints, decisions, records and addresses read
through the ORM, never by the summaries' own SQL."""

import datetime as dt

from sqlalchemy import delete, func, insert, select, text, update

from licensing.api.tokens import create_token
from licensing.auth.models import Role
from licensing.complaints.models import Complaint
from licensing.db import db
from licensing.licences.models import Badge, BadgeStatus, Licence, LicenceStatus
from licensing.people.models import PersonRecord, RecordLink
from licensing.reports.models import (
    NO_DATE,
    OPEN_ENDED,
    ReportBadge,
    ReportComplaint,
    ReportDecision,
    ReportLink,
    ReportStock,
)
from licensing.sanctions.models import Sanction
from seed.demo import load_demo
from tests.complaints.test_complaints import _complaint as complaint_form
from tests.factories import arranged, make_person, make_user
from tests.imports.helpers import csv_file, person_row
from tests.licences.test_badge_changes import _issue_data
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


def _expected() -> tuple[set, set, set]:
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
    badges = {
        (b.id, b.authority_id, b.badge_type.value, b.status.value, b.issued_on, b.expires_on,
         b.safeguarding_training_on, b.dbs_certificate_id,
         *((b.dbs_certificate.update_service_subscribed,
            b.dbs_certificate.last_status_check_on or b.dbs_certificate.issued_on)
           if b.dbs_certificate else (None, None)))
        for b in db.session.scalars(select(Badge))
    }
    return complaints, decisions, badges


def _summaries() -> tuple[set, set, set]:
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
    badges = {
        (r.badge_id, r.authority_id, r.badge_type, r.status, r.issued_on, r.expires_on, r.training_on,
         r.dbs_certificate_id, r.dbs_subscribed, r.dbs_checked_on)
        for r in db.session.scalars(select(ReportBadge))
    }
    return complaints, decisions, badges


def _expected_stock_and_links() -> tuple[dict, set]:
    """Badges and licences counted by group, and each link with its records' authorities, from the rows."""
    stock: dict = {}

    def add(key):
        stock[key] = stock.get(key, 0) + 1

    for licence in db.session.scalars(select(Licence)):
        add(("licence", licence.licence_type.value, licence.status.value, licence.expires_on or OPEN_ENDED,
             licence.issued_on or OPEN_ENDED, licence.authority_id,
             licence.safeguarding_training_on or NO_DATE, -1, NO_DATE))
    for badge in db.session.scalars(select(Badge)):
        certificate = badge.dbs_certificate
        dbs = (
            (int(certificate.update_service_subscribed),
             certificate.last_status_check_on or certificate.issued_on)
            if certificate else (-1, NO_DATE)
        )
        add(("badge", badge.badge_type.value, badge.status.value, badge.expires_on, badge.issued_on,
             badge.authority_id, badge.safeguarding_training_on or NO_DATE, *dbs))
    links = {
        (link.id, link.state.value, link.set_at, link.created_at, link.record_a_id, link.record_b_id,
         link.record_a.authority_id, link.record_b.authority_id)
        for link in db.session.scalars(select(RecordLink))
    }
    return stock, links


def _held_stock_and_links() -> tuple[dict, set]:
    stock = {
        (r.holding, r.kind, r.status, r.expires_on, r.issued_on, r.authority_id, r.training_on, r.dbs_state,
         r.dbs_checked_on): r.n
        for r in db.session.scalars(select(ReportStock))
    }
    links = {
        (r.link_id, r.state, r.set_at, r.created_at, r.record_a_id, r.record_b_id, r.authority_a,
         r.authority_b)
        for r in db.session.scalars(select(ReportLink))
    }
    return stock, links


def _assert_in_step(app) -> tuple[set, set, set]:
    with app.app_context():
        expected, held = _expected(), _summaries()
        assert held[0] == expected[0]
        assert held[1] == expected[1]
        assert held[2] == expected[2]
        assert _held_stock_and_links() == _expected_stock_and_links()
        return held


def test_the_demo_seed_fills_the_summaries(app):
    with arranged(app):
        load_demo(n_records=120, echo=lambda _: None)
    complaints, decisions, badges = _assert_in_step(app)
    assert len(complaints) > 5 and len(decisions) > 5 and len(badges) > 5
    assert len({c[7] for c in complaints}) > 3  # several postcode districts
    with app.app_context():
        stock, links = _held_stock_and_links()
        assert {key[0] for key in stock} == {"badge", "licence"} and links
        licences = db.session.scalar(select(func.count()).select_from(Licence))
        assert sum(stock.values()) == licences + len(badges)


def test_a_record_moved_to_another_authority_moves_its_links(app, county):
    with arranged(app):
        a = make_person("WDC", forenames="Imran", surname="Qureshi", national_insurance="JT121212C",
                        date_of_birth=dt.date(1985, 2, 2))
        b = make_person("CDC", forenames="Imran", surname="Qureshi", national_insurance="JT121212C",
                        date_of_birth=dt.date(1985, 2, 2))
        a_id, b_id = a.id, b.id
    with app.app_context():
        link = db.session.scalar(select(ReportLink).where(ReportLink.record_b_id.in_((a_id, b_id))))
        assert link is not None
    with arranged(app):
        db.session.get(PersonRecord, b_id).authority_id = db.session.get(PersonRecord, a_id).authority_id
    _assert_in_step(app)
    with app.app_context():
        moved = db.session.scalar(select(ReportLink).where(ReportLink.record_b_id.in_((a_id, b_id))))
        assert moved.authority_a == moved.authority_b


def test_web_forms_api_import_unlink_and_disposal_keep_the_summaries_in_step(app, login, runner, tmp_path):
    # Web forms: a complaint and a revocation.
    with arranged(app):
        record, licence = _licensed("WDC", "PH900001", surname="Summarised", postcode="hp13 6ex")
        record_id, licence_id = record.id, licence.id
    officer = login(Role.LICENSING_OFFICER, "WDC")
    assert officer.submit(f"/records/{record_id}/complaints/new", complaint_form()).status_code == 302
    assert officer.submit(f"/records/{record_id}/decision", _revocation(licence_id)).status_code == 302
    complaints, decisions, badges = _assert_in_step(app)
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
    _, decisions, _ = _assert_in_step(app)
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
    complaints, _, _ = _assert_in_step(app)
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
    complaints, decisions, badges = _assert_in_step(app)
    assert {c[6] for c in complaints if c[5] == b_id} | {d[6] for d in decisions if d[5] == b_id} != {shared}

    # Badges: issued (with a new DBS certificate) and suspended through the forms; a status check recorded.
    with arranged(app):
        holder = make_person("BCC-CT", forenames="Shazia", surname="Bibi", authority_reference="CT-H-0042")
    transport = login(Role.TRANSPORT_OFFICER)
    assert transport.submit("/badges/new", _issue_data(holder.authority_reference)).status_code == 302
    with app.app_context():
        badge_id = db.session.scalar(select(Badge.id).where(Badge.person_record_id == holder.id))
    transport.submit(f"/badges/{badge_id}/status", {"action": "suspend", "reason": "Investigation opened"})
    _, _, badges = _assert_in_step(app)
    assert any(b[0] == badge_id and b[3] == "suspended" and b[8] is True for b in badges)
    with arranged(app):
        certificate = db.session.get(Badge, badge_id).dbs_certificate
        certificate.update_service_subscribed, certificate.last_status_check_on = False, dt.date(2026, 9, 1)
    _, _, badges = _assert_in_step(app)
    assert any(b[0] == badge_id and b[8:] == (False, dt.date(2026, 9, 1)) for b in badges)

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
    _, decisions, _ = _assert_in_step(app)
    assert disposed not in {d[0] for d in decisions}


def test_rebuild_recomputes_the_summaries_from_the_rows(app, runner):
    with arranged(app):
        load_demo(n_records=60, echo=lambda _: None)
    with app.app_context():
        # Rows the triggers never saw (as a COPY with triggers off would leave them), and stale ones.
        db.session.execute(text("DELETE FROM report_decisions"))
        db.session.execute(text("UPDATE report_badges SET dbs_subscribed = NULL, status = 'x'"))
        db.session.execute(text("UPDATE report_complaints SET district = 'XX1', identity_id = NULL"))
        db.session.execute(text("UPDATE report_stock SET n = n + 3"))
        db.session.execute(text("DELETE FROM report_links"))
        db.session.commit()
        assert _held_stock_and_links() != _expected_stock_and_links()
        assert _summaries() != _expected()
    result = runner.invoke(args=["reports", "rebuild"])
    assert result.exit_code == 0, result.output
    complaints, decisions, badges = _assert_in_step(app)
    assert f"report_complaints {len(complaints):,} rows" in result.output
    assert f"report_badges {len(badges):,} rows" in result.output
    assert f"report_decisions {len(decisions):,} rows" in result.output and decisions
    with app.app_context():
        stock, links = _held_stock_and_links()
    assert f"report_stock {len(stock):,} rows" in result.output
    assert f"report_links {len(links):,} rows" in result.output and links


def test_one_statement_writing_many_licences_and_badges_keeps_the_stock_in_step(app):
    """A bulk write (an import's COPY or multi-row INSERT) counts each stock group once per statement."""
    with arranged(app):
        load_demo(n_records=40, echo=lambda _: None)
    licences, badges = Licence.__table__, Badge.__table__
    with app.app_context():
        originals = [dict(row._mapping) for row in db.session.execute(select(licences))]
        assert len(originals) >= 4
        # Three copies of each licence: every group grows by three in one statement.
        copies = [
            {**{k: v for k, v in row.items() if k != "id"}, "number": f"BULK{n:05d}{copy}"}
            for n, row in enumerate(originals)
            for copy in range(3)
        ]
        db.session.execute(insert(licences).values(copies))
        db.session.commit()
    _assert_in_step(app)
    with app.app_context():
        copied = db.session.scalars(select(licences.c.id).where(licences.c.number.like("BULK%"))).all()
        half = copied[: len(copied) // 2 + 1]  # splits some groups of three
        db.session.execute(update(licences).where(licences.c.id.in_(half))
                           .values(status=LicenceStatus.SUSPENDED.value))
        db.session.execute(update(badges).values(status=BadgeStatus.SUSPENDED.value))
        db.session.commit()
    _assert_in_step(app)
    with app.app_context():
        db.session.execute(delete(licences).where(licences.c.id.in_(copied)))
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(licences)) == len(originals)
    _assert_in_step(app)
