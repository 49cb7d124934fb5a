"""Licensing decisions: grant, refuse, suspend, revoke, warn or add conditions, each with structured
grounds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from licensing.alerts.models import AlertKind
from licensing.alerts.services import raise_alerts
from licensing.audit import record as audit
from licensing.auth.models import User
from licensing.db import db
from licensing.errors import RuleViolation
from licensing.licences.models import Licence, LicenceStatus, LicenceType
from licensing.licences.rules import add_months
from licensing.licences.services import grant_licence
from licensing.people.models import PersonRecord
from licensing.sanctions.models import AppealOutcome, GroundsCategory, Sanction, SanctionType

GRANT = "grant"  # the decision form's one choice that is not a sanction: licences/ grants the licence


# What each decision does to the licence it concerns.
LICENCE_STATUS_AFTER = {
    SanctionType.REFUSAL: LicenceStatus.REFUSED,
    SanctionType.REFUSAL_TO_RENEW: LicenceStatus.REFUSED,
    SanctionType.SUSPENSION: LicenceStatus.SUSPENDED,
    SanctionType.INTERIM_SUSPENSION: LicenceStatus.SUSPENDED,
    SanctionType.REVOCATION: LicenceStatus.REVOKED,
}


@dataclass(frozen=True)
class DecisionInput:
    decision: SanctionType | Literal["grant"]
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
    safeguarding_training_on: dt.date | None = None


def record_decision(
    record: PersonRecord, data: DecisionInput, *, actor: User, today: dt.date
) -> Sanction | Licence:
    """Record the authority's decision on its own licensee; anything but a grant is a sanction that alerts
    every other authority holding a current licence or badge for the person."""
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
    if data.decision == GRANT:
        return grant_licence(record, licence=licence, new_licence_type=data.new_licence_type,
                             new_licence_number=data.new_licence_number, effective_on=data.effective_on,
                             conditions=data.conditions, actor=actor,
                             safeguarding_training_on=data.safeguarding_training_on)
    if data.grounds is None:
        raise RuleViolation("Select the grounds for the decision")
    if data.decision in (SanctionType.SUSPENSION, SanctionType.REVOCATION, SanctionType.REFUSAL_TO_RENEW,
                         SanctionType.INTERIM_SUSPENSION) and licence is None:
        raise RuleViolation("Select the licence this decision concerns")
    if data.decision is SanctionType.CONDITIONS and not data.conditions:
        raise RuleViolation("Enter the conditions")
    if data.decision is SanctionType.PENALTY_POINTS and not data.points:
        raise RuleViolation("Enter the number of penalty points")
    sanction = Sanction(
        person=record, authority_id=record.authority_id, licence=licence,
        sanction_type=data.decision, grounds=data.grounds, decided_on=data.decided_on,
        effective_on=data.effective_on, ends_on=data.ends_on, decision_maker=data.decision_maker,
        narrative=data.narrative, appeal_outcome=data.appeal_outcome, recorded_by_id=actor.id,
        points=data.points if data.decision is SanctionType.PENALTY_POINTS else None)
    db.session.add(sanction)
    if licence is not None and data.decision in LICENCE_STATUS_AFTER:
        licence.status = LICENCE_STATUS_AFTER[data.decision]
    if licence is not None and data.decision is SanctionType.CONDITIONS:
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
