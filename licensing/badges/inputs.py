"""The checks an officer records for a badge, as plain data shared by the forms and the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from licensing.licences.models import Badge

NO_NEW_INFORMATION = "no new information"
NEW_INFORMATION = "new information"


@dataclass(frozen=True)
class DbsInput:
    certificate_number: str
    issued_on: dt.date | None
    barred_lists_checked: bool
    update_service_subscribed: bool
    last_status_check_on: dt.date | None = None
    last_status_result: str = ""


@dataclass(frozen=True)
class BadgeChecks:
    dbs: DbsInput
    first_reference_on: dt.date | None
    second_reference_on: dt.date | None
    english_test_passed_on: dt.date | None
    safeguarding_training_on: dt.date | None

    @classmethod
    def of_badge(cls, badge: Badge) -> BadgeChecks:
        """The checks a badge was issued or last renewed on."""
        cert = badge.dbs_certificate
        dbs = (
            DbsInput(
                cert.certificate_number,
                cert.issued_on,
                cert.barred_lists_checked,
                cert.update_service_subscribed,
                cert.last_status_check_on,
                cert.last_status_result,
            )
            if cert
            else DbsInput("", None, False, False)
        )
        return cls(
            dbs,
            badge.first_reference_on,
            badge.second_reference_on,
            badge.english_test_passed_on,
            badge.safeguarding_training_on,
        )


@dataclass(frozen=True)
class ExistingHolder:
    """A person record the officer's team already holds, named by its reference or its record number."""

    reference: str
