"""County client-transport badges: checking one, issuing, renewing, suspending and withdrawing, and the due
lists.

The rules (DOMAIN.md, "The county client-transport team"): a badge needs an enhanced DBS check with both
barred
lists, two character references, an English test and safeguarding training; it is valid for 3 years and names
the operator. The team is not a licensing authority, so what the register knows about the holder elsewhere is
shown to the officer, who must say they considered it; the county team decides.
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select

from licensing.alerts.models import Alert, AlertKind
from licensing.alerts.services import raise_alerts
from licensing.audit import record as audit
from licensing.audit.models import AuditEvent
from licensing.auth.models import User
from licensing.authorities.models import Authority, AuthorityKind
from licensing.badges.inputs import (
    NEW_INFORMATION,
    NO_NEW_INFORMATION,
    BadgeChecks,
    DbsInput,
    ExistingHolder,
)
from licensing.db import db
from licensing.errors import NotPermitted, RuleViolation
from licensing.licences import is_current
from licensing.licences.models import Badge, BadgeStatus, BadgeType, DbsCertificate
from licensing.licences.rules import add_months, normalise_reference
from licensing.people.inputs import PersonRecordInput
from licensing.people.models import Identity, PersonRecord
from licensing.people.services import create_person_record
from licensing.register.person_view import Flag, identity_flags

BADGE_VALIDITY_MONTHS = 36
DBS_CERTIFICATE_FRESH_MONTHS = 36
STATUS_CHECK_FRESH_MONTHS = 6
SAFEGUARDING_VALID_MONTHS = 36
RENEWAL_OPENS_DAYS = 90
DBS_DUE_WINDOW_DAYS = 30
SAFEGUARDING_DUE_WINDOW_DAYS = 60
# Flags about what other authorities and the police hold; DBS flags are covered by the badge's own checks.
REGISTER_FLAG_CODES = frozenset(
    {"adverse_decision", "complaint_pattern", "police_information", "licensed_despite_decision"}
)
CHANGE_ACTIONS = ("badge.issued", "badge.renewed", "badge.suspended", "badge.withdrawn", "badge.reinstated")


class ChecksIncomplete(RuleViolation):
    """One or more required checks are missing or out of date; `problems` pairs each with its form field."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__(" ".join(message for _, message in problems))


RATIONALE_MIN_CHARS = 20


class RegisterInformation(RuleViolation):
    """The register holds information about the holder and the officer has not written why they go ahead."""

    def __init__(self, flags: list[Flag]):
        self.flags = flags
        super().__init__(
            "The register holds information about this person. Read it, then explain why the badge "
            f"should be issued despite it (at least {RATIONALE_MIN_CHARS} characters)"
        )


# -- Rules
# -------------------------------------------------------------------------------------------------------


