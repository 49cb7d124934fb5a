from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from licensing.db import bool_false, created_at, db, intpk, short_str, str_enum, text
from licensing.enums import LabelledEnum
from licensing.licences.rules import add_months, normalise_reference

if TYPE_CHECKING:
    from licensing.authorities.models import Authority
    from licensing.people.models import PersonRecord


class LicenceType(LabelledEnum):
    HACKNEY_CARRIAGE_DRIVER = "hackney_carriage_driver"
    PRIVATE_HIRE_DRIVER = "private_hire_driver"
    DUAL_DRIVER = "dual_driver"
    PRIVATE_HIRE_OPERATOR = "private_hire_operator"
    VEHICLE = "vehicle"


class LicenceStatus(enum.StrEnum):
    APPLIED = "applied"
    GRANTED = "granted"
    REFUSED = "refused"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    EXPIRED = "expired"
    SURRENDERED = "surrendered"


class Licence(db.Model):
    """A driver, operator or vehicle licence issued by one licensing authority."""

    __tablename__ = "licences"
    __table_args__ = (UniqueConstraint("authority_id", "number"),)

    id: Mapped[intpk]
    # Optimistic locking: a save based on an older version is refused, never a silent overwrite (finding 9).
    version_id: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version_id}
    person_record_id: Mapped[int] = mapped_column(ForeignKey("person_records.id"), index=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authorities.id"), index=True)
    licence_type: Mapped[LicenceType] = mapped_column(str_enum(LicenceType))
    number: Mapped[str] = mapped_column(String(30), index=True)
    status: Mapped[LicenceStatus] = mapped_column(str_enum(LicenceStatus))
    issued_on: Mapped[dt.date | None]
    expires_on: Mapped[dt.date | None]
    conditions: Mapped[text]
    vehicle_registration: Mapped[str] = mapped_column(String(8), default="", server_default="", index=True)
    # A driver's latest safeguarding training, recorded at grant or renewal (as a badge holder's is).
    safeguarding_training_on: Mapped[dt.date | None]
    created_at: Mapped[created_at]

    person: Mapped[PersonRecord] = relationship(back_populates="licences")
    authority: Mapped[Authority] = relationship()

    @validates("number", "vehicle_registration")
    def _normalise_reference(self, key: str, value: str) -> str:
        """Stored in capitals without spaces, so exact-number and registration searches are plain index
        lookups."""
        return normalise_reference(value)

    def is_current(self, today: dt.date) -> bool:
        return is_current(self, today)


class BadgeType(LabelledEnum):
    DRIVER = "driver"
    PASSENGER_ASSISTANT = "passenger_assistant"


class BadgeStatus(enum.StrEnum):
    VALID = "valid"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


class DbsCertificate(db.Model):
    """An enhanced DBS certificate with both barred lists; Update Service status checks are due every 6
    months."""

    __tablename__ = "dbs_certificates"

    id: Mapped[intpk]
    person_record_id: Mapped[int] = mapped_column(ForeignKey("person_records.id"), index=True)
    certificate_number: Mapped[str] = mapped_column(String(12))
    issued_on: Mapped[dt.date]
    barred_lists_checked: Mapped[bool_false]
    update_service_subscribed: Mapped[bool_false]
    last_status_check_on: Mapped[dt.date | None]
    last_status_result: Mapped[short_str]  # "no new information" / "new information", never the content

    person: Mapped[PersonRecord] = relationship(back_populates="dbs_certificates")

    def next_status_check_due(self) -> dt.date:
        return add_months(self.last_status_check_on or self.issued_on, 6)


class Badge(db.Model):
    """A county client-transport ID badge for a driver or passenger assistant on school and social-care
    routes."""

    __tablename__ = "badges"

    id: Mapped[intpk]
    # Optimistic locking: a save based on an older version is refused, never a silent overwrite (finding 9).
    version_id: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version_id}
    person_record_id: Mapped[int] = mapped_column(ForeignKey("person_records.id"), index=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authorities.id"), index=True)
    badge_type: Mapped[BadgeType] = mapped_column(str_enum(BadgeType))
    number: Mapped[str] = mapped_column(String(20), unique=True)
    operator_name: Mapped[str] = mapped_column(String(120))
    status: Mapped[BadgeStatus] = mapped_column(str_enum(BadgeStatus))
    issued_on: Mapped[dt.date]
    expires_on: Mapped[dt.date]
    dbs_certificate_id: Mapped[int | None] = mapped_column(ForeignKey("dbs_certificates.id"))
    first_reference_on: Mapped[dt.date | None]
    second_reference_on: Mapped[dt.date | None]
    english_test_passed_on: Mapped[dt.date | None]
    safeguarding_training_on: Mapped[dt.date | None]
    status_reason: Mapped[text]
    register_rationale: Mapped[text]  # why it was issued over an adverse flag; kept in the chronology
    created_at: Mapped[created_at]

    person: Mapped[PersonRecord] = relationship(back_populates="badges")
    authority: Mapped[Authority] = relationship()
    dbs_certificate: Mapped[DbsCertificate | None] = relationship()

    @validates("number")
    def _normalise_number(self, key: str, value: str) -> str:
        return normalise_reference(value)


def is_current(held: Licence | Badge, today: dt.date, *, in_force: bool = False) -> bool:
    """The one rule for "is this licence or badge current": granted (a badge: valid) and not past its expiry
    date.

    With `in_force`, a suspended one counts too: the holder still holds it, and it comes back when the
    suspension ends (what the police ask about)."""
    live = {LicenceStatus.GRANTED, BadgeStatus.VALID}
    if in_force:
        live |= {LicenceStatus.SUSPENDED, BadgeStatus.SUSPENDED}
    return held.status in live and (held.expires_on is None or held.expires_on >= today)
