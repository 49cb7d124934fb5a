"""Complaints against licensees; a sexual or safeguarding complaint alerts the other holders of the person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from licensing.alerts.models import AlertKind
from licensing.alerts.services import raise_alerts
from licensing.audit import record as audit
from licensing.auth.models import User
from licensing.complaints.models import Complaint, ComplaintCategory, ComplaintSource
from licensing.db import db
from licensing.errors import RuleViolation
from licensing.people.models import PersonRecord


@dataclass(frozen=True)
class ComplaintInput:
    received_on: dt.date
    source: ComplaintSource
    category: ComplaintCategory
    narrative: str
    occurred_on: dt.date | None = None
    place: str = ""
    vehicle_registration: str = ""
    operator_name: str = ""
    substantiated: bool | None = None
    outcome: str = ""
    complainant_name: str = ""
    complainant_contact: str = ""


def record_complaint(record: PersonRecord, data: ComplaintInput, *, actor: User, today: dt.date) -> Complaint:
    """Record a complaint against one of the actor's own licensees."""
    if record.authority_id != actor.authority_id:
        raise RuleViolation("You can only record complaints against your own authority's licensees")
    if data.received_on > today or (data.occurred_on and data.occurred_on > today):
        raise RuleViolation("Complaint dates cannot be in the future")
    if data.occurred_on and data.occurred_on > data.received_on:
        raise RuleViolation("The incident cannot be after the complaint was received")
    complaint = Complaint(
        person=record,
        authority_id=record.authority_id,
        received_on=data.received_on,
        source=data.source,
        category=data.category,
        occurred_on=data.occurred_on,
        place=data.place,
        vehicle_registration=data.vehicle_registration,
        operator_name=data.operator_name,
        narrative=data.narrative,
        substantiated=data.substantiated,
        outcome=data.outcome,
        complainant_name=data.complainant_name,
        complainant_contact=data.complainant_contact,
        recorded_by_id=actor.id,
    )
    db.session.add(complaint)
    db.session.flush()
    audit(
        actor, "complaint.recorded", complaint, details={"record": record.id, "category": data.category.value}
    )
    if data.category.is_sexual_or_safeguarding:
        raise_alerts(
            record.identity,
            kind=AlertKind.COMPLAINT,
            subject=complaint,
            summary=f"{data.category.label} complaint to {record.authority.name}",
            raised_by=record.authority,
            today=today,
        )
    return complaint
