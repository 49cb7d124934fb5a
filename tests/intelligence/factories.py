"""Licences, badges, complaints and decisions for the intelligence tests: add and flush (the caller's app
context)."""

import datetime as dt
import itertools

from sqlalchemy import func, select

from licensing.complaints.models import Complaint, ComplaintCategory, ComplaintSource
from licensing.db import db
from licensing.intelligence.models import IntelligenceItem
from licensing.licences.models import Badge, BadgeStatus, BadgeType, Licence, LicenceStatus, LicenceType
from licensing.licences.rules import add_months
from licensing.sanctions.models import GroundsCategory, Sanction, SanctionType
from tests.factories import authority

_counter = itertools.count(1)
FULL = "Source 7 reports the subject offered lifts to pupils outside Wycombe High at 2am."
SUMMARY = "Police hold safeguarding information about this person."
MARKER = "Police hold information: contact the point of contact"


def make_licence(record, *, licence_type: LicenceType = LicenceType.PRIVATE_HIRE_DRIVER,
                 status: LicenceStatus = LicenceStatus.GRANTED, expires_on: dt.date | None = None,
                 vehicle_registration: str = "") -> Licence:
    today = dt.date.today()
    licence = Licence(person_record_id=record.id, authority_id=record.authority_id, licence_type=licence_type,
                      number=f"{record.authority.code}-L{next(_counter):05d}", status=status,
                      issued_on=add_months(today, -6), expires_on=expires_on or add_months(today, 6),
                      vehicle_registration=vehicle_registration)
    db.session.add(licence)
    db.session.flush()
    return licence


def make_badge(
    record, *, status: BadgeStatus = BadgeStatus.VALID, operator: str = "Chiltern School Runs Ltd"
) -> Badge:
    today = dt.date.today()
    badge = Badge(person_record_id=record.id, authority=authority("BCC-CT"), badge_type=BadgeType.DRIVER,
                  number=f"CT-{next(_counter):05d}", operator_name=operator, status=status,
                  issued_on=add_months(today, -12), expires_on=add_months(today, 24))
    db.session.add(badge)
    db.session.flush()
    return badge


def make_complaint(record, *, vehicle_registration: str = "") -> Complaint:
    complaint = Complaint(person_record_id=record.id, authority_id=record.authority_id,
                          received_on=dt.date.today() - dt.timedelta(days=20), source=ComplaintSource.PUBLIC,
                          category=ComplaintCategory.BEHAVIOUR, vehicle_registration=vehicle_registration,
                          narrative="Driver shouted at a passenger.", complainant_name="A Complainant")
    db.session.add(complaint)
    db.session.flush()
    return complaint


def make_sanction(
    record, *, decided_on: dt.date, sanction_type: SanctionType = SanctionType.INTERIM_SUSPENSION
):
    sanction = Sanction(
        person_record_id=record.id,
        authority_id=record.authority_id,
        sanction_type=sanction_type,
        grounds=GroundsCategory.SAFEGUARDING,
        decided_on=decided_on,
        effective_on=decided_on,
        decision_maker="Licensing Manager",
        narrative="Suspended pending police investigation.",
    )
    db.session.add(sanction)
    db.session.flush()
    return sanction


def item_form(**overrides) -> dict:
    """A valid submission of the intelligence form, as a browser posts it."""
    review = add_months(dt.date.today(), 6)
    data = {
        "source_evaluation": "2",
        "intelligence_assessment": "B",
        "handling_code": "P",
        "handling_conditions": "",
        "category": "child_exploitation",
        "status": "arrested",
        "force_reference": "TVP/2026/00042",
        "legal_basis": "clpd",
        "legal_basis_other": "",
        "full_text": FULL,
        "sanitised_summary": SUMMARY,
        "review_on": [str(review.day), str(review.month), str(review.year)],
    }
    data.update(overrides)
    return data


def item_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(IntelligenceItem.id)))


def only_item(app) -> IntelligenceItem:
    """The one item in the database (call inside an app context)."""
    return db.session.scalars(select(IntelligenceItem)).one()
