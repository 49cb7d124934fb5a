"""An authority's own register in the import's column layout, so it can be moved or re-imported."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from licensing.audit import record as audit
from licensing.auth.models import User
from licensing.authorities.models import Authority
from licensing.db import db
from licensing.imports.columns import COLUMN_NAMES
from licensing.licences.models import LicenceType
from licensing.people.models import PersonRecord


def _row(record: PersonRecord) -> dict:
    address = record.current_address
    licence = next((lic for lic in record.licences if lic.licence_type is not LicenceType.VEHICLE), None)
    badge = record.badges[-1] if record.badges else None
    decision = record.sanctions[-1] if record.sanctions else None
    complaint = record.complaints[-1] if record.complaints else None
    row = {
        "local_reference": record.authority_reference,
        "forenames": record.forenames,
        "surname": record.surname,
        "date_of_birth": record.date_of_birth,
        "sex": record.sex,
        "address_line": address.line1 if address else "",
        "town": address.town if address else "",
        "postcode": address.postcode if address else "",
        "national_insurance": record.national_insurance,
        "driving_licence_number": record.driving_licence_number,
        "phone": record.phone,
        "email": record.email,
        "previous_names": "; ".join(n.full_name for n in record.other_names),
    }
    if licence:
        row |= {
            "licence_type": licence.licence_type.value,
            "licence_number": licence.number,
            "licence_status": licence.status.value,
            "licence_start": licence.issued_on,
            "licence_expiry": licence.expires_on,
        }
    if badge:
        row |= {
            "badge_type": badge.badge_type.value,
            "badge_number": badge.number,
            "badge_status": badge.status.value,
            "badge_start": badge.issued_on,
            "badge_expiry": badge.expires_on,
            "badge_operator": badge.operator_name,
        }
    if decision:
        row |= {
            "decision_type": decision.sanction_type.value,
            "decision_grounds": decision.grounds.value,
            "decision_date": decision.decided_on,
            "decision_narrative": decision.narrative,
        }
    if complaint:
        row |= {
            "complaint_date": complaint.received_on,
            "complaint_category": complaint.category.value,
            "complaint_source": complaint.source.value,
            "complaint_narrative": complaint.narrative,
        }
    return row


def register_rows(
    authority: Authority,
    *,
    actor: User | None,
    reason: str,
    headings: dict[str, str] | None = None,
    actor_label: str = "",
) -> tuple[list[str], Iterator[list]]:
    """The authority's records, one row each (its main licence, latest badge, decision and complaint).

    Only the authority's own records: what it could import again. Audited as a disclosure with its reason."""
    headings = headings or {}
    records = list(
        db.session.scalars(
            select(PersonRecord)
            .where(PersonRecord.authority_id == authority.id)
            .order_by(PersonRecord.id)
            .options(
                selectinload(PersonRecord.addresses),
                selectinload(PersonRecord.other_names),
                selectinload(PersonRecord.licences),
                selectinload(PersonRecord.badges),
                selectinload(PersonRecord.sanctions),
                selectinload(PersonRecord.complaints),
            )
        )
    )
    audit(
        actor,
        "export.register",
        authority,
        reason=reason,
        email=actor_label,
        details={"authority": authority.code, "records": len(records)},
    )
    headers = [headings.get(name, name) for name in COLUMN_NAMES]
    return headers, ([_row(r).get(name) for name in COLUMN_NAMES] for r in records)
