from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from licensing.db import created_at, db, intpk, str_enum, text
from licensing.enums import LabelledEnum

if TYPE_CHECKING:
    from licensing.auth.models import User
    from licensing.authorities.models import Authority
    from licensing.people.models import PersonRecord


class SourceEvaluation(LabelledEnum):
    """3x5x2 source grade."""

    RELIABLE = "1", "1: reliable"
    UNTESTED = "2", "2: untested"
    NOT_RELIABLE = "3", "3: not reliable"


class IntelligenceAssessment(LabelledEnum):
    """3x5x2 information grade."""

    KNOWN_DIRECTLY = "A", "A: known directly to the source"
    INDIRECT_CORROBORATED = "B", "B: known indirectly but corroborated"
    INDIRECT = "C", "C: known indirectly"
    NOT_KNOWN = "D", "D: not known"
    SUSPECTED_FALSE = "E", "E: suspected to be false"


class HandlingCode(LabelledEnum):
    """3x5x2 handling code: P lawful sharing permitted; C permitted with conditions that travel with the
    item."""

    PERMITTED = "P", "P: lawful sharing permitted"
    CONDITIONS = "C", "C: sharing permitted with conditions"


# What anyone not cleared for an item sees of it: on the person page, in flags and in alerts.
POLICE_MARKER = "Police hold information: contact the point of contact"


class IntelligenceStatus(LabelledEnum):
    INTELLIGENCE = "intelligence"
    ARRESTED = "arrested"
    CHARGED = "charged"
    NO_FURTHER_ACTION = "no_further_action"
    CONVICTED = "convicted"
    WITHDRAWN = "withdrawn"


class IntelligenceCategory(LabelledEnum):
    SEXUAL_OFFENCES = "sexual_offences"
    CHILD_EXPLOITATION = "child_exploitation"
    VIOLENCE = "violence"
    DRUGS = "drugs"
    DISHONESTY = "dishonesty"
    ROAD_SAFETY = "road_safety"
    OTHER = "other"


intelligence_recipients = Table(
    "intelligence_recipients",
    db.Model.metadata,
    Column("intelligence_item_id", ForeignKey("intelligence_items.id"), primary_key=True),
    Column("authority_id", ForeignKey("authorities.id"), primary_key=True),
)


class IntelligenceItem(db.Model):
    """Police soft information graded 3x5x2; only police users ever see the full text."""

    __tablename__ = "intelligence_items"

    id: Mapped[intpk]
    # Optimistic locking: a save based on an older version is refused, never a silent overwrite (finding 9).
    version_id: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version_id}
    person_record_id: Mapped[int] = mapped_column(ForeignKey("person_records.id"), index=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authorities.id"), index=True)
    source_evaluation: Mapped[SourceEvaluation] = mapped_column(str_enum(SourceEvaluation))
    intelligence_assessment: Mapped[IntelligenceAssessment] = mapped_column(str_enum(IntelligenceAssessment))
    handling_code: Mapped[HandlingCode] = mapped_column(str_enum(HandlingCode))
    handling_conditions: Mapped[text]
    status: Mapped[IntelligenceStatus] = mapped_column(str_enum(IntelligenceStatus))
    category: Mapped[IntelligenceCategory] = mapped_column(str_enum(IntelligenceCategory))
    force_reference: Mapped[str] = mapped_column(String(40))
    legal_basis: Mapped[str] = mapped_column(String(200), default="", server_default="")
    full_text: Mapped[text]
    sanitised_summary: Mapped[text]
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_on: Mapped[dt.date]
    review_on: Mapped[dt.date]
    created_at: Mapped[created_at]

    person: Mapped[PersonRecord] = relationship(back_populates="intelligence_items")
    authority: Mapped[Authority] = relationship()
    submitted_by: Mapped[User | None] = relationship()
    recipients: Mapped[list[Authority]] = relationship(secondary=intelligence_recipients)

    @property
    def grading(self) -> str:
        return f"{self.source_evaluation.value}{self.intelligence_assessment.value}{self.handling_code.value}"
