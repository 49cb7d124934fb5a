"""The audit hash chain: HMAC-SHA256 over each event and the one before it, keyed outside the database.

Whoever can write to the database but lacks AUDIT_HMAC_KEY cannot insert, back-date, change or delete an event
without `flask audit verify` naming the first broken one."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session, SessionTransaction

from licensing.audit.models import AuditChainHead, AuditEvent
from licensing.db import db

HEAD_ID = 1


def _key() -> bytes:
    return current_app.config["AUDIT_HMAC_KEY"].encode()


def entry_hash(event: AuditEvent) -> str:
    """The HMAC of the event's content, its place in the chain and the previous event's HMAC."""
    content = {
        "seq": event.chain_seq,
        "prev": event.prev_hash,
        "at": event.occurred_at.isoformat(timespec="microseconds"),
        "user_id": event.user_id,
        "email": event.user_email,
        "role": event.role,
        "authority": event.authority_code,
        "action": event.action,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "reason": event.reason,
        "details": event.details,
        "ip": event.ip_address,
    }
    message = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hmac.new(_key(), message.encode(), hashlib.sha256).hexdigest()


# The head's two statements are built once: every audited request runs them (building and cache-keying an
# UPDATE each time cost more than the HMAC).
_TAKE_SEQS = (
    update(AuditChainHead)
    .where(AuditChainHead.id == HEAD_ID)
    .values(seq=AuditChainHead.seq + bindparam("taken"))
    .returning(AuditChainHead.seq, AuditChainHead.last_hash)
    .execution_options(synchronize_session=False)
)
_MOVE_HEAD = (
    update(AuditChainHead)
    .where(AuditChainHead.id == HEAD_ID)
    .values(last_hash=bindparam("new_last_hash"))
    .execution_options(synchronize_session=False)
)


# Sealed events go in with one prebuilt INSERT (an executemany for several): the unit of work's flush of an
# ORM AuditEvent cost more Python than the head's statements and the HMAC together, on every audited request.
_EVENT_COLUMNS = tuple(c.key for c in AuditEvent.__table__.columns if c.key != "id")
_INSERT_EVENTS = insert(AuditEvent.__table__).inline()  # inline: the new id is not asked back
# On PostgreSQL one event (an audited request's) goes in with the head's move in the same statement (a
# data-modifying WITH): one round trip fewer while the head is locked, on every audited request.
_MOVE_HEAD_AND_INSERT = _INSERT_EVENTS.add_cte(_MOVE_HEAD.cte("moved_head"))


def _rows(events: list) -> list[dict]:
    return [{column: getattr(e, column) for column in _EVENT_COLUMNS} for e in events]


def _chain(events: list, session: Session) -> str:
    """Number and hash events in order after the head, which moves on by their count (and stays locked until
    the caller's commit); returns the last event's hash, which the head must be moved to."""
    last, previous = session.execute(_TAKE_SEQS, {"taken": len(events)}).one()
    for seq, event in enumerate(events, start=last - len(events) + 1):
        event.chain_seq, event.prev_hash = seq, previous
        event.entry_hash = previous = entry_hash(event)
    return previous


def append(events: list, session: Session | None = None) -> None:
    """Chain new events (AuditEvents or objects with their attributes) in order and insert them, moving the
    head once. The head row stays locked until the caller's commit."""
    if not events:
        return
    session = session or db.session
    last_hash = _chain(events, session)
    if len(events) == 1 and session.get_bind().dialect.name == "postgresql":
        session.execute(_MOVE_HEAD_AND_INSERT, {**_rows(events)[0], "new_last_hash": last_hash})
        return
    session.execute(_MOVE_HEAD, {"new_last_hash": last_hash})
    session.execute(_INSERT_EVENTS, _rows(events))


# Events recorded in a transaction wait in session.info until its commit. Taking the head when the event is
# recorded would hold the one row every request writes for the rest of the request (the search's ranking, the
# page's rendering), serialising every search and view; taken in before_commit, it is held only for the
# head's UPDATEs, the INSERT and the COMMIT. The events are still sealed and inserted in the commit of the
# change they describe, or not at all.
PENDING = "audit_events_to_seal"


def defer_seal(session: Session, new_event: AuditEvent | SimpleNamespace) -> None:
    """Queue a new event to be sealed and inserted when `session` commits (dropped if it rolls back)."""
    session.info.setdefault(PENDING, []).append((new_event, session.get_nested_transaction()))


@sa_event.listens_for(Session, "before_commit")
def _seal_pending(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint's release: the events wait for the real commit
        return
    pending = session.info.pop(PENDING, None)
    if pending:
        append([queued for queued, _ in pending], session)


@sa_event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    pending = session.info.get(PENDING)
    if not pending:
        return
    if not previous_transaction.nested:
        session.info.pop(PENDING, None)
        return
    session.info[PENDING] = [(e, t) for e, t in pending if not _within(t, previous_transaction)]


@sa_event.listens_for(Session, "after_transaction_end")
def _forget_pending(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost transaction ended without a commit (closed, rolled back)
        session.info.pop(PENDING, None)


def _within(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


@dataclass
class Verification:
    checked: int
    unchained: int
    broken_event_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def verify(batch_size: int = 2000, progress: Callable[[int], None] | None = None) -> Verification:
    """Walk the chain in order; stop at the first event whose HMAC, link or sequence does not hold."""
    unchained = (
        db.session.scalar(select(db.func.count(AuditEvent.id)).where(AuditEvent.chain_seq.is_(None))) or 0
    )
    expected_seq, previous, checked, after = 1, "", 0, 0
    while True:
        events = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.chain_seq > after)
            .order_by(AuditEvent.chain_seq)
            .limit(batch_size)
        ).all()
        if not events:
            break
        for event in events:
            if event.chain_seq != expected_seq:
                return Verification(
                    checked, unchained, event.id, f"event {expected_seq} in the chain is missing"
                )
            if event.prev_hash != previous:
                return Verification(checked, unchained, event.id, "it does not follow the event before it")
            if not hmac.compare_digest(event.entry_hash, entry_hash(event)):
                return Verification(checked, unchained, event.id, "its content does not match its HMAC")
            previous, expected_seq, checked = event.entry_hash, expected_seq + 1, checked + 1
        after = events[-1].chain_seq
        db.session.expunge_all()
        if progress:
            progress(checked)
    head = db.session.get(AuditChainHead, HEAD_ID)
    if head is not None and (head.seq != checked or head.last_hash != previous):
        return Verification(
            checked, unchained, None, f"the chain's last {head.seq - checked} event(s) are missing"
        )
    return Verification(checked, unchained)
