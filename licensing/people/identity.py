"""Linking person records into identities: the engine proposes, a person decides.

Blocking keys and name counts live in indexed tables written with each record, so candidate lookup is an
indexed query on SQLite and PostgreSQL alike and no process holds state that can go stale."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import and_, bindparam, delete, func, insert, or_, select, text, update
from sqlalchemy.orm import selectinload

from licensing.audit import record as audit
from licensing.auth.models import User
from licensing.authorities.models import Authority, AuthorityKind
from licensing.db import db, utcnow
from licensing.errors import NotPermitted, RuleViolation
from licensing.matching import (
    CountedFrequencies,
    MatchRecord,
    MatchResult,
    MatchSettings,
    PreparedRecord,
    Scorer,
    blocking_keys,
    prepare,
    score_pair,
)
from licensing.matching.compare import one_edit_spellings
from licensing.matching.normalise import parse_name, phonetic
from licensing.matching.score import counts_show_slip
from licensing.people.models import (
    AccessGrant,
    Address,
    BlockingKey,
    Identity,
    JobCursor,
    LinkState,
    PersonName,
    PersonRecord,
    RecordLink,
    TermCount,
    UnlinkRequest,
)
from licensing.people.signals import adverse_unlinked, identities_joined

MAX_CANDIDATES = 400
# A loose key (two names with the birth year, a postcode with a name) held by more records than
# MATCH_MAX_KEY_HOLDERS is too common to be evidence, as in match-file's blocking (matching.batch
# MAX_LOOSE_BLOCK): it fetches no candidates. Identifier keys and the date of birth with a name always do.
LIMITED_KEY_PREFIXES = ("nm:", "pc:")
DECIDED_BY_PERSON = (LinkState.CONFIRMED, LinkState.REJECTED, LinkState.UNLINKED)


def match_settings() -> MatchSettings:
    cfg = current_app.config
    return MatchSettings(
        auto_link_threshold=cfg["MATCH_AUTO_LINK_THRESHOLD"], review_threshold=cfg["MATCH_REVIEW_THRESHOLD"]
    )


def to_match_record(record: PersonRecord) -> MatchRecord:
    """The engine's view of a person record: names, DOB, sex, address history and identifiers."""
    return MatchRecord(
        record_id=str(record.id),
        source=record.authority.code if record.authority else "",
        forenames=record.forenames,
        surname=record.surname,
        other_names=tuple(n.full_name for n in record.other_names),
        date_of_birth=record.date_of_birth.isoformat() if record.date_of_birth else "",
        sex=record.sex,
        postcodes=tuple(a.postcode for a in record.addresses),
        address_lines=tuple(a.line1 for a in record.addresses),
        national_insurance=record.national_insurance,
        driving_licence_number=record.driving_licence_number,
    )


# Built once: every search reads its candidates' other names (building the statement cost more than its run).
_RECORDS_ADDRESSES = (
    select(Address.person_record_id, Address.postcode, Address.line1)
    .where(Address.person_record_id.in_(bindparam("ids", expanding=True)))
    .order_by(Address.from_on.desc().nulls_last(), Address.id.desc())
)
_RECORDS_OTHER_NAMES = (
    select(PersonName.person_record_id, PersonName.forenames, PersonName.surname)
    .where(PersonName.person_record_id.in_(bindparam("ids", expanding=True)))
    .order_by(PersonName.id)
)


def _addresses_and_names(
    ids: list[int], with_addresses: bool = True
) -> tuple[dict[int, list[tuple[str, str]]], dict[int, list[str]]]:
    """Records' (postcode, line1) and other full names, in the relationships' order: two column queries."""
    addresses: dict[int, list[tuple[str, str]]] = {i: [] for i in ids}
    names: dict[int, list[str]] = {i: [] for i in ids}
    if ids and with_addresses:
        for record_id, postcode, line1 in db.session.execute(_RECORDS_ADDRESSES, {"ids": list(ids)}):
            addresses[record_id].append((postcode, line1))
    if ids:
        for record_id, forenames, surname in db.session.execute(_RECORDS_OTHER_NAMES, {"ids": list(ids)}):
            names[record_id].append(f"{forenames} {surname}".strip())  # PersonName.full_name
    return addresses, names


def _match_record(record_id: int, source: str, values, addresses, names) -> MatchRecord:
    forenames, surname, date_of_birth, sex, national_insurance, driving_licence_number = values
    return MatchRecord(
        record_id=str(record_id),
        source=source,
        forenames=forenames,
        surname=surname,
        other_names=tuple(names[record_id]),
        date_of_birth=date_of_birth.isoformat() if date_of_birth else "",
        sex=sex,
        postcodes=tuple(postcode for postcode, _ in addresses[record_id]),
        address_lines=tuple(line1 for _, line1 in addresses[record_id]),
        national_insurance=national_insurance,
        driving_licence_number=driving_licence_number,
    )


def to_match_records(records: Iterable[PersonRecord], with_addresses: bool = True) -> dict[int, MatchRecord]:
    """to_match_record for many records at once (search, linking and imports): their addresses and other names
    come from two column-only queries, in the relationships' order, instead of one ORM object per row.
    Without addresses (a search with no postcode typed, which no address can match) one query."""
    records = list(records)
    addresses, names = _addresses_and_names([r.id for r in records], with_addresses)
    return {
        r.id: _match_record(
            r.id,
            r.authority.code if r.authority else "",
            (r.forenames, r.surname, r.date_of_birth, r.sex, r.national_insurance, r.driving_licence_number),
            addresses,
            names,
        )
        for r in records
    }


