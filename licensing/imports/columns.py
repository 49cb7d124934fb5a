"""The import's column set, and turning one row of text into checked values with per-field messages."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field

from licensing.complaints.models import ComplaintCategory, ComplaintSource
from licensing.forms import clean_text
from licensing.licences.models import BadgeStatus, BadgeType, LicenceStatus, LicenceType
from licensing.licences.rules import normalise_reference
from licensing.matching.identifiers import (
    is_valid_dvla_number,
    is_valid_ni,
    is_valid_postcode,
    normalise_dvla_number,
    normalise_ni,
    normalise_postcode,
)
from licensing.sanctions.models import GroundsCategory, SanctionType

# (column, description) in the order the README documents them; `local_reference` and `surname` are required.
COLUMNS: list[tuple[str, str]] = [
    ("local_reference", "The council's own id for the person (required; re-imports are keyed on it)"),
    ("forenames", "Forenames"),
    ("surname", "Surname (required)"),
    ("date_of_birth", "Date of birth: 2026-01-31, 31/01/2026 or 31-01-2026"),
    ("sex", "M or F"),
    ("address_line", "First line of the current address"),
    ("town", "Town"),
    ("postcode", "UK postcode"),
    ("national_insurance", "National Insurance number, like AB123456C"),
    ("driving_licence_number", "16-character DVLA driving licence number"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("previous_names", "Previous names, separated by ';' (each 'Forenames Surname')"),
    (
        "licence_type",
        "hackney_carriage_driver, private_hire_driver, dual_driver, private_hire_operator or vehicle",
    ),
    ("licence_number", "The licence number"),
    ("licence_status", "applied, granted, refused, suspended, revoked, expired or surrendered"),
    ("licence_start", "Date the licence was issued"),
    ("licence_expiry", "Date the licence expires"),
    ("badge_type", "driver or passenger_assistant"),
    ("badge_number", "The client-transport badge number"),
    ("badge_status", "valid, suspended, withdrawn or expired"),
    ("badge_start", "Date the badge was issued"),
    ("badge_expiry", "Date the badge expires"),
    ("badge_operator", "The operator the badge holder works for"),
    (
        "decision_type",
        "refusal, refusal_to_renew, suspension, interim_suspension, revocation, warning, conditions or "
        "penalty_points",
    ),
    ("decision_grounds", "The grounds category, like safeguarding or dishonesty"),
    ("decision_date", "Date of the decision"),
    ("decision_narrative", "The decision's reasons"),
    ("complaint_date", "Date the complaint was received"),
    (
        "complaint_category",
        "sexual_harassment, safeguarding_concern, behaviour, driving_standards, overcharging, "
        "rudeness or vehicle",
    ),
    ("complaint_source", "public, operator, school, police or other_authority"),
    ("complaint_narrative", "What the complaint says"),
]
COLUMN_NAMES = [name for name, _ in COLUMNS]
REQUIRED = ("local_reference", "surname")
MAX_LENGTH = {
    "local_reference": 40,
    "forenames": 100,
    "surname": 100,
    "address_line": 120,
    "town": 100,
    "phone": 20,
    "email": 254,
    "licence_number": 30,
    "badge_number": 20,
    "badge_operator": 120,
    "previous_names": 500,
}
NARRATIVE_LIMIT = 1000
FORMULA_START = ("=", "+", "-", "@")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T00:00:00$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,19}$")  # "+44 ..." is a phone number, not a formula


@dataclass(frozen=True)
class FieldError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


@dataclass
class RowValues:
    """One checked row: strings cleaned, dates parsed, codes turned into enum members."""

    line: int
    values: dict = field(default_factory=dict)

    def get(self, name: str, default=None):
        return self.values.get(name, default)


NUMERIC_DATE = re.compile(r"^(?:(\d{4})-(\d{2})-(\d{2})|(\d{2})([/-])(\d{2})\5(\d{4}))$")


def parse_date(text: str) -> dt.date:
    if ISO_DATETIME.match(text):
        text = text[:10]
    parts = NUMERIC_DATE.match(text)
    if parts:  # the common spellings without strptime, which dominates a large file's checking
        year, month, day = (parts[1], parts[2], parts[3]) if parts[1] else (parts[7], parts[6], parts[4])
        try:
            day = dt.date(int(year), int(month), int(day))
        except ValueError:
            day = None
        if day is not None and 1900 <= day.year <= 2100:
            return day
    for fmt in DATE_FORMATS:
        try:
            day = dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a calendar date, no time zone)
        except ValueError:
            continue
        if 1900 <= day.year <= 2100:
            return day
    raise ValueError("is not a date: use 2026-01-31, 31/01/2026 or 31-01-2026")


def _enum(enum_cls, text: str):
    key = text.strip().lower().replace(" ", "_").replace("-", "_")
    for member in enum_cls:
        if key in (member.value, member.name.lower()):
            return member
    raise ValueError(f"is not one of: {', '.join(m.value for m in enum_cls)}")


PARSERS = {
    "date_of_birth": parse_date,
    "licence_start": parse_date,
    "licence_expiry": parse_date,
    "badge_start": parse_date,
    "badge_expiry": parse_date,
    "decision_date": parse_date,
    "complaint_date": parse_date,
    "licence_type": lambda t: _enum(LicenceType, t),
    "licence_status": lambda t: _enum(LicenceStatus, t),
    "badge_type": lambda t: _enum(BadgeType, t),
    "badge_status": lambda t: _enum(BadgeStatus, t),
    "decision_type": lambda t: _enum(SanctionType, t),
    "decision_grounds": lambda t: _enum(GroundsCategory, t),
    "complaint_category": lambda t: _enum(ComplaintCategory, t),
    "complaint_source": lambda t: _enum(ComplaintSource, t),
}


def _check_text(name: str, raw: str) -> str:
    if len(raw) > max(MAX_LENGTH.get(name, 0), NARRATIVE_LIMIT):
        raise ValueError(
            f"is too long ({len(raw):,} characters; at most {MAX_LENGTH.get(name, NARRATIVE_LIMIT)})"
        )
    if raw.isascii() and raw.isprintable():  # most cells: nothing to normalise or strip but spaces
        text = raw.strip()
    else:
        if any(unicodedata.category(ch) == "Cc" and ch not in "\r\n\t" for ch in raw):
            raise ValueError("contains control characters")
        text = clean_text(raw)
    if name == "phone" and PHONE.match(text):
        return text
    if text.startswith(FORMULA_START) or raw.lstrip(" ").startswith(("\t", "\r")):
        raise ValueError("starts like a spreadsheet formula (=, +, -, @): remove the leading character")
    if name in MAX_LENGTH and len(text) > MAX_LENGTH[name]:
        raise ValueError(f"is too long (at most {MAX_LENGTH[name]} characters)")
    return text


def _checked_value(name: str, raw: str):
    """One cell's checked value (None for a blank one), or ValueError."""
    text = _check_text(name, raw)
    if not text:
        return None
    if name in PARSERS:
        value = PARSERS[name](text)
    elif name == "postcode":
        if not is_valid_postcode(text):
            raise ValueError("is not a real UK postcode")
        value = normalise_postcode(text)
    elif name == "national_insurance":
        if not is_valid_ni(text):
            raise ValueError("is not a valid National Insurance number (like AB123456C)")
        value = normalise_ni(text)
    elif name == "driving_licence_number":
        if not is_valid_dvla_number(text):
            raise ValueError("is not a valid DVLA driving licence number (16 letters and numbers)")
        value = normalise_dvla_number(text)
    elif name == "sex":
        if text.upper() not in ("M", "F"):
            raise ValueError("must be M or F")
        value = text.upper()
    elif name in ("licence_number", "badge_number"):
        value = normalise_reference(text)
    elif name == "email":
        if "@" not in text or " " in text:
            raise ValueError("is not an email address")
        value = text.lower()
    else:
        value = text
    return value


