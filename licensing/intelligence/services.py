"""What each viewer may see of police intelligence: full text for police, a summary or a marker for others."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from licensing.alerts.models import Alert, AlertKind
from licensing.alerts.services import alerts_raised_by, current_holders, raise_alerts
from licensing.audit import record as audit
from licensing.authorities.models import Authority, AuthorityKind
from licensing.db import db
from licensing.errors import RuleViolation
from licensing.intelligence.inputs import IntelligenceInput, latest_review_date
from licensing.intelligence.models import (
    POLICE_MARKER,
    HandlingCode,
    IntelligenceItem,
    IntelligenceStatus,
)
from licensing.people.inputs import PersonRecordInput
from licensing.people.models import Identity, PersonRecord
from licensing.people.services import create_person_record
from licensing.sanctions.models import Sanction

if TYPE_CHECKING:
    from licensing.auth.models import User


def police_marker(force: Authority) -> str:
    """The marker shown where a summary is withheld, naming the force's point of contact (authority data)."""
    if force.contact_name or force.contact_phone or force.contact_email:
        return f"{POLICE_MARKER}, {force.contact_line} ({force.name})"
    return f"{POLICE_MARKER} at {force.name}"


@dataclass(frozen=True)
class IntelligenceView:
    """One intelligence item as a given viewer may see it."""

    item_id: int
    level: str  # "full" | "summary" | "marker"
    text: str
    grading: str = ""
    conditions: str = ""
    status: str = ""
    category: str = ""
    force_reference: str = ""
    submitted_on: str = ""
    review_on: str = ""


def view_intelligence(item: IntelligenceItem, viewer: User) -> IntelligenceView | None:
    """Apply the handling rules: police see everything; others see the sanitised summary when the handling
    code
    permits sharing with them (P, or C with their authority among the recipients, conditions attached), and
    otherwise only the marker. Withdrawn items are shown to police only."""
    if viewer.is_police:
        return IntelligenceView(
            item.id,
            "full",
            item.full_text,
            item.grading,
            item.handling_conditions,
            item.status.label,
            item.category.label,
            item.force_reference,
            item.submitted_on.isoformat(),
            item.review_on.isoformat(),
        )
    if item.status is IntelligenceStatus.WITHDRAWN:
        return None
    recipient_ids = {authority.id for authority in item.recipients}
    shareable = item.handling_code is HandlingCode.PERMITTED or viewer.authority_id in recipient_ids
    if shareable and item.sanitised_summary:
        return IntelligenceView(
            item.id,
            "summary",
            item.sanitised_summary,
            conditions=item.handling_conditions,
            status=item.status.label,
            category=item.category.label,
            submitted_on=item.submitted_on.isoformat(),
        )
    return IntelligenceView(item.id, "marker", police_marker(item.authority))


# --- The police point of contact's work: submit, update, withdraw, search, responses and reviews. ---

REVIEW_DUE_WINDOW_DAYS = 30
TEXT_FIELDS = (
    "full_text",
    "sanitised_summary",
    "handling_conditions",
)  # audited as "changed", never by value


def sharing_recipients() -> list[Authority]:
    """The authorities an item can be shared with: every active licensing authority and client-transport
    team."""
    return list(
        db.session.scalars(
            select(Authority)
            .where(Authority.kind != AuthorityKind.POLICE, Authority.is_active.is_(True))
            .order_by(Authority.kind, Authority.name)
        )
    )


def _check_item(data: IntelligenceInput, today: dt.date) -> list[Authority]:
    """The rules for any saved item; returns the recipient authorities.

    Handling code C is only lawful with its conditions, which travel with the item. Only the sanitised
    summary is
    ever shared, so it is required. The review date is set at every save, in the future and at most 12 months
    ahead, so shared police information is looked at again at least yearly (MoPI review; College of Policing,
    Police information and records management Code of Practice, 2023)."""
    if data.status is IntelligenceStatus.WITHDRAWN:
        raise RuleViolation("Use withdraw to withdraw an item")
    if data.handling_code is HandlingCode.CONDITIONS and not data.handling_conditions.strip():
        raise RuleViolation("Enter the handling conditions: handling code C needs them")
    if not data.sanitised_summary.strip():
        raise RuleViolation("Enter the sanitised summary for sharing")
    if not data.force_reference.strip():
        raise RuleViolation("Enter the force reference")
    if not today < data.review_on <= latest_review_date(today):
        raise RuleViolation(
            f"Review date must be after today and no later than {latest_review_date(today):%d %B %Y}"
        )
    recipients = list(db.session.scalars(select(Authority).where(Authority.id.in_(data.recipient_ids))))
    if len(recipients) != len(set(data.recipient_ids)) or any(
        a.is_police or not a.is_active for a in recipients
    ):
        raise RuleViolation("Recipients must be licensing authorities or the client-transport team")
    return sorted(recipients, key=lambda a: a.id)


