"""Licensing decisions: grant, refuse, suspend, revoke, warn or add conditions, each with structured
grounds."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from licensing.alerts.models import AlertKind
from licensing.alerts.services import raise_alerts
from licensing.audit import record as audit
from licensing.auth.models import User
from licensing.db import db
from licensing.errors import RuleViolation
from licensing.licences.models import Licence, LicenceStatus, LicenceType
from licensing.licences.rules import add_months, normalise_reference
from licensing.people.models import PersonRecord
from licensing.sanctions.models import AppealOutcome, GroundsCategory, Sanction, SanctionType


class DecisionType(enum.StrEnum):
    GRANT = "grant"
    REFUSAL = "refusal"
    REFUSAL_TO_RENEW = "refusal_to_renew"
    SUSPENSION = "suspension"
    INTERIM_SUSPENSION = "interim_suspension"
    REVOCATION = "revocation"
    WARNING = "warning"
    CONDITIONS = "conditions"
    PENALTY_POINTS = "penalty_points"

    @property
    def label(self) -> str:
        return {
            "grant": "Grant or renew",
            "refusal": "Refuse",
            "refusal_to_renew": "Refuse to renew",
            "suspension": "Suspend",
            "interim_suspension": "Interim suspension pending investigation",
            "revocation": "Revoke",
            "warning": "Warn",
            "conditions": "Add conditions",
            "penalty_points": "Penalty points",
        }[self.value]


# What each decision does to the licence it concerns.
LICENCE_STATUS_AFTER = {
    DecisionType.GRANT: LicenceStatus.GRANTED,
    DecisionType.REFUSAL: LicenceStatus.REFUSED,
    DecisionType.REFUSAL_TO_RENEW: LicenceStatus.REFUSED,
    DecisionType.SUSPENSION: LicenceStatus.SUSPENDED,
    DecisionType.INTERIM_SUSPENSION: LicenceStatus.SUSPENDED,
    DecisionType.REVOCATION: LicenceStatus.REVOKED,
}
DRIVER_LICENCE_YEARS = 3


@dataclass(frozen=True)
class DecisionInput:
    decision: DecisionType
    decided_on: dt.date
    effective_on: dt.date
    decision_maker: str
    narrative: str
    grounds: GroundsCategory | None = None
    licence: Licence | None = None
    new_licence_type: LicenceType | None = None
    new_licence_number: str = ""
    ends_on: dt.date | None = None
    conditions: str = ""
    appeal_outcome: AppealOutcome = AppealOutcome.NONE
    points: int | None = None


def record_decision(
    record: PersonRecord, data: DecisionInput, *, actor: User, today: dt.date
) -> Sanction | Licence:
    """Record the authority's decision on its own licensee; anything but a grant is a sanction that
    alerts every
    other authority holding a current licence or badge for the person."""
    if record.authority_id != actor.authority_id:
        raise RuleViolation("You can only record decisions on your own authority's records")
    if data.effective_on < data.decided_on:
        raise RuleViolation("The effective date cannot be before the decision date")
    if data.decided_on > today:
        raise RuleViolation("The decision date cannot be in the future")
    if data.ends_on and data.ends_on <= data.effective_on:
        raise RuleViolation("A suspension must end after it takes effect")
    if data.licence is not None and data.licence.person_record_id != record.id:
        raise RuleViolation("That licence does not belong to this person")
    licence = data.licence
    if data.decision is DecisionType.GRANT:
        return _grant(record, data, actor=actor)
    if data.grounds is None:
        raise RuleViolation("Select the grounds for the decision")
    if (
        data.decision
        in (
            DecisionType.SUSPENSION,
            DecisionType.REVOCATION,
            DecisionType.REFUSAL_TO_RENEW,
            DecisionType.INTERIM_SUSPENSION,
        )
        and licence is None
    ):
        raise RuleViolation("Select the licence this decision concerns")
    if data.decision is DecisionType.CONDITIONS and not data.conditions:
        raise RuleViolation("Enter the conditions")
    if data.decision is DecisionType.PENALTY_POINTS and not data.points:
        raise RuleViolation("Enter the number of penalty points")
    sanction = Sanction(
        person=record,
        authority_id=record.authority_id,
        licence=licence,
        sanction_type=SanctionType(data.decision.value),
        grounds=data.grounds,
        decided_on=data.decided_on,
        effective_on=data.effective_on,
        ends_on=data.ends_on,
        decision_maker=data.decision_maker,
        narrative=data.narrative,
        appeal_outcome=data.appeal_outcome,
        recorded_by_id=actor.id,
        points=data.points if data.decision is DecisionType.PENALTY_POINTS else None,
    )
    db.session.add(sanction)
    if licence is not None and data.decision in LICENCE_STATUS_AFTER:
        licence.status = LICENCE_STATUS_AFTER[data.decision]
    if licence is not None and data.decision is DecisionType.CONDITIONS:
        licence.conditions = "\n".join(c for c in (licence.conditions, data.conditions) if c)
    db.session.flush()
    details = {"decision": data.decision.value, "grounds": data.grounds.value, "record": record.id}
    if sanction.points:
        details["points"] = sanction.points
    audit(actor, "decision.recorded", sanction, details=details)
    raise_alerts(
        record.identity,
        kind=AlertKind.DECISION,
        subject=sanction,
        summary=f"{sanction.sanction_type.label} by {record.authority.name} ({data.grounds.label.lower()})",
        raised_by=record.authority,
        today=today,
    )
    return sanction


def _grant(record: PersonRecord, data: DecisionInput, *, actor: User) -> Licence:
    licence = data.licence
    number = normalise_reference(data.new_licence_number)
    if licence is None:
        if data.new_licence_type is None or not number:
            raise RuleViolation("Select the licence to grant or give the new licence's type and number")
        if db.session.query(Licence.id).filter_by(authority_id=record.authority_id, number=number).first():
            raise RuleViolation(f"Licence number {number} is already in use")
        licence = Licence(
            person=record,
            authority_id=record.authority_id,
            licence_type=data.new_licence_type,
            number=number,
            status=LicenceStatus.APPLIED,
        )
        db.session.add(licence)
    licence.status = LicenceStatus.GRANTED
    licence.issued_on = data.effective_on
    licence.expires_on = add_months(data.effective_on, 12 * DRIVER_LICENCE_YEARS)
    if data.conditions:
        licence.conditions = data.conditions
    db.session.flush()
    audit(actor, "licence.granted", licence, details={"record": record.id, "number": licence.number})
    return licence


@dataclass(frozen=True)
class PointsTally:
    points: int
    threshold: int
    period_months: int
    since: dt.date

    @property
    def reached(self) -> bool:
        return self.points >= self.threshold


def penalty_points_tally(record: PersonRecord, today: dt.date) -> PointsTally:
    """Points the record's authority has given this licensee within its rolling period (per-authority
    settings)."""
    authority = record.authority
    since = add_months(today, -authority.penalty_points_period_months)
    points = sum(
        s.points or 0
        for s in record.sanctions
        if s.sanction_type is SanctionType.PENALTY_POINTS
        and s.effective_on > since
        and s.appeal_outcome is not AppealOutcome.ALLOWED
    )
    return PointsTally(
        points, authority.penalty_points_threshold, authority.penalty_points_period_months, since
    )