def missing_checks(checks: BadgeChecks, today: dt.date) -> list[tuple[str, str]]:
    """Every required check that is missing or expired, as (form field, message); empty when a badge may be
    issued.

    - DBS: an enhanced certificate (12 digits) with both barred lists checked, and current: issued within the
      last 3 years, or on the Update Service with a status check in the last 6 months that returned "no new
      information". A check that returned "new information" always needs a new certificate. (DBS Update
      Service guidance; county practice of a 3-year badge on a fresh check; DOMAIN.md: checks every 6 months.)
    - Two character references, both received.
    - The English test passed.
    - Safeguarding training within the last 3 years.
    No date may be in the future.
    """
    problems: list[tuple[str, str]] = []
    dbs = checks.dbs
    if not (len(dbs.certificate_number) == 12 and dbs.certificate_number.isdigit()):
        problems.append(("dbs_certificate_number", "Enter the DBS certificate number: exactly 12 digits"))
    if dbs.issued_on is None:
        problems.append(("dbs_issued_on", "Enter the date the DBS certificate was issued"))
    elif dbs.issued_on > today:
        problems.append(("dbs_issued_on", "The DBS certificate issue date must be today or in the past"))
    if not dbs.barred_lists_checked:
        problems.append(
            (
                "barred_lists_checked",
                "The enhanced DBS check must include both barred lists (children and adults)",
            )
        )
    if dbs.last_status_check_on is not None:
        if dbs.last_status_check_on > today:
            problems.append(
                ("last_status_check_on", "The last status check date must be today or in the past")
            )
        elif dbs.issued_on and dbs.last_status_check_on < dbs.issued_on:
            problems.append(
                (
                    "last_status_check_on",
                    "The last status check cannot be before the DBS certificate was issued",
                )
            )
        elif not dbs.update_service_subscribed:
            problems.append(
                (
                    "update_service_subscribed",
                    "A status check needs an Update Service subscription: tick the box or clear the date",
                )
            )
        elif dbs.last_status_result not in (NO_NEW_INFORMATION, NEW_INFORMATION):
            problems.append(("last_status_result", "Select the result of the last status check"))
    if dbs.last_status_result == NEW_INFORMATION:
        problems.append(
            (
                "last_status_result",
                "The last status check returned new information: a new enhanced DBS certificate is needed",
            )
        )
    elif (
        dbs.issued_on
        and dbs.issued_on <= today
        and not _dbs_current(dbs, today)
        and not problems_for(problems, "last_status_check_on")
    ):
        if dbs.update_service_subscribed:
            problems.append(
                (
                    "last_status_check_on",
                    "The DBS certificate is more than 3 years old: record an "
                    "Update Service status check from the last 6 months",
                )
            )
        else:
            problems.append(
                (
                    "dbs_issued_on",
                    "The DBS certificate is more than 3 years old and not on the "
                    "Update Service: a new certificate is needed",
                )
            )
    for name, what in (
        ("first_reference_on", "first character reference"),
        ("second_reference_on", "second character reference"),
        ("english_test_passed_on", "English test"),
        ("safeguarding_training_on", "safeguarding training"),
    ):
        value = getattr(checks, name)
        if value is None:
            problems.append(
                (name, f"Enter the date of the {what}: it is needed before a badge is issued or renewed")
            )
        elif value > today:
            problems.append((name, f"The date of the {what} must be today or in the past"))
    training = checks.safeguarding_training_on
    if training and training <= today and training < add_months(today, -SAFEGUARDING_VALID_MONTHS):
        problems.append(
            (
                "safeguarding_training_on",
                "Safeguarding training was more than 3 years ago: it must be refreshed first",
            )
        )
    return problems


def problems_for(problems: list[tuple[str, str]], field: str) -> bool:
    return any(name == field for name, _ in problems)


def _dbs_current(dbs: DbsInput, today: dt.date) -> bool:
    """Issued within 3 years, or a "no new information" Update Service status check within 6 months."""
    if dbs.issued_on and dbs.issued_on >= add_months(today, -DBS_CERTIFICATE_FRESH_MONTHS):
        return True
    return bool(
        dbs.update_service_subscribed
        and dbs.last_status_check_on
        and dbs.last_status_check_on >= add_months(today, -STATUS_CHECK_FRESH_MONTHS)
        and dbs.last_status_result == NO_NEW_INFORMATION
    )


def effective_status(badge: Badge, today: dt.date) -> BadgeStatus:
    """What the badge is worth today: a withdrawn badge stays withdrawn; past its expiry date it is expired,
    whatever the stored status says."""
    if badge.status is BadgeStatus.WITHDRAWN:
        return BadgeStatus.WITHDRAWN
    if badge.expires_on < today:
        return BadgeStatus.EXPIRED
    return badge.status


def register_flags(identity: Identity, today: dt.date) -> list[Flag]:
    """The register's flags about the whole identity that an issuing officer must consider."""
    return [flag for flag in identity_flags(identity, today) if flag.code in REGISTER_FLAG_CODES]


def latest_start_for(cutoff: dt.date, months: int) -> dt.date:
    """The last date `d` with add_months(d, months) <= cutoff, so "due by" lists are one indexed comparison.

    add_months clamps to the month's end, so when `cutoff` is a month's last day every day of the month
    `months` earlier qualifies (29-31 Aug + 6 months all give 28 Feb)."""
    earlier = add_months(cutoff, -months)
    if cutoff.day == calendar.monthrange(cutoff.year, cutoff.month)[1]:
        return earlier.replace(day=calendar.monthrange(earlier.year, earlier.month)[1])
    return earlier


# -- Checking a badge
# ----------------------------------------------------------------------------------------------

normalise_badge_number = normalise_reference


@dataclass(frozen=True)
class BadgeCheckResult:
    number: str
    badge: Badge | None = None
    status: BadgeStatus | None = None
    flags: tuple[Flag, ...] = ()
    complaints: int = 0
    complaint_authorities: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        return self.badge is not None

    @property
    def identity_id(self) -> int | None:
        return self.badge.person.identity_id if self.badge else None


