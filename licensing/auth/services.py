"""Sign-in with slow salted hashing (argon2id), per-account lock-out, and user management."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from licensing.audit import record
from licensing.auth.models import FormSubmission, Role, User
from licensing.authorities.models import Authority, AuthorityKind
from licensing.db import db, utcnow
from licensing.errors import NotPermitted, RuleViolation, StaleSave

# Compared against when the email is unknown or an attempt is refused, so every path costs one verification.
# Computed once per set of hashing parameters (recomputing it made unknown emails twice as slow: finding 3).
_DUMMY_HASHES: dict[tuple, str] = {}

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
MAX_PASSWORD_LENGTH = 64
MIN_PASSWORD_SCORE = 3  # zxcvbn's 0-4 guessability score


def password_hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg.get("ARGON2_TIME_COST", 3),
        memory_cost=cfg.get("ARGON2_MEMORY_COST", 65536),
        parallelism=cfg.get("ARGON2_PARALLELISM", 4),
    )


def hash_password(password: str) -> str:
    return password_hasher().hash(password)


def check_password_policy(password: str, *, email: str = "", name: str = "") -> None:
    """ASVS 6.2: 12 to 64 characters, no composition rules, nothing from a breached-password list.

    The list is the 30,000 most common passwords from public breaches that ships inside zxcvbn; zxcvbn's
    score also refuses variants of them and of the user's own email or name. No rotation is ever forced."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise RuleViolation(f"Password must be at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise RuleViolation(f"Password must be {MAX_PASSWORD_LENGTH} characters or fewer")
    if password in current_app.config["REFUSED_PASSWORDS"]:
        raise RuleViolation("That password is published with the demonstration data: choose another")
    if password.lower() in _breached_passwords():
        raise RuleViolation("That password appears in lists of breached passwords: choose another")
    if zxcvbn(password, user_inputs=[email, name, *email.split("@")])["score"] < MIN_PASSWORD_SCORE:
        raise RuleViolation(
            "Choose a password that is harder to guess, for example three or four unrelated words"
        )


@cache
def _breached_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def _dummy_hash() -> str:
    hasher = password_hasher()
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in _DUMMY_HASHES:
        _DUMMY_HASHES[key] = hasher.hash("not-a-real-password")
    return _DUMMY_HASHES[key]


def _verify(password_hash: str, password: str) -> bool:
    try:
        return password_hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(email: str, password: str) -> User | None:
    """Return the user if the password is right and the account usable; count failures and lock after too
    many.

    Each attempt first reserves itself with one atomic UPDATE ... RETURNING, so parallel guesses can never get
    more tries than LOGIN_MAX_FAILURES (finding 2); refused attempts still cost one hash verification."""
    email = email.strip().lower()
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    now = utcnow()
    cfg = current_app.config
    if user is None:
        _verify(_dummy_hash(), password)
        record(None, "auth.sign_in_failed", email=email, details={"why": "unknown user"})
        return None
    # A lock that has run out is cleared before counting afresh.
    db.session.execute(update(User).where(User.id == user.id, User.locked_until <= now)
                       .values(locked_until=None, failed_login_count=0)
                       .execution_options(synchronize_session=False))
    attempts, locked_until = db.session.execute(
        update(User).where(User.id == user.id).values(failed_login_count=User.failed_login_count + 1)
        .returning(User.failed_login_count, User.locked_until)
        .execution_options(synchronize_session=False)).one()
    db.session.refresh(user)
    if (locked_until and locked_until > now) or attempts > cfg["LOGIN_MAX_FAILURES"]:
        _verify(_dummy_hash(), password)
        record(user, "auth.sign_in_failed", user, details={"why": "locked"})
        return None
    usable = user.is_enabled and not user.is_approval_pending
    if not _verify(user.password_hash, password) or not usable or password in cfg["REFUSED_PASSWORDS"]:
        why = ("disabled" if not user.is_enabled else "awaiting approval" if user.is_approval_pending
               else "wrong password")
        if attempts >= cfg["LOGIN_MAX_FAILURES"]:
            user.locked_until = now + cfg["LOGIN_LOCKOUT"]
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


