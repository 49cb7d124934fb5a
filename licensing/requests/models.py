from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from licensing.db import created_at, db, intpk, str_enum, text
from licensing.enums import LabelledEnum

if TYPE_CHECKING:
    from licensing.auth.models import User
    from licensing.authorities.models import Authority
    from licensing.people.models import Identity


class RequestKind(LabelledEnum):
    """NR3S-style request for the details behind a decision (reply due in 20 working days), or an out-of-area
    referral of concerns about another authority's licensee (2022 Act s.5: within 10 working days)."""

    INFORMATION_REQUEST = "information_request", "Request for information"
    OUT_OF_AREA_REFERRAL = "out_of_area_referral", "Out-of-area referral"

    @property
    def working_days(self) -> int:
        return 20 if self is RequestKind.INFORMATION_REQUEST else 10


class InformationRequest(db.Model):
    """A request between authorities, tracked against its working-day clock until the reply is attached."""

    __tablename__ = "information_requests"

    id: Mapped[intpk]
    # Optimistic locking: a save based on an older version is refused, never a silent overwrite (finding 9).
    version_id: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version_id}
    kind: Mapped[RequestKind] = mapped_column(str_enum(RequestKind))
    identity_id: Mapped[int] = mapped_column(ForeignKey("identities.id"), index=True)
    from_authority_id: Mapped[int] = mapped_column(ForeignKey("authorities.id"), index=True)
    to_authority_id: Mapped[int] = mapped_column(ForeignKey("authorities.id"), index=True)
    subject_type: Mapped[str] = mapped_column(String(40), default="")
    subject_id: Mapped[int | None]
    details: Mapped[text]
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    sent_on: Mapped[dt.date]
    due_on: Mapped[dt.date]
    reply: Mapped[text]
    replied_on: Mapped[dt.date | None]
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[created_at]

    identity: Mapped[Identity] = relationship()
    from_authority: Mapped[Authority] = relationship(foreign_keys=[from_authority_id])
    to_authority: Mapped[Authority] = relationship(foreign_keys=[to_authority_id])
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    replied_by: Mapped[User | None] = relationship(foreign_keys=[replied_by_id])

    def is_overdue(self, today: dt.date) -> bool:
        return self.replied_on is None and self.due_on < today
