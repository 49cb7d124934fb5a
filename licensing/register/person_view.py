"""The whole-identity view across every authority, with the flags computed from the whole identity."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from licensing.audit import record as audit
from licensing.auth.models import User
from licensing.complaints.models import Complaint
from licensing.db import db
from licensing.intelligence.models import POLICE_MARKER, IntelligenceStatus
from licensing.intelligence.services import IntelligenceView, view_intelligence
from licensing.licences import is_current
from licensing.licences.models import Badge, DbsCertificate, Licence
from licensing.licences.rules import add_months
from licensing.people.access import visible_records
from licensing.people.models import Identity, PersonRecord
from licensing.sanctions.models import Sanction

SEXUAL_COMPLAINT_WINDOW_MONTHS = 24


@dataclass(frozen=True)
class Flag:
    code: str
    text: str


@dataclass(frozen=True)
class ComplaintView:
    complaint: Complaint
    shows_complainant: bool


@dataclass(frozen=True)
class ChronologyEntry:
    on: dt.date
    authority: str
    kind: str
    text: str


@dataclass
class PersonView:
    """Everything the viewer may see about one identity, gathered from every authority."""

    identity: Identity
    records: list[PersonRecord]
    licences: list[Licence] = field(default_factory=list)
    badges: list[Badge] = field(default_factory=list)
    dbs_certificates: list[DbsCertificate] = field(default_factory=list)
    sanctions: list[Sanction] = field(default_factory=list)
    complaints: list[ComplaintView] = field(default_factory=list)
    intelligence: list[IntelligenceView] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    chronology: list[ChronologyEntry] = field(default_factory=list)

    @property
    def display_name(self) -> str:
        return self.records[0].full_name if self.records else "Unknown"

    def shown_ids(self) -> dict[str, list[int]]:
        """What the page showed, for the audit event."""
        return {
            "records": [r.id for r in self.records],
            "intelligence": [i.item_id for i in self.intelligence],
        }


def build_person_view(
    identity: Identity, viewer: User, today: dt.date, *, reason: str | None = None
) -> PersonView:
    """Gather the identity's records the viewer may see; flags are computed from the whole identity.

    Showing it to an officer carries their stated `reason`, and the view is audited here with what it
    showed."""
    records = visible_records(identity, viewer)
    view = PersonView(identity=identity, records=records)
    for record in records:
        view.licences.extend(record.licences)
        view.badges.extend(record.badges)
        view.dbs_certificates.extend(record.dbs_certificates)
        view.sanctions.extend(record.sanctions)
        view.complaints.extend(
            ComplaintView(c, c.authority_id == viewer.authority_id) for c in record.complaints
        )
    for record in identity.records:
        for item in record.intelligence_items:
            shown = view_intelligence(item, viewer)
            if shown is not None:
                view.intelligence.append(shown)
    view.sanctions.sort(key=lambda s: s.decided_on, reverse=True)
    view.complaints.sort(key=lambda c: c.complaint.received_on, reverse=True)
    view.flags = identity_flags(identity, today)
    view.chronology = _chronology(view)
    if reason is not None:
        audit(viewer, "person.viewed", identity, reason=reason, details=view.shown_ids())
    return view


def _chronology(view: PersonView) -> list[ChronologyEntry]:
    """One timeline across every authority, newest first, from what the viewer may see."""
    entries = []
    for lic in view.licences:
        if lic.issued_on:
            entries.append(
                ChronologyEntry(
                    lic.issued_on,
                    lic.authority.name,
                    "Licence",
                    f"{lic.licence_type.label} {lic.number} issued (now {lic.status.value})",
                )
            )
    for badge in view.badges:
        entries.append(
            ChronologyEntry(
                badge.issued_on,
                badge.authority.name,
                "Badge",
                f"{badge.badge_type.label} badge {badge.number} issued (now {badge.status.value})",
            )
        )
    for s in view.sanctions:
        entries.append(ChronologyEntry(s.decided_on, s.authority.name, "Decision",
                                       f"{s.sanction_type.label}: {s.grounds.label.lower()}"))
    for cv in view.complaints:
        c = cv.complaint
        entries.append(ChronologyEntry(c.received_on, c.authority.name, "Complaint", c.category.label))
    for cert in view.dbs_certificates:
        entries.append(
            ChronologyEntry(cert.issued_on, "", "DBS", f"Enhanced certificate {cert.certificate_number}")
        )
    for item in view.intelligence:
        if item.submitted_on:
            entries.append(
                ChronologyEntry(
                    dt.date.fromisoformat(item.submitted_on),
                    "Police",
                    "Police information",
                    item.category or "Police hold information",
                )
            )
    return sorted(entries, key=lambda e: e.on, reverse=True)


def identities_with_history(identity_ids: list[int]) -> dict[int, Identity]:
    """Identities with every record and everything identity_flags reads, in a fixed number of queries."""
    if not identity_ids:
        return {}
    return {i.id: i for i in db.session.scalars(
        select(Identity).where(Identity.id.in_(identity_ids)).options(
            selectinload(Identity.records).options(
                selectinload(PersonRecord.authority), selectinload(PersonRecord.addresses),
                selectinload(PersonRecord.sanctions), selectinload(PersonRecord.complaints),
                selectinload(PersonRecord.intelligence_items), selectinload(PersonRecord.dbs_certificates),
                selectinload(PersonRecord.badges), selectinload(PersonRecord.licences))))}


def identity_flags(identity: Identity, today: dt.date) -> list[Flag]:
    """Flags from the whole identity, not from one authority's part of it."""
    records = identity.records
    sanctions = [s for r in records for s in r.sanctions]
    flags: list[Flag] = []
    adverse = [s for s in sanctions if s.sanction_type.is_adverse]
    if adverse:
        kinds = ", ".join(sorted({f"{s.sanction_type.label.lower()} ({s.authority.code})" for s in adverse}))
        flags.append(Flag("adverse_decision", f"Refused, suspended or revoked: {kinds}"))
    window_start = add_months(today, -SEXUAL_COMPLAINT_WINDOW_MONTHS)
    serious = [c for r in records for c in r.complaints
               if c.category.is_sexual_or_safeguarding and c.received_on >= window_start]
    if len(serious) >= 2:
        authorities = len({c.authority_id for c in serious})
        flags.append(
            Flag(
                "complaint_pattern",
                f"{len(serious)} sexual or safeguarding complaints in 24 months "
                f"across {authorities} authorit{'y' if authorities == 1 else 'ies'}",
            )
        )
    if any(i.status is not IntelligenceStatus.WITHDRAWN for r in records for i in r.intelligence_items):
        flags.append(Flag("police_information", POLICE_MARKER))
    certificates = sorted((c for r in records for c in r.dbs_certificates), key=lambda c: c.issued_on)
    needs_dbs = any(is_current(held, today) for r in records for held in (*r.badges, *r.licences))
    if certificates and needs_dbs:
        latest = certificates[-1]
        if not latest.update_service_subscribed:
            flags.append(Flag("dbs_lapsed", "DBS Update Service subscription lapsed"))
        elif latest.next_status_check_due() < today:
            flags.append(
                Flag(
                    "dbs_overdue", f"DBS status check overdue since {latest.next_status_check_due():%d %B %Y}"
                )
            )
    standing = [s for s in sanctions if s.stands_on(today)]
    for record in records:
        for licence in record.licences:
            against = [s for s in standing if s.authority_id != licence.authority_id]
            if is_current(licence, today) and against:
                flags.append(Flag("licensed_despite_decision",
                                  f"Licensed by {licence.authority.name} while a decision by "
                                  f"{against[0].authority.name} stands"))
                break
    return flags
