"""The record the engine matches, and its prepared (normalised, parsed) form."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import sys
from dataclasses import dataclass
from functools import lru_cache

from .caches import BoundedCache
from .identifiers import (
    DvlaNumber,
    is_valid_postcode,
    normalise_dvla_number,
    normalise_ni,
    normalise_postcode,
    parse_normalised_dvla_number,
    valid_normalised_ni,
)
from .normalise import NameForm, clean_text, parse_full_name, split_full_name

__all__ = [
    "MatchRecord", "PreparedRecord", "prepare", "prepare_row", "prepare_uncached",
    "is_iso_date", "normalise_dob", "normalise_sex", "release_row_caches",
]


@dataclass(frozen=True, slots=True)
class MatchRecord:
    """One person record as the engine sees it: identity fields only, all plain strings."""

    record_id: str
    source: str = ""
    forenames: str = ""
    surname: str = ""
    other_names: tuple[str, ...] = ()  # previous names / aliases, each "Forenames Surname"
    date_of_birth: str = ""  # ISO yyyy-mm-dd when valid, otherwise the raw text
    sex: str = ""  # "M", "F" or ""
    postcodes: tuple[str, ...] = ()  # address history, most recent first
    address_lines: tuple[str, ...] = ()  # first line of each address, aligned with postcodes
    national_insurance: str = ""
    driving_licence_number: str = ""



_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Unambiguous non-ISO spellings of a full date: UK day-first with a 4-digit year, and yyyymmdd.
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_YEAR_FIRST = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_HOUSE = re.compile(r"\d+[a-z]?")


def is_iso_date(value: str) -> bool:
    """True when the text is already a valid yyyy-mm-dd date (no reformatting needed)."""
    text = (value or "").strip()
    if not _ISO.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=65_536)
def normalise_dob(value: str) -> tuple[str, bool]:
    """Return (dob, is_iso): a valid date as yyyy-mm-dd, anything else stripped and kept as raw text.

    Besides ISO, the unambiguous spellings councils export are read as dates: ``13/10/1966``,
    ``13-10-1966``, ``13.10.1966`` (UK day first, 4-digit year), ``1966/10/13`` and ``19661013``.
    A 2-digit year (``13-10-66``) leaves the century open and an impossible date (``19551192``)
    is no date at all: both stay text and are compared as text.
    """
    text = (value or "").strip()
    if is_iso_date(text):
        return text, True
    m = _DAY_FIRST.match(text)
    if m:
        y, mo, d = m.group(3), m.group(2), m.group(1)
    else:
        m = _YEAR_FIRST.match(text) or _COMPACT.match(text)
        if not m:
            return text, False
        y, mo, d = m.group(1), m.group(2), m.group(3)
    try:
        return dt.date(int(y), int(mo), int(d)).isoformat(), True
    except ValueError:
        return text, False


def normalise_sex(value: str) -> str:
    """'M', 'F' or '' from the usual spellings (male/female/m/f)."""
    v = (value or "").strip().upper()[:1]
    return v if v in ("M", "F") else ""


def _intern(value: str) -> str:
    return sys.intern(value) if value else ""


# Equal name tuples share an id so name comparisons can be cached. Ids come from a counter and are never
# reused, so emptying the table when it is full only costs cache misses, never a wrong answer.
MAX_NAME_IDS = 2_000_000
_name_ids: BoundedCache[tuple[NameForm, ...], int] = BoundedCache(MAX_NAME_IDS)
_next_name_id = itertools.count()


@dataclass(slots=True)
class PreparedRecord:
    """A MatchRecord normalised once so that pair comparisons only look things up."""

    record_id: str
    names: tuple[NameForm, ...]  # current name first, then previous names and aliases
    names_id: int  # equal name tuples share an id, so name comparisons can be cached
    dob: str
    dob_iso: bool
    dob_digits: str
    sex: str
    ni: str  # normalised, possibly invalid
    ni_core: str
    ni_valid: bool
    dl: str
    dl_parsed: DvlaNumber | None
    postcodes: tuple[str, ...]  # valid postcodes only, normalised "HP13 6AB"
    houses: tuple[str, ...]  # "<postcode>|<house number>" for each address with a number
    street: str = ""  # the latest first address line, cleaned, house number dropped
    postcode_texts: tuple[str, ...] = ()  # postcodes that are not valid UK postcodes, as text
    # The record as given, for callers that read its fields as written (the register's surname keys). None
    # for a file's row (prepare_row): match-file needs only the id, and a million MatchRecords of an id
    # held 126 MB.
    record: MatchRecord | None = None


def _names_of(record: MatchRecord) -> tuple[NameForm, ...]:
    forms = []
    primary = parse_full_name(record.forenames, record.surname)
    if primary:
        forms.append(primary)
    for full in record.other_names:
        fore, sur = split_full_name(full)
        form = parse_full_name(fore, sur)
        if form and form not in forms:
            forms.append(form)
    return tuple(forms)


@lru_cache(maxsize=262_144)
def _house_number(line: str) -> str:
    match = _HOUSE.search((line or "").lower())
    return match.group(0) if match else ""


_NamesKey = tuple[str, str, tuple[str, ...]]  # forenames, surname, other names as written
_names_by_text: BoundedCache[_NamesKey, tuple[tuple[NameForm, ...], int]] = BoundedCache(MAX_NAME_IDS)


def _names_and_id(record: MatchRecord) -> tuple[tuple[NameForm, ...], int]:
    key = (record.forenames, record.surname, record.other_names)
    hit = _names_by_text.get(key)
    if hit is None:
        names = _names_of(record)
        hit = _names_by_text.put(key, (names, _name_ids.get_or_compute(names, next, _next_name_id)))
    return hit


@lru_cache(maxsize=131_072)
def _dob_fields(value: str) -> tuple[str, bool, str]:
    """(dob, is_iso, digits) with the strings interned: birth dates repeat across a register."""
    dob, iso = normalise_dob(value)
    return _intern(dob), iso, _intern("".join(ch for ch in dob if ch.isdigit()))


@lru_cache(maxsize=262_144)
def _postcode(raw: str) -> str:
    """The normalised postcode, interned, or "" when it is not a valid postcode."""
    pc = normalise_postcode(raw)
    return _intern(pc) if pc and is_valid_postcode(pc) else ""


@lru_cache(maxsize=262_144)
def _street(line: str) -> str:
    """A first address line without its house number, cleaned and interned ("12a High St" -> "high st")."""
    text = line.lower().translate(_ASCII_PUNCT) if line.isascii() else clean_text(line)
    return _intern(" ".join(w for w in text.split() if not w[:1].isdigit()))


_ASCII_PUNCT = str.maketrans({ch: " " for ch in '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~'} | {"'": None})


def _ni_fields(raw: str) -> tuple[str, str, bool]:
    """(ni, ni_core, ni_valid) of a PreparedRecord from the number as written."""
    ni = normalise_ni(raw)
    if len(set(ni)) < 3:
        ni = ""  # a placeholder ("000000", "NA", "X"): agreeing on it says nothing
    return ni, ni[:8] if len(ni) >= 8 else ni, valid_normalised_ni(ni)


def prepare(record: MatchRecord | PreparedRecord) -> PreparedRecord:
    """A record's fields normalised for comparison (cached: records are immutable); a record already
    prepared is returned as it is."""
    return record if isinstance(record, PreparedRecord) else _cached_prepare(record)


def prepare_uncached(record: MatchRecord) -> PreparedRecord:
    """Normalise a record's fields for comparison, without the cache (a batch prepares each record once)."""
    names, names_id = _names_and_id(record)
    dob, dob_iso, dob_digits = _dob_fields(record.date_of_birth)
    ni, ni_core, ni_valid = _ni_fields(record.national_insurance)
    dl = normalise_dvla_number(record.driving_licence_number)
    postcodes = []
    houses = []
    texts = []
    for i, raw in enumerate(record.postcodes):
        pc = _postcode(raw)
        if not pc:
            text = "".join(clean_text(raw).split())
            if text:
                texts.append(_intern(text))  # compared as text only: no sector or district
                house = _house_number(record.address_lines[i]) if i < len(record.address_lines) else ""
                if house:
                    houses.append(f"{text}|{house}")
            continue
        postcodes.append(pc)
        if i < len(record.address_lines):
            house = _house_number(record.address_lines[i])
            if house:
                houses.append(f"{pc}|{house}")
    return PreparedRecord(
        record_id=record.record_id,
        names=names,
        names_id=names_id,
        dob=dob,
        dob_iso=dob_iso,
        dob_digits=dob_digits,
        sex=normalise_sex(record.sex),
        ni=ni,
        ni_core=ni_core,
        ni_valid=ni_valid,
        dl=dl,
        dl_parsed=parse_normalised_dvla_number(dl, strict=False) if dl else None,
        postcodes=tuple(dict.fromkeys(postcodes)) if len(postcodes) > 1 else tuple(postcodes),
        houses=tuple(houses),
        street=_street(record.address_lines[0]) if record.address_lines else "",
        postcode_texts=tuple(texts),
        record=record,
    )