def stored_match_records(ids: Iterable[int]) -> dict[int, MatchRecord]:
    """to_match_records for stored records by id, read as plain rows (no ORM object): three queries."""
    ids = sorted(set(ids))
    addresses, names = _addresses_and_names(ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(
            PersonRecord.id,
            Authority.code,
            PersonRecord.forenames,
            PersonRecord.surname,
            PersonRecord.date_of_birth,
            PersonRecord.sex,
            PersonRecord.national_insurance,
            PersonRecord.driving_licence_number,
        )
        .outerjoin(Authority, Authority.id == PersonRecord.authority_id)
        .where(PersonRecord.id.in_(ids))
    )
    return {row[0]: _match_record(row[0], row[1] or "", row[2:], addresses, names) for row in rows}


class DatabaseFrequencies:
    """NameFrequencies from the term_counts table, read lazily and memoised for one operation only.

    A value's frequency is how common it is among *other* records: the records being compared are left out
    of the counts (`own_records`: 2 when linking two stored records, 1 when a search query meets a stored
    record). Otherwise, in a small register, every value the pair shares would look common.

    `slip_counts` also answers ``forename_count`` and ``surname_count``, so the scorer can tell a name one
    letter off that no other record writes (Paum for Paul, Sah for Shah) from a second name. Linking uses the
    forename counts as match-file uses its file's: a forename slip they show is not a twin's name (the twins
    guards), and surnames stay apart there (search alone reads ``surname_count``)."""

    def __init__(self, *, own_records: int, pseudo_count: float = 200.0, slip_counts: bool = False) -> None:
        self._own = own_records
        if slip_counts:
            self.forename_count = self._forename_count
            self.surname_count = self._surname_count
        self._counted = CountedFrequencies(pseudo_count=pseudo_count)
        # The register's total is read with the first counts (preload's one statement), not on its own.
        self._loaded: set[tuple[str, str]] = set()
        self._stored: dict[tuple[str, str], int] = {}  # the counts as read

    def preload(
        self, *match_records: MatchRecord, lookups: Iterable[tuple[str, str]] = (),
        also: Iterable[tuple[str, str]] = (),
    ) -> DatabaseFrequencies:
        """Read every count these records' values need, and the total, in one query (the values two records
        agree on are always values of either record), with any other `lookups` a comparison will ask for
        (see matching.name_count_lookups): each read lazily would be a statement of its own. `also`: counts
        read in the same query for another use (see `stored`), kept only where a row holds them (a search's
        slip spellings are hundreds, and few are anyone's)."""
        terms = [("total", ""), *(term for record in match_records for term in frequency_terms(record))]
        # A term longer than the stored column is left to the lazy path, which asks for it as given.
        terms += sorted(term for term in lookups if len(term[1]) <= 64)
        wanted = [term for term in dict.fromkeys(terms) if term not in self._loaded]
        asked = set(wanted)
        extra = [term for term in dict.fromkeys(also)
                 if len(term[1]) <= 64 and term not in asked and term not in self._loaded]
        if wanted or extra:
            found = term_counts(wanted + extra)
            for kind, term in wanted:
                self._store(kind, term, found.get((kind, term), 0))
            for kind, term in extra:
                if (kind, term) in found:
                    self._store(kind, term, found[kind, term])
        return self

    @property
    def stored(self) -> Mapping[tuple[str, str], int]:
        """The counts as read (the records being compared not left out); one held by none is 0 or absent."""
        return self._stored

    def _store(self, kind: str, term: str, count: int) -> None:
        """A stored count less the records being compared (see the class)."""
        self._stored[(kind, term)] = count
        if kind == "total":
            self._counted.total = max(count - self._own, 0)
        else:
            counters = {"surname": self._counted.surnames, "forename": self._counted.forenames,
                        "dob": self._counted.dobs}
            counters[kind][term] = max(count - self._own, 0)
        self._loaded.add((kind, term))

    def _count(self, kind: str, term: str) -> None:
        if ("total", "") not in self._loaded:
            self.preload()
        if (kind, term) not in self._loaded:
            count = db.session.scalar(
                select(TermCount.count).where(TermCount.kind == kind, TermCount.term == term)
            )
            self._store(kind, term, count or 0)

    def surname_frequency(self, surname_key: str) -> float:
        self._count("surname", surname_key)
        return self._counted.surname_frequency(surname_key)

    def forename_frequency(self, token: str) -> float:
        self._count("forename", token)
        return self._counted.forename_frequency(token)

    def dob_frequency(self, iso_dob: str) -> float:
        self._count("dob", iso_dob)
        return self._counted.dob_frequency(iso_dob)

    def _surname_count(self, surname_key: str) -> int:
        """How many stored records carry this canonical surname (see `slip_counts`)."""
        return self.stored_count("surname", surname_key)

    def _forename_count(self, token: str) -> int:
        """How many stored records carry this canonical forename token (see `slip_counts`)."""
        return self.stored_count("forename", token)

    def stored_count(self, kind: str, term: str) -> int:
        """How many stored records carry this term, as read (preload it with the rest: read on its own, it is
        a statement of its own)."""
        self._count(kind, term)
        return self._stored[(kind, term)]


# (kind, term) pairs' counts, many in one statement with one parameter a column: arrays (PostgreSQL) or a JSON
# array of pairs (SQLite's json_each). Each pair is one search of term_counts' primary key; CROSS JOIN keeps
# SQLite's array as the outer loop, and PostgreSQL plans the join with the arrays' real length. On PostgreSQL
# each column goes as one text split by the server: psycopg dumps a list element by element in Python, and a
# surname alone asks for the counts of its few hundred spellings a typo away.
_PG_TERM_COUNTS = text(
    "SELECT t.kind, t.term, t.count"
    " FROM unnest(string_to_array(:kinds, :separator), string_to_array(:terms, :separator)) AS k(kind, term)"
    " JOIN term_counts AS t ON t.kind = k.kind AND t.term = k.term"
)
_PG_TERM_COUNTS_ARRAYS = text(
    "SELECT t.kind, t.term, t.count"
    " FROM unnest(CAST(:kinds AS text[]), CAST(:terms AS text[])) AS k(kind, term)"
    " JOIN term_counts AS t ON t.kind = k.kind AND t.term = k.term"
)
TERM_SEPARATOR = "\x1f"  # ASCII unit separator: no name or date holds it (a term that does goes as an array)
_SQLITE_TERM_COUNTS = text(
    "SELECT t.kind, t.term, t.count FROM json_each(:pairs) AS k"
    " CROSS JOIN term_counts AS t"
    " ON t.kind = json_extract(k.value, '$[0]') AND t.term = json_extract(k.value, '$[1]')"
)


