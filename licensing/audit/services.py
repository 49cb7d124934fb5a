"""Write and read the append-only audit trail (DPA 2018 s.62: who consulted what, when and why)."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from flask import has_request_context, request
from sqlalchemy import Select, select

from licensing.audit.chain import append, defer_seal
from licensing.audit.models import AuditEvent
from licensing.db import db, utcnow

if TYPE_CHECKING:
    from licensing.auth.models import User


def record(actor: User | None, action: str, subject: Any = None, *, reason: str = "",
           details: dict | None = None, email: str = "") -> SimpleNamespace:
    """Add one audit event in the caller's transaction, so it lands with the change it describes.

    The time is the app server's clock, never a value from the request. The event is sealed into the chain
    and inserted when the transaction commits (audit/chain.py), so the chain's head is locked only for the
    commit, not for the rest of the request. Like record_many's, the event is a plain object carrying
    AuditEvent's attributes: the chain inserts it with Core, and an ORM instance built only to be read cost
    some thirty times as much, on every audited request."""
    event = SimpleNamespace(
        occurred_at=utcnow(),
        user_id=actor.id if actor else None,
        user_email=actor.email if actor else email,
        role=actor.role.value if actor else "",
        authority_code=actor.authority.code if actor else "",
        action=action,
        subject_type=getattr(subject, "__tablename__", "") if subject is not None else "",
        subject_id=str(subject.id) if subject is not None else "",
        reason=reason,
        # Stored as it reads back (JSON), so the HMAC computed now matches the one verify computes later.
        details=json.loads(json.dumps(details or {}, default=str)),
        ip_address=request.remote_addr or "" if has_request_context() else "",
    )
    defer_seal(db.session(), event)
    return event


def record_many(actor: User | None, entries: list[tuple[str, str, str, dict]], *, reason: str = "",
                email: str = "") -> int:
    """Add many events, each (action, subject_type, subject_id, details), chained in order and inserted in one
    executemany: the same rows `record` would write, for bulk work such as an import's links."""
    if not entries:
        return 0
    now = utcnow()
    ip = request.remote_addr or "" if has_request_context() else ""
    common = {
        "user_id": actor.id if actor else None,
        "user_email": actor.email if actor else email,
        "role": actor.role.value if actor else "",
        "authority_code": actor.authority.code if actor else "",
        "reason": reason,
        "ip_address": ip,
    }
    # Plain objects carrying AuditEvent's attributes: the chain hashes them as it would ORM events, without
    # the ORM's per-instance cost, and they are inserted with one executemany.
    events = [
        SimpleNamespace(occurred_at=now, action=action, subject_type=subject_type, subject_id=str(subject_id),
                        details=json.loads(json.dumps(details or {}, default=str)), **common)
        for action, subject_type, subject_id, details in entries
    ]
    append(events)
    return len(events)


def filter_events(*, action: str = "", user_email: str = "", authority_code: str = "", subject_id: str = "",
                  date_from: dt.date | None = None, date_to: dt.date | None = None) -> Select:
    """A query over audit events, newest first, narrowed by whichever filters are given."""
    query = select(AuditEvent).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action == action)
    if user_email:
        query = query.where(AuditEvent.user_email == user_email.strip().lower())
    if authority_code:
        query = query.where(AuditEvent.authority_code == authority_code)
    if subject_id:
        query = query.where(AuditEvent.subject_id == subject_id)
    if date_from:
        query = query.where(AuditEvent.occurred_at >= dt.datetime.combine(date_from, dt.time.min))
    if date_to:  # up to the end of that day; date.max + 1 day would overflow (a 500 on 31/12/9999)
        query = query.where(AuditEvent.occurred_at <= dt.datetime.combine(date_to, dt.time.max))
    return query


def distinct_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