def create_user(*, email: str, name: str, authority: Authority, role: Role, actor: User | None,
                password: str | None = None) -> User:
    """Add a user; the role must fit the authority (a police role belongs to a police force).

    Without a password the account is unusable until its one-time set-up link is used (issue_setup_link); a
    password given here (the CLI's first administrator) must be changed at first sign-in. A police account an
    administrator creates waits for approval by the police point of contact or a second administrator."""
    email = email.strip().lower()
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise RuleViolation("A user with that email address already exists")
    if authority.kind not in ROLE_AUTHORITY_KINDS[role]:
        raise RuleViolation(f"A {role.label.lower()} must belong to a {_kind_names(role)}")
    if password is not None:
        check_password_policy(password, email=email, name=name)
    user = User(email=email, name=name.strip(), authority=authority, role=role,
                password_hash=hash_password(password) if password is not None else "",
                must_change_password=password is not None)
    db.session.add(user)
    db.session.flush()
    record(
        actor, "user.created", user, details={"email": email, "role": role.value, "authority": authority.code}
    )
    if role is Role.POLICE_SPOC and actor is not None:
        _request_police_approval(user, actor=actor)
    return user


def _request_police_approval(user: User, *, actor: User) -> None:
    """Police access is held until approved; the request shows on every police contact's home page."""
    user.is_approval_pending = True
    user.approval_requested_by_id = actor.id
    end_sessions(user)
    db.session.flush()
    record(actor, "user.police_access_requested", user, details={"email": user.email})


def pending_police_approvals(viewer: User) -> list[User]:
    """Accounts waiting for police access that this viewer may approve."""
    if viewer.role not in (Role.POLICE_SPOC, Role.ADMINISTRATOR):
        return []
    query = select(User).where(User.is_approval_pending.is_(True)).order_by(User.created_at, User.id)
    return [user for user in db.session.scalars(query) if _may_approve(user, viewer)]


def _may_approve(user: User, actor: User) -> bool:
    if actor.id in (user.id, user.approval_requested_by_id):
        return False
    return actor.role is Role.POLICE_SPOC or actor.role is Role.ADMINISTRATOR


def approve_police_access(user: User, *, actor: User) -> None:
    """The police point of contact, or a second administrator, approves police access."""
    if not user.is_approval_pending:
        raise RuleViolation("This account is not waiting for approval")
    if not _may_approve(user, actor):
        raise NotPermitted("Police access needs the police point of contact or a second administrator")
    user.is_approval_pending = False
    db.session.flush()
    record(
        actor, "user.police_access_approved", user, details={"requested_by": user.approval_requested_by_id}
    )


def issue_setup_link(user: User, *, actor: User | None) -> str:
    """A fresh one-time set-up token (returned once, stored only as its hash); any older one stops working."""
    token = secrets.token_urlsafe(32)
    user.setup_token_hash = _token_hash(token)
    user.setup_expires_at = utcnow() + current_app.config["SETUP_LINK_LIFETIME"]
    db.session.flush()
    record(actor, "user.setup_link_issued", user)
    return token


def user_for_setup_token(token: str) -> User | None:
    if not token or len(token) > 100:
        return None
    user = db.session.scalar(select(User).where(User.setup_token_hash == _token_hash(token)))
    if user is None or user.setup_expires_at is None or user.setup_expires_at < utcnow():
        return None
    return user


def complete_setup(user: User, *, password: str) -> None:
    """The user chooses their own password through the link, which then stops working."""
    check_password_policy(password, email=user.email, name=user.name)
    user.password_hash = hash_password(password)
    user.setup_token_hash, user.setup_expires_at, user.must_change_password = "", None, False
    user.failed_login_count, user.locked_until = 0, None
    end_sessions(user)
    db.session.flush()
    record(user, "user.setup_completed", user)


