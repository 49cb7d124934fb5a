"""Sign-in with slow salted hashing (argon2id), per-account lock-out, and user management."""

from __future__ import annotations

import datetime as dt

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import func, select

from licensing.audit import record
from licensing.auth.models import Role, User
from licensing.authorities.models import Authority, AuthorityKind
from licensing.db import db, utcnow
from licensing.errors import RuleViolation

# Compared against when the email is unknown, so a miss costs as long as a hit.
_DUMMY_HASH_CACHE: dict[str, str] = {}

ROLE_AUTHORITY_KINDS = {
    Role.LICENSING_OFFICER: {AuthorityKind.LICENSING},
    Role.TRANSPORT_OFFICER: {AuthorityKind.CLIENT_TRANSPORT},
    Role.POLICE_SPOC: {AuthorityKind.POLICE},
    Role.ADMINISTRATOR: set(AuthorityKind),
    Role.AUDITOR: set(AuthorityKind),
    # Reports only: a manager sees their own district's figures; the county lead is hosted by the county
    # council.
    Role.LICENSING_MANAGER: {AuthorityKind.LICENSING},
    Role.SAFEGUARDING_LEAD: {AuthorityKind.CLIENT_TRANSPORT},
}

MIN_PASSWORD_LENGTH = 12
COMMON_PASSWORDS = frozenset(
    {
        "password",
        "password1",
        "password123",
        "password1234",
        "passw0rd",
        "123456789012",
        "qwertyuiop12",
        "letmein12345",
        "iloveyou1234",
        "welcome12345",
        "administrator",
        "changeme1234",
        "1234567890ab",
        "qwerty123456",
    }
)


def password_hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg.get("ARGON2_TIME_COST", 3),
        memory_cost=cfg.get("ARGON2_MEMORY_COST", 65536),
        parallelism=cfg.get("ARGON2_PARALLELISM", 4),
    )


def hash_password(password: str) -> str:
    return password_hasher().hash(password)


def check_password_policy(password: str) -> None:
    """Length over composition rules, and no well-known passwords (ASVS 6.2)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise RuleViolation(f"Password must be at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > 256:
        raise RuleViolation("Password must be 256 characters or fewer")
    if password.lower() in COMMON_PASSWORDS:
        raise RuleViolation("Choose a password that is harder to guess")


def _verify(password_hash: str, password: str) -> bool:
    try:
        return password_hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(email: str, password: str) -> User | None:
    """Return the user if the password is right and the account usable; count failures and lock after too
    many."""
    email = email.strip().lower()
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    now = utcnow()
    if user is None:
        dummy = _DUMMY_HASH_CACHE.setdefault("hash", hash_password("not-a-real-password"))
        _verify(dummy, password)
        record(None, "auth.sign_in_failed", email=email, details={"why": "unknown user"})
        return None
    if user.locked_until and user.locked_until > now:
        _verify(user.password_hash, password)
        record(user, "auth.sign_in_failed", user, details={"why": "locked"})
        return None
    if not _verify(user.password_hash, password) or not user.is_enabled:
        why = "disabled" if user.is_enabled is False else "wrong password"
        user.failed_login_count += 1
        if user.failed_login_count >= current_app.config["LOGIN_MAX_FAILURES"]:
            user.locked_until = now + current_app.config["LOGIN_LOCKOUT"]
            user.failed_login_count = 0
            record(user, "auth.locked_out", user)
        record(user, "auth.sign_in_failed", user, details={"why": why})
        return None
    user.failed_login_count = 0
    user.locked_until = None
    user.last_login_at = now
    record(user, "auth.signed_in", user)
    return user


def end_sessions(user: User) -> None:
    """Invalidate every session cookie the user holds (sign-out, disabling, password change)."""
    user.session_version += 1


def create_user(
    *, email: str, name: str, authority: Authority, role: Role, password: str, actor: User | None
) -> User:
    """Add a user; the role must fit the authority (a police role belongs to a police force)."""
    email = email.strip().lower()
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise RuleViolation("A user with that email address already exists")
    if authority.kind not in ROLE_AUTHORITY_KINDS[role]:
        raise RuleViolation(f"A {role.label.lower()} must belong to a {_kind_names(role)}")
    check_password_policy(password)
    user = User(
        email=email, name=name.strip(), authority=authority, role=role, password_hash=hash_password(password)
    )
    db.session.add(user)
    db.session.flush()
    record(
        actor, "user.created", user, details={"email": email, "role": role.value, "authority": authority.code}
    )
    return user


def update_user(
    user: User, *, name: str, authority: Authority, role: Role, is_enabled: bool, actor: User
) -> User:
    """Change a user's details; disabling ends their sessions at once."""
    if authority.kind not in ROLE_AUTHORITY_KINDS[role]:
        raise RuleViolation(f"A {role.label.lower()} must belong to a {_kind_names(role)}")
    if user.id == actor.id and (not is_enabled or role is not user.role):
        raise RuleViolation("You cannot disable your own account or change your own role")
    changes = {}
    for field, value in (
        ("name", name.strip()),
        ("authority_id", authority.id),
        ("role", role),
        ("is_enabled", is_enabled),
    ):
        if getattr(user, field) != value:
            changes[field] = str(value)
            setattr(user, field, value)
    if "is_enabled" in changes and not is_enabled:
        end_sessions(user)
    if "role" in changes or "authority_id" in changes:
        end_sessions(user)
    db.session.flush()
    record(actor, "user.updated", user, details=changes)
    return user


def unlock_user(user: User, *, actor: User) -> None:
    user.locked_until = None
    user.failed_login_count = 0
    record(actor, "user.unlocked", user)


def _kind_names(role: Role) -> str:
    return " or ".join(sorted(kind.label.lower() for kind in ROLE_AUTHORITY_KINDS[role]))


def is_locked(user: User, now: dt.datetime | None = None) -> bool:
    return bool(user.locked_until and user.locked_until > (now or utcnow()))
