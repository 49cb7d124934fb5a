
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
    # The authority's own retention policy for complaints, in years; None uses RETENTION_COMPLAINT_YEARS.
    complaint_retention_years: Mapped[int | None]

    @property
    def is_police(self) -> bool:
        return self.kind is AuthorityKind.POLICE

    def __repr__(self) -> str:
        return f"<Authority {self.code}>"
