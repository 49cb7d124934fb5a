"""Who may see which person records, and the stated reason that opens a person's page."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from licensing.auth.models import Role, User
from licensing.auth.permissions import SEARCHERS
from licensing.authorities.models import AuthorityKind
from licensing.db import db, utcnow
from licensing.people.models import AccessGrant, Identity, PersonRecord


def can_see_record(viewer: User, record: PersonRecord) -> bool:
    """Police see every record; other searchers never see the police's own subject records."""
    if viewer.role is Role.POLICE_SPOC:
        return True
    if viewer.role in SEARCHERS:
        return record.authority.kind is not AuthorityKind.POLICE
    return False


def own_record(record_id: int, viewer: User) -> PersonRecord | None:
    """The record if the viewer's own authority holds it, else None: another authority's records are not
    editable."""
    record = db.session.get(PersonRecord, record_id)
    return record if record is not None and record.authority_id == viewer.authority_id else None


def visible_records(identity: Identity, viewer: User) -> list[PersonRecord]:
    return [record for record in identity.records if can_see_record(viewer, record)]


def grant_access(viewer: User, identity_ids: list[int], reason: str) -> None:
    """Remember the viewer's stated reason for these identities (a search's reason covers its results)."""
    now = utcnow()
    db.session.add_all(AccessGrant(user_id=viewer.id, identity_id=identity_id, reason=reason, granted_at=now)
                       for identity_id in dict.fromkeys(identity_ids))
    db.session.flush()


def stated_reason(viewer: User, identity_id: int) -> str | None:
    """The reason the viewer gave for this identity within the access lifetime, if any."""
    since = utcnow() - current_app.config["PERSON_ACCESS_LIFETIME"]
    return db.session.scalar(
        select(AccessGrant.reason)
        .where(AccessGrant.user_id == viewer.id, AccessGrant.identity_id == identity_id,
               AccessGrant.granted_at >= since)
        .order_by(AccessGrant.granted_at.desc()).limit(1))
