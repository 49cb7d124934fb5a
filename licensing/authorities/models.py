from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from licensing.db import db, intpk, str_enum
from licensing.enums import LabelledEnum


class AuthorityKind(LabelledEnum):
    LICENSING = "licensing_authority", "Licensing authority"
    CLIENT_TRANSPORT = "client_transport", "Client transport"
    POLICE = "police", "Police force"


class Authority(db.Model):
    """A council, county team or police force: data, so the register can grow beyond one county."""

    __tablename__ = "authorities"

    id: Mapped[intpk]
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[AuthorityKind] = mapped_column(str_enum(AuthorityKind))
    is_active: Mapped[bool] = mapped_column(default=True)
    # The point of contact others are told to ask (for a police force: its taxi-licensing SPOC).
    contact_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    shared_mailbox: Mapped[str] = mapped_column(
        String(254), default="", server_default=""
    )  # notification email
    # Penalty points: a warning when a driver's points within the rolling period reach the threshold.
    penalty_points_period_months: Mapped[int] = mapped_column(default=36, server_default="36")
    penalty_points_threshold: Mapped[int] = mapped_column(default=12, server_default="12")
    # The authority's own retention policy for complaints, in years; None uses RETENTION_COMPLAINT_YEARS.
    complaint_retention_years: Mapped[int | None]

    @property
    def is_police(self) -> bool:
        return self.kind is AuthorityKind.POLICE

    @property
    def contact_line(self) -> str:
        """The point of contact as one line: name, phone and email where recorded."""
        parts = [p for p in (self.contact_name, self.contact_phone, self.contact_email) if p]
        return ", ".join(parts) if parts else f"the point of contact at {self.name}"

    def __repr__(self) -> str:
        return f"<Authority {self.code}>"
