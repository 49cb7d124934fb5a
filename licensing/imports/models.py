from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from licensing.db import created_at, db, intpk

if TYPE_CHECKING:
    from licensing.auth.models import User
    from licensing.authorities.models import Authority


class ImportMapping(db.Model):
    """One authority's named mapping from its own column headings to the register's import columns."""

    __tablename__ = "import_mappings"
    __table_args__ = (UniqueConstraint("authority_id", "name"),)

    id: Mapped[intpk]
    authority_id: Mapped[int] = mapped_column(ForeignKey("authorities.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    columns: Mapped[dict] = mapped_column(default=dict)  # register column -> the council's heading
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[created_at]

    authority: Mapped[Authority] = relationship()
    created_by: Mapped[User | None] = relationship()


class ImportUpload(db.Model):
    """A file uploaded on the import page, kept between its dry run and the user's commit."""

    __tablename__ = "import_uploads"

    id: Mapped[intpk]
    authority_id: Mapped[int] = mapped_column(ForeignKey("authorities.id"), index=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    mapping_name: Mapped[str] = mapped_column(String(60), default="", server_default="")
    report: Mapped[dict] = mapped_column(default=dict)
    committed_at: Mapped[dt.datetime | None]
    created_at: Mapped[created_at]
    # The import job run outside the request: "" (dry run only), queued, running, done or failed. Progress
    # while running is written outside the import's transaction (licensing/imports/worker.py).
    status: Mapped[str] = mapped_column(String(12), default="", server_default="")
    rows_done: Mapped[int] = mapped_column(default=0, server_default="0")
    rows_total: Mapped[int] = mapped_column(default=0, server_default="0")
    failure: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # The running job's heartbeat: a job whose heartbeat stops (its process died) is queued again.
    updated_at: Mapped[dt.datetime | None]

    authority: Mapped[Authority] = relationship()
    uploaded_by: Mapped[User | None] = relationship()