def term_counts(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The stored counts of these (kind, term) pairs, one statement per 5,000 pairs, for a search, a form's
    record and an import's batch alike; a pair nobody holds is left out."""
    wanted = sorted(set(pairs))
    postgres = db.session.get_bind().dialect.name == "postgresql"
    found: dict[tuple[str, str], int] = {}
    for start in range(0, len(wanted), 5000):
        chunk = wanted[start : start + 5000]
        if postgres:
            kinds, terms = [kind for kind, _ in chunk], [term for _, term in chunk]
            # One pair goes as arrays too: its term may be empty (the total's), and '' splits into no element.
            # A term holding the separator shows as one separator too many in the joined text.
            joined = TERM_SEPARATOR.join(terms)
            if len(terms) < 2 or joined.count(TERM_SEPARATOR) != len(terms) - 1:
                rows = db.session.execute(_PG_TERM_COUNTS_ARRAYS, {"kinds": kinds, "terms": terms})
            else:
                rows = db.session.execute(_PG_TERM_COUNTS, {
                    "kinds": TERM_SEPARATOR.join(kinds), "terms": joined, "separator": TERM_SEPARATOR})
        else:
            rows = db.session.execute(_SQLITE_TERM_COUNTS, {"pairs": json.dumps(chunk)})
        found.update(((kind, term), count) for kind, term, count in rows)
    return found


def frequency_terms(match_record: MatchRecord | PreparedRecord) -> list[tuple[str, str]]:
    """The (kind, term) pairs one record adds to the name and birth-date counts."""
    counted = CountedFrequencies()
    counted.add_prepared(prepare(match_record))
    terms = [("total", "")]
    terms += [("surname", t[:64]) for t in counted.surnames]
    terms += [("forename", t[:64]) for t in counted.forenames]
    terms += [("dob", t) for t in counted.dobs]
    return terms


def _bump_term_counts(terms: Iterable[tuple[str, str]], delta: int) -> None:
    """One record's terms gained (+1) or lost (-1)."""
    deltas: dict[tuple[str, str], int] = {}
    for term in terms:
        deltas[term] = deltas.get(term, 0) + delta
    add_to_term_counts(deltas)


# Several processes write the counts at once, so each change is an atomic increment in the database.
_PG_GAIN_TERMS = text(
    "INSERT INTO term_counts (kind, term, count) SELECT * FROM unnest(CAST(:kinds AS varchar[]),"
    " CAST(:terms AS varchar[]), CAST(:counts AS integer[]))"
    " ON CONFLICT (kind, term) DO UPDATE SET count = term_counts.count + excluded.count"
)
_PG_LOSE_TERMS = text(
    "UPDATE term_counts SET count = term_counts.count + d.count FROM unnest(CAST(:kinds AS varchar[]),"
    " CAST(:terms AS varchar[]), CAST(:counts AS integer[])) AS d(kind, term, count)"
    " WHERE term_counts.kind = d.kind AND term_counts.term = d.term"
)
_SQLITE_GAIN_TERMS = (
    "INSERT INTO term_counts (kind, term, count) VALUES (?, ?, ?)"
    " ON CONFLICT (kind, term) DO UPDATE SET count = count + excluded.count"
)
_SQLITE_LOSE_TERMS = "UPDATE term_counts SET count = count + ? WHERE kind = ? AND term = ?"


def add_to_term_counts(deltas: dict[tuple[str, str], int]) -> None:
    """Add each (kind, term)'s delta to its count, for a form's record and an import's batch alike: one
    statement for the terms gained and one for those lost (on PostgreSQL three arrays per 5,000 terms, on
    SQLite one executemany), where each term was a statement of its own. A term gained is inserted when new;
    a term lost is only decremented (a term no row holds counts 0 already)."""
    postgres = db.session.get_bind().dialect.name == "postgresql"
    gained = sorted((kind, term, n) for (kind, term), n in deltas.items() if n > 0)
    lost = sorted((kind, term, n) for (kind, term), n in deltas.items() if n < 0)
    for rows, pg_statement, sqlite_statement in ((gained, _PG_GAIN_TERMS, _SQLITE_GAIN_TERMS),
                                                 (lost, _PG_LOSE_TERMS, _SQLITE_LOSE_TERMS)):
        for start in range(0, len(rows), 5000):
            chunk = rows[start : start + 5000]
            if postgres:
                kinds, terms, counts = (list(column) for column in zip(*chunk, strict=True))
                db.session.execute(pg_statement, {"kinds": kinds, "terms": terms, "counts": counts})
            elif sqlite_statement is _SQLITE_LOSE_TERMS:
                db.session.connection().exec_driver_sql(sqlite_statement, [(n, k, t) for k, t, n in chunk])
            else:
                db.session.connection().exec_driver_sql(sqlite_statement, chunk)


def surname_keys(match_record: MatchRecord | PreparedRecord) -> set[str]:
    """ "sn:<phonetic surname>" keys, so an officer can search on a surname alone (the engine's keys always
    pair two name parts). Stored only: a surname alone never proposes a link."""
    keys = set()
    prepared = prepare(match_record)
    for form in prepared.names:
        keys.update(f"sn:{phonetic(t.canon)}" for t in form.family if not t.is_initial)
    # Clan and title names (Syed, Chaudhry, Sheikh, Mirza) are surnames for many: keep them searchable even
    # where the comparison treats them as optional.
    keys.update(f"sn:{phonetic(t.canon)}" for t in parse_name(prepared.record.surname) if not t.is_initial)
    return {k[:64] for k in keys if len(k) > 3}


def _one_deletion(token: str) -> set[str]:
    """The token and every form of it with one letter left out: two tokens one typo apart (a letter dropped,
    added, changed, or two swapped) always share one of these."""
    return {token} | {token[:i] + token[i + 1 :] for i in range(len(token))}


def typo_keys(match_record: MatchRecord | PreparedRecord) -> set[str]:
    """Search keys that survive a typo in a name, for searches without a date of birth.

    "fz:<token, or it less one letter>:<initial of another token of that name>" (any order, so swapped names
    meet) and "sf:<surname token, or it less one letter>" for a surname alone. Phonetic codes miss typos such
    as Wrcght, Sutlani or Jakvb; these do not. Stored only: they never propose a link."""
    keys: set[str] = set()
    for form in prepare(match_record).names:
        # The first forename and the surname tokens: middle names would add keys without adding recall.
        tokens = [*form.given[:1], *form.family]
        for i, token in enumerate(tokens):
            word = token.canon.replace("+", "")
            if token.is_initial or len(word) < 3:
                continue
            near = _one_deletion(word)
            initials = {other.canon[:1] for j, other in enumerate(tokens) if j != i and other.canon}
            keys.update(f"fz:{variant}:{initial}" for variant in near for initial in initials)
            if token in form.family:
                keys.update(f"sf:{variant}" for variant in near)
    return {k[:64] for k in keys}


@functools.lru_cache(maxsize=1)  # a search asks twice (its counts, then its slips): worked out once
def _slip_spellings(surname: str) -> tuple[str, tuple[str, ...]] | None:
    """The typed surname's counted spelling and every spelling one typo from it (see slipped_surname_keys);
    None for a surname that is not one word of letters."""
    typed_record = MatchRecord("query", surname=surname)
    terms = [term for kind, term in frequency_terms(typed_record) if kind == "surname"]
    tokens = parse_name(surname)
    if len(terms) != 1 or len(tokens) != 1 or not terms[0].isalpha() or len(terms[0]) < 3:
        return None
    typed = terms[0]
    # From the spelling as typed too: Oamr is a slip of Omar, which is counted as its table spelling Umar.
    return typed, tuple(sorted(one_edit_spellings(typed) | one_edit_spellings(tokens[0].raw) | {typed}))


def slip_count_terms(surname: str) -> list[tuple[str, str]]:
    """The (kind, term) counts slipped_surname_keys reads, for a search to read with its other counts."""
    spellings = _slip_spellings(surname)
    return [("surname", spelling) for spelling in spellings[1]] if spellings else []


def slipped_surname_keys(surname: str, stored: Mapping[tuple[str, str], int] | None = None) -> set[str]:
    """Search keys of the surnames one typo from `surname` that so few records carry beside it that they are
    slips of it (Cooher 1 beside Cooper 253; not Sultani 135 beside Sultan 264): a surname alone then lists
    their holders too. The slip's own surname keys, not its "sf:" key: every holder of the typed name holds
    that too when the slip is a letter left out (Sltan). A key is kept only when the slips are all that hold
    it: Khar is coded as Kaur, a name in its own right. The spellings' counts are read here unless `stored`
    holds them (read with a search's other counts: see slip_count_terms)."""
    spellings = _slip_spellings(surname)
    if spellings is None:
        return set()
    typed, near = spellings
    typed_record = MatchRecord("query", surname=surname)
    found = term_counts(("surname", spelling) for spelling in near) if stored is None else stored
    # A spelling no record carries is no slip (a row left at 0 adds no holder either).
    counts = {spelling: n for spelling in near if (n := found.get(("surname", spelling), 0)) > 0}
    common = counts.get(typed, 0)
    typed_keys = surname_keys(typed_record)
    slips: dict[str, int] = {}  # key -> records carrying a slip with that key
    for spelling, count in counts.items():
        if spelling != typed and counts_show_slip(count, common):
            for key in surname_keys(MatchRecord("query", surname=spelling)) - typed_keys:
                slips[key] = slips.get(key, 0) + count
    if not slips:
        return set()
    holders = db.session.execute(
        select(BlockingKey.key, func.count()).where(BlockingKey.key.in_(slips)).group_by(BlockingKey.key)
    )
    return {key for key, count in holders if count <= slips[key]}


def search_only_keys(match_record: MatchRecord | PreparedRecord) -> set[str]:
    """The keys stored for a record that only search looks up: its surname and typo keys."""
    return surname_keys(match_record) | typo_keys(match_record)


def record_keys(match_record: MatchRecord | PreparedRecord) -> set[str]:
    """Every key stored for a record: the engine's blocking keys plus the search-only keys."""
    return blocking_keys(match_record) | search_only_keys(match_record)


def index_record(record: PersonRecord, *, previous: MatchRecord | None = None) -> MatchRecord:
    """Write the record's blocking keys and name counts; called whenever a record is created or changed.
    `previous` is the record as it was before a change; None for a new record, which has no keys or counts
    to take away yet (so nothing is deleted: a statement fewer on every record added)."""
    match_record = to_match_record(record)
    if previous is not None:
        _bump_term_counts(frequency_terms(previous), -1)
        db.session.execute(delete(BlockingKey).where(BlockingKey.person_record_id == record.id))
    # One executemany without RETURNING: as ORM objects, SQLite inserted the ~30 keys one statement each.
    keys = [{"person_record_id": record.id, "key": key} for key in sorted(record_keys(match_record))]
    if keys:
        db.session.execute(insert(BlockingKey), keys)
    _bump_term_counts(frequency_terms(match_record), +1)
    db.session.flush()
    return match_record


def key_holder_limit() -> int:
    """How many records may hold a loose key for it to fetch candidates (config MATCH_MAX_KEY_HOLDERS)."""
    return int(current_app.config["MATCH_MAX_KEY_HOLDERS"])


def limited_keys(keys: Iterable[str]) -> list[str]:
    """The keys whose commonness decides whether they fetch candidates, as stored (64 characters)."""
    return sorted({k[:64] for k in keys if k.startswith(LIMITED_KEY_PREFIXES)})


# A key's holders counted up to :n, for many keys in one statement with one parameter: the keys as an array
# (PostgreSQL) or a JSON array (SQLite's json_each), each key one index scan that stops after :n rows.
_PG_BOUNDED_COUNTS = text(
    "SELECT k.key, (SELECT count(*) FROM (SELECT 1 FROM blocking_keys AS b WHERE b.key = k.key LIMIT :n)"
    " AS c) FROM unnest(CAST(:keys AS text[])) AS k(key)"
)
_SQLITE_BOUNDED_COUNTS = text(
    "SELECT k.value, (SELECT count(*) FROM (SELECT 1 FROM blocking_keys AS b WHERE b.key = k.value LIMIT :n)"
    " AS c) FROM json_each(:keys) AS k"
)


def key_holder_counts(keys: Iterable[str], *, limit: int) -> dict[str, int]:
    """How many stored records hold each key, counted only up to limit + 1, so a common key costs no more
    than a rare one: one statement per 5,000 keys, for a form's record and an import's batch alike."""
    keys = sorted(set(keys))
    postgres = db.session.get_bind().dialect.name == "postgresql"
    counts: dict[str, int] = {}
    for start in range(0, len(keys), 5000):
        chunk = keys[start : start + 5000]
        if postgres:
            parameters = {"keys": chunk, "n": limit + 1}
            counts.update(db.session.execute(_PG_BOUNDED_COUNTS, parameters).all())
        else:
            parameters = {"keys": json.dumps(chunk), "n": limit + 1}
            counts.update(db.session.execute(_SQLITE_BOUNDED_COUNTS, parameters).all())
    return counts


def linking_keys(keys: Iterable[str]) -> set[str]:
    """The keys that fetch a record's link candidates: every key but a loose one that too many records hold.

    The one home of the rule for forms and imports (imports.linking applies it to a batch in order)."""
    keys = {k[:64] for k in keys}
    limit = key_holder_limit()
    common = {k for k, n in key_holder_counts(limited_keys(keys), limit=limit).items() if n > limit}
    return keys - common


def candidate_record_ids(
    keys: Iterable[str], *, exclude: int | None = None, limit: int = MAX_CANDIDATES
) -> list[int]:
    """Records sharing any blocking key, most shared keys first: one indexed query."""
    return [record_id for record_id, _ in candidate_record_counts(keys, exclude=exclude, limit=limit)]


def candidate_record_counts(
    keys: Iterable[str], *, exclude: int | None = None, limit: int = MAX_CANDIDATES
) -> list[tuple[int, int]]:
    """(record id, keys shared) for records sharing any blocking key, most shared keys first: one indexed
    query.

    A key ending in ':' is a prefix (a partial search, say a name with no date of birth); it becomes a range
    scan on the same index, which needs the column's binary ("C") collation on PostgreSQL."""
    keys = set(keys)
    exact = [k[:64] for k in keys if not k.endswith(":")]
    prefixes = [k for k in keys if k.endswith(":")]
    conditions = [BlockingKey.key.in_(exact)] if exact else []
    conditions += [
        and_(BlockingKey.key >= prefix, BlockingKey.key < prefix[:-1] + ";") for prefix in prefixes
    ]
    if not conditions:
        return []
    if len(keys) == 1:
        # One key: every record shares exactly one key, so there is nothing to rank and the index scan can
        # stop
        # after `limit` rows instead of counting a common name's whole block.
        query = select(BlockingKey.person_record_id).where(conditions[0]).limit(limit + 1)
        if exclude is not None:
            query = query.where(BlockingKey.person_record_id != exclude)
        return [(record_id, 1) for record_id in list(dict.fromkeys(db.session.scalars(query)))[:limit]]
    shared = func.count().label(
        "shared"
    )  # count(*): PostgreSQL can answer from the (key, record) index alone
    query = (
        select(BlockingKey.person_record_id, shared)
        .where(or_(*conditions))
        .group_by(BlockingKey.person_record_id)
        .order_by(shared.desc(), BlockingKey.person_record_id)
        .limit(limit)
    )
    if exclude is not None:
        query = query.where(BlockingKey.person_record_id != exclude)
    return [(row[0], row[1]) for row in db.session.execute(query)]


def _ordered(a_id: int, b_id: int) -> tuple[int, int]:
    return (a_id, b_id) if a_id < b_id else (b_id, a_id)


def _existing_links(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], RecordLink]:
    """The stored links between these pairs of records, keyed by (lower id, higher id): one query."""
    wanted = {_ordered(a, b) for a, b in pairs}
    if not wanted:
        return {}
    lows = {low for low, _ in wanted}
    highs = {high for _, high in wanted}
    found = db.session.scalars(
        select(RecordLink).where(RecordLink.record_a_id.in_(lows), RecordLink.record_b_id.in_(highs))
    )
    return {
        (link.record_a_id, link.record_b_id): link
        for link in found
        if (link.record_a_id, link.record_b_id) in wanted
    }


