"""Licences: granting or renewing one on the authority's own record."""

from __future__ import annotations

import datetime as dt

from licensing.audit import record as audit
from licensing.auth.models import User
from licensing.db import db
from licensing.errors import RuleViolation
from licensing.licences.models import Licence, LicenceStatus, LicenceType
from licensing.licences.rules import add_months, normalise_reference
from licensing.people.models import PersonRecord

DRIVER_LICENCE_YEARS = 3


def grant_licence(record: PersonRecord, *, licence: Licence | None, new_licence_type: LicenceType | None,
                  new_licence_number: str, effective_on: dt.date, conditions: str, actor: User,
                  safeguarding_training_on: dt.date | None = None) -> Licence:
    """Grant or renew a licence on the authority's own record, for 3 years from the day it takes effect (a new
    licence needs its type and a number unused in the authority)."""
    if record.authority_id != actor.authority_id:
        raise RuleViolation("You can only record decisions on your own authority's records")
    if licence is not None and licence.person_record_id != record.id:
        raise RuleViolation("That licence does not belong to this person")
    number = normalise_reference(new_licence_number)
    if licence is None:
        if new_licence_type is None or not number:
            raise RuleViolation("Select the licence to grant or give the new licence's type and number")
        if db.session.query(Licence.id).filter_by(authority_id=record.authority_id, number=number).first():
            raise RuleViolation(f"Licence number {number} is already in use")
        licence = Licence(person=record, authority_id=record.authority_id, licence_type=new_licence_type,
                          number=number, status=LicenceStatus.APPLIED)
        db.session.add(licence)
    licence.status = LicenceStatus.GRANTED
    licence.issued_on = effective_on
    licence.expires_on = add_months(effective_on, 12 * DRIVER_LICENCE_YEARS)
    if conditions:
        licence.conditions = conditions
    if safeguarding_training_on is not None:
        licence.safeguarding_training_on = safeguarding_training_on
    db.session.flush()
    details = {"record": record.id, "number": licence.number}
    if safeguarding_training_on is not None:
        details["safeguarding_training_on"] = safeguarding_training_on.isoformat()
    audit(actor, "licence.granted", licence, details=details)
    return licence
