"""Badge factories: a badge with a full set of checks that are in date unless told otherwise."""

import datetime as dt
import itertools

from licensing.db import db
from licensing.licences.models import Badge, BadgeStatus, BadgeType, DbsCertificate
from licensing.licences.rules import add_months
from tests.factories import authority, clock_date

_numbers = itertools.count(1)
TODAY = clock_date(__name__)


def make_badge(record, *, number: str | None = None, status: BadgeStatus = BadgeStatus.VALID,
               issued_on: dt.date | None = None, expires_on: dt.date | None = None,
               operator_name: str = "Chiltern Cars",
               badge_type: BadgeType = BadgeType.DRIVER, dbs_issued_on: dt.date | None = None,
               last_status_check_on: dt.date | None = None, update_service_subscribed: bool = True,
               safeguarding_training_on: dt.date | None = None, with_dbs: bool = True,
               status_reason: str = "") -> Badge:
    issued_on = issued_on or TODAY - dt.timedelta(days=100)
    certificate = None
    if with_dbs:
        certificate = DbsCertificate(
            person=record,
            certificate_number=f"{next(_numbers):012d}",
            issued_on=dbs_issued_on or issued_on - dt.timedelta(days=30),
            barred_lists_checked=True,
            update_service_subscribed=update_service_subscribed,
            last_status_check_on=last_status_check_on,
            last_status_result="no new information" if last_status_check_on else "",
        )
        db.session.add(certificate)
    badge = Badge(person=record, authority=authority("BCC-CT"), badge_type=badge_type,
                  number=number or f"BCC{next(_numbers):06d}", operator_name=operator_name, status=status,
                  issued_on=issued_on, expires_on=expires_on or add_months(issued_on, 36),
                  dbs_certificate=certificate, first_reference_on=issued_on - dt.timedelta(days=20),
                  second_reference_on=issued_on - dt.timedelta(days=18),
                  english_test_passed_on=issued_on - dt.timedelta(days=25),
                  safeguarding_training_on=safeguarding_training_on or issued_on - dt.timedelta(days=10),
                  status_reason=status_reason)
    db.session.add(badge)
    db.session.flush()
    return badge


def make_sanction(record, *, sanction_type: str = "revocation", grounds: str = "sexual_misconduct",
                  decided_on: dt.date | None = None):
    from licensing.sanctions.models import GroundsCategory, Sanction, SanctionType

    decided_on = decided_on or TODAY - dt.timedelta(days=200)
    sanction = Sanction(
        person=record,
        authority=record.authority,
        sanction_type=SanctionType(sanction_type),
        grounds=GroundsCategory(grounds),
        decided_on=decided_on,
        effective_on=decided_on,
        decision_maker="Licensing sub-committee",
        narrative="Three similar harassment complaints",
    )
    db.session.add(sanction)
    db.session.flush()
    return sanction


def make_licence(record, *, status: str = "revoked", number: str | None = None):
    from licensing.licences.models import Licence, LicenceStatus, LicenceType

    licence = Licence(person=record, authority=record.authority, licence_type=LicenceType.PRIVATE_HIRE_DRIVER,
                      number=number or f"PH{next(_numbers):05d}", status=LicenceStatus(status),
                      issued_on=TODAY - dt.timedelta(days=900), expires_on=TODAY + dt.timedelta(days=200),
                      conditions="")
    db.session.add(licence)
    db.session.flush()
    return licence


def make_complaint(record, *, category: str = "sexual_harassment", received_on: dt.date | None = None):
    from licensing.complaints.models import Complaint, ComplaintCategory, ComplaintSource

    complaint = Complaint(
        person=record,
        authority=record.authority,
        received_on=received_on or TODAY - dt.timedelta(days=60),
        source=ComplaintSource.SCHOOL,
        category=ComplaintCategory(category),
        narrative="Passenger reported inappropriate remarks",
        outcome="",
        complainant_name="C Smith",
    )
    db.session.add(complaint)
    db.session.flush()
    return complaint


def in_date_checks_form() -> dict:
    """A badge form's checks, all in date: dated from TODAY as the test runs, not as a module is imported."""
    def ago(days: int) -> list[str]:
        day = TODAY - dt.timedelta(days=days)
        return [str(day.day), str(day.month), str(day.year)]

    return {
        "dbs_certificate_number": "001234567890",
        "dbs_issued_on": ago(60),
        "barred_lists_checked": "y",
        "update_service_subscribed": "y",
        "first_reference_on": ago(40),
        "second_reference_on": ago(35),
        "english_test_passed_on": ago(50),
        "safeguarding_training_on": ago(20),
        "reason": "Route 14, Highcrest Academy contract",
    }
