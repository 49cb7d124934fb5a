"""DBS certificates for any licensee or badge holder: licensed drivers need enhanced checks with 6-monthly
Update Service status checks just as badge holders do (DOMAIN.md; statutory taxi standards 2020, para 4.9)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from licensing.audit import record as audit
from licensing.auth.models import User
from licensing.badges.inputs import NEW_INFORMATION, NO_NEW_INFORMATION, DbsInput
from licensing.badges.services import _record_dbs
from licensing.db import db
from licensing.errors import RuleViolation
from licensing.licences.models import Badge, BadgeStatus, DbsCertificate, Licence
from licensing.people.models import PersonRecord

DUE_WITHIN_DAYS = 30


def record_dbs_certificate(
    record: PersonRecord, dbs: DbsInput, *, actor: User, today: dt.date
) -> DbsCertificate:
    """Record an enhanced certificate, or a status check on one already held, for one of the
    actor's records."""
    if record.authority_id != actor.authority_id:
        raise RuleViolation("You can only record DBS checks on your own authority's records")
    if not (len(dbs.certificate_number) == 12 and dbs.certificate_number.isdigit()):
        raise RuleViolation("Enter the DBS certificate number: exactly 12 digits")
    if dbs.issued_on is None or dbs.issued_on > today:
        raise RuleViolation("The DBS certificate issue date must be today or in the past")
    if dbs.last_status_check_on is not None:
        if not dbs.update_service_subscribed:
            raise RuleViolation("A status check needs an Update Service subscription")
        if dbs.last_status_check_on > today or dbs.last_status_check_on < dbs.issued_on:
            raise RuleViolation("The status check date must be between the issue date and today")
        if dbs.last_status_result not in (NO_NEW_INFORMATION, NEW_INFORMATION):
            raise RuleViolation("Select the result of the status check")
    certificate = _record_dbs(record, dbs)
    db.session.flush()
    audit(
        actor,
        "dbs.recorded",
        record,
        details={
            "certificate": certificate.id,
            "issued_on": certificate.issued_on.isoformat(),
            "update_service_subscribed": certificate.update_service_subscribed,
            "last_status_check_on": certificate.last_status_check_on.isoformat()
            if certificate.last_status_check_on
            else None,
            "last_status_result": certificate.last_status_result,
        },
    )
    return certificate


@dataclass(frozen=True)
class DbsDue:
    record: PersonRecord
    certificate: DbsCertificate
    due_on: dt.date


def dbs_checks_due(authority_id: int, today: dt.date) -> list[DbsDue]:
    """The authority's current licensees and badge holders whose latest certificate's 6-monthly
    status check is overdue or due within 30 days, most overdue first."""
    records = db.session.scalars(
        select(PersonRecord)
        .where(PersonRecord.authority_id == authority_id)
        .where(
            PersonRecord.id.in_(select(Licence.person_record_id).where(Licence.authority_id == authority_id))
            | PersonRecord.id.in_(
                select(Badge.person_record_id).where(
                    Badge.authority_id == authority_id, Badge.status == BadgeStatus.VALID
                )
            )
        )
    ).all()
    due = []
    for record in records:
        holds = any(lic.is_current(today) for lic in record.licences) or any(
            b.status is BadgeStatus.VALID and b.expires_on >= today for b in record.badges
        )
        if not holds or not record.dbs_certificates:
            continue
        latest = max(record.dbs_certificates, key=lambda c: c.issued_on)
        if latest.next_status_check_due() <= today + dt.timedelta(days=DUE_WITHIN_DAYS):
            due.append(DbsDue(record, latest, latest.next_status_check_due()))
    return sorted(due, key=lambda d: d.due_on)