def change_password(user: User, *, current: str, new: str) -> None:
    """A user changes their own password; every other session of theirs ends (ASVS 7.4.3)."""
    if not _verify(user.password_hash, current):
        raise RuleViolation("Your current password is not right")
    if new == current:
        raise RuleViolation("Choose a password different from your current one")
    check_password_policy(new, email=user.email, name=user.name)
    user.password_hash = hash_password(new)
    user.must_change_password = False
    end_sessions(user)
    db.session.flush()
    record(user, "user.password_changed", user)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def update_user(
    user: User, *, name: str, authority: Authority, role: Role, is_enabled: bool, actor: User
) -> User:
    """Change a user's details; disabling ends their sessions at once."""
    if authority.kind not in ROLE_AUTHORITY_KINDS[role]:
        raise RuleViolation(f"A {role.label.lower()} must belong to a {_kind_names(role)}")
    if user.id == actor.id and (not is_enabled or role is not user.role):
        raise RuleViolation("You cannot disable your own account or change your own role")
    # Compare-and-bump in one statement: of two edits opened on the same version, only one lands.
    bumped = db.session.execute(
        update(User)
        .where(User.id == user.id, User.version_id == user.version_id)
        .values(version_id=User.version_id + 1)
        .execution_options(synchronize_session="fetch")
    )
    if bumped.rowcount != 1:
        raise StaleSave(StaleSave.MESSAGE)
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
    if "role" in changes and role is Role.POLICE_SPOC:
        _request_police_approval(user, actor=actor)
    return user


def unlock_user(user: User, *, actor: User) -> None:
    """An administrator lifts a lock-out early."""
    user.locked_until = None
    user.failed_login_count = 0
    record(actor, "user.unlocked", user)


def _kind_names(role: Role) -> str:
    return " or ".join(sorted(kind.label.lower() for kind in ROLE_AUTHORITY_KINDS[role]))


def is_locked(user: User, now: dt.datetime | None = None) -> bool:
    return bool(user.locked_until and user.locked_until > (now or utcnow()))


FORM_TOKEN_LIFETIME = dt.timedelta(days=1)
ALREADY_SENT = ("This form was already sent, so nothing more was saved. "
                "Check the record before adding it again.")


_submissions = FormSubmission.__table__
_DELETE_STALE_TOKENS = delete(_submissions).where(_submissions.c.submitted_at < bindparam("stale"))


@cache
def _claim_statement(dialect: str):
    """INSERT the token unless it is taken (ON CONFLICT DO NOTHING: no savepoint to catch the duplicate),
    RETURNING it when it was free; on PostgreSQL with the stale tokens' DELETE in the same statement."""
    dialect_insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    claim = (
        dialect_insert(_submissions)
        .values(token=bindparam("token"), user_id=bindparam("user_id"), submitted_at=bindparam("now"))
        .on_conflict_do_nothing(index_elements=[_submissions.c.token])
        .returning(_submissions.c.token)
    )
    return claim.add_cte(_DELETE_STALE_TOKENS.cte("stale_tokens")) if dialect == "postgresql" else claim


def claim_form_token(token: str | None, *, actor: User) -> None:
    """Take a create form's one-time token in the caller's transaction; a token already taken (a double
    submission, even from another worker, whose INSERT this one waits for) is a RuleViolation, so the second
    record is never made.

    Tokens older than a day are deleted here, which keeps the table bounded."""
    if not token:
        return
    now = utcnow()
    dialect = db.session.get_bind().dialect.name
    if dialect != "postgresql":
        db.session.execute(_DELETE_STALE_TOKENS, {"stale": now - FORM_TOKEN_LIFETIME})
    claimed = db.session.execute(_claim_statement(dialect), {
        "token": token, "user_id": actor.id, "now": now, "stale": now - FORM_TOKEN_LIFETIME}).first()
    if claimed is None:
        raise RuleViolation(ALREADY_SENT)