def _evidence(result: MatchResult) -> list[dict]:
    return [
        {"field": e.field, "label": e.label, "level": e.level, "weight": round(e.weight, 2), "text": e.text}
        for e in result.evidence
    ]


@dataclass
class LinkOutcome:
    linked: list[int] = field(default_factory=list)
    queued: list[int] = field(default_factory=list)


def link_new_record(
    record: PersonRecord, *, actor: User | None, previous: MatchRecord | None = None
) -> LinkOutcome:
    """Score the record against its candidates: strong pairs link automatically, doubtful pairs go to review.

    Pairs a person has confirmed, rejected or unlinked are never re-proposed or overridden. `previous` is
    the record before a change; None for a new record, which has no links yet, so none are looked up."""
    match_record = index_record(record, previous=previous)
    settings = match_settings()
    outcome = LinkOutcome()
    demoted: list[RecordLink] = []
    is_new = previous is None
    candidate_ids = set(candidate_record_ids(linking_keys(blocking_keys(match_record)), exclude=record.id))
    # Records it is already linked to automatically are re-scored even if a change means they share no key
    # now.
    for a_id, b_id in () if is_new else db.session.execute(
        select(RecordLink.record_a_id, RecordLink.record_b_id).where(
            or_(RecordLink.record_a_id == record.id, RecordLink.record_b_id == record.id),
            RecordLink.state == LinkState.AUTOMATIC,
        )
    ):
        candidate_ids.add(b_id if a_id == record.id else a_id)
    # Candidates, their engine records, name counts and existing links in a fixed number of queries, however
    # many.
    candidates = dict(sorted(stored_match_records(candidate_ids).items()))
    frequencies = DatabaseFrequencies(own_records=2, slip_counts=True)
    frequencies.preload(match_record, *candidates.values())
    record_id = record.id  # plain values from here: a join expires every loaded object
    links = {} if is_new else _existing_links([(record_id, other_id) for other_id in candidates])
    for other_id, other in candidates.items():
        existing = links.get(_ordered(record_id, other_id))
        if existing is not None and existing.state in DECIDED_BY_PERSON:
            continue
        result = score_pair(match_record, other, settings, frequencies)
        if existing is not None and existing.state is LinkState.AUTOMATIC and result.decision != "link":
            # A changed record no longer carries the evidence that linked it: a person decides now.
            existing.state, existing.score, existing.summary = (
                LinkState.PENDING,
                result.probability,
                result.summary(),
            )
            existing.evidence, existing.review_reason = (
                _evidence(result),
                "The record changed: the link is no longer certain",
            )
            demoted.append(existing)
            continue
        if result.decision == "no_link":
            if existing is not None and existing.state is LinkState.PENDING:
                db.session.delete(existing)
            continue
        state = LinkState.AUTOMATIC if result.decision == "link" else LinkState.PENDING
        link = existing or RecordLink(
            record_a_id=min(record_id, other_id), record_b_id=max(record_id, other_id)
        )
        link.score, link.evidence, link.summary = result.probability, _evidence(result), result.summary()
        link.state, link.set_by_id, link.set_at, link.review_reason = state, None, utcnow(), ""
        db.session.add(link)
        db.session.flush()
        if state is LinkState.AUTOMATIC:
            if _join_identities(link, actor=actor, automatic=True):
                outcome.linked.append(other_id)
                audit(
                    actor,
                    "link.automatic",
                    link,
                    details={
                        "records": [link.record_a_id, link.record_b_id],
                        "score": round(result.probability, 6),
                    },
                )
            else:
                outcome.queued.append(other_id)
        else:
            outcome.queued.append(other_id)
            audit(
                actor,
                "link.queued_for_review",
                link,
                details={
                    "records": [link.record_a_id, link.record_b_id],
                    "score": round(result.probability, 6),
                },
            )
    if demoted:
        db.session.flush()
        for link in demoted:
            audit(
                actor,
                "link.demoted_for_review",
                link,
                details={"records": [link.record_a_id, link.record_b_id]},
            )
        _rebuild_identity(record.identity, actor=actor)
    return outcome


