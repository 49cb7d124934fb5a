"""Blocking keys: which records are worth comparing at all.

The app stores ``blocking_keys(record)`` in an indexed table; candidates for a record are the
records sharing any key. Every key is at most 64 characters and starts with its kind:

``dl:<first 13 characters of the licence number>``
    Same person-derived part of a DVLA number; also brings together the 14th-character
    conflicts that prove two people are different.
``ni:<NI prefix and digits>``
    The suffix letter is left out (it is not part of the unique identifier).
``id:<text>``
    An identity number that is not a valid NI number (another scheme's, or mistyped), as text.
``dob:<yyyy>-<lo>-<hi>:<name code>:<initial>``
    Date of birth with day and month sorted (so a transposed date shares the key), the phonetic
    code of one name token and the initial of another (any order, so swapped names and initials
    still meet). Never DOB alone or one name alone: "Khan" born on 1 January would pull in
    hundreds nationally; "Khan" + an M initial + that date is the set worth comparing.
``dobt:<text>:<name code>:<initial>``
    The same for a date of birth that is not a valid date, kept as text.
``nm:<code>:<code>:<yyyy>``
    Two name tokens (any order, any of current/previous names) with the birth year; ``-`` when
    no year is known. Finds DOB typos.
``pc:<postcode>:<name code>``
    A postcode from the address history with one name token.

Name codes are NYSIIS codes computed *after* transliteration canonicalisation, so Mohd, Md and
Muhammad share a code, but Mahmood does not.
"""

from __future__ import annotations

import re
import sys
from itertools import combinations

from .identifiers import is_valid_postcode
from .normalise import phonetic
from .records import MatchRecord, PreparedRecord, prepare

__all__ = ["BatchKeys", "batch_keys", "blocking_keys", "query_keys", "link_keys", "name_codes"]

MAX_KEY_LENGTH = 64
_MAX_CODES = 6
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)")  # the first 19xx/20xx in text that is not a valid date
_NI_SHAPE = re.compile(r"^[A-Z]{2}\d{6}$")


def _form_tokens(p: PreparedRecord) -> list[list[tuple[str, str, bool]]]:
    """Per name form: (phonetic code, initial, is_initial) for up to four tokens, honorifics left out.

    Tokens are kept by position, not de-duplicated by code: John Jones (both "jan") and Ali Ali must still
    give a name pair, or such a person could be found neither by name nor by date of birth."""
    forms = []
    for form in p.names:
        tokens: list[tuple[str, str, bool]] = []
        # Honorific names are left out only while two other tokens remain: "Mohammed Mirza" must
        # still give a name pair, or two records of him could never meet on their birth date.
        keep_soft = len({t.canon for t in form.given + form.family if not t.soft}) < 2
        for token in form.given + form.family:
            if token.soft and not keep_soft:
                continue
            code = "" if token.is_initial else phonetic(token.canon)
            tokens.append((code, token.canon[:1], token.is_initial))
        forms.append(tokens[:4])
    return forms


def name_codes(p: PreparedRecord) -> list[str]:
    """Phonetic codes of the record's name tokens (all names, no initials or honorifics), first seen first."""
    codes: dict[str, None] = {}
    for tokens in _form_tokens(p):
        for code, _, is_initial in tokens:
            if not is_initial:
                codes[code] = None
    return list(codes)[:_MAX_CODES]


def _code_initial_pairs(p: PreparedRecord) -> set[str]:
    """ "<code>:<initial>" for each ordered pair of different tokens in one name form."""
    pairs: set[str] = set()
    for tokens in _form_tokens(p):
        for i, (code, _, is_initial) in enumerate(tokens):
            if is_initial:
                continue
            for j, (_, initial, _) in enumerate(tokens):
                if i != j:
                    pairs.add(f"{code}:{initial}")
    return pairs


