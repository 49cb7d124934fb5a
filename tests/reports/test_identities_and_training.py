"""Two figures that depend on other areas' records: checks and alerts about identities merged since, and the
safeguarding training of licensed drivers recorded through the decision form.

Expected figures are worked out from the rows in Python (following merges with resolve_identity)."""

import datetime as dt
import re

from sqlalchemy import select

from licensing.alerts.models import Alert, AlertKind
from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.db import db
from licensing.licences.models import Licence, LicenceStatus, LicenceType
from licensing.licences.rules import add_months
from licensing.people.models import ApplicantCheck, Identity, LinkState, Nr3sOutcome, PersonRecord, RecordLink
from licensing.people.services import resolve_identity
from licensing.reports.services import Period, Scope, build_report
from licensing.sanctions.models import AppealOutcome, GroundsCategory, Sanction, SanctionType
from tests.factories import arranged, authority, make_person, make_user

PERIOD = Period(dt.date(2026, 5, 1), dt.date(2026, 10, 31))
TODAY = dt.date(2026, 11, 1)
ADVERSE = {SanctionType.REFUSAL, SanctionType.SUSPENSION, SanctionType.REVOCATION}


def _d(day: dt.date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _rows(scope: Scope, key: str) -> dict[str, list[int]]:
    tables = {t.key: t for section in build_report(scope, PERIOD, today=TODAY) for t in section.tables}
    return dict(tables[key].rows)


def _sanction(record: PersonRecord, code: str, decided_on: dt.date) -> None:
    db.session.add(
        Sanction(
            person_record_id=record.id,
            authority_id=authority(code).id,
            sanction_type=SanctionType.REVOCATION,
            grounds=GroundsCategory.SEXUAL_MISCONDUCT,
            decided_on=decided_on,
            effective_on=decided_on,
            decision_maker="Sub-Committee",
            appeal_outcome=AppealOutcome.NONE,
        )
    )


def _expected_merged_figures():
    """Checks finding an adverse decision elsewhere, and police alerts acted on, following merges."""

    def records_of(identity_id):
        survivor = resolve_identity(identity_id)
        return survivor.records if survivor else []

    found = 0
    for check in db.session.scalars(select(ApplicantCheck)):
        day = check.checked_at.date()
        if PERIOD.start <= day <= PERIOD.end and any(
            s.authority_id != check.authority_id and s.sanction_type in ADVERSE and s.decided_on <= day
            for hit in check.identity_ids
            for r in records_of(hit["id"])
            for s in r.sanctions
        ):
            found += 1
    acted = 0
    for alert in db.session.scalars(select(Alert).where(Alert.kind == AlertKind.POLICE_INFORMATION)):
        if PERIOD.start <= alert.created_at.date() <= PERIOD.end and any(
            s.authority_id == alert.authority_id and s.decided_on >= alert.created_at.date()
            for r in records_of(alert.identity_id)
            for s in r.sanctions
        ):
            acted += 1
    return found, acted


def test_checks_and_alerts_about_a_since_merged_identity_count_against_the_surviving_one(app, login):
    with arranged(app):
        # Created first, so its identity is the one that survives the merge.
        kept = make_person("AVDC", forenames="Shahid", surname="Rafiq", date_of_birth=dt.date(1975, 6, 12),
                           postcode="HP13 6AA")
        merged = make_person("CDC", forenames="Shahid", surname="Rafique", date_of_birth=dt.date(1975, 6, 12),
                             postcode="HP5 1AB")
        assert kept.identity_id < merged.identity_id
        link = db.session.scalar(
            select(RecordLink).where(RecordLink.record_a_id == kept.id, RecordLink.record_b_id == merged.id)
        )
        assert link is not None and link.state is LinkState.PENDING
        link_id, merged_identity = link.id, merged.identity_id
        # Chiltern revoked the record that will be merged away; Aylesbury Vale decided on its own record after
        # a police alert that named the other identity.
        _sanction(merged, "CDC", dt.date(2026, 3, 2))
        _sanction(kept, "AVDC", dt.date(2026, 7, 1))
        officer = make_user(Role.LICENSING_OFFICER, authority="WDC")
        db.session.add(
            ApplicantCheck(
                authority_id=authority("WDC").id,
                checked_by_id=officer.id,
                applicant_reference="APP-MERGED",
                criteria={},
                identity_ids=[{"id": merged_identity, "score": 0.9}],
                nr3s_outcome=Nr3sOutcome.NO_MATCH,
                checked_at=dt.datetime(2026, 6, 10, 9),
            )
        )
        db.session.add(
            Alert(
                authority_id=authority("AVDC").id,
                identity_id=merged_identity,
                kind=AlertKind.POLICE_INFORMATION,
                subject_type="person_records",
                subject_id=merged.id,
                summary="",
                raised_by_authority_id=authority("TVP").id,
                created_at=dt.datetime(2026, 6, 1, 10),
            )
        )
        db.session.commit()
        county = Scope(None, "County")
        assert _expected_merged_figures() == (1, 0)
        assert _rows(county, "police_items")["Acted on (a decision recorded since)"][0] == 0

    # Chiltern's officer confirms the pair in the review queue: the identities merge.
    reviewer = login(Role.LICENSING_OFFICER, "CDC")
    page = reviewer.get(f"/review/{link_id}").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="([^"]*)"', page) or re.search(
        r'value="([^"]*)"[^>]*name="version"', page
    )
    response = reviewer.submit(f"/review/{link_id}", {"decision": "confirm", "version": version.group(1)})
    assert response.status_code == 302

    with app.app_context():
        gone = db.session.get(Identity, merged_identity)
        assert gone.merged_into_id is not None and not gone.records
        expected_found, expected_acted = _expected_merged_figures()
        assert (expected_found, expected_acted) == (1, 1)
        for scope in (Scope(None, "County"), Scope(authority("WDC").id, "Wycombe")):
            checks = _rows(scope, "applicant_checks")
            assert checks["Found a refusal, suspension or revocation elsewhere"][0] == expected_found
        alerts = _rows(Scope(authority("AVDC").id, "Aylesbury Vale"), "police_items")
        assert alerts["Acted on (a decision recorded since)"][0] == expected_acted


