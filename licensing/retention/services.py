"""Retention rules, the review list and retain-or-dispose decisions.

Rules (configuration, licensing/config.py): NR3S-style decisions are kept 11 years from the decision;
licensing files (licences, badges) 7 years after they end; complaints by each authority's own policy;
police items until their MoPI review date (College of Policing APP, retention, review and disposal)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import and_, delete, exists, false, not_, or_, select, update
from sqlalchemy.orm import selectinload

from licensing.alerts.models import Alert
from licensing.audit import record as audit
from licensing.auth.models import Role, User
from licensing.authorities.models import Authority
from licensing.complaints.models import Complaint
from licensing.db import db
from licensing.errors import RuleViolation
from licensing.intelligence.models import IntelligenceItem
from licensing.intelligence.services import latest_review_date
from licensing.licences.models import Badge, BadgeStatus, DbsCertificate, Licence, LicenceStatus
from licensing.licences.rules import add_months
from licensing.people.identity import erase_identities, erase_record, identity_family
from licensing.people.models import PersonRecord
from licensing.requests.attachments import erase_for_requests
from licensing.requests.models import InformationRequest
from licensing.retention.models import ItemType, RetentionDecision, RetentionOutcome
from licensing.sanctions.models import Sanction

MODELS = {
    ItemType.DECISION: Sanction,
    ItemType.LICENCE: Licence,
    ItemType.BADGE: Badge,
    ItemType.COMPLAINT: Complaint,
    ItemType.POLICE_ITEM: IntelligenceItem,
}
COUNCIL_TYPES = (ItemType.DECISION, ItemType.LICENCE, ItemType.BADGE, ItemType.COMPLAINT)
# Who reviews what: administrators every authority's council records; a licensing manager their own
# authority's; the police point of contact their force's police items (MoPI). Nobody else, and an
# administrator never police items (they hold no police clearance).
RETENTION_REVIEWERS = (Role.ADMINISTRATOR, Role.LICENSING_MANAGER, Role.POLICE_SPOC)
# Licences and badges still held (in force, or awaiting a decision) have not ended, so their clock has not
# started.
LIVE_LICENCE = (LicenceStatus.APPLIED, LicenceStatus.GRANTED, LicenceStatus.SUSPENDED)
LIVE_BADGE = (BadgeStatus.VALID, BadgeStatus.SUSPENDED)
LIST_LIMIT = 200


@dataclass(frozen=True)
class DueItem:
    item_type: ItemType
    item_id: int
    authority_code: str
    record_reference: str
    description: str
    rule: str
    due_on: dt.date


def reviewable_types(viewer: User) -> tuple[ItemType, ...]:
    if viewer.role is Role.POLICE_SPOC:
        return (ItemType.POLICE_ITEM,)
    if viewer.role in (Role.ADMINISTRATOR, Role.LICENSING_MANAGER):
        return COUNCIL_TYPES
    return ()


def _years(key: str) -> int:
    return int(current_app.config[key])


def complaint_years(authority: Authority) -> int:
    """The authority's own complaint policy, else the configured default."""
    return authority.complaint_retention_years or _years("RETENTION_COMPLAINT_YEARS")


def rule_text(item_type: ItemType, authority: Authority | None = None) -> str:
    if item_type is ItemType.DECISION:
        return f"{_years('RETENTION_DECISION_YEARS')} years from the decision"
    if item_type in (ItemType.LICENCE, ItemType.BADGE):
        return f"{_years('RETENTION_LICENSING_FILE_YEARS')} years after it ended"
    if item_type is ItemType.COMPLAINT:
        years = complaint_years(authority) if authority else _years("RETENTION_COMPLAINT_YEARS")
        return f"{years} years from receipt (the authority's policy)"
    return "Its MoPI review date"


def _ended_on(item: Licence | Badge) -> dt.date:
    return item.expires_on or item.created_at.date()


def rule_due_on(item_type: ItemType, item) -> dt.date | None:
    """When the rule brings the item up for review; None while a licence or badge is still held."""
    if item_type is ItemType.DECISION:
        return add_months(item.decided_on, 12 * _years("RETENTION_DECISION_YEARS"))
    if item_type in (ItemType.LICENCE, ItemType.BADGE):
        live = LIVE_LICENCE if item_type is ItemType.LICENCE else LIVE_BADGE
        if item.status in live and (item.expires_on is None or item.expires_on >= dt.date.today()):
            return None
        return add_months(_ended_on(item), 12 * _years("RETENTION_LICENSING_FILE_YEARS"))
    if item_type is ItemType.COMPLAINT:
        return add_months(item.received_on, 12 * complaint_years(item.authority))
    return item.review_on


