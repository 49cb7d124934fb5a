"""Plain factory functions: unique values from a counter; they add and flush, the test commits (arranged)."""

import datetime as dt
import itertools
from collections.abc import Iterator
from contextlib import contextmanager

import pyotp
from sqlalchemy import select

from licensing.auth.models import Role, User
from licensing.auth.services import hash_password
from licensing.authorities.models import Authority, AuthorityKind
from licensing.db import db

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)
# Test modules whose TODAY is the clock's date: tests/conftest.py sets it again as each test starts.
CLOCK_DATED: set[str] = set()


def clock_date(module: str) -> dt.date:
    """Today, for a test module's `TODAY = clock_date(__name__)`. Left as the date of import, TODAY would be
    yesterday beside the app's dt.date.today() in every test after midnight in a run that crosses it."""
    CLOCK_DATED.add(module)
    return dt.date.today()

COUNTY = [
    ("AVDC", "Aylesbury Vale District Council", AuthorityKind.LICENSING),
    ("CDC", "Chiltern District Council", AuthorityKind.LICENSING),
    ("SBDC", "South Bucks District Council", AuthorityKind.LICENSING),
    ("WDC", "Wycombe District Council", AuthorityKind.LICENSING),
    ("BCC-CT", "Buckinghamshire County Council Client Transport", AuthorityKind.CLIENT_TRANSPORT),
    ("TVP", "Thames Valley Police", AuthorityKind.POLICE),
]
DEFAULT_AUTHORITY = {
    Role.LICENSING_OFFICER: "WDC",
    Role.TRANSPORT_OFFICER: "BCC-CT",
    Role.POLICE_SPOC: "TVP",
    Role.ADMINISTRATOR: "BCC-CT",
    Role.AUDITOR: "BCC-CT",
    Role.LICENSING_MANAGER: "WDC",
    Role.SAFEGUARDING_LEAD: "BCC-CT",
}


@contextmanager
def arranged(app) -> Iterator[None]:
    """An app context for arranging a test; what the block adds is committed when it ends without error.

    Objects stay readable after the block (no expiry on this commit), as a test reads their ids later.
    """
    with app.app_context():
        yield
        session = db.session()
        session.expire_on_commit = False
        session.commit()


def make_county() -> dict[str, int]:
    present = set(db.session.scalars(select(Authority.code)))
    db.session.add_all(Authority(code=code, name=name, kind=kind) for code, name, kind in COUNTY
                       if code not in present)
    db.session.flush()
    return {a.code: a.id for a in db.session.scalars(select(Authority))}


def authority(code: str) -> Authority:
    return db.session.scalar(select(Authority).where(Authority.code == code))


def make_user(role: Role, authority: str | None = None, **overrides) -> User:
    n = next(_counter)
    overrides.setdefault("name", f"Test User {n}")
    overrides.setdefault(
        "totp_secret", pyotp.random_base32(32)
    )  # enrolled; tests/conftest.py signs in with it
    user = User(
        email=f"user{n}@example.org",
        role=role,
        authority=globals()["authority"](authority or DEFAULT_AUTHORITY[role]),
        password_hash=hash_password(PASSWORD),
        **overrides,
    )
    db.session.add(user)
    db.session.flush()
    return user


def make_person(
    authority_code: str = "WDC",
    *,
    forenames: str = "Test",
    surname: str | None = None,
    date_of_birth: dt.date | None = dt.date(1980, 5, 17),
    postcode: str = "HP11 2BZ",
    national_insurance: str = "",
    driving_licence_number: str = "",
    sex: str = "M",
    actor=None,
    **kw,
):
    """A person record created through the same service the forms use, so linking runs."""
    from licensing.people.inputs import AddressInput, PersonRecordInput
    from licensing.people.services import create_person_record

    n = next(_counter)
    data = PersonRecordInput(
        authority_reference=kw.pop("authority_reference", f"{authority_code}-{n:05d}"),
        forenames=forenames,
        surname=surname if surname is not None else f"Surname{n}",
        date_of_birth=date_of_birth,
        sex=sex,
        national_insurance=national_insurance,
        driving_licence_number=driving_licence_number,
        addresses=(AddressInput(kw.pop("address_line", f"{n} High Street"), "High Wycombe", postcode),),
        **kw,
    )
    record = create_person_record(authority(authority_code), data, actor=actor)
    db.session.flush()
    return record


def make_intelligence(
    record,
    *,
    handling: str = "P",
    recipients: tuple[str, ...] = (),
    status: str = "intelligence",
    full_text: str = "Informant X saw the subject with a 14-year-old at 2am.",
    summary: str = "Police hold safeguarding information about this person.",
    conditions: str = "",
):
    from licensing.intelligence.models import (
        HandlingCode,
        IntelligenceAssessment,
        IntelligenceCategory,
        IntelligenceItem,
        IntelligenceStatus,
        SourceEvaluation,
    )

    item = IntelligenceItem(
        person_record_id=record.id,
        authority=authority("TVP"),
        source_evaluation=SourceEvaluation.UNTESTED,
        intelligence_assessment=IntelligenceAssessment.INDIRECT_CORROBORATED,
        handling_code=HandlingCode(handling),
        handling_conditions=conditions,
        status=IntelligenceStatus(status),
        category=IntelligenceCategory.CHILD_EXPLOITATION,
        force_reference=f"TVP/2026/{next(_counter):05d}",
        full_text=full_text,
        sanitised_summary=summary,
        submitted_on=dt.date(2026, 10, 1),
        review_on=dt.date(2027, 10, 1),
        recipients=[authority(code) for code in recipients],
    )
    db.session.add(item)
    db.session.flush()
    return item


def join_records(*records) -> int:
    """Put records under one identity directly (for tests about visibility, not about matching)."""
    identity_id = records[0].identity_id
    for record in records[1:]:
        record.identity_id = identity_id
    db.session.flush()
    return identity_id


def make_badge_for_limits() -> str:
    """A valid county badge on a new holder; returns its number."""
    from licensing.licences.models import Badge, BadgeStatus, BadgeType

    holder = make_person("BCC-CT")
    n = next(_counter)
    badge = Badge(
        person_record_id=holder.id,
        authority_id=holder.authority_id,
        badge_type=BadgeType.DRIVER,
        number=f"BCC{800000 + n}",
        operator_name="Limit Cars",
        status=BadgeStatus.VALID,
        issued_on=dt.date(2025, 1, 1),
        expires_on=dt.date(2099, 1, 1),
    )
    db.session.add(badge)
    db.session.flush()
    return badge.number


def current_totp_code(email: str) -> str:
    """The user's current code, with their used step cleared (a test helper may sign one user in repeatedly)."""  # noqa: E501
    user = db.session.scalar(select(User).where(User.email == email))
    user.totp_last_step = 0
    db.session.flush()
    return pyotp.TOTP(user.totp_secret).now()
