from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column

from licensing.db import db, intpk, text, utcnow


class AuditEvent(db.Model):
    """Who did what, when and why. Append-only: the ORM refuses changes and database triggers back that up."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_action_at", "action", "occurred_at"),)

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


class AuditImmutable(Exception):
    pass


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(mapper, connection, target) -> None:
    raise AuditImmutable("audit events are append-only")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(mapper, connection, target) -> None:
    raise AuditImmutable("audit events are append-only")