def check_badge(number: str, *, actor: User, today: dt.date, reason: str = "") -> BadgeCheckResult:
    """Look a badge up by number, with what the register holds about its holder anywhere; every check is
    audited.

    Police information is shown only as the marker flag, never its content."""
    wanted = normalise_badge_number(number)
    badge = db.session.scalar(select(Badge).where(Badge.number == wanted)) if wanted else None
    if badge is None:
        audit(actor, "badge.checked", reason=reason, details={"number": wanted, "found": False})
        return BadgeCheckResult(number=wanted)
    identity = badge.person.identity
    flags = tuple(identity_flags(identity, today))
    complaints = [c for r in identity.records for c in r.complaints]
    result = BadgeCheckResult(
        number=badge.number,
        badge=badge,
        status=effective_status(badge, today),
        flags=flags,
        complaints=len(complaints),
        complaint_authorities=tuple(sorted({c.authority.code for c in complaints})),
    )
    audit(actor, "badge.checked", badge, reason=reason, details={
        "number": badge.number, "found": True, "status": result.status.value,
        "flags": [flag.code for flag in flags], "identity": identity.id})
    return result


# -- Issuing and changing badges
# -------------------------------------------------------------------------------


def _require_issuing_team(actor: User) -> None:
    if actor.authority.kind is not AuthorityKind.CLIENT_TRANSPORT:
        raise NotPermitted("Only a client-transport team issues or changes badges")


def _require_own_badge(badge: Badge, actor: User) -> None:
    _require_issuing_team(actor)
    if badge.authority_id != actor.authority_id:
        raise NotPermitted("This badge belongs to another authority")


def find_holder(reference: str, actor: User) -> PersonRecord:
    """The actor's authority's person record with this reference, or else with this record number."""
    reference = reference.strip()
    by_reference = db.session.scalar(
        select(PersonRecord).where(
            PersonRecord.authority_id == actor.authority_id, PersonRecord.authority_reference == reference
        )
    )
    by_number = (
        db.session.scalar(
            select(PersonRecord).where(
                PersonRecord.authority_id == actor.authority_id, PersonRecord.id == int(reference)
            )
        )
        if reference.isdigit() and len(reference) <= 9
        else None
    )
    if by_reference and by_number and by_reference.id != by_number.id:
        raise RuleViolation(
            f"{reference} is both a reference and a different record number: "
            f"enter the reference {by_number.authority_reference} to mean record {reference}"
        )
    holder = by_reference or by_number
    if holder is None:
        raise RuleViolation(
            f"{actor.authority.name} holds no person record with reference or number {reference}"
        )
    return holder


def _consider_register(record: PersonRecord, rationale: str, today: dt.date) -> list[Flag]:
    """Going ahead over the register's flags needs a written rationale, kept with the badge and in the
    audit."""
    flags = register_flags(record.identity, today)
    if flags and len(rationale.strip()) < RATIONALE_MIN_CHARS:
        raise RegisterInformation(flags)
    return flags


def _alert_police_over_flags(badge: Badge, flags: list[Flag], actor: User) -> list[Alert]:
    """A badge issued over a police or safeguarding flag alerts the police forces' points of contact:
    the forces
    holding information on the person, else every active force."""
    if not any(flag.safeguarding for flag in flags):
        return []
    identity = badge.person.identity
    forces = {i.authority_id for r in identity.records for i in r.intelligence_items} or set(
        db.session.scalars(
            select(Authority.id).where(Authority.kind == AuthorityKind.POLICE, Authority.is_active.is_(True))
        )
    )
    alerts = [
        Alert(
            authority_id=force_id,
            identity_id=identity.id,
            kind=AlertKind.DECISION,
            subject_type=Badge.__tablename__,
            subject_id=badge.id,
            raised_by_authority_id=actor.authority_id,
            summary=f"{badge.badge_type.label} badge {badge.number} issued by {actor.authority.name} over "
            f"police or safeguarding information in the register; the rationale is on the person's "
            f"chronology",
        )
        for force_id in sorted(forces)
    ]
    db.session.add_all(alerts)
    db.session.flush()
    return alerts