_cached_prepare = lru_cache(maxsize=65_536)(prepare_uncached)

_sexes: BoundedCache[str, str] = BoundedCache(MAX_NAME_IDS)
# A person's NI number and address repeat across their records (636,476 distinct numbers and 719,328 addresses
# in the 1,000,000-record benchmark): their records share one set of strings, not a copy each.
_national_insurance: BoundedCache[str, tuple[str, str, bool]] = BoundedCache(MAX_NAME_IDS)
_house_keys: BoundedCache[str, tuple[str]] = BoundedCache(MAX_NAME_IDS)
# A person's licence number repeats across their records in a file (a third of the numbers in the 1,000,000-
# record benchmark): each distinct number is normalised and parsed once, and its records share the parsed
# number (about 5 microseconds and 170 bytes a repeat). Bounded like the name table.
_licences: BoundedCache[str, DvlaNumber | str] = BoundedCache(MAX_NAME_IDS)


def _licence(raw: str) -> tuple[str, DvlaNumber | None]:
    """(normalised licence number, parsed or None) as prepare_uncached has them, worked out once per text."""
    hit = _licences.get(raw)
    if hit is None:
        dl = normalise_dvla_number(raw)
        hit = _licences.put(raw, (parse_normalised_dvla_number(dl, strict=False) if dl else None) or dl)
    return (hit, None) if type(hit) is str else (hit.number, hit)  # type: ignore[union-attr]


