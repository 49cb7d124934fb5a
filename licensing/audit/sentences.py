"""The audit trail read as sentences with names: who did what to whom, and why; no event codes,
JSON or emails."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, or_, select

from licensing.audit.models import AuditEvent
from licensing.auth.models import User
from licensing.authorities.models import Authority
from licensing.db import db
from licensing.licences.models import Badge, Licence
from licensing.people.models import Identity, PersonRecord
from licensing.sanctions.models import Sanction

# What each kind of event did, in words; the subject (when there is one) follows.
VERBS = {
    "access.denied": "was refused access to a page",
    "alert.acknowledged": "acknowledged an alert",
    "api.call": "called the API",
    "api_token.created": "issued an API token",
    "api_token.revoked": "revoked an API token",
    "applicant.check_recorded": "recorded the outcome of an applicant check",
    "applicant.checked": "checked an applicant against the register",
    "applicant_check.viewed": "looked at an applicant check",
    "attachment.added": "attached a document to",
    "attachment.downloaded": "downloaded a document from",
    "audit.exported": "exported the audit trail",
    "audit.read": "read the audit trail",
    "auth.locked_out": "was locked out after repeated failed sign-ins",
    "auth.recovery_code_used": "signed in with a recovery code",
    "auth.sign_in": "signed in",
    "auth.sign_in_failed": "failed to sign in",
    "auth.signed_in": "signed in",
    "auth.signed_out": "signed out",
    "auth.two_factor_enrolled": "set up two-factor sign-in",
    "auth.two_factor_failed": "entered a wrong two-factor code",
    "auth.two_factor_passed": "passed two-factor sign-in",
    "authority.created": "added the authority",
    "authority.updated": "changed the settings of",
    "badge.checked": "checked a badge",
    "badge.issued": "issued",
    "badge.reinstated": "lifted the suspension of",
    "badge.renewed": "renewed",
    "badge.suspended": "suspended",
    "badge.viewed": "looked at",
    "badge.withdrawn": "withdrew",
    "badges.listed": "listed badges coming due",
    "complaint.recorded": "recorded a complaint about",
    "dbs.recorded": "recorded a DBS check for",
    "decision.recorded": "recorded a licensing decision about",
    "export.badge_list": "exported a list of badges coming due",
    "export.chronology": "exported the chronology of",
    "export.intelligence_reviews": "exported police information due for review",
    "export.register": "exported the register",
    "export.search": "exported search results",
    "identity.merged": "merged two identities",
    "import.committed": "imported a file of records",
    "import.mapping_saved": "saved an import mapping",
    "import.records_created": "imported records from a file",
    "import.requeued": "queued an import again after its worker stopped",
    "intelligence.responses_viewed": "looked at responses to police information",
    "intelligence.reviews_listed": "listed police information due for review",
    "intelligence.submitted": "submitted police information",
    "intelligence.updated": "updated police information",
    "intelligence.viewed": "looked at police information",
    "intelligence.withdrawn": "withdrew police information",
    "licence.granted": "granted",
    "link.automatic": "linked records automatically",
    "link.chain_blocked": "held back a chain of links for review",
    "link.confirmed": "confirmed that two records are one person",
    "link.demoted_for_review": "sent a link back for review",
    "link.queued_for_review": "proposed a link for review",
    "link.rejected": "decided that two records are different people",
    "link.unlink_approved": "approved the unlinking of a record",
    "link.unlink_requested": "asked for a record to be unlinked",
    "link.unlinked": "unlinked a record",
    "operator.created": "added an operator",
    "operator.licence_added": "added a licence to an operator",
    "operator.searched": "searched for an operator",
    "operator.viewed": "looked at an operator",
    "person.compared": "compared two records",
    "person.printed": "printed the chronology of",
    "person.searched": "searched",
    "person.viewed": "looked at",
    "person_record.created": "added a person record for",
    "person_record.updated": "changed the person record of",
    "report.exported": "exported a report",
    "report.printed": "printed a report",
    "report.viewed": "looked at a report",
    "request.replied": "replied to an information request",
    "request.sent": "sent an information request",
    "retention.disposed": "disposed of a record past its retention date",
    "retention.listed": "listed records due for retention review",
    "retention.retained": "kept a record past its retention date",
    "subject_access.disclosed": "disclosed what the register holds about a person to them",
    "user.created": "added a user account",
    "user.password_changed": "changed a password",
    "user.police_access_approved": "approved police access for a user",
    "user.police_access_requested": "asked for police access for a user",
    "user.setup_completed": "finished setting up a user account",
    "user.setup_link_issued": "made a set-up link for a user",
    "user.two_factor_reset": "reset a user's two-factor sign-in",
    "user.unlocked": "unlocked a user account",
    "user.updated": "changed a user account",
}

# Kinds of event an auditor filters by: the action prefixes each covers.
KINDS = {
    "searches": (
        "Searches and checks",
        ("person.searched", "applicant.", "badge.checked", "operator.searched"),
    ),
    "views": (
        "Views of people and police information",
        ("person.viewed", "person.compared", "person.printed", "intelligence.viewed", "badge.viewed",
         "applicant_check.viewed", "attachment.downloaded"),
    ),
    "decisions": (
        "Decisions, complaints, DBS checks and badges",
        (
            "decision.",
            "licence.",
            "dbs.",
            "complaint.",
            "badge.issued",
            "badge.renewed",
            "badge.suspended",
            "badge.withdrawn",
            "badge.reinstated",
        ),
    ),
    "police": ("Police information", ("intelligence.",)),
    "links": ("Record links", ("link.", "identity.", "person_record.")),
    "requests": ("Requests and alerts", ("request.", "alert.", "attachment.added")),
    "exports": ("Exports, imports and reports", ("export.", "import.", "report.")),
    "access": ("Sign-in and access", ("auth.", "access.")),
    "administration": ("Administration and audit",
                       ("user.", "authority.", "audit.", "api_token.", "retention.", "subject_access.")),
}

SEARCH_TERM_ORDER = (
    "surname",
    "forenames",
    "date_of_birth",
    "approximate_age",
    "postcode",
    "national_insurance",
    "driving_licence_number",
    "reference_number",
    "vrm",
    "number",
)


@dataclass(frozen=True)
class EventLine:
    event: AuditEvent
    when: str
    sentence: str
    reason: str


def _words(action: str) -> str:
    """A phrase for an action not in VERBS, so no code name ever reaches the page."""
    area, _, what = action.partition(".")
    return f"{what.replace('_', ' ')} ({area.replace('_', ' ')})".strip()


def _date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
    except ValueError:
        return value


def _search_terms(details: dict) -> str:
    terms = details.get("terms") or {}
    parts = [
        _date(str(terms[k])) if k == "date_of_birth" else str(terms[k])
        for k in SEARCH_TERM_ORDER
        if terms.get(k)
    ]
    return ", ".join(parts)


def _subject_names(events: Iterable[AuditEvent]) -> dict[tuple[str, str], str]:
    """Names for the people, badges and licences the events are about, loaded in one query per kind."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for event in events:
        if event.subject_id.isdigit():
            wanted[event.subject_type].add(int(event.subject_id))
    names: dict[tuple[str, str], str] = {}
    if wanted["person_records"]:
        for record in db.session.scalars(
            select(PersonRecord).where(PersonRecord.id.in_(wanted["person_records"]))
        ):
            names["person_records", str(record.id)] = f"{record.full_name} ({record.authority.name})"
    if wanted["identities"]:
        for identity in db.session.scalars(select(Identity).where(Identity.id.in_(wanted["identities"]))):
            if identity.records:
                names["identities", str(identity.id)] = identity.records[0].full_name
    if wanted["badges"]:
        for badge in db.session.scalars(select(Badge).where(Badge.id.in_(wanted["badges"]))):
            names["badges", str(badge.id)] = f"badge {badge.number} ({badge.person.full_name})"
    if wanted["licences"]:
        for licence in db.session.scalars(select(Licence).where(Licence.id.in_(wanted["licences"]))):
            names["licences", str(licence.id)] = f"licence {licence.number} ({licence.person.full_name})"
    if wanted["sanctions"]:
        for sanction in db.session.scalars(select(Sanction).where(Sanction.id.in_(wanted["sanctions"]))):
            names["sanctions", str(sanction.id)] = sanction.person.full_name
    if wanted["authorities"]:
        for authority in db.session.scalars(select(Authority).where(Authority.id.in_(wanted["authorities"]))):
            names["authorities", str(authority.id)] = authority.name
    return names


