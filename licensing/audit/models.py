from __future__ import annotations

import datetime as dt

from sqlalchemy import DDL, ForeignKey, Index, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column

from licensing.db import db, intpk, text, utcnow


class AuditEvent(db.Model):
    """Who did what, when and why. Append-only: the ORM refuses changes and database triggers back that up."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_action_at", "action", "occurred_at"),
                      Index("ix_audit_events_chain_seq", "chain_seq", unique=True))

    id: Mapped[intpk]
    occurred_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    user_email: Mapped[str] = mapped_column(String(254), default="")
    role: Mapped[str] = mapped_column(String(40), default="")
    authority_code: Mapped[str] = mapped_column(String(20), default="", index=True)
    action: Mapped[str] = mapped_column(String(60))
    subject_type: Mapped[str] = mapped_column(String(40), default="")
    subject_id: Mapped[str] = mapped_column(String(40), default="", index=True)
    reason: Mapped[text]
    details: Mapped[dict] = mapped_column(default=dict)
    ip_address: Mapped[str] = mapped_column(String(45), default="")
    # Tamper evidence: each event's HMAC covers its content and the previous event's HMAC (audit/chain.py).
    chain_seq: Mapped[int | None] = mapped_column(Integer)
    prev_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")
    entry_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")


class AuditChainHead(db.Model):
    """One row: the last chained event. Updating it first serialises writers, so the chain never forks."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default="")


# create_all() (tests, benches) gets the head row the migration inserts, so the first event can be chained.
event.listen(
    AuditChainHead.__table__,
    "after_create",
    DDL("INSERT INTO audit_chain_head (id, seq, last_hash) VALUES (1, 0, '')"),
)


class AuditImmutable(Exception):
    pass


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(mapper, connection, target) -> None:
    raise AuditImmutable("audit events are append-only")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(mapper, connection, target) -> None:
    raise AuditImmutable("audit events are append-only")