def unshared_holders(identity: Identity, data: IntelligenceInput, today: dt.date) -> list[Authority]:
    """Authorities holding a current licence or badge for the person that a handling code C item would
    not reach:
    they would see only the marker, so the officer is warned before saving."""
    if data.handling_code is not HandlingCode.CONDITIONS:
        return []
    missing = current_holders(identity.records, today) - set(data.recipient_ids)
    return sorted((db.session.get(Authority, i) for i in missing), key=lambda a: a.name)


def subject_record(identity: Identity, police: Authority) -> PersonRecord:
    """The record an item about an identity hangs on: the force's own record of the person if it holds one,
    else the identity's oldest record. Items are shown and alerted for the whole identity either way."""
    own = [record for record in identity.records if record.authority_id == police.id]
    return (own or identity.records)[0]


def submit_intelligence(
    data: IntelligenceInput,
    *,
    actor: User,
    today: dt.date,
    identity: Identity | None = None,
    subject: PersonRecordInput | None = None,
) -> IntelligenceItem:
    """Record a graded item about a person already in the register (`identity`) or a new subject (`subject`,
    recorded as a police-only person record at the actor's force so the engine links it now and later), then
    alert every other authority holding a current licence or badge for the person. Alerts carry only the
    marker, never the text or category, because some recipients may see only the marker."""
    if not actor.is_police or not actor.authority.is_police:
        raise RuleViolation("Only a police point of contact may submit intelligence")
    if (identity is None) == (subject is None):
        raise RuleViolation("Choose the person the information is about")
    recipients = _check_item(data, today)
    record = (
        create_person_record(actor.authority, subject, actor=actor)
        if subject
        else subject_record(identity, actor.authority)
    )
    item = IntelligenceItem(
        person_record_id=record.id,
        authority_id=actor.authority_id,
        source_evaluation=data.source_evaluation,
        intelligence_assessment=data.intelligence_assessment,
        handling_code=data.handling_code,
        handling_conditions=data.handling_conditions.strip()
        if data.handling_code is HandlingCode.CONDITIONS
        else "",
        status=data.status,
        category=data.category,
        force_reference=data.force_reference.strip(),
        legal_basis=data.legal_basis.strip(),
        full_text=data.full_text,
        sanitised_summary=data.sanitised_summary,
        submitted_by_id=actor.id,
        submitted_on=today,
        review_on=data.review_on,
        recipients=recipients,
    )
    db.session.add(item)
    db.session.flush()
    target = db.session.get(Identity, record.identity_id)
    alerts = raise_alerts(
        target,
        kind=AlertKind.POLICE_INFORMATION,
        subject=item,
        summary=POLICE_MARKER,
        raised_by=actor.authority,
        today=today,
    )
    audit(
        actor,
        "intelligence.submitted",
        item,
        details={
            "identity": target.id,
            "person_record": record.id,
            "new_subject": subject is not None,
            "grading": item.grading,
            "status": item.status.value,
            "category": item.category.value,
            "force_reference": item.force_reference,
            "recipients": [a.code for a in recipients],
            "review_on": item.review_on.isoformat(),
            "alerted": sorted(a.authority_id for a in alerts),
        },
    )
    return item


def _comparable(item: IntelligenceItem) -> dict[str, object]:
    return {
        "source_evaluation": item.source_evaluation.value,
        "intelligence_assessment": item.intelligence_assessment.value,
        "handling_code": item.handling_code.value,
        "handling_conditions": item.handling_conditions,
        "status": item.status.value,
        "category": item.category.value,
        "force_reference": item.force_reference,
        "legal_basis": item.legal_basis,
        "full_text": item.full_text,
        "sanitised_summary": item.sanitised_summary,
        "recipients": sorted(a.code for a in item.recipients),
        "review_on": item.review_on.isoformat(),
    }


def _check_can_change(item: IntelligenceItem, actor: User) -> None:
    if not actor.is_police or item.authority_id != actor.authority_id:
        raise RuleViolation("Only the force that submitted this item may change it")
    if item.status is IntelligenceStatus.WITHDRAWN:
        raise RuleViolation("This item has been withdrawn and cannot be changed")