def _record_dbs(record: PersonRecord, dbs: DbsInput) -> DbsCertificate:
    """The holder's certificate with this number (its Update Service details brought up to date), or a new
    one."""
    certificate = next(
        (c for c in record.dbs_certificates if c.certificate_number == dbs.certificate_number), None
    )
    if certificate is None:
        certificate = DbsCertificate(
            person=record, certificate_number=dbs.certificate_number, issued_on=dbs.issued_on
        )
        db.session.add(certificate)
    elif certificate.issued_on != dbs.issued_on:
        raise ChecksIncomplete(
            [
                (
                    "dbs_issued_on",
                    f"DBS certificate {dbs.certificate_number} is recorded as issued "
                    f"on {certificate.issued_on:%d %B %Y}",
                )
            ]
        )
    certificate.barred_lists_checked = dbs.barred_lists_checked
    certificate.update_service_subscribed = dbs.update_service_subscribed
    if dbs.last_status_check_on is not None:
        certificate.last_status_check_on = dbs.last_status_check_on
        certificate.last_status_result = dbs.last_status_result
    return certificate


def _apply_checks(badge: Badge, certificate: DbsCertificate, checks: BadgeChecks) -> None:
    badge.dbs_certificate = certificate
    badge.first_reference_on = checks.first_reference_on
    badge.second_reference_on = checks.second_reference_on
    badge.english_test_passed_on = checks.english_test_passed_on
    badge.safeguarding_training_on = checks.safeguarding_training_on


