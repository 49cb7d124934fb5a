from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from licensing.db import created_at, db, intpk, str_enum, text
from licensing.enums import LabelledEnum

if TYPE_CHECKING:
    from licensing.auth.models import User


class ItemType(LabelledEnum):
    """The kinds of record the retention rules cover, named by the table they live in."""

    DECISION = "sanctions", "Licensing decision"
    LICENCE = "licences", "Licence"
    BADGE = "badges", "Client-transport badge"
    COMPLAINT = "complaints", "Complaint"
    POLICE_ITEM = "intelligence_items", "Police information"


class RetentionOutcome(LabelledEnum):
    RETAIN = "retain", "Retain until a new review date"
    DISPOSE = "dispose", "Dispose of it now"


class RetentionDecision(db.Model):
    """One retain-or-dispose decision with its rationale (the MoPI decision log).

    It names the item by type and id only: after a disposal nothing here identifies the person."""

    __tablename__ = "retention_decisions"
    __table_args__ = (Index("ix_retention_decisions_item", "item_type", "item_id", "review_on"),)

    id: Mapped[intpk]
    item_type: Mapped[ItemType] = mapped_column(str_enum(ItemType))
    item_id: Mapped[int] = mapped_column(Integer)
    authority_code: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[RetentionOutcome] = mapped_column(str_enum(RetentionOutcome))
    rationale: Mapped[text]
    due_on: Mapped[dt.date]
    # Retained items come back for review on this date; None for a disposal.
    review_on: Mapped[dt.date | None]
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[created_at]

    decided_by: Mapped[User] = relationship()