def update_intelligence(
    item: IntelligenceItem, data: IntelligenceInput, *, reason: str, actor: User, today: dt.date
) -> dict[str, object]:
    """Change an item as the case moves on, recording what changed and why (the review decision log).

    The text fields are audited as changed, never by value, so the audit trail holds no police text. A change
    of status alerts the current licence and badge holders again, with the marker only."""
    _check_can_change(item, actor)
    recipients = _check_item(data, today)
    before = _comparable(item)
    item.source_evaluation, item.intelligence_assessment = (
        data.source_evaluation,
        data.intelligence_assessment,
    )
    item.handling_code, item.status, item.category = data.handling_code, data.status, data.category
    item.handling_conditions = (
        data.handling_conditions.strip() if data.handling_code is HandlingCode.CONDITIONS else ""
    )
    item.force_reference, item.legal_basis = data.force_reference.strip(), data.legal_basis.strip()
    item.full_text, item.sanitised_summary, item.review_on = (
        data.full_text,
        data.sanitised_summary,
        data.review_on,
    )
    item.recipients = recipients
    after = _comparable(item)
    changes: dict[str, object] = {
        name: "changed" if name in TEXT_FIELDS else [before[name], after[name]]
        for name in before
        if before[name] != after[name]
    }
    if not changes:
        raise RuleViolation("Nothing has changed")
    db.session.flush()
    alerted: list[int] = []
    if "status" in changes:
        alerted = [
            a.authority_id
            for a in raise_alerts(
                item.person.identity,
                kind=AlertKind.POLICE_INFORMATION,
                subject=item,
                summary=f"Updated: {POLICE_MARKER}",
                raised_by=actor.authority,
                today=today,
            )
        ]
    audit(
        actor, "intelligence.updated", item, reason=reason, details={"changes": changes, "alerted": alerted}
    )
    return changes


def withdraw_intelligence(item: IntelligenceItem, *, reason: str, actor: User) -> IntelligenceItem:
    """Withdraw an item: from then on only the police see it (view_intelligence), and the reason is
    audited."""
    _check_can_change(item, actor)
    if not reason.strip():
        raise RuleViolation("Enter the reason for withdrawing the item")
    previous = item.status
    item.status = IntelligenceStatus.WITHDRAWN
    db.session.flush()
    audit(
        actor,
        "intelligence.withdrawn",
        item,
        reason=reason.strip(),
        details={"changes": {"status": [previous.value, item.status.value]}},
    )
    return item


def record_item_viewed(item: IntelligenceItem, *, actor: User, reason: str) -> IntelligenceView:
    """The item as the viewer may see it, with the consultation audited (DPA 2018 s.62)."""
    shown = view_intelligence(item, actor)
    audit(
        actor, "intelligence.viewed", item, reason=reason, details={"level": shown.level if shown else "none"}
    )
    return shown


# --- What licensing did in response, and what is due for review. ---


@dataclass
class ItemResponse:
    item: IntelligenceItem
    identity_id: int
    alerts: list[Alert]
    decisions: list[Sanction]


def responses_to(authority: Authority, *, actor: User) -> list[ItemResponse]:
    """For each of the force's items that alerted an authority: the alerts with their acknowledgements, and
    the licensing decisions recorded on the same person since the item was submitted. Audited."""
    alerts = db.session.scalars(
        alerts_raised_by(authority.id).where(Alert.subject_type == IntelligenceItem.__tablename__)
    ).all()
    by_item: dict[int, list[Alert]] = {}
    for alert in alerts:
        by_item.setdefault(alert.subject_id, []).append(alert)
    items = db.session.scalars(
        select(IntelligenceItem)
        .where(IntelligenceItem.id.in_(by_item))
        .order_by(IntelligenceItem.submitted_on.desc(), IntelligenceItem.id.desc())
    ).all()
    responses = []
    for item in items:
        identity = item.person.identity
        decisions = sorted(
            (s for r in identity.records for s in r.sanctions if s.decided_on >= item.submitted_on),
            key=lambda s: (s.decided_on, s.id),
        )
        responses.append(
            ItemResponse(item, identity.id, sorted(by_item[item.id], key=lambda a: a.id), decisions)
        )
    audit(actor, "intelligence.responses_viewed", details={"items": [r.item.id for r in responses]})
    return responses


def reviews_due(authority: Authority, today: dt.date, *, actor: User | None) -> list[IntelligenceItem]:
    """The force's live items whose review date has passed or falls within 30 days, oldest first (MoPI
    review). Audited when an officer lists them (actor); the home page's count is not."""
    horizon = today + dt.timedelta(days=REVIEW_DUE_WINDOW_DAYS)
    items = list(
        db.session.scalars(
            select(IntelligenceItem)
            .where(
                IntelligenceItem.authority_id == authority.id,
                IntelligenceItem.status != IntelligenceStatus.WITHDRAWN,
                IntelligenceItem.review_on <= horizon,
            )
            .order_by(IntelligenceItem.review_on, IntelligenceItem.id)
        )
    )
    if actor is not None:
        audit(actor, "intelligence.reviews_listed", details={"items": [i.id for i in items]})
    return items
