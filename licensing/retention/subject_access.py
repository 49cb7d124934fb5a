"""Subject access (UK GDPR Art. 15): everything the register holds about one identity, for the person.

No visibility rule lives here. The person page's read service (`build_person_view`) is run for the data
subject as its viewer: someone of no authority and no police clearance. So the disclosure holds what any
council officer may see (no police subject records), police items only as their handling code lets them be
shared with anyone (P: the sanitised summary; C: the marker alone) and no complainant's identity. Who
looked at the person, when and why comes from the audit trail, by authority and role, never by officer; the
police's own look-ups and police items' events stay out, as the handling rules keep them from any
non-police reader."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, or_, select

from licensing.alerts.models import Alert
from licensing.audit import record as audit
from licensing.audit.models import AuditEvent
from licensing.auth.models import Role, User
from licensing.db import db
from licensing.exports.services import ExportFile, render
from licensing.people.identity import identity_family
from licensing.people.models import Identity
from licensing.register.person_view import PersonView, build_person_view
from licensing.requests.models import InformationRequest

HEADERS = ["Section", "Date", "Authority", "What", "Details", "Text"]


@dataclass(frozen=True)
class DataSubject:
    """The person asking, as a viewer: an officer's view with no authority of their own and no police
    clearance, so every rule in the read services treats them as the least-privileged reader."""

    role: Role = Role.LICENSING_OFFICER
    authority_id: None = None
    is_police: bool = False


@dataclass
class SubjectAccess:
    identity: Identity
    view: PersonView
    rows: list[list]


def _record_rows(view: PersonView) -> list[list]:
    rows = []
    for r in view.records:
        address = "; ".join(a.one_line for a in r.addresses)
        names = "; ".join(f"{n.kind.value}: {n.full_name}" for n in r.other_names)
        rows.append(
            [
                "Record",
                r.created_at.date(),
                r.authority.name,
                f"{r.full_name} ({r.authority_reference})",
                "; ".join(
                    p
                    for p in (
                        f"born {r.date_of_birth:%d %b %Y}" if r.date_of_birth else "",
                        f"NI {r.national_insurance}" if r.national_insurance else "",
                        f"driving licence {r.driving_licence_number}" if r.driving_licence_number else "",
                        r.phone,
                        r.email,
                        address,
                        names,
                    )
                    if p
                ),
            ]
        )
    return rows


def _held_rows(view: PersonView) -> list[list]:
    rows = []
    for lic in view.licences:
        rows.append(
            [
                "Licence",
                lic.issued_on,
                lic.authority.name,
                f"{lic.licence_type.label} {lic.number}",
                f"{lic.status.value}; expires {lic.expires_on or 'not set'}; conditions: {lic.conditions}",
            ]
        )
    for badge in view.badges:
        rows.append(
            [
                "Badge",
                badge.issued_on,
                badge.authority.name,
                f"{badge.badge_type.label} {badge.number}",
                f"{badge.status.value}; operator {badge.operator_name}; expires {badge.expires_on}",
            ]
        )
    for cert in view.dbs_certificates:
        rows.append(
            [
                "DBS certificate",
                cert.issued_on,
                "",
                cert.certificate_number,
                f"last status check {cert.last_status_check_on or 'none'}: {cert.last_status_result}",
            ]
        )
    for s in view.sanctions:
        rows.append(
            [
                "Decision",
                s.decided_on,
                s.authority.name,
                f"{s.sanction_type.label}: {s.grounds.label}",
                f"effective {s.effective_on}; ends {s.ends_on or 'not set'}; by {s.decision_maker}; "
                f"appeal: {s.appeal_outcome.label}",
                s.narrative,
            ]
        )
    for cv in view.complaints:  # the complainant's identity is a third party's: shows_complainant is False
        c = cv.complaint
        rows.append(
            [
                "Complaint",
                c.received_on,
                c.authority.name,
                c.category.label,
                f"occurred {c.occurred_on or 'not known'}; substantiated: "
                f"{'not decided' if c.substantiated is None else ('yes' if c.substantiated else 'no')}; "
                f"outcome: {c.outcome}",
                c.narrative,
            ]
        )
    for item in view.intelligence:
        rows.append(
            [
                "Police information",
                item.submitted_on or "",
                "Police",
                item.category or "",
                f"conditions: {item.conditions}" if item.conditions else "",
                item.text,
            ]
        )
    return rows


def _about_rows(identity_ids: list[int]) -> list[list]:
    rows = []
    for alert in db.session.scalars(
        select(Alert).where(Alert.identity_id.in_(identity_ids)).order_by(Alert.id)
    ):
        if alert.subject_type == "intelligence_items":
            continue  # police items reach the subject only through the handling rules above
        rows.append(
            [
                "Alert between authorities",
                alert.created_at.date(),
                alert.authority.name,
                alert.kind.label,
                "",
                alert.summary,
            ]
        )
    for req in db.session.scalars(
        select(InformationRequest)
        .where(InformationRequest.identity_id.in_(identity_ids))
        .order_by(InformationRequest.id)
    ):
        rows.append(
            [
                "Request between authorities",
                req.sent_on,
                req.from_authority.name,
                f"{req.kind.label} to {req.to_authority.name}",
                f"reply {req.replied_on or 'none yet'}: {req.reply}",
                req.details,
            ]
        )
    return rows


def _access_rows(identity_ids: list[int], record_ids: list[int]) -> list[list]:
    """Who looked at the person and why, from the audit trail: authority and role, not the officer."""
    subjects = [
        and_(
            AuditEvent.subject_type == "identities", AuditEvent.subject_id.in_([str(i) for i in identity_ids])
        )
    ]
    if record_ids:
        subjects.append(
            and_(
                AuditEvent.subject_type == "person_records",
                AuditEvent.subject_id.in_([str(i) for i in record_ids]),
            )
        )
    events = db.session.scalars(
        select(AuditEvent)
        .where(or_(*subjects), AuditEvent.role != Role.POLICE_SPOC.value)
        .order_by(AuditEvent.id)
    )
    return [
        [
            "Access and changes",
            e.occurred_at.date(),
            e.authority_code,
            e.action,
            f"by a {Role(e.role).label.lower() if e.role else 'system process'}",
            e.reason,
        ]
        for e in events
    ]


def gather(identity: Identity, today: dt.date) -> SubjectAccess:
    """Everything held about the identity that may be disclosed to the person (audited by `disclose`)."""
    view = build_person_view(identity, DataSubject(), today)  # type: ignore[arg-type]  (a viewer, not a User)
    family = identity_family(identity.id)
    rows = [
        *_record_rows(view),
        *_held_rows(view),
        *_about_rows(family),
        *_access_rows(family, [r.id for r in view.records]),
    ]
    return SubjectAccess(identity, view, rows)


def disclose(
    identity: Identity, file_format: str, *, actor: User, reason: str, today: dt.date
) -> tuple[SubjectAccess, ExportFile | None]:
    """Gather the subject access disclosure, audited as a disclosure to the data subject; a file unless the
    printable page was asked for."""
    found = gather(identity, today)
    audit(
        actor,
        "subject_access.disclosed",
        identity,
        reason=reason,
        details={
            "recipient": "data subject",
            "format": file_format,
            "rows": len(found.rows),
            **found.view.shown_ids(),
        },
    )
    if file_format == "html":
        return found, None
    return found, render(
        f"subject-access-{identity.id}",
        HEADERS,
        found.rows,
        file_format,
        sensitive=bool(found.view.intelligence),
    )