def _contradiction(left: Identity, right: Identity) -> str:
    """Why joining two identities would put clearly different people together, or '' if it would not.

    Every pair across the two is checked, with the records, counts and links read in a fixed number of
    queries."""
    settings = match_settings()
    records = db.session.scalars(
        select(PersonRecord)
        .where(PersonRecord.identity_id.in_([left.id, right.id]))
        .order_by(PersonRecord.id)
        .options(selectinload(PersonRecord.authority))
    ).all()
    engine_records = to_match_records(records)
    frequencies = DatabaseFrequencies(own_records=2, slip_counts=True).preload(*engine_records.values())
    left_ids = [r.id for r in records if r.identity_id == left.id]
    right_ids = [r.id for r in records if r.identity_id == right.id]
    links = _existing_links([(a, b) for a in left_ids for b in right_ids])
    judged_apart = {pair for pair, link in links.items()
                    if link.state in (LinkState.REJECTED, LinkState.UNLINKED)}
    return first_contradiction(left_ids, right_ids, engine_records, judged_apart, settings, frequencies)


def first_contradiction(left: list[int], right: list[int], known: dict[int, MatchRecord | PreparedRecord],
                        judged_apart: set, settings: MatchSettings, frequencies,
                        scored: dict[tuple[int, int], tuple[str, ...]] | None = None) -> str:
    """The rule for joining two groups of records: no pair across them judged apart by an officer, and none
    that is evidence of two people (``Scorer.conflicts``, match_file's rule: ``keeps_apart``). Returns why
    not, or ''. Shared by single and batch linking; `scored` gives the conflicts of (lower id, higher id)
    pairs already scored with these counts' verdict."""
    prepared = {rid: prepare(known[rid]) for rid in (*left, *right)}
    conflicts = Scorer(settings, frequencies).conflicts  # one scorer for all cross pairs; words only if any
    scored = scored or {}
    for a in left:
        for b in right:
            if _ordered(a, b) in judged_apart:
                return f"records {a} and {b} were judged different people"
            pair = _ordered(a, b)
            found = scored[pair] if pair in scored else conflicts(prepared[a], prepared[b])
            if found:
                return f"records {a} and {b} conflict: {'; '.join(found)}"
    return ""