def retained_until(item_type: ItemType, item_id: int) -> dt.date | None:
    """The latest review date a retain decision set for the item, if any."""
    return db.session.scalar(select(RetentionDecision.review_on).where(
        RetentionDecision.item_type == item_type, RetentionDecision.item_id == item_id,
        RetentionDecision.outcome == RetentionOutcome.RETAIN).order_by(RetentionDecision.review_on.desc()))


def due_on(item_type: ItemType, item) -> dt.date | None:
    """The date the item is due for review: the rule's date, or later if it was retained to a new date."""
    by_rule = rule_due_on(item_type, item)
    if by_rule is None or item_type is ItemType.POLICE_ITEM:  # retaining a police item moves its own date
        return by_rule
    retained = retained_until(item_type, item.id)
    return max(by_rule, retained) if retained else by_rule


def _due_condition(item_type: ItemType, today: dt.date):
    """SQL for "the rule has brought it up for review by today"."""
    model = MODELS[item_type]
    if item_type is ItemType.DECISION:
        return Sanction.decided_on <= add_months(today, -12 * _years("RETENTION_DECISION_YEARS"))
    if item_type in (ItemType.LICENCE, ItemType.BADGE):
        cutoff = add_months(today, -12 * _years("RETENTION_LICENSING_FILE_YEARS"))
        live = LIVE_LICENCE if item_type is ItemType.LICENCE else LIVE_BADGE
        ended = or_(model.status.not_in(live), model.expires_on < today)
        return and_(ended, or_(model.expires_on <= cutoff,
                               and_(model.expires_on.is_(None),
                                    model.created_at < dt.datetime.combine(cutoff, dt.time.max))))
    if item_type is ItemType.COMPLAINT:
        per_authority = [
            and_(Complaint.authority_id == a.id,
                 Complaint.received_on <= add_months(today, -12 * complaint_years(a)))
            for a in db.session.scalars(select(Authority))
        ]
        return or_(false(), *per_authority)
    return IntelligenceItem.review_on <= today


def _in_scope(item_type: ItemType, viewer: User):
    model = MODELS[item_type]
    if viewer.role is Role.ADMINISTRATOR:
        return model.authority_id.is_not(None)
    return model.authority_id == viewer.authority_id


def due_items(viewer: User, today: dt.date) -> list[DueItem]:
    """What the viewer reviews that is due by today, oldest first; audited with the ids listed."""
    items: list[DueItem] = []
    for item_type in reviewable_types(viewer):
        model = MODELS[item_type]
        still_retained = exists().where(
            RetentionDecision.item_type == item_type, RetentionDecision.item_id == model.id,
            RetentionDecision.outcome == RetentionOutcome.RETAIN, RetentionDecision.review_on > today)
        query = (select(model).where(_due_condition(item_type, today), _in_scope(item_type, viewer),
                                     not_(still_retained))
                 .options(selectinload(model.person), selectinload(model.authority))
                 .order_by(model.id).limit(LIST_LIMIT))
        for item in db.session.scalars(query):
            items.append(DueItem(item_type, item.id, item.authority.code, item.person.authority_reference,
                                 describe(item_type, item), rule_text(item_type, item.authority),
                                 due_on(item_type, item)))
    items.sort(key=lambda i: (i.due_on, i.item_type.value, i.item_id))
    audit(viewer, "retention.listed", details={"items": [[i.item_type.value, i.item_id] for i in items]})
    return items


def describe(item_type: ItemType, item) -> str:
    """A line that says what the item is without its narrative or personal details."""
    if item_type is ItemType.DECISION:
        return f"{item.sanction_type.label} decided {item.decided_on:%d %b %Y}"
    if item_type is ItemType.LICENCE:
        return f"{item.licence_type.label} licence {item.number} ({item.status.value})"
    if item_type is ItemType.BADGE:
        return f"{item.badge_type.label} badge {item.number} ({item.status.value})"
    if item_type is ItemType.COMPLAINT:
        return f"{item.category.label} complaint received {item.received_on:%d %b %Y}"
    return f"{item.force_reference} graded {item.grading}, review date {item.review_on:%d %b %Y}"


def load_item(item_type: ItemType, item_id: int, viewer: User):
    """The item if the viewer reviews items of its type and authority, else None."""
    if item_type not in reviewable_types(viewer):
        return None
    item = db.session.get(MODELS[item_type], item_id)
    if item is None or (viewer.role is not Role.ADMINISTRATOR and item.authority_id != viewer.authority_id):
        return None
    return item


def _check_due(item_type: ItemType, item, today: dt.date) -> dt.date:
    due = due_on(item_type, item)
    if due is None or due > today:
        raise RuleViolation("This item is not due for review yet")
    return due


