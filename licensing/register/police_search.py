"""The police question "is this person licensed or badged, and by whom?", answered across every authority."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from licensing.audit import record as audit
from licensing.auth.models import User
from licensing.authorities.models import Authority
from licensing.complaints.models import Complaint
from licensing.db import db
from licensing.licences import is_current
from licensing.licences.models import Badge, Licence, LicenceType
from licensing.matching.bands import match_band
from licensing.people.access import can_see_record, grant_access
from licensing.people.identity import match_settings
from licensing.people.models import PersonRecord
from licensing.people.services import resolve_identity
from licensing.register.person_view import identities_with_history, identity_flags
from licensing.register.search import SearchCriteria, search_people


@dataclass
class Holding:
    """What one authority holds for the person now: in-force licences and badges (suspended ones included)."""

    authority: Authority
    licences: list[Licence] = field(default_factory=list)
    badges: list[Badge] = field(default_factory=list)


@dataclass
class LicensedAnswer:
    identity_id: int
    found_by: list[str]
    records: list[PersonRecord]
    holdings: list[Holding]
    flags: list = field(default_factory=list)
    score: float | None = None

    @property
    def display_name(self) -> str:
        return self.records[0].full_name if self.records else ""

    @property
    def is_licensed_or_badged(self) -> bool:
        return bool(self.holdings)


def holdings(records: list[PersonRecord], today: dt.date) -> list[Holding]:
    """Per authority, the licences and badges in force today; suspended ones are shown with their status."""
    by_authority: dict[int, Holding] = {}
    for record in records:
        for licence in record.licences:
            if is_current(licence, today, in_force=True):
                by_authority.setdefault(licence.authority_id, Holding(licence.authority)).licences.append(
                    licence
                )
        for badge in record.badges:
            if is_current(badge, today, in_force=True):
                by_authority.setdefault(badge.authority_id, Holding(badge.authority)).badges.append(badge)
    return sorted(by_authority.values(), key=lambda h: h.authority.name)


def _vrm_matches(vrm: str) -> dict[int, list[str]]:
    """Identities holding a vehicle licence for the registration, and identities named in complaints about it.

    Registrations are stored normalised (capitals, no spaces), so this is a plain indexed comparison."""
    found: dict[int, list[str]] = {}
    rows = db.session.execute(
        select(PersonRecord.identity_id, Licence.number, Authority.code)
        .join(Licence, Licence.person_record_id == PersonRecord.id)
        .join(Authority, Authority.id == Licence.authority_id)
        .where(Licence.licence_type == LicenceType.VEHICLE, Licence.vehicle_registration == vrm)).all()
    for identity_id, number, code in rows:
        found.setdefault(identity_id, []).append(f"Vehicle licence {number} ({code}) for {vrm}")
    rows = db.session.execute(
        select(PersonRecord.identity_id, Complaint.received_on, Authority.code)
        .join(Complaint, Complaint.person_record_id == PersonRecord.id)
        .join(Authority, Authority.id == Complaint.authority_id)
        .where(Complaint.vehicle_registration == vrm)
    ).all()
    for identity_id, received_on, code in rows:
        found.setdefault(identity_id, []).append(
            f"Complaint to {code} on {received_on:%d %b %Y} naming {vrm}"
        )
    return found


def police_search(criteria: SearchCriteria, vrm: str, *, viewer: User, today: dt.date,
                  reason: str | None = None) -> list[LicensedAnswer]:
    """Answer "is this person licensed or badged, and by whom": people matching the partial details (ranked by
    search_people) and people linked to a vehicle registration, each with what every authority holds now."""
    answers: dict[int, LicensedAnswer] = {}
    if criteria.as_terms():
        for hit in search_people(criteria, viewer=viewer, today=today):
            band = match_band(hit.score, match_settings())
            found_by = [f"Exact {hit.exact}"] if hit.exact else [f"{band.label}: {hit.explanation}"]
            # The records are read below with what they hold (a hit's are plain rows without it).
            answers[hit.identity_id] = LicensedAnswer(hit.identity_id, found_by, [], [], score=hit.score)
    if vrm:
        for identity_id, reasons in _vrm_matches(vrm).items():
            identity = resolve_identity(identity_id)
            if identity is None:
                continue
            answer = answers.setdefault(identity.id, LicensedAnswer(identity.id, [], [], []))
            answer.found_by.extend(reasons)
    # Every answer's identity, records and history in a fixed number of statements, not a few per answer.
    identities = identities_with_history(list(answers))
    for answer in answers.values():
        identity = identities[answer.identity_id]
        answer.records = [r for r in identity.records if can_see_record(viewer, r)]
        answer.holdings = holdings(answer.records, today)
        answer.flags = identity_flags(identity, today)
    ranked = sorted(answers.values(), key=lambda a: (a.score is None, -(a.score or 0), a.identity_id))
    if reason is not None:
        ids = [answer.identity_id for answer in ranked]
        terms = criteria.as_terms() | ({"vehicle_registration": vrm} if vrm else {})
        audit(viewer, "person.searched", reason=reason,
              details={"terms": terms, "results": ids, "search": "licensed_or_badged"})
        grant_access(viewer, ids, reason)
    return ranked
