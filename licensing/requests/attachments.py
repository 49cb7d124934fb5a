"""Documents attached to replies: PDF, Word (.docx) or images, their type read from the content, not the name,
and stored outside the web root under a random key so no upload is ever served as a page."""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import ForeignKey, Select, String, delete, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from licensing.audit import record as audit
from licensing.db import created_at, db, intpk
from licensing.errors import RuleViolation

if TYPE_CHECKING:
    from licensing.auth.models import User
    from licensing.requests.models import InformationRequest

MAX_BYTES = 4 * 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSIONS = {"application/pdf": "pdf", DOCX: "docx", "image/png": "png", "image/jpeg": "jpg"}


class Attachment(db.Model):
    """A document attached to an information request or referral reply."""

    __tablename__ = "attachments"

    id: Mapped[intpk]
    request_id: Mapped[int] = mapped_column(ForeignKey("information_requests.id"), index=True)
    filename: Mapped[str] = mapped_column(String(120))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(40), unique=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[created_at]

    request: Mapped[InformationRequest] = relationship()


def detect_type(data: bytes) -> str | None:
    """The document's type from its first bytes (and, for .docx, its package parts); None if not allowed."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                names = set(package.namelist())
        except zipfile.BadZipFile:
            return None
        if {"[Content_Types].xml", "word/document.xml"} <= names and not any(
            n.lower().endswith("vbaproject.bin") for n in names
        ):
            return DOCX
    return None


def safe_filename(name: str, content_type: str) -> str:
    """A display name of letters, digits, spaces, dots, hyphens and underscores, with the detected
    extension."""
    stem = Path(name or "document").stem
    cleaned = "".join(c for c in stem if c.isalnum() or c in " -_.").strip(" .")[:80] or "document"
    return f"{cleaned}.{EXTENSIONS[content_type]}"


def attach(
    request: InformationRequest, *, filename: str, data: bytes, actor: User, storage: Path
) -> Attachment:
    """Check and store one document for a request the actor's authority is party to."""
    if actor.authority_id not in (request.from_authority_id, request.to_authority_id):
        raise RuleViolation("Only the authorities on this request can attach documents")
    if not data:
        raise RuleViolation("The selected file is empty")
    if len(data) > MAX_BYTES:
        raise RuleViolation(f"The selected file must be smaller than {MAX_BYTES // (1024 * 1024)} MB")
    content_type = detect_type(data)
    if content_type is None:
        raise RuleViolation(
            "The selected file must be a PDF, a Word document (.docx), or a PNG or JPEG image"
        )
    key = uuid.uuid4().hex
    storage.mkdir(parents=True, exist_ok=True)
    (storage / key).write_bytes(data)
    attachment = Attachment(
        request_id=request.id,
        filename=safe_filename(filename, content_type),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_key=key,
        uploaded_by_id=actor.id,
    )
    db.session.add(attachment)
    db.session.flush()
    audit(
        actor,
        "attachment.added",
        request,
        details={
            "attachment": attachment.id,
            "type": content_type,
            "size": len(data),
            "sha256": attachment.sha256,
        },
    )
    return attachment


def read(attachment: Attachment, storage: Path, *, actor: User) -> bytes:
    """A document's bytes for an officer of either authority on the request: audited."""
    audit(actor, "attachment.downloaded", attachment.request, details={"attachment": attachment.id})
    return (storage / attachment.storage_key).read_bytes()


def storage_dir() -> Path:
    """Outside the web root: the instance folder unless ATTACHMENT_DIR says otherwise."""
    return Path(current_app.config.get("ATTACHMENT_DIR") or Path(current_app.instance_path) / "attachments")


def erase_for_requests(request_ids: Select) -> int:
    """Delete the documents attached to these requests (retention disposal); their files are removed once the
    deletion is committed, so a rolled-back disposal loses nothing."""
    rows = db.session.execute(
        select(Attachment.id, Attachment.storage_key).where(Attachment.request_id.in_(request_ids))).all()
    if rows:
        db.session.execute(delete(Attachment).where(Attachment.id.in_([row.id for row in rows])))
        db.session.info.setdefault("erase_files", []).extend(row.storage_key for row in rows)
    return len(rows)


@event.listens_for(Session, "after_commit")
def _remove_erased_files(session: Session) -> None:
    keys = session.info.pop("erase_files", [])
    if keys:
        storage = storage_dir()
        for key in keys:
            (storage / key).unlink(missing_ok=True)


@event.listens_for(Session, "after_rollback")
def _keep_files_on_rollback(session: Session) -> None:
    session.info.pop("erase_files", None)


__all__ = [
    "Attachment", "attach", "detect_type", "erase_for_requests", "read", "safe_filename", "storage_dir",
    "MAX_BYTES",
]