def retain(item_type: ItemType, item, *, review_on: dt.date | None, rationale: str, actor: User,
           today: dt.date) -> RetentionDecision:
    """Keep a due item until a new review date, recording why (MoPI: every decision to retain has a
    rationale)."""
    due = _check_due(item_type, item, today)
    latest = (latest_review_date(today) if item_type is ItemType.POLICE_ITEM
              else add_months(today, 12 * _years("RETENTION_MAX_RETAIN_YEARS")))
    if review_on is None or not today < review_on <= latest:
        raise RuleViolation(f"The new review date must be after today and no later than {latest:%d %B %Y}")
    if item_type is ItemType.POLICE_ITEM:
        item.review_on = review_on
    decision = RetentionDecision(item_type=item_type, item_id=item.id, authority_code=item.authority.code,
                                 outcome=RetentionOutcome.RETAIN, rationale=rationale, due_on=due,
                                 review_on=review_on, decided_by_id=actor.id)
    db.session.add(decision)
    db.session.flush()
    audit(actor, "retention.retained", item, reason=rationale,
          details={"decision": decision.id, "due_on": due, "review_on": review_on})
    return decision


def _has_nothing_left(record: PersonRecord) -> bool:
    """A record with no licence, badge, decision, complaint or police item left is itself past retention."""
    held = (Licence, Badge, Sanction, Complaint, IntelligenceItem)
    return not any(db.session.scalar(select(exists().where(model.person_record_id == record.id)))
                   for model in held)


def _delete_references(subject_type: str, subject_ids: list[int]) -> dict[str, int]:
    """Alerts and requests about disposed items say what they were: they go with them."""
    alerts = db.session.execute(delete(Alert).where(Alert.subject_type == subject_type,
                                                    Alert.subject_id.in_(subject_ids)))
    about = (InformationRequest.subject_type == subject_type, InformationRequest.subject_id.in_(subject_ids))
    documents = erase_for_requests(select(InformationRequest.id).where(*about))
    requests = db.session.execute(delete(InformationRequest).where(*about))
    return {"alerts": alerts.rowcount, "information_requests": requests.rowcount, "attachments": documents}


def dispose(item_type: ItemType, item, *, rationale: str, actor: User, today: dt.date) -> RetentionDecision:
    """Delete a due item for good: the rows go, not a flag. A record left holding nothing goes too, and the
    rest of its identity is re-linked without it. A tombstone audit event names only types, ids and counts."""
    due = _check_due(item_type, item, today)
    item_id, authority_code, record = item.id, item.authority.code, item.person
    erased = {item_type.value: 1, **_delete_references(item_type.value, [item_id])}
    if item_type is ItemType.LICENCE:  # a decision keeps its own clock; it just no longer names the licence
        db.session.execute(update(Sanction).where(Sanction.licence_id == item_id).values(licence_id=None))
    if item_type is ItemType.POLICE_ITEM:
        item.recipients = []
    db.session.delete(item)
    db.session.flush()
    db.session.expire(record)  # its collections may still hold the deleted item
    relinked: list[int] = []
    if _has_nothing_left(record):
        for table, count in _erase_record(record, actor=actor, relinked=relinked).items():
            erased[table] = erased.get(table, 0) + count
    decision = RetentionDecision(item_type=item_type, item_id=item_id, authority_code=authority_code,
                                 outcome=RetentionOutcome.DISPOSE, rationale=rationale, due_on=due,
                                 review_on=None, decided_by_id=actor.id)
    db.session.add(decision)
    db.session.flush()
    audit(actor, "retention.disposed", SimpleNamespace(__tablename__=item_type.value, id=item_id),
          details={"decision": decision.id, "authority": authority_code, "due_on": due,
                   "rule": rule_text(item_type, db.session.scalar(
                       select(Authority).where(Authority.code == authority_code))),
                   "erased": erased, "relinked_records": relinked})
    return decision


def _erase_record(record: PersonRecord, *, actor: User, relinked: list[int]) -> dict[str, int]:
    erased = {"person_records": 1}
    certificates = db.session.execute(
        delete(DbsCertificate).where(DbsCertificate.person_record_id == record.id))
    erased["dbs_certificates"] = certificates.rowcount
    outcome = erase_record(record, actor=actor)
    relinked.extend(outcome.relinked)
    if outcome.identity_emptied:
        family = identity_family(outcome.identity_id)
        alerts = db.session.execute(delete(Alert).where(Alert.identity_id.in_(family)))
        erased["attachments"] = erase_for_requests(
            select(InformationRequest.id).where(InformationRequest.identity_id.in_(family)))
        requests = db.session.execute(delete(InformationRequest).where(
            InformationRequest.identity_id.in_(family)))
        erased["alerts"], erased["information_requests"] = alerts.rowcount, requests.rowcount
        erase_identities(family)
        erased["identities"] = len(family)
    return erased