@lru_cache(maxsize=262_144)
def _one_postcode(raw: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """(postcodes, postcode texts, the prefix of a house key) for one raw postcode, as prepare_uncached has
    them."""
    pc = _postcode(raw)
    if pc:
        return (pc,), (), pc
    text = "".join(clean_text(raw).split())
    return (), ((_intern(text),) if text else ()), text


def prepare_row(
    record_id: str,
    forenames: str,
    surname: str,
    dob: str,
    sex: str,
    postcode: str,
    line: str,
    ni: str,
    dl: str,
) -> PreparedRecord:
    """``prepare_uncached`` of a record with one name and at most one address (a row of a file), without
    a MatchRecord, in between or kept (``record`` is None); fields already stripped. Otherwise the same
    result, field for field; a batch makes a
    million of these, so values that repeat (names, dates, postcodes, streets) are worked out once each."""
    hit = _names_by_text.get((forenames, surname, ()))
    if hit is None:
        hit = _names_and_id(MatchRecord("", forenames=forenames, surname=surname))
    names, names_id = hit
    dob, dob_iso, dob_digits = _dob_fields(dob)
    ni_fields = _national_insurance.get(ni)
    if ni_fields is None:
        ni_fields = _national_insurance.put(ni, _ni_fields(ni))
    dl, dl_parsed = _licence(dl) if dl else ("", None)
    sex_n = _sexes.get(sex)
    if sex_n is None:
        sex_n = _sexes.put(sex, normalise_sex(sex))
    if postcode:
        postcodes, texts, prefix = _one_postcode(postcode)
        house = _house_number(line) if prefix else ""
        houses = ()
        if house:
            key = f"{prefix}|{house}"
            houses = _house_keys.get(key) or _house_keys.put(key, (key,))
        street = _street(line)
    else:
        postcodes, texts, houses, street = (), (), (), ""
    return PreparedRecord(
        record_id,
        names,
        names_id,
        dob,
        dob_iso,
        dob_digits,
        sex_n,
        *ni_fields,
        dl,
        dl_parsed,
        postcodes,
        houses,
        street,
        texts,
    )


def release_row_caches() -> None:
    """Empty the tables prepare_row fills (names, licences, dates, postcodes, streets). A batch calls this
    once its file is read: the later phases never read them (at 200,000 records they held 31 MB), and forked
    workers would share them. Name ids come from a counter and are never reused, so a record prepared later
    still gets a new id for a new name tuple and the same comparisons."""
    _names_by_text.clear()
    _name_ids.clear()
    _licences.clear()
    _sexes.clear()
    _national_insurance.clear()
    _house_keys.clear()
    for cached in (_dob_fields, _postcode, _street, _one_postcode):
        cached.cache_clear()