def _join_identities(link: RecordLink, *, actor: User | None, automatic: bool) -> bool:
    """Merge the two records' identities unless that would chain two contradicting records together.

    A chained cluster goes to review instead (the link becomes pending with the reason)."""
    left, right = link.record_a.identity, link.record_b.identity
    if left.id == right.id:
        return True
    reason = _contradiction(left, right)
    if reason:
        if not automatic:
            raise RuleViolation(f"Confirming this pair would join people who are clearly different: {reason}")
        link.state, link.review_reason = (
            LinkState.PENDING,
            f"Would join a cluster that contradicts itself: {reason}",
        )
        audit(actor, "link.chain_blocked", link, details={"reason": reason})
        return False
    keep, merged = (left, right) if left.id < right.id else (right, left)
    left_records, right_records = list(left.records), list(right.records)
    db.session.execute(
        update(PersonRecord)
        .where(PersonRecord.identity_id == merged.id)
        .values(identity_id=keep.id)
        .execution_options(synchronize_session="fetch")
    )
    merged.merged_into_id = keep.id
    db.session.execute(
        update(Identity).where(Identity.merged_into_id == merged.id).values(merged_into_id=keep.id)
    )
    db.session.flush()
    db.session.expire_all()
    audit(actor, "identity.merged", keep, details={"merged": merged.id, "link": link.id})
    identities_joined.send(keep, left=left_records, right=right_records, today=dt.date.today())
    return True


