from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from licensing.db import created_at, db, intpk, str_enum
from licensing.enums import LabelledEnum

if TYPE_CHECKING:
    from licensing.authorities.models import Authority


class Role(LabelledEnum):
    LICENSING_OFFICER = "licensing_officer", "Licensing officer"
    TRANSPORT_OFFICER = "client_transport_officer", "Client-transport officer"
    POLICE_SPOC = "police_spoc", "Police point of contact"
    ADMINISTRATOR = "administrator", "Administrator"
    AUDITOR = "auditor", "Auditor"
    LICENSING_MANAGER = "licensing_manager", "Licensing manager"
    SAFEGUARDING_LEAD = "county_safeguarding_lead", "County safeguarding lead"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[intpk]
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    authority_id: Mapped[int] = mapped_column(ForeignKey("authorities.id"), index=True)
    role: Mapped[Role] = mapped_column(str_enum(Role))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_enabled: Mapped[bool] = mapped_column(default=True)
    failed_login_count: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None]
    # Bumped at sign-out, disabling or a password change, so every older session cookie stops working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    last_login_at: Mapped[dt.datetime | None]
    created_at: Mapped[created_at]

    authority: Mapped[Authority] = relationship()

    @property
    def is_active(self) -> bool:
        return self.is_enabled

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_police(self) -> bool:
        return self.role is Role.POLICE_SPOC
