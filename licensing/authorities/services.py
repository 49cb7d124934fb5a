"""Authorities are data: adding one needs no code change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select

from licensing.audit import record
from licensing.authorities.models import Authority, AuthorityKind
from licensing.db import db
from licensing.errors import RuleViolation

if TYPE_CHECKING:
    from licensing.auth.models import User


def create_authority(*, code: str, name: str, kind: AuthorityKind, actor: User | None) -> Authority:
    """Add an authority; codes and names are unique."""
    code = code.strip().upper()
    clash = db.session.scalar(select(Authority.id).where(
        or_(Authority.code == code, func.lower(Authority.name) == name.strip().lower())))
    if clash:
        raise RuleViolation("An authority with that code or name already exists")
    authority = Authority(code=code, name=name.strip(), kind=kind)
    db.session.add(authority)
    db.session.flush()
    record(actor, "authority.created", authority, details={"code": code, "kind": kind.value})
    return authority


def all_authorities() -> list[Authority]:
    return list(db.session.scalars(select(Authority).order_by(Authority.kind, Authority.name)))