def _checks_details(checks: BadgeChecks) -> dict:
    dbs = checks.dbs
    return {
        "dbs_certificate": dbs.certificate_number,
        "dbs_issued_on": _iso(dbs.issued_on),
        "barred_lists_checked": dbs.barred_lists_checked,
        "update_service_subscribed": dbs.update_service_subscribed,
        "last_status_check_on": _iso(dbs.last_status_check_on),
        "last_status_result": dbs.last_status_result,
        "first_reference_on": _iso(checks.first_reference_on),
        "second_reference_on": _iso(checks.second_reference_on),
        "english_test_passed_on": _iso(checks.english_test_passed_on),
        "safeguarding_training_on": _iso(checks.safeguarding_training_on),
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if len(reason) < 5:
        raise RuleViolation("Enter the reason: at least 5 characters")
    return reason


def issue_badge(
    *,
    holder: ExistingHolder | PersonRecordInput,
    badge_type: BadgeType,
    operator_name: str,
    checks: BadgeChecks,
    reason: str,
    register_rationale: str,
    actor: User,
    today: dt.date,
) -> Badge:
    """Issue a badge, valid for 3 years, to a person record of the actor's client-transport team (found, or
    created in the same step). Refused while a check in `missing_checks` fails, while the holder already has a
    valid badge of the type, or, over the register's flags, without a written rationale (kept in the
    chronology and
    the audit; a police or safeguarding flag also alerts the police point of contact)."""
    _require_issuing_team(actor)
    reason = _require_reason(reason)
    if not operator_name.strip():
        raise RuleViolation("Enter the operator the badge holder works for")
    problems = missing_checks(checks, today)
    if problems:
        raise ChecksIncomplete(problems)
    if isinstance(holder, ExistingHolder):
        record = find_holder(holder.reference, actor)
    else:
        record = create_person_record(actor.authority, holder, actor=actor)
    current = [b for b in record.badges if b.badge_type is badge_type and is_current(b, today, in_force=True)]
    if current:
        raise RuleViolation(
            f"{record.full_name} already holds {badge_type.label.lower()} badge {current[0].number} "
            f"({current[0].status.value}): renew or withdraw it instead"
        )
    flags = _consider_register(record, register_rationale, today)
    certificate = _record_dbs(record, checks.dbs)
    badge = Badge(
        person=record,
        authority=actor.authority,
        badge_type=badge_type,
        number=f"TMP{uuid.uuid4().hex[:16]}",
        operator_name=operator_name.strip(),
        status=BadgeStatus.VALID,
        issued_on=today,
        expires_on=add_months(today, BADGE_VALIDITY_MONTHS),
        status_reason=reason,
        register_rationale=register_rationale.strip() if flags else "",
    )
    _apply_checks(badge, certificate, checks)
    db.session.add(badge)
    db.session.flush()
    badge.number = (
        f"CT{badge.id:06d}"  # county badges from the register; imported ones keep their own numbers
    )
    db.session.flush()
    audit(
        actor,
        "badge.issued",
        badge,
        reason=reason,
        details={
            "number": badge.number,
            "holder_record": record.id,
            "badge_type": badge_type.value,
            "operator": badge.operator_name,
            "expires_on": badge.expires_on.isoformat(),
            "register_flags_considered": [flag.code for flag in flags],
            "register_rationale": badge.register_rationale,
            **_checks_details(checks),
        },
    )
    _alert_police_over_flags(badge, flags, actor)
    return badge


def renew_badge(
    badge: Badge, *, checks: BadgeChecks, reason: str, register_rationale: str, actor: User, today: dt.date
) -> Badge:
    """Extend a valid or expired badge by 3 years (from its expiry, or from today if already expired) on
    current checks. Opens 90 days before expiry, so a badge never runs much beyond its checks; a suspended
    or withdrawn badge cannot be renewed."""
    _require_own_badge(badge, actor)
    reason = _require_reason(reason)
    if badge.status is BadgeStatus.WITHDRAWN:
        raise RuleViolation(f"Badge {badge.number} was withdrawn and cannot be renewed: issue a new badge")
    if badge.status is BadgeStatus.SUSPENDED:
        raise RuleViolation(f"Badge {badge.number} is suspended: lift the suspension before renewing it")
    opens = badge.expires_on - dt.timedelta(days=RENEWAL_OPENS_DAYS)
    if today < opens:
        raise RuleViolation(
            f"Badge {badge.number} expires on {badge.expires_on:%d %B %Y}; "
            f"it can be renewed from {opens:%d %B %Y}"
        )
    problems = missing_checks(checks, today)
    if problems:
        raise ChecksIncomplete(problems)
    flags = _consider_register(badge.person, register_rationale, today)
    before = {
        "status": badge.status.value,
        "expires_on": badge.expires_on.isoformat(),
        **_checks_details(BadgeChecks.of_badge(badge)),
    }
    _apply_checks(badge, _record_dbs(badge.person, checks.dbs), checks)
    badge.expires_on = add_months(max(badge.expires_on, today), BADGE_VALIDITY_MONTHS)
    badge.status, badge.status_reason = BadgeStatus.VALID, reason
    db.session.flush()
    audit(
        actor,
        "badge.renewed",
        badge,
        reason=reason,
        details={
            "number": badge.number,
            "expires_on": badge.expires_on.isoformat(),
            "before": before,
            "register_flags_considered": [flag.code for flag in flags],
            "register_rationale": register_rationale.strip() if flags else "",
            **_checks_details(checks),
        },
    )
    if flags:
        badge.register_rationale = register_rationale.strip()
        _alert_police_over_flags(badge, flags, actor)
    return badge


STATUS_ACTIONS = {
    # action: (new status, statuses it may come from, audit action)
    "suspend": (BadgeStatus.SUSPENDED, (BadgeStatus.VALID,), "badge.suspended"),
    "withdraw": (
        BadgeStatus.WITHDRAWN,
        (BadgeStatus.VALID, BadgeStatus.SUSPENDED, BadgeStatus.EXPIRED),
        "badge.withdrawn",
    ),
    "reinstate": (BadgeStatus.VALID, (BadgeStatus.SUSPENDED,), "badge.reinstated"),
}


def change_badge_status(badge: Badge, *, action: str, reason: str, actor: User, today: dt.date) -> Badge:
    """Suspend a valid badge, withdraw a badge for good, or lift a suspension (only on checks still current);
    each needs a reason. Suspending or withdrawing alerts other authorities holding a licence for the
    person."""
    _require_own_badge(badge, actor)
    if action not in STATUS_ACTIONS:
        raise RuleViolation("Choose suspend, withdraw or lift the suspension")
    reason = _require_reason(reason)
    new_status, allowed_from, audit_action = STATUS_ACTIONS[action]
    current = effective_status(badge, today)
    if current not in allowed_from:
        raise RuleViolation(
            f"Badge {badge.number} is {current.value}: it cannot be "
            f"{'reinstated' if action == 'reinstate' else action + 'ed'}"
        )
    if action == "reinstate":
        problems = missing_checks(BadgeChecks.of_badge(badge), today)
        if problems:
            raise RuleViolation(
                f"Badge {badge.number} cannot be reinstated until its checks are current: "
                + " ".join(message for _, message in problems)
            )
    previous = badge.status
    badge.status, badge.status_reason = new_status, reason
    db.session.flush()
    audit(
        actor,
        audit_action,
        badge,
        reason=reason,
        details={"number": badge.number, "from": previous.value, "to": new_status.value},
    )
    if action in ("suspend", "withdraw"):
        raise_alerts(
            badge.person.identity,
            kind=AlertKind.DECISION,
            subject=badge,
            summary=f"{badge.badge_type.label} badge {badge.number} {new_status.value} by "
            f"{actor.authority.name}",
            raised_by=actor.authority,
            today=today,
        )
    return badge


# -- Reading badges
# ------------------------------------------------------------------------------------------------


def own_badge(badge_id: int, actor: User) -> Badge | None:
    """The badge if it belongs to the actor's authority (others' badges are not theirs to open)."""
    badge = db.session.get(Badge, badge_id)
    return badge if badge is not None and badge.authority_id == actor.authority_id else None


def view_badge(badge: Badge, actor: User) -> list[AuditEvent]:
    """The badge's history of changes, newest first; opening the page is audited as it shows the holder."""
    audit(actor, "badge.viewed", badge, details={"number": badge.number})
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.subject_type == Badge.__tablename__,
                AuditEvent.subject_id == str(badge.id),
                AuditEvent.action.in_(CHANGE_ACTIONS),
            )
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        )
    )