def describe(events: list[AuditEvent]) -> list[EventLine]:
    """Each event as a sentence: "Colin Hart (Chiltern District Council) searched 'Hussain, 07/03/1984'"."""
    user_ids = {e.user_id for e in events if e.user_id}
    users = (
        {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))} if user_ids else {}
    )
    authorities = {a.code: a.name for a in db.session.scalars(select(Authority))}
    subjects = _subject_names(events)
    lines = []
    for event in events:
        user = users.get(event.user_id) if event.user_id else None
        who = (
            f"{user.name} ({authorities.get(event.authority_code, event.authority_code)})"
            if user
            else "Someone not signed in"
        )
        verb = VERBS.get(event.action) or _words(event.action)
        sentence = f"{who} {verb}"
        if event.action == "person.searched":
            sentence += (
                f" '{_search_terms(event.details)}'" if _search_terms(event.details) else " the register"
            )
            count = len(event.details.get("results") or [])
            sentence += f" and found {count} {'person' if count == 1 else 'people'}"
        elif (event.subject_type, event.subject_id) in subjects:
            sentence += f" {subjects[event.subject_type, event.subject_id]}"
        elif event.subject_type == "intelligence_items":
            sentence += f" (item {event.subject_id})"
        lines.append(
            EventLine(event, event.occurred_at.strftime("%d %b %Y %H:%M:%S"), sentence, event.reason)
        )
    return lines


