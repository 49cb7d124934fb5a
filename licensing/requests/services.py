"""Requests between authorities on statutory clocks: information requests (20 working days, as for NR3S) and
out-of-area referrals (2022 Act s.5: 10 working days)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, or_, select

from licensing.audit import record as audit
from licensing.auth.models import User
from licensing.authorities.models import Authority, AuthorityKind
from licensing.db import db
from licensing.errors import RuleViolation
from licensing.people.models import Identity
from licensing.requests.models import InformationRequest, RequestKind
from licensing.requests.working_days import add_working_days


def send_request(identity: Identity, *, kind: RequestKind, to_authority: Authority, details: str, actor: User,
                 today: dt.date, subject_type: str = "", subject_id: int | None = None) -> InformationRequest:
    """Send a request to another authority that holds records on this person; the clock starts today."""
    if to_authority.id == actor.authority_id:
        raise RuleViolation("Choose another authority")
    if to_authority.kind is AuthorityKind.POLICE:
        raise RuleViolation("Ask the police through the point of contact, not this form")
    if to_authority.id not in {r.authority_id for r in identity.records}:
        raise RuleViolation(f"{to_authority.name} holds no record of this person")
    request = InformationRequest(
        kind=kind,
        identity_id=identity.id,
        from_authority_id=actor.authority_id,
        to_authority_id=to_authority.id,
        subject_type=subject_type,
        subject_id=subject_id,
        details=details,
        requested_by_id=actor.id,
        sent_on=today,
        due_on=add_working_days(today, kind.working_days),
    )
    db.session.add(request)
    db.session.flush()
    audit(actor, f"request.sent.{kind.value}", request,
          details={"to": to_authority.code, "identity": identity.id, "due_on": request.due_on.isoformat()})
    return request


def reply_to_request(
    request: InformationRequest, *, reply: str, actor: User, today: dt.date
) -> InformationRequest:
    """The receiving authority attaches its reply, which stops the clock."""
    if request.to_authority_id != actor.authority_id:
        raise RuleViolation("Only the authority the request was sent to can reply")
    if request.replied_on is not None:
        raise RuleViolation("This request has already been answered")
    request.reply, request.replied_on, request.replied_by_id = reply, today, actor.id
    db.session.flush()
    audit(actor, "request.replied", request, details={"late": request.due_on < today})
    return request


def requests_for(authority_id: int) -> Select:
    """Requests an authority sent or received, unanswered first, then by due date."""
    return select(InformationRequest).where(or_(InformationRequest.from_authority_id == authority_id,
                                                InformationRequest.to_authority_id == authority_id)).order_by(
        InformationRequest.replied_on.is_not(None), InformationRequest.due_on, InformationRequest.id)


def requests_due(authority_id: int, today: dt.date, *, within_days: int = 5) -> Select:
    """Unanswered requests the authority must reply to, due within a few days or overdue."""
    return (
        select(InformationRequest)
        .where(
            InformationRequest.to_authority_id == authority_id,
            InformationRequest.replied_on.is_(None),
            InformationRequest.due_on <= today + dt.timedelta(days=within_days),
        )
        .order_by(InformationRequest.due_on)
    )
