from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from licensing.db import created_at, db, intpk

if TYPE_CHECKING:
    from licensing.authorities.models import Authority
    from licensing.licences.models import Licence

# The driver and vehicle licences working for an operator.
operator_licences = Table(
    "operator_licences",
    db.Model.metadata,
    Column("operator_id", ForeignKey("operators.id"), primary_key=True),
    Column("licence_id", ForeignKey("licences.id"), primary_key=True, index=True),
)


class Operator(db.Model):
    """A private hire operator licensed by one authority, with the drivers and vehicles it dispatches."""

    __tablename__ = "operators"
    __table_args__ = (UniqueConstraint("authority_id", "name"),)

    id: Mapped[intpk]
    authority_id: Mapped[int] = mapped_column(ForeignKey("authorities.id"), index=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    licence_id: Mapped[int | None] = mapped_column(ForeignKey("licences.id"), unique=True)
    created_at: Mapped[created_at]

    authority: Mapped[Authority] = relationship()
    licence: Mapped[Licence | None] = relationship(foreign_keys=[licence_id])
    licences: Mapped[list[Licence]] = relationship(secondary=operator_licences, order_by="Licence.number")
