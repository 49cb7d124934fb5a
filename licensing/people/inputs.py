"""What an authority supplies for a person record: plain data, shared by forms, imports and services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class AddressInput:
    line1: str
    town: str
    postcode: str
    line2: str = ""
    from_on: dt.date | None = None


@dataclass(frozen=True)
class PersonRecordInput:
    """What an authority supplies for one person; formats are checked by the form or the import first."""

    authority_reference: str
    forenames: str
    surname: str
    date_of_birth: dt.date | None = None
    sex: str = ""
    phone: str = ""
    email: str = ""
    driving_licence_number: str = ""
    national_insurance: str = ""
    addresses: tuple[AddressInput, ...] = ()
    previous_names: tuple[tuple[str, str], ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()
