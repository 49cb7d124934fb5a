from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from licensing.db import created_at, db, intpk, short_str, str_enum, text
from licensing.enums import LabelledEnum
from licensing.licences.rules import normalise_reference

if TYPE_CHECKING:
    from licensing.auth.models import User
    from licensing.authorities.models import Authority
    from licensing.people.models import PersonRecord


class ComplaintSource(LabelledEnum):
    PUBLIC = "public"
    OPERATOR = "operator"
    SCHOOL = "school"
    POLICE = "police"
    OTHER_AUTHORITY = "other_authority"


class ComplaintCategory(LabelledEnum):
    SEXUAL_HARASSMENT = "sexual_harassment"
    SAFEGUARDING = "safeguarding_concern"
    BEHAVIOUR = "behaviour"
    DRIVING_STANDARDS = "driving_standards"
    OVERCHARGING = "overcharging"
    RUDENESS = "rudeness"
    VEHICLE = "vehicle"

    @property
    def is_sexual_or_safeguarding(self) -> bool:
        return self in (ComplaintCategory.SEXUAL_HARASSMENT, ComplaintCategory.SAFEGUARDING)


class Complaint(db.Model):
    """A complaint about a licensee; the complainant's identity is visible only to the recording authority."""

    __tablename__ = "complaints"

    id: Mapped[intpk]
    person_record_id: Mapped[int] = mapped_column(ForeignKey("person_records.id"), index=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authorities.id"), index=True)
    received_on: Mapped[dt.date]
    source: Mapped[ComplaintSource] = mapped_column(str_enum(ComplaintSource))
    category: Mapped[ComplaintCategory] = mapped_column(str_enum(ComplaintCategory))
    occurred_on: Mapped[dt.date | None]
    place: Mapped[str] = mapped_column(String(200), default="", server_default="")
    vehicle_registration: Mapped[str] = mapped_column(String(8), default="", server_default="", index=True)
    operator_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    narrative: Mapped[text]
    substantiated: Mapped[bool | None]
    outcome: Mapped[text]
    complainant_name: Mapped[short_str]
    complainant_contact: Mapped[str] = mapped_column(String(200), default="", server_default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[created_at]

    person: Mapped[PersonRecord] = relationship(back_populates="complaints")
    authority: Mapped[Authority] = relationship()
    recorded_by: Mapped[User | None] = relationship()

    @validates("vehicle_registration")
    def _normalise_registration(self, key: str, value: str) -> str:
        """Stored in capitals without spaces, so a registration search is a plain index lookup."""
        return normalise_reference(value)