def filter_events_for_auditors(
    *,
    user_id: int | None = None,
    authority_code: str = "",
    person: str = "",
    kind: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Select:
    """Audit events newest first, narrowed by user, authority, person (any name part), kind and dates."""
    query = select(AuditEvent).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    if user_id:
        query = query.where(AuditEvent.user_id == user_id)
    if authority_code:
        query = query.where(AuditEvent.authority_code == authority_code)
    if kind in KINDS:
        query = query.where(
            or_(
                *(
                    AuditEvent.action.startswith(prefix)
                    if prefix.endswith(".")
                    else AuditEvent.action == prefix
                    for prefix in KINDS[kind][1]
                )
            )
        )
    if person.strip():
        pattern = f"%{person.strip().lower()}%"
        records = select(PersonRecord.id, PersonRecord.identity_id).where(
            or_(PersonRecord.surname.ilike(pattern), PersonRecord.forenames.ilike(pattern))
        )
        rows = db.session.execute(records.limit(500)).all()
        record_ids = [str(r.id) for r in rows]
        identity_ids = [str(r.identity_id) for r in rows]
        query = query.where(
            or_(
                (AuditEvent.subject_type == "person_records") & AuditEvent.subject_id.in_(record_ids),
                (AuditEvent.subject_type == "identities") & AuditEvent.subject_id.in_(identity_ids),
            )
        )
    if date_from:
        query = query.where(AuditEvent.occurred_at >= dt.datetime.combine(date_from, dt.time.min))
    if date_to:  # to the end of that day (31/12/9999 has no next day)
        query = query.where(AuditEvent.occurred_at <= dt.datetime.combine(date_to, dt.time.max))
    return query