# A pure function of the cell: the many repeated short cells of a large file (dates, towns, names, licence
# types) are checked once. Long cells (narratives) are not kept.
_checked_short_value = functools.lru_cache(maxsize=1 << 16)(_checked_value)


def check_row(line: int, cells: dict[str, str]) -> tuple[RowValues, list[FieldError]]:
    """Checked values for one row, or the errors naming its line and columns."""
    row, errors = RowValues(line), []
    for name, raw in cells.items():
        if not raw:
            continue
        try:
            value = _checked_short_value(name, raw) if len(raw) <= 64 else _checked_value(name, raw)
        except ValueError as error:
            errors.append(FieldError(line, name, f"'{_shown(raw)}' {error}"))
            continue
        if value is not None:
            row.values[name] = value
    for name in REQUIRED:
        if name not in row.values and not any(e.column == name for e in errors):
            errors.append(FieldError(line, name, "is required"))
    errors += _combined(row)
    return row, errors


def _shown(raw: str) -> str:
    text = "".join(ch if ch.isprintable() else "?" for ch in raw)
    return text if len(text) <= 40 else text[:37] + "..."


def _combined(row: RowValues) -> list[FieldError]:
    """Fields that only make sense together (ASVS 2.2.3)."""
    errors = []
    groups = {
        "licence_number": ("licence_type", "licence_status"),
        "badge_number": ("badge_type", "badge_status", "badge_start", "badge_expiry", "badge_operator"),
        "decision_type": ("decision_grounds", "decision_date"),
        "complaint_date": ("complaint_category",),
    }
    for lead, needed in groups.items():
        group_given = lead in row.values or any(n in row.values for n in needed)
        for name in (lead, *needed):
            if group_given and name not in row.values:
                errors.append(
                    FieldError(row.line, name, f"is required when {lead.split('_')[0]} details are given")
                )
    for start, end in (("licence_start", "licence_expiry"), ("badge_start", "badge_expiry")):
        if start in row.values and end in row.values and row.values[end] <= row.values[start]:
            errors.append(FieldError(row.line, end, "must be after the start date"))
    today = dt.date.today()
    for name in ("date_of_birth", "decision_date", "complaint_date"):
        if name in row.values and row.values[name] > today:
            errors.append(FieldError(row.line, name, "cannot be in the future"))
    return errors