def _form_code_pairs(p: PreparedRecord) -> set[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for tokens in _form_tokens(p):
        codes = [code for code, _, is_initial in tokens if not is_initial]
        for x, y in combinations(codes, 2):
            pairs.add((x, y) if x < y else (y, x))
    return pairs


def _dob_part(p: PreparedRecord) -> str:
    if p.dob_iso:
        y, m, d = p.dob[0:4], p.dob[5:7], p.dob[8:10]
        lo, hi = (m, d) if m <= d else (d, m)
        return f"dob:{y}-{lo}-{hi}"
    if p.dob:
        text = re.sub(r"[^0-9a-z]", "", p.dob.lower())[:16]
        return f"dobt:{text}" if text else ""
    return ""


def _year(p: PreparedRecord) -> str:
    if p.dob_iso:
        return p.dob[:4]
    match = _YEAR.search(p.dob)
    if match and 1900 <= int(match.group(1)) <= 2100:
        return match.group(1)
    return ""


def _identifier_keys(p: PreparedRecord) -> list[str]:
    keys = []
    if len(p.dl) >= 13:
        keys.append("dl:" + p.dl[:13])
    if _NI_SHAPE.match(p.ni_core):
        keys.append("ni:" + p.ni_core)
    elif len(p.ni_core) >= 6:
        keys.append("id:" + p.ni_core)  # an identity number that is not an NI number, compared as text
    return keys


def link_keys(p: PreparedRecord) -> list[str]:
    """The keys that can bring together a pair able to link automatically (identifier or exact DOB).

    Batch matching only outputs automatic links, and a link needs an agreeing identifier or an
    exact DOB, so these are enough there; the register also stores the looser keys.
    """
    keys = _identifier_keys(p)
    dob = _dob_part(p)
    if dob:
        keys.extend(f"{dob}:{pair}" for pair in _code_initial_pairs(p))
    return keys


def blocking_keys(record: MatchRecord | PreparedRecord) -> set[str]:
    """All keys to store for a record (works for partial records too: whatever fields exist)."""
    p = prepare(record)
    keys = set(link_keys(p))
    year = _year(p) or "-"
    for x, y in _form_code_pairs(p):
        keys.add(f"nm:{x}:{y}:{year}")
    codes = name_codes(p)
    for pc in p.postcodes:
        if is_valid_postcode(pc):
            squashed = pc.replace(" ", "")
            keys.update(f"pc:{squashed}:{code}" for code in codes)
    return {k[:MAX_KEY_LENGTH] for k in keys}


def batch_keys(p: PreparedRecord, *, thorough: bool = False) -> list[str]:
    """Keys for matching a file: the link keys, the household (postcode and house number), and the date of
    birth with both initials, with the forenames, and with each name. ``thorough`` adds two names with part of
    the date, so a pair with a slip in the date of birth and no identifier or shared house still meets (about
    twice the pairs; ``match_file`` drops an oversized loose block, and common names' dbn:/dbi: keys)."""
    keys = link_keys(p)
    keys.extend(f"ad:{house}"[:MAX_KEY_LENGTH] for house in p.houses)  # one household: a small block
    dob = _dob_part(p)
    if dob:
        # Both initials with the date: a pair whose every name token has a typo still meets.
        for form in p.names:
            if form.given and form.family:
                keys.append(f"dbi:{dob}:{form.given[0].canon[:1]}{form.family[0].canon[:1]}"[:MAX_KEY_LENGTH])
        # The forenames with the date: a new surname (after marriage) still meets, whatever the surname.
        for form in p.names:
            given = sorted({phonetic(t.canon) for t in form.given if not t.is_initial and not t.soft})
            if given:
                keys.append(f"dbf:{dob}:{'.'.join(given)}"[:MAX_KEY_LENGTH])
        # One name with the date: a pair with the other name replaced (a new surname, a different forename).
        # match_file keeps these only for names that are not common in the file (see batch.MAX_DBN_SHARE).
        keys.extend(f"dbn:{dob}:{code}"[:MAX_KEY_LENGTH] for code in name_codes(p)[:3])
    core = p.ni_core
    if len(core) >= 6:
        # The identifier with one character left out, each place in turn: one wrong or two swapped characters
        # still meet (a deletion neighbourhood).
        keys.extend({f"idd:{core[:k]}{core[k + 1 :]}" for k in range(len(core))})
    if not thorough:
        return keys
    pairs = _form_code_pairs(p)
    if p.dob_iso:
        # Two names with the year and month, or with the year and day: a one-digit slip in the other part
        # still
        # meets, and a common name's block stays small at a million records (a whole birth year would not).
        y, m, d = p.dob[0:4], p.dob[5:7], p.dob[8:10]
        keys.extend(f"nm:{a}:{b}:{y}-{m}"[:MAX_KEY_LENGTH] for a, b in pairs)
        keys.extend(f"nm:{a}:{b}:{y}--{d}"[:MAX_KEY_LENGTH] for a, b in pairs)
    else:
        year = _year(p) or "-"
        keys.extend(f"nm:{a}:{b}:{year}"[:MAX_KEY_LENGTH] for a, b in pairs)
    return keys


class BatchKeys:
    """``batch_keys`` (not thorough) for a whole file: the name-derived parts are worked out once per distinct
    name (``PreparedRecord.names_id``), since a file repeats its names many times; the keys are the same."""

    def __init__(self) -> None:
        self._by_names: dict[int, tuple[tuple[str, ...], ...]] = {}
        self._dobs: dict[tuple[str, bool], str] = {}

    def _name_parts(self, p: PreparedRecord) -> tuple[tuple[str, ...], ...]:
        parts = self._by_names.get(p.names_id)
        if parts is None:
            initials = [
                f"{f.given[0].canon[:1]}{f.family[0].canon[:1]}" for f in p.names if f.given and f.family
            ]
            forenames = []
            for form in p.names:
                given = sorted({phonetic(t.canon) for t in form.given if not t.is_initial and not t.soft})
                if given:
                    forenames.append(".".join(given))
            # Tuples of interned strings: "khn:m" is one object for every name that gives it.
            parts = tuple(
                tuple(map(sys.intern, part))
                for part in (_code_initial_pairs(p), initials, forenames, name_codes(p)[:3])
            )
            self._by_names[p.names_id] = parts
        return parts

    def grouped(
        self, p: PreparedRecord, date_pairs: bool = True, deletions: bool = True, dated: bool = True
    ) -> tuple[list[str], list[str], list[str]]:
        """The record's keys in three lists: exact keys (identifiers, the date with two names), looser keys
        (a household, the forenames with the date, a number with one character left out) and the date with
        one name or both initials ("dbn:", "dbi:"), which ``match_file`` keeps only for names not common in
        the file. ``date_pairs=False`` leaves out the date with two names (see ``date_pair_parts``),
        ``deletions=False`` the number with one character left out ("idd:", which match_file makes as
        integers), ``dated=False`` the date with initials, forenames or one name ("dbi:", "dbf:", "dbn:"; see
        ``dated_parts``)."""
        strict = _identifier_keys(p)
        loose = [f"ad:{house}"[:MAX_KEY_LENGTH] for house in p.houses]
        named = []
        dob = self.dob_part(p) if date_pairs or dated else ""
        if dob:
            pairs, initials, forenames, codes = self._name_parts(p)
            if not dated:
                initials = forenames = codes = ()
            if date_pairs:
                strict.extend(f"{dob}:{pair}" for pair in pairs)
            named.extend(f"dbi:{dob}:{i}"[:MAX_KEY_LENGTH] for i in initials)
            loose.extend(f"dbf:{dob}:{g}"[:MAX_KEY_LENGTH] for g in forenames)
            named.extend(f"dbn:{dob}:{code}"[:MAX_KEY_LENGTH] for code in codes)
        core = p.ni_core
        if deletions and len(core) >= 6:
            loose.extend({f"idd:{core[:k]}{core[k + 1 :]}" for k in range(len(core))})
        return strict, loose, named

    def dob_part(self, p: PreparedRecord) -> str:
        """The date part of the record's keys ("dob:1980-01-02", "dobt:<text>"), "" without a date."""
        dob = self._dobs.get((p.dob, p.dob_iso))
        if dob is None:
            dob = self._dobs[(p.dob, p.dob_iso)] = _dob_part(p)
        return dob

    def date_pair_parts(self, p: PreparedRecord) -> tuple[str, ...]:
        """The name parts ("<code>:<initial>") of the record's strict date keys: each key is
        ``f"{dob_part}:{part}"`` when the record has a date."""
        return self._name_parts(p)[0]

    def dated_parts(self, p: PreparedRecord) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """The name parts of the record's "dbi:", "dbf:" and "dbn:" keys: each key is
        ``f"{prefix}{dob_part}:{part}"[:MAX_KEY_LENGTH]`` when the record has a date."""
        return self._name_parts(p)[1:]

    def __call__(self, p: PreparedRecord) -> list[str]:
        """The record's keys, as ``batch_keys(p)`` gives them (order aside)."""
        strict, loose, named = self.grouped(p)
        return strict + loose + named


def query_keys(record: MatchRecord | PreparedRecord) -> set[str]:
    """Keys for a search. A key ending in ':' is a prefix: match stored keys that start with it.

    A full record gives its blocking keys. A partial one also gets prefixes: a name without a
    birth year matches any year ("nm:<a>:<b>:"), a DOB without a name any name ("dob:...:"), a
    postcode without a name anyone there ("pc:<postcode>:").
    """
    p = prepare(record)
    keys = blocking_keys(p)
    codes = name_codes(p)
    if not _year(p):
        keys = {k for k in keys if not k.startswith("nm:")}
        keys.update(f"nm:{x}:{y}:" for x, y in _form_code_pairs(p))
    else:
        # A stored record with no date of birth is scored as missing, never excluded by the query's.
        keys.update(f"nm:{x}:{y}:-" for x, y in _form_code_pairs(p))
    dob = _dob_part(p)
    if p.dob_iso:
        # Forenames and date of birth with a surname of any initial: finds a changed surname (after marriage).
        # Exact keys, one per initial, not a prefix: an index IN-list stays fast where OR-ed ranges do not.
        for form in p.names:
            for t in form.given:
                if not t.is_initial and not t.soft:
                    code = phonetic(t.canon)
                    keys.update(f"{dob}:{code}:{initial}" for initial in "abcdefghijklmnopqrstuvwxyz")
    if dob and len(codes) == 1 and not _code_initial_pairs(p):
        keys.add(f"{dob}:{codes[0]}:")  # a one-word name: any partner token
    if not codes:
        if dob:
            keys.add(dob + ":")
        for pc in p.postcodes:
            if is_valid_postcode(pc):
                keys.add(f"pc:{pc.replace(' ', '')}:")
    return {k[:MAX_KEY_LENGTH] for k in keys}
