"""Who may see which person records, and the stated reason that opens a person's page."""

from __future__ import annotations

from flask import current_app, request
from sqlalchemy import ARRAY, DateTime, Integer, String, bindparam, delete, func, insert, select

from licensing.auth.models import Role, User
from licensing.auth.permissions import SEARCHERS
from licensing.authorities.models import Authority, AuthorityKind
from licensing.db import db, utcnow
from licensing.people.models import AccessGrant, Identity, PersonRecord


def can_see_record(viewer: User, record: PersonRecord) -> bool:
    """Police see every record; other searchers never see the police's own subject records."""
    if viewer.role is Role.POLICE_SPOC:
        return True
    if viewer.role in SEARCHERS:
        return record.authority.kind is not AuthorityKind.POLICE
    return False


def hidden_records(viewer: User):
    """The ids of records `can_see_record` hides from this searcher, as a query (None: they see every one),
    for counting and paging in the database. Led by the authority, so it reads only the police's records.

    The police authorities' ids are read first and written into the query: a plan that knows them reads the
    (authority_id, id) index alone, where a subquery on authorities scanned every record on PostgreSQL."""
    if viewer.role is Role.POLICE_SPOC:
        return None
    if viewer.role not in SEARCHERS:
        return select(PersonRecord.id)
    police = list(db.session.scalars(select(Authority.id).where(Authority.kind == AuthorityKind.POLICE)))
    return select(PersonRecord.id).where(PersonRecord.authority_id.in_(police))


def own_record(record_id: int, viewer: User) -> PersonRecord | None:
    """The record if the viewer's own authority holds it, else None: another authority's records are not
    editable."""
    record = db.session.get(PersonRecord, record_id)
    return record if record is not None and record.authority_id == viewer.authority_id else None


def visible_records(identity: Identity, viewer: User) -> list[PersonRecord]:
    return [record for record in identity.records if can_see_record(viewer, record)]


_grants = AccessGrant.__table__  # Core: the ORM's bulk INSERT takes no INSERT ... SELECT
# The viewer's expired grants go as new ones are made, which keeps the table bounded by what is live.
_DELETE_EXPIRED = delete(_grants).where(
    _grants.c.user_id == bindparam("viewer_id"), _grants.c.granted_at < bindparam("expired_before")
)
# One multi-row INSERT ... RETURNING, not a statement per person found. Each row returns its own identity id,
# so the rows' order does not matter (asking for it made SQLite insert them one by one).
_GRANT = insert(AccessGrant).returning(AccessGrant.identity_id, AccessGrant.id)
# On PostgreSQL one statement of one text: the DELETE rides in the INSERT (a data-modifying WITH), and the
# identities come as one array, so a search's reasons cost one round trip (prepared once per connection).
_EXPIRE_AND_GRANT = (
    insert(_grants)
    .from_select(
        ["user_id", "identity_id", "reason", "granted_at"],
        select(
            bindparam("viewer_id", type_=Integer),
            func.unnest(bindparam("identity_ids", type_=ARRAY(Integer))),
            bindparam("reason", type_=String),
            bindparam("granted_at", type_=DateTime),
        ),
    )
    .returning(_grants.c.identity_id, _grants.c.id)
    .add_cte(_DELETE_EXPIRED.cte("expired_grants"))
)


def grant_access(viewer: User, identity_ids: list[int], reason: str) -> dict[int, int]:
    """Record the viewer's stated reason for these identities (a search's reason covers its first results).

    Returns identity id -> grant id, so each link to a person carries its own reason with the request.
    The viewer's expired grants are deleted here."""
    now = utcnow()
    expired = {"viewer_id": viewer.id, "expired_before": now - current_app.config["PERSON_ACCESS_LIFETIME"]}
    wanted = list(dict.fromkeys(identity_ids))[: current_app.config["ACCESS_GRANTS_PER_SEARCH"]]
    if wanted and db.session.get_bind().dialect.name == "postgresql":
        found = db.session.execute(
            _EXPIRE_AND_GRANT, {**expired, "identity_ids": wanted, "reason": reason, "granted_at": now})
        return {identity_id: grant_id for identity_id, grant_id in found}
    db.session.execute(_DELETE_EXPIRED, expired)
    if not wanted:
        return {}
    rows = [{"user_id": viewer.id, "identity_id": i, "reason": reason, "granted_at": now} for i in wanted]
    return {identity_id: grant_id for identity_id, grant_id in db.session.execute(_GRANT, rows)}


def stated_reason(viewer: User, identity_id: int, grant_id: int | None = None) -> str | None:
    """The reason this request carries (its grant id), or the one live reason the viewer gave for the
    identity.

    Without a grant id, two different live reasons are ambiguous: the viewer is asked again rather than the
    audit row guessing which one applied."""
    live = {"user_id": viewer.id, "identity_id": identity_id,
            "since": utcnow() - current_app.config["PERSON_ACCESS_LIFETIME"]}
    if grant_id is not None:
        return db.session.scalar(_GRANTED_REASON, {**live, "grant_id": grant_id})
    reasons = set(db.session.scalars(_LIVE_REASONS, live))
    return reasons.pop() if len(reasons) == 1 else None


# Built once: the person page asks on every view, and building the statement (and its cache key) each time
# was most of the check's CPU.
_REASONS_GIVEN = select(AccessGrant.reason).where(
    AccessGrant.user_id == bindparam("user_id"),
    AccessGrant.identity_id == bindparam("identity_id"),
    AccessGrant.granted_at >= bindparam("since"),
)
_GRANTED_REASON = _REASONS_GIVEN.where(AccessGrant.id == bindparam("grant_id"))
_LIVE_REASONS = _REASONS_GIVEN.limit(20)


def request_grant_id() -> int | None:
    """The stated reason this request carries (?grant=); a malformed or huge value is simply no reason."""
    value = request.args.get("grant", "")
    return int(value) if value.isdigit() and len(value) < 12 else None
