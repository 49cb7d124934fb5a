"""TOTP two-factor sign-in (RFC 6238, pyotp): enrolment with a QR code, single-use codes, recovery codes."""

from __future__ import annotations

import hashlib
import secrets

import pyotp
import segno
from sqlalchemy import update

from licensing.audit import record
from licensing.auth.models import User
from licensing.db import db, utcnow
from licensing.errors import RuleViolation

RECOVERY_CODES = 10
ISSUER = "Licensing register"


def new_secret() -> str:
    """A fresh 160-bit base32 secret from the operating system's CSPRNG (ASVS 6.5.3)."""
    return pyotp.random_base32(32)


def provisioning_qr(user: User, secret: str) -> str:
    """An SVG data URI of the otpauth:// link for an authenticator app (served inline: no third party)."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return segno.make(uri, error="m").svg_data_uri(scale=4, border=2)


def _matching_step(secret: str, code: str) -> int | None:
    """The time-step whose code this is, within one step either side of now (30 s codes, ASVS 6.5.5)."""
    code = code.replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = utcnow().timestamp()
    step = int(now // totp.interval)
    for candidate in (step - 1, step, step + 1):
        if secrets.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def _use_step(user: User, step: int) -> bool:
    """Mark the step used in one atomic UPDATE, so a code works once even when replayed in parallel (ASVS 6.5.1)."""  # noqa: E501
    result = db.session.execute(
        update(User)
        .where(User.id == user.id, User.totp_last_step < step)
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(user)
    return result.rowcount == 1


def enrol(user: User, *, secret: str, code: str) -> list[str]:
    """Confirm an authenticator with its first code; returns the recovery codes, shown once."""
    if user.has_two_factor:
        raise RuleViolation("Two-factor sign-in is already set up for this account")
    step = _matching_step(secret, code)
    if step is None:
        raise RuleViolation("Enter the 6-digit code your authenticator app shows now")
    user.totp_secret, user.totp_last_step = secret, step
    codes = _new_recovery_codes(user)
    db.session.flush()
    record(user, "auth.two_factor_enrolled", user)
    return codes


def verify_code(user: User, code: str) -> bool:
    """A current TOTP code not used before, or an unused recovery code (which is then spent)."""
    step = _matching_step(user.totp_secret, code) if user.has_two_factor else None
    if step is not None and _use_step(user, step):
        record(user, "auth.two_factor_passed", user)
        return True
    digest = _hash(code.strip().lower())
    if digest in (user.recovery_code_hashes or []):
        user.recovery_code_hashes = [h for h in user.recovery_code_hashes if h != digest]
        db.session.flush()
        record(user, "auth.recovery_code_used", user, details={"left": len(user.recovery_code_hashes)})
        return True
    record(user, "auth.two_factor_failed", user)
    return False


def reset(user: User, *, actor: User) -> None:
    """An administrator clears a lost authenticator; the user enrols again at next sign-in. Audited."""
    if user.id == actor.id:
        raise RuleViolation("Another administrator must reset your own two-factor sign-in")
    user.totp_secret, user.totp_last_step, user.recovery_code_hashes = "", 0, []
    user.session_version += 1
    db.session.flush()
    record(actor, "user.two_factor_reset", user)


def _new_recovery_codes(user: User) -> list[str]:
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _ in range(RECOVERY_CODES)]
    user.recovery_code_hashes = [_hash(code) for code in codes]
    return codes


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()  # 64 random bits each: a fast hash suffices
