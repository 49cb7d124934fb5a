from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from licensing.db import created_at, db, intpk, str_enum, text
from licensing.enums import LabelledEnum

if TYPE_CHECKING:
    from licensing.auth.models import User
    from licensing.authorities.models import Authority
    from licensing.licences.models import Licence
    from licensing.people.models import PersonRecord


class SanctionType(LabelledEnum):
    REFUSAL = "refusal"
    REFUSAL_TO_RENEW = "refusal_to_renew"
    SUSPENSION = "suspension"
    INTERIM_SUSPENSION = "interim_suspension"
    REVOCATION = "revocation"
    WARNING = "warning"
    PENALTY_POINTS = "penalty_points"
    CONDITIONS = "conditions"

    @property
    def is_adverse(self) -> bool:
        """Refusals, suspensions and revocations: what NR3S records and what flags a person."""
        return self in ADVERSE_SANCTIONS


ADVERSE_SANCTIONS = frozenset({SanctionType.REFUSAL, SanctionType.REFUSAL_TO_RENEW, SanctionType.SUSPENSION,
                               SanctionType.INTERIM_SUSPENSION, SanctionType.REVOCATION})


class GroundsCategory(LabelledEnum):
    SEXUAL_MISCONDUCT = "sexual_misconduct"
    HARASSMENT = "harassment"
    VIOLENCE = "violence"
    SAFEGUARDING = "safeguarding"
    DISHONESTY = "dishonesty"
    DRUGS = "drugs"
    ROAD_SAFETY = "road_safety"
    OTHER = "other"


class AppealOutcome(LabelledEnum):
    NONE = "none", "No appeal"
    PENDING = "pending", "Appeal pending"
    UPHELD = "upheld", "Decision upheld on appeal"
    ALLOWED = "allowed", "Appeal allowed"
    WITHDRAWN = "withdrawn", "Appeal withdrawn"


class Sanction(db.Model):
    """A licensing decision against a person, with a structured grounds category so it can be counted."""

    __tablename__ = "sanctions"

    id: Mapped[intpk]
    person_record_id: Mapped[int] = mapped_column(ForeignKey("person_records.id"), index=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authorities.id"), index=True)
    licence_id: Mapped[int | None] = mapped_column(ForeignKey("licences.id"))
    sanction_type: Mapped[SanctionType] = mapped_column(str_enum(SanctionType))
    grounds: Mapped[GroundsCategory] = mapped_column(str_enum(GroundsCategory))
    decided_on: Mapped[dt.date]
    effective_on: Mapped[dt.date]
    ends_on: Mapped[dt.date | None]
    decision_maker: Mapped[str] = mapped_column(String(120))
    narrative: Mapped[text]
    appeal_outcome: Mapped[AppealOutcome] = mapped_column(str_enum(AppealOutcome), default=AppealOutcome.NONE)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[created_at]

    person: Mapped[PersonRecord] = relationship(back_populates="sanctions")
    authority: Mapped[Authority] = relationship()
    licence: Mapped[Licence | None] = relationship()
    recorded_by: Mapped[User | None] = relationship()

    def stands_on(self, today: dt.date) -> bool:
        """An adverse decision stands unless overturned on appeal or a suspension has ended."""
        if not self.sanction_type.is_adverse or self.appeal_outcome is AppealOutcome.ALLOWED:
            return False
        return self.ends_on is None or self.ends_on >= today