def decide_link(link: RecordLink, *, confirm: bool, actor: User) -> None:
    """A reviewer confirms or rejects a pair; a rejection is remembered and never proposed again.

    Only an officer of an authority holding one of the two records may decide, so no one rewrites who is
    who for records that are not theirs."""
    if actor.authority_id not in (link.record_a.authority_id, link.record_b.authority_id):
        raise NotPermitted("Only an authority holding one of the two records may decide this pair")
    if link.state is not LinkState.PENDING:
        raise RuleViolation("This pair has already been decided")
    if confirm:
        link.state, link.set_by_id, link.set_at = LinkState.CONFIRMED, actor.id, utcnow()
        _join_identities(link, actor=actor, automatic=False)
        audit(actor, "link.confirmed", link, details={"records": [link.record_a_id, link.record_b_id]})
    else:
        link.state, link.set_by_id, link.set_at = LinkState.REJECTED, actor.id, utcnow()
        audit(actor, "link.rejected", link, details={"records": [link.record_a_id, link.record_b_id]})
    db.session.flush()


def _joining_links(record: PersonRecord) -> list[RecordLink]:
    return list(db.session.scalars(select(RecordLink).where(
        or_(RecordLink.record_a_id == record.id, RecordLink.record_b_id == record.id),
        RecordLink.state.in_([LinkState.AUTOMATIC, LinkState.CONFIRMED]))))


def may_unlink(record: PersonRecord, actor: User) -> bool:
    """An officer may unlink a record their authority holds, or one joined directly to a record it holds."""
    if record.authority_id == actor.authority_id:
        return True
    return any(actor.authority_id in (link.record_a.authority_id, link.record_b.authority_id)
               for link in _joining_links(record))


def unlink_separates_adverse(record: PersonRecord) -> list:
    """Adverse decisions that an unlink would separate from the person (on the record or on the rest of its
    identity)."""
    others = [r for r in record.identity.records if r.id != record.id]
    if not others:
        return []
    return [
        sanction for r in (record, *others) for sanction in r.sanctions if sanction.sanction_type.is_adverse
    ]


def pending_unlink(record: PersonRecord) -> UnlinkRequest | None:
    """The record's undecided unlink request, if any."""
    return pending_unlinks([record]).get(record.id)


def pending_unlinks(records: list[PersonRecord]) -> dict[int, UnlinkRequest]:
    """Record id -> its undecided unlink request, for a page of records in one query."""
    if not records:
        return {}
    waiting = db.session.scalars(_UNDECIDED_UNLINKS, {"record_ids": [r.id for r in records]})
    return {request.record_id: request for request in waiting}


# Built once (the person page asks on every view): building it and its cache key cost more than running it.
_UNDECIDED_UNLINKS = select(UnlinkRequest).where(
    UnlinkRequest.record_id.in_(bindparam("record_ids", expanding=True)), UnlinkRequest.decided_at.is_(None))


def request_unlink(record: PersonRecord, *, actor: User, reason: str) -> Identity | UnlinkRequest:
    """Unlink at once, or, when an adverse decision would be separated from the person, ask a second
    officer."""
    if not may_unlink(record, actor):
        raise NotPermitted("Only an authority holding one of the linked records may unlink it")
    if not unlink_separates_adverse(record):
        return unlink_record(record, actor=actor, reason=reason)
    if pending_unlink(record) is not None:
        raise RuleViolation("An unlink of this record is already waiting for a second officer")
    pending = UnlinkRequest(record_id=record.id, requested_by_id=actor.id, reason=reason)
    db.session.add(pending)
    db.session.flush()
    audit(actor, "link.unlink_requested", record, reason=reason, details={"request": pending.id})
    return pending


def approve_unlink(record: PersonRecord, *, actor: User) -> Identity:
    """A second officer (not the requester) approves a pending unlink; holders of the adverse records are
    alerted."""
    pending = pending_unlink(record)
    if pending is None:
        raise RuleViolation("No unlink of this record is waiting for approval")
    if not may_unlink(record, actor):
        raise NotPermitted("Only an authority holding one of the linked records may approve this unlink")
    if pending.requested_by_id == actor.id:
        raise RuleViolation("A second officer must approve this unlink")
    adverse = unlink_separates_adverse(record)
    pending.decided_by_id, pending.decided_at = actor.id, utcnow()
    old_identity = record.identity
    # The alerts area listens: each authority holding one of the adverse decisions hears of the unlink.
    adverse_unlinked.send(old_identity, adverse=adverse, record=record, actor=actor)
    audit(actor, "link.unlink_approved", record, reason=pending.reason,
          details={"request": pending.id, "requested_by": pending.requested_by_id})
    return unlink_record(record, actor=actor, reason=pending.reason)


