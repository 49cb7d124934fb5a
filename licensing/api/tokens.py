"""API tokens: issued by an administrator, shown once, stored as a SHA-256, revocable and expiring."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select

from licensing.api.models import ApiToken
from licensing.audit import record as audit
from licensing.auth.models import User
from licensing.db import db, utcnow
from licensing.errors import RuleViolation

TOKEN_PREFIX = "lir_"  # noqa: S105 (a recognisable prefix, not a secret)
DEFAULT_DAYS = 90
MAX_DAYS = 365


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    user: User, label: str, *, actor: User | None, days: int = DEFAULT_DAYS, actor_label: str = ""
) -> tuple[str, ApiToken]:
    """A new random token acting as `user`; the plain token is returned once and never stored."""
    label = (label or "").strip()
    if not label or len(label) > 80:
        raise RuleViolation("Give the token a label of 1 to 80 characters")
    if not 1 <= days <= MAX_DAYS:
        raise RuleViolation(f"A token lasts 1 to {MAX_DAYS} days")
    if not user.is_enabled:
        raise RuleViolation("That user is disabled")
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        label=label,
        token_hash=_digest(plain),
        prefix=plain[:10],
        expires_at=utcnow() + dt.timedelta(days=days),
        created_by_id=actor.id if actor else None,
    )
    db.session.add(token)
    db.session.flush()
    audit(
        actor,
        "api_token.created",
        token,
        email=actor_label,
        details={"for": user.email, "label": label, "expires_at": token.expires_at.isoformat()},
    )
    return plain, token


def revoke_token(token: ApiToken, *, actor: User) -> None:
    """Stop a token working at once."""
    if token.revoked_at is not None:
        raise RuleViolation("This token is already revoked")
    token.revoked_at = utcnow()
    db.session.flush()
    audit(actor, "api_token.revoked", token, details={"for": token.user.email, "label": token.label})


def user_for_token(plain: str) -> User | None:
    """The user a presented token acts as, or None if it is unknown, revoked, expired or its user disabled."""
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > 100:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(plain)))
    now = utcnow()
    if token is None or not token.is_usable(now):
        return None
    token.last_used_at = now
    return token.user


def all_tokens() -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))