def _grant(officer, record_id: int, number: str, training: dt.date | None):
    data = {
        "decision": "grant",
        "licence_id": "0",
        "new_licence_type": "dual_driver",
        "new_licence_number": number,
        "decided_on": _d(dt.date(2026, 6, 1)),
        "effective_on": _d(dt.date(2026, 6, 1)),
        "decision_maker": "Licensing Manager",
        "narrative": "Fit and proper: checks complete.",
        "appeal_outcome": "none",
    }
    if training:
        data["safeguarding_training_on"] = _d(training)
    response = officer.submit(f"/records/{record_id}/decision", data)
    assert response.status_code == 302, response.get_data(as_text=True)


def test_training_recorded_at_grant_counts_in_licensed_drivers_coverage(app, login):
    with arranged(app):
        ids = [make_person("WDC", forenames=f"Driver{n}").id for n in range(3)]
    officer = login(Role.LICENSING_OFFICER, "WDC")
    _grant(officer, ids[0], "WDC-DD-7001", dt.date(2026, 5, 20))
    _grant(officer, ids[1], "WDC-DD-7002", dt.date(2023, 9, 1))  # more than 3 years before 31 October 2026
    _grant(officer, ids[2], "WDC-DD-7003", None)
    with app.app_context():
        licences = db.session.scalars(select(Licence)).all()
        assert {x.safeguarding_training_on for x in licences} == {
            dt.date(2026, 5, 20),
            dt.date(2023, 9, 1),
            None,
        }
        granted = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "licence.granted")).all()
        trained = {e.details.get("safeguarding_training_on") for e in granted}
        assert trained == {"2026-05-20", "2023-09-01", None}
        since = add_months(PERIOD.end, -36)
        in_force = [
            x
            for x in licences
            if x.licence_type is LicenceType.DUAL_DRIVER
            and x.status is LicenceStatus.GRANTED
            and x.issued_on <= PERIOD.end <= x.expires_on
        ]
        expected = [
            len([x for x in in_force if x.safeguarding_training_on and x.safeguarding_training_on >= since]),
            len([x for x in in_force if x.safeguarding_training_on and x.safeguarding_training_on < since]),
            len([x for x in in_force if x.safeguarding_training_on is None]),
        ]
        assert expected == [1, 1, 1]
        for scope in (Scope(None, "County"), Scope(authority("WDC").id, "Wycombe")):
            assert _rows(scope, "training_coverage")["Dual driver licences"] == expected
        assert _rows(Scope(authority("CDC").id, "Chiltern"), "training_coverage")["Dual driver licences"] == [
            0,
            0,
            0,
        ]


def test_driver_licences_without_an_expiry_date_count_as_in_force_and_expired_ones_do_not(app, county):
    """The training figure counts licences with no expiry and those expiring on or after the period's end
    in two separate queries; both kinds, and neither expired nor not-yet-issued licences, are checked."""
    with arranged(app):
        record = make_person("WDC", forenames="Openended")
        since = add_months(PERIOD.end, -36)
        rows = [  # (number, issued, expires, status, training)
            ("WDC-PH-1", dt.date(2024, 1, 1), None, LicenceStatus.GRANTED, dt.date(2025, 1, 1)),
            ("WDC-PH-2", dt.date(2024, 1, 1), None, LicenceStatus.SUSPENDED, None),
            ("WDC-PH-3", dt.date(2024, 1, 1), PERIOD.end, LicenceStatus.GRANTED, dt.date(2022, 1, 1)),
            ("WDC-PH-4", dt.date(2023, 1, 1), PERIOD.end - dt.timedelta(days=1), LicenceStatus.GRANTED, None),
            ("WDC-PH-5", PERIOD.end + dt.timedelta(days=1), None, LicenceStatus.GRANTED, None),
            ("WDC-PH-6", dt.date(2024, 1, 1), None, LicenceStatus.REVOKED, None),
        ]
        for number, issued, expires, status, training in rows:
            db.session.add(
                Licence(person_record_id=record.id, authority_id=record.authority_id,
                        licence_type=LicenceType.PRIVATE_HIRE_DRIVER, number=number, status=status,
                        issued_on=issued, expires_on=expires, conditions="",
                        safeguarding_training_on=training)
            )
        db.session.commit()
        in_force = [
            row for row in rows
            if row[3] in (LicenceStatus.GRANTED, LicenceStatus.SUSPENDED)
            and row[1] <= PERIOD.end
            and (row[2] is None or row[2] >= PERIOD.end)
        ]
        expected = [
            len([r for r in in_force if r[4] and r[4] >= since]),
            len([r for r in in_force if r[4] and r[4] < since]),
            len([r for r in in_force if r[4] is None]),
        ]
        assert expected == [1, 1, 1]
        for scope in (Scope(None, "County"), Scope(authority("WDC").id, "Wycombe")):
            assert _rows(scope, "training_coverage")["Private hire driver licences"] == expected