def unlink_record(record: PersonRecord, *, actor: User, reason: str) -> Identity:
    """Take a record out of its identity: its joining links are marked unlinked and never re-made
    automatically."""
    links = _joining_links(record)
    for link in links:
        link.state, link.set_by_id, link.set_at, link.review_reason = (
            LinkState.UNLINKED,
            actor.id,
            utcnow(),
            reason,
        )
    old_identity = record.identity
    record.identity = Identity()
    db.session.flush()
    audit(actor, "link.unlinked", record, reason=reason, details={"from_identity": old_identity.id})
    _rebuild_identity(old_identity, actor=actor)
    return record.identity


def _rebuild_identity(identity: Identity, *, actor: User | None) -> None:
    """After an unlink, split records no longer joined by an automatic or confirmed link into their own
    identities."""
    records = list(identity.records)
    if len(records) < 2:
        return
    ids = {r.id for r in records}
    joined = db.session.execute(
        select(RecordLink.record_a_id, RecordLink.record_b_id).where(
            RecordLink.record_a_id.in_(ids),
            RecordLink.record_b_id.in_(ids),
            RecordLink.state.in_([LinkState.AUTOMATIC, LinkState.CONFIRMED]),
        )
    ).all()
    parent = {i: i for i in ids}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in joined:
        parent[find(a)] = find(b)
    groups: dict[int, list[PersonRecord]] = {}
    for r in records:
        groups.setdefault(find(r.id), []).append(r)
    keep_group = min(groups.values(), key=lambda g: min(r.id for r in g))
    for group in groups.values():
        if group is not keep_group:
            new_identity = Identity()
            for r in group:
                r.identity = new_identity
    db.session.flush()


def review_queue(*, viewer: User):
    """Pending pairs the viewer may decide (their authority holds one side) and see both sides of, strongest
    first."""
    own_records = select(PersonRecord.id).where(PersonRecord.authority_id == viewer.authority_id)
    query = select(RecordLink).where(RecordLink.state == LinkState.PENDING,
                                     or_(RecordLink.record_a_id.in_(own_records),
                                         RecordLink.record_b_id.in_(own_records)))
    if not viewer.is_police:
        police_records = (
            select(PersonRecord.id).join(PersonRecord.authority).where(Authority.kind == AuthorityKind.POLICE)
        )
        query = query.where(
            RecordLink.record_a_id.not_in(police_records), RecordLink.record_b_id.not_in(police_records)
        )
    return query.order_by(RecordLink.score.desc(), RecordLink.id)


def rematch_all(
    *,
    batch_size: int = 500,
    restart: bool = False,
    echo: Callable[[str], None] = print,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Re-link every record in id order, committing per batch and recording the position, so it can resume."""
    cursor = db.session.get(JobCursor, "rematch") or JobCursor(name="rematch", position=0)
    db.session.add(cursor)
    if restart:
        cursor.position = 0
    total = db.session.scalar(select(func.count(PersonRecord.id))) or 0
    done = (
        db.session.scalar(select(func.count(PersonRecord.id)).where(PersonRecord.id <= cursor.position)) or 0
    )
    started = dt.datetime.now()
    processed = 0
    while True:
        ids = db.session.scalars(
            select(PersonRecord.id)
            .where(PersonRecord.id > cursor.position)
            .order_by(PersonRecord.id)
            .limit(batch_size)
        ).all()
        if not ids:
            break
        for record_id in ids:
            record = db.session.get(PersonRecord, record_id)
            previous = to_match_record(record)
            link_new_record(record, actor=None, previous=previous)
        cursor.position = ids[-1]
        db.session.commit()
        done += len(ids)
        processed += len(ids)
        if progress:
            progress(done, total)
        else:
            elapsed = (dt.datetime.now() - started).total_seconds()
            echo(f"[{'#' * (30 * done // max(total, 1)):<30}] {done}/{total} records ({elapsed:.0f}s)")
    cursor.position = 0
    db.session.commit()
    echo(f"Re-linked {processed} records.")
    return processed


@dataclass
class Erasure:
    identity_id: int
    identity_emptied: bool
    relinked: list[int] = field(default_factory=list)


def erase_record(record: PersonRecord, *, actor: User | None) -> Erasure:
    """Delete a person record with its names, addresses, keys and links (retention disposal), then split and
    re-link what remains of its identity. The areas' rows about the record must already be gone."""
    identity_id, record_id = record.identity_id, record.id
    _bump_term_counts(frequency_terms(to_match_record(record)), -1)
    db.session.execute(delete(UnlinkRequest).where(UnlinkRequest.record_id == record_id))
    db.session.execute(delete(RecordLink).where(
        or_(RecordLink.record_a_id == record_id, RecordLink.record_b_id == record_id)))
    db.session.delete(record)
    db.session.flush()
    db.session.expire_all()
    remaining = list(db.session.scalars(
        select(PersonRecord).where(PersonRecord.identity_id == identity_id).order_by(PersonRecord.id)))
    if not remaining:
        return Erasure(identity_id, identity_emptied=True)
    _rebuild_identity(db.session.get(Identity, identity_id), actor=actor)
    relinked = [r.id for r in remaining]
    for other_id in relinked:
        other = db.session.get(PersonRecord, other_id)
        link_new_record(other, actor=actor, previous=to_match_record(other))
    return Erasure(identity_id, identity_emptied=False, relinked=relinked)


def identity_family(identity_id: int) -> list[int]:
    """The identity and every identity once merged into it (old alerts and requests may name those)."""
    merged = db.session.scalars(select(Identity.id).where(Identity.merged_into_id == identity_id))
    return [identity_id, *merged]


def erase_identities(identity_ids: list[int]) -> None:
    """Delete identities left with no records, and the stated reasons given for them."""
    db.session.execute(delete(AccessGrant).where(AccessGrant.identity_id.in_(identity_ids)))
    db.session.execute(update(Identity).where(Identity.id.in_(identity_ids)).values(merged_into_id=None))
    db.session.execute(delete(Identity).where(Identity.id.in_(identity_ids)))
    db.session.flush()
