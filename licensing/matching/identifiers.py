"""Parse and check the identifiers a person carries: DVLA licence numbers, NI numbers, postcodes.

Strict by design: the app's forms validate with these functions, and the matching engine only
treats an identifier disagreement as proof of two different people when both values are valid.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass

from .frozen import slot_builder

__all__ = [
    "DvlaNumber",
    "dvla_consistent_with",
    "dvla_surname_stem",
    "is_valid_dvla_number",
    "is_valid_ni",
    "is_valid_postcode",
    "normalise_dvla_number",
    "normalise_ni",
    "normalise_postcode",
    "parse_dvla_number",
    "postcode_district",
    "postcode_sector",
]

_NOT_ALNUM = re.compile(r"[^A-Z0-9]")


def _squash(value: str) -> str:
    """Upper-case and keep only A-Z and 0-9 (spaces, dashes, dots and stray characters go)."""
    if not value:
        return ""
    if value.isalnum() and value.isascii() and not value.islower() and value == value.upper():
        return value  # already squashed (the common case in bulk files): no regex, no copy
    if not value.isascii():
        value = unicodedata.normalize("NFKC", value)
    return _NOT_ALNUM.sub("", value.upper())


# --- National Insurance numbers -------------------------------------------------------------

# HMRC NIM39110: D, F, I, Q, U, V never appear in the prefix; O is never the second letter;
# BG, GB, KN, NK, NT, TN and ZZ are never issued; the suffix is A, B, C or D.
_NI_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
_NI_SECOND = "ABCEGHJKLMNPRSTWXYZ"
_NI_BANNED_PREFIXES = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
_NI_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{6}[A-D]?$")


def normalise_ni(value: str) -> str:
    """Return an NI number upper-cased with spaces and punctuation removed ("ab 12 34 56 c" ->
    "AB123456C")."""
    return _squash(value)


def is_valid_ni(value: str) -> bool:
    """True when the value is a National Insurance number HMRC could have issued (prefix, 6 digits, suffix
    A-D)."""
    return valid_normalised_ni(normalise_ni(value))


def valid_normalised_ni(ni: str) -> bool:
    """is_valid_ni for a value already through ``normalise_ni`` (not normalised twice)."""
    if len(ni) != 9 or not _NI_SHAPE.match(ni):
        return False
    prefix = ni[:2]
    return prefix[0] in _NI_FIRST and prefix[1] in _NI_SECOND and prefix not in _NI_BANNED_PREFIXES


def ni_core(value: str) -> str:
    """The part of an NI number that identifies the person (prefix and digits); the suffix is not unique."""
    ni = normalise_ni(value)
    return ni[:8] if len(ni) >= 8 else ni


# --- Postcodes ------------------------------------------------------------------------------

# The Royal Mail / BS 7666 pattern: outward code (area, district) then inward code (sector, unit).
_POSTCODE = re.compile(
    r"^(?:GIR0AA|"
    r"(?:[A-PR-UWYZ][0-9][0-9]?"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?"
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
    r"[0-9][ABD-HJLNP-UW-Z]{2})$"
)


def normalise_postcode(value: str) -> str:
    """Return a postcode upper-cased with one space before the inward code ("hp136ab" -> "HP13 6AB")."""
    pc = _squash(value)
    if len(pc) >= 5:
        return f"{pc[:-3]} {pc[-3:]}"
    return pc


def is_valid_postcode(value: str) -> bool:
    """True when the value has the shape of a UK postcode (e.g. "HP13 6AB", "SW1A 1AA", "M1 1AE")."""
    return bool(_POSTCODE.match(_squash(value)))


def postcode_sector(value: str) -> str:
    """The postcode sector ("HP13 6AB" -> "HP13 6"), or "" when the value is not a postcode."""
    pc = normalise_postcode(value)
    return pc[:-2] if is_valid_postcode(pc) else ""


def postcode_district(value: str) -> str:
    """The outward code ("HP13 6AB" -> "HP13"), or "" when the value is not a postcode."""
    pc = normalise_postcode(value)
    return pc[:-4] if is_valid_postcode(pc) else ""


# --- DVLA driving licence numbers -----------------------------------------------------------

# 5 surname characters (letters, then 9-padding), decade digit, month (+50 for women), day,
# year digit, two initials (9-padded), one arbitrary digit, two check letters.
_DVLA_SHAPE = re.compile(r"^[A-Z][A-Z]{0,4}9{0,4}[0-9]{6}[A-Z][A-Z9][0-9][A-Z]{2}$")
# For matching only: the check characters may be any letter or digit (records from other systems
# carry them that way); everything DVLA derives from the person is still checked strictly.
_DVLA_SHAPE_LENIENT = re.compile(r"^[A-Z][A-Z]{0,4}9{0,4}[0-9]{6}[A-Z][A-Z9][0-9][A-Z0-9]{2}$")
DVLA_INITIALS = slice(11, 13)  # the two characters DVLA derives from the forenames


@dataclass(frozen=True, slots=True)
class DvlaNumber:
    """A parsed 16-character DVLA licence number; the century of the birth year is not encoded."""

    number: str
    surname_stem: str  # first five characters, 9-padded ("MORGA", "KHAN9")
    decade: int
    month: int  # 1-12, women's +50 already removed
    sex: str  # "M" or "F"
    day: int
    year_digit: int
    initials: str  # two characters, 9-padded ("SM", "A9")
    arbitrary: str  # 14th character: DVLA varies it to keep numbers unique
    check: str  # characters 15-16

    @property
    def first13(self) -> str:
        """Everything that is derived from the person (surname, DOB, sex, initials)."""
        return self.number[:13]

    @property
    def year_units(self) -> int:
        """The last two digits of the birth year."""
        return self.decade * 10 + self.year_digit

    def matches_dob(self, iso_dob: str) -> bool:
        """True when a yyyy-mm-dd date agrees with the encoded birth date (century ignored)."""
        try:
            year, month, day = int(iso_dob[0:4]), int(iso_dob[5:7]), int(iso_dob[8:10])
        except ValueError:
            return False
        return year % 100 == self.year_units and month == self.month and day == self.day


_build_dvla_number = slot_builder(DvlaNumber)  # a match-file parses up to a million numbers


def normalise_dvla_number(value: str) -> str:
    """Upper-case and squash a licence number; drop the 2-digit issue number printed after it on the card."""
    dl = _squash(value)
    if len(dl) == 18 and dl[16:].isdigit() and dl[15].isalpha():
        dl = dl[:16]
    return dl


def _days_in_month(month: int, year_units: int) -> int:
    if month == 2:
        # The century is unknown, so 29 February is allowed whenever some century makes it a leap year.
        return 29 if year_units % 4 == 0 else 28
    return 30 if month in (4, 6, 9, 11) else 31


def parse_dvla_number(value: str, strict: bool = True) -> DvlaNumber | None:
    """Parse a DVLA licence number into its parts, or None if it is not a well-formed number.

    ``strict=False`` (used by the matching engine, never by form validation) also accepts digits
    in the two check characters: the first 14 characters, which carry the identity evidence
    (surname stem, birth date, sex, initials and DVLA's tie-break digit), are checked as strictly.
    """
    return parse_normalised_dvla_number(normalise_dvla_number(value), strict)


def parse_normalised_dvla_number(dl: str, strict: bool = True) -> DvlaNumber | None:
    """parse_dvla_number for a value already through ``normalise_dvla_number`` (not normalised twice)."""
    if len(dl) != 16 or not (_DVLA_SHAPE if strict else _DVLA_SHAPE_LENIENT).match(dl):
        return None
    # The short parts repeat across a register: one shared string each, not three new ones per licence.
    stem = sys.intern(dl[:5])
    decade = int(dl[5])
    raw_month = int(dl[6:8])
    day = int(dl[8:10])
    year_digit = int(dl[10])
    if 1 <= raw_month <= 12:
        month, sex = raw_month, "M"
    elif 51 <= raw_month <= 62:
        month, sex = raw_month - 50, "F"
    else:
        return None
    if not 1 <= day <= _days_in_month(month, decade * 10 + year_digit):
        return None
    initials = sys.intern(dl[DVLA_INITIALS])
    return _build_dvla_number(
        number=dl,
        surname_stem=stem,
        decade=decade,
        month=month,
        sex=sex,
        day=day,
        year_digit=year_digit,
        initials=initials,
        arbitrary=dl[13],
        check=sys.intern(dl[14:16]),
    )


def is_valid_dvla_number(value: str) -> bool:
    """True when the value is a well-formed 16-character DVLA licence number with a real birth date.

    The two computer check characters are accepted as letters or digits: council data carries both, and the
    first 14 characters, which hold the evidence, are checked strictly either way."""
    return parse_dvla_number(value, strict=False) is not None


def _letters(value: str) -> str:
    text = unicodedata.normalize("NFKD", value or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^A-Z]", "", text.upper())


def dvla_surname_stem(surname: str) -> str:
    """The first five characters DVLA derives from a surname: letters only, MAC -> MC, padded with 9."""
    letters = _letters(surname)
    if letters.startswith("MAC"):
        letters = "MC" + letters[3:]
    return (letters[:5] + "99999")[:5] if letters else ""


def dvla_initials(forenames: str) -> str:
    """The two initials DVLA derives from forenames, padded with 9 ("Sarah Jane" -> "SJ", "Asif" -> "A9")."""
    words = [_letters(w) for w in re.split(r"[\s\-.]+", forenames or "")]
    words = [w for w in words if w]
    return ((words[0][0] if words else "") + (words[1][0] if len(words) > 1 else "") + "99")[:2]


def dvla_consistent_with(
    number: str | DvlaNumber,
    surname: str = "",
    dob: str = "",
    sex: str = "",
    forenames: str = "",
) -> list[str]:
    """List how a licence number disagrees with a record's own surname, DOB, sex and initials (empty =
    consistent).

    Missing record values are not inconsistencies. A second initial is only checked when the record
    has a second forename, because middle names are often left off.
    """
    parsed = number if isinstance(number, DvlaNumber) else parse_dvla_number(number)
    if parsed is None:
        return ["licence number is not a valid DVLA number"]
    problems: list[str] = []
    stem = dvla_surname_stem(surname) if surname else ""
    if stem and stem != parsed.surname_stem:
        problems.append(f"licence surname part {parsed.surname_stem} does not match surname ({stem})")
    if dob and re.match(r"^\d{4}-\d{2}-\d{2}$", dob) and not parsed.matches_dob(dob):
        problems.append("licence birth date part does not match date of birth")
    if sex in ("M", "F") and sex != parsed.sex:
        problems.append(f"licence encodes sex {parsed.sex}, record says {sex}")
    initials = dvla_initials(forenames) if forenames else ""
    if initials:
        if initials[0] != parsed.initials[0]:
            problems.append(f"licence first initial {parsed.initials[0]} does not match forenames")
        elif initials[1] != "9" and parsed.initials[1] != "9" and initials[1] != parsed.initials[1]:
            problems.append(f"licence second initial {parsed.initials[1]} does not match forenames")
    return problems