def operators(authority_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(Badge.operator_name)
            .where(Badge.authority_id == authority_id)
            .distinct()
            .order_by(Badge.operator_name)
        )
    )


def _valid_badges(authority_id: int, operator: str, today: dt.date) -> Select:
    query = select(Badge).where(
        Badge.authority_id == authority_id, Badge.status == BadgeStatus.VALID, Badge.expires_on >= today
    )
    return query.where(Badge.operator_name == operator) if operator else query


def expiring_badges(authority_id: int, *, within_days: int, operator: str, today: dt.date) -> Select:
    """Valid badges expiring between today and `within_days` from now, soonest first."""
    return (
        _valid_badges(authority_id, operator, today)
        .where(Badge.expires_on <= today + dt.timedelta(days=within_days))
        .order_by(Badge.expires_on, Badge.id)
    )


def dbs_checks_due(authority_id: int, *, operator: str, today: dt.date) -> Select:
    """Valid badges whose DBS status check (every 6 months) is overdue or due within 30 days, or with no
    certificate recorded; most overdue first."""
    base = func.coalesce(DbsCertificate.last_status_check_on, DbsCertificate.issued_on)
    latest = latest_start_for(today + dt.timedelta(days=DBS_DUE_WINDOW_DAYS), STATUS_CHECK_FRESH_MONTHS)
    return (
        _valid_badges(authority_id, operator, today)
        .outerjoin(DbsCertificate, Badge.dbs_certificate_id == DbsCertificate.id)
        .where(or_(DbsCertificate.id.is_(None), base <= latest))
        .order_by(base.is_not(None), base, Badge.id)
    )


def safeguarding_due(authority_id: int, *, operator: str, today: dt.date) -> Select:
    """Valid badges whose safeguarding training passes 3 years old within 60 days (or already has), or is not
    recorded; oldest training first."""
    latest = latest_start_for(
        today + dt.timedelta(days=SAFEGUARDING_DUE_WINDOW_DAYS), SAFEGUARDING_VALID_MONTHS
    )
    return (
        _valid_badges(authority_id, operator, today)
        .where(or_(Badge.safeguarding_training_on.is_(None), Badge.safeguarding_training_on <= latest))
        .order_by(Badge.safeguarding_training_on.is_not(None), Badge.safeguarding_training_on, Badge.id)
    )


def badges_due(kind: str, authority_id: int, *, operator: str, within_days: int, today: dt.date) -> Select:
    """One of the team's working lists: "expiring", "dbs" (status checks) or "safeguarding" (training)."""
    if kind == "dbs":
        return dbs_checks_due(authority_id, operator=operator, today=today)
    if kind == "safeguarding":
        return safeguarding_due(authority_id, operator=operator, today=today)
    return expiring_badges(authority_id, within_days=within_days, operator=operator, today=today)


def badge_list_page(kind: str, *, actor: User, operator: str, within_days: int, today: dt.date, page: int,
                    per_page: int):
    """One page of a working list of the actor's team, audited with the badges it showed."""
    query = badges_due(kind, actor.authority_id, operator=operator, within_days=within_days, today=today)
    shown = db.paginate(query, page=max(page, 1), per_page=per_page, error_out=False)
    audit(actor, "badges.listed", details={"list": kind, "operator": operator,
                                           "badges": [badge.id for badge in shown.items]})
    return shown
