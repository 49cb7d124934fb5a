from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from licensing.db import bool_false, created_at, db, intpk, str_enum
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


class FormSubmission(db.Model):
    """A create form's one-time token, stored when the form is first accepted: a double submission (a
    double click, a resend, a second worker) finds it taken and makes no second record (finding 9)."""

    __tablename__ = "form_submissions"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    submitted_at: Mapped[created_at]


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
    # Bumped only by an administrator's edit (not by sign-ins), so a stale edit is refused (finding 9).
    version_id: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    last_login_at: Mapped[dt.datetime | None]
    created_at: Mapped[created_at]
    # A password someone else chose (the CLI's first administrator) must be changed at first sign-in.
    must_change_password: Mapped[bool_false]
    # One-time set-up link: only its SHA-256 is stored; the link itself is shown once to the administrator.
    setup_token_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")
    setup_expires_at: Mapped[dt.datetime | None]
    # Police access waits for the police point of contact or a second administrator (issue 12, finding 5).
    approval_requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    is_approval_pending: Mapped[bool_false]
    # TOTP second factor (RFC 6238): the secret, the last time-step accepted (codes work once) and recovery
    # codes
    # (SHA-256 of high-entropy random codes, each removed when used).
    totp_secret: Mapped[str] = mapped_column(String(64), default="", server_default="")
    totp_last_step: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    recovery_code_hashes: Mapped[list] = mapped_column(default=list)

    authority: Mapped[Authority] = relationship()
    approval_requested_by: Mapped[User | None] = relationship(remote_side="User.id")

    @property
    def is_active(self) -> bool:
        return self.is_enabled and not self.is_approval_pending

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def has_two_factor(self) -> bool:
        return bool(self.totp_secret)

    @property
    def is_police(self) -> bool:
        return self.role is Role.POLICE_SPOC
