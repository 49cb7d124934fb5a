from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from licensing.db import created_at, db, intpk, str_enum, text
from licensing.enums import LabelledEnum

if TYPE_CHECKING:
    from licensing.auth.models import User
    from licensing.authorities.models import Authority
    from licensing.people.models import Identity


class AlertKind(LabelledEnum):
    DECISION = "decision", "Licensing decision"
    COMPLAINT = "complaint", "Sexual or safeguarding complaint"
    POLICE_INFORMATION = "police_information", "Police information"
    NEW_LINK = "new_link", "New link to an adverse record"


class Alert(db.Model):
    """Tells an authority that holds a current licence or badge for an identity that something was
    recorded."""

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_authority_open", "authority_id", "acknowledged_at"),)

    id: Mapped[intpk]
    # Optimistic locking: a save based on an older version is refused, never a silent overwrite (finding 9).
    version_id: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version_id}
    authority_id: Mapped[int] = mapped_column(ForeignKey("authorities.id"))
    identity_id: Mapped[int] = mapped_column(ForeignKey("identities.id"), index=True)
    kind: Mapped[AlertKind] = mapped_column(str_enum(AlertKind))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int]
    summary: Mapped[text]  # never carries police text beyond what every recipient may see
    raised_by_authority_id: Mapped[int] = mapped_column(ForeignKey("authorities.id"))
    created_at: Mapped[created_at]
    acknowledged_at: Mapped[dt.datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action_taken: Mapped[text]

    authority: Mapped[Authority] = relationship(foreign_keys=[authority_id])
    raised_by_authority: Mapped[Authority] = relationship(foreign_keys=[raised_by_authority_id])
    identity: Mapped[Identity] = relationship()
    acknowledged_by: Mapped[User | None] = relationship()
