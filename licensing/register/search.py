"""Search the register from any subset of what an officer holds; ranked identities with their evidence."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from dataclasses import asdict, dataclass, field, fields, replace

from rapidfuzz import fuzz, process
from sqlalchemy import Integer, Select, bindparam, func, select
from sqlalchemy.orm import aliased

from licensing.audit import record as audit
from licensing.auth.models import User
from licensing.authorities.models import Authority, AuthorityKind
from licensing.db import db, planned_once_array_sql
from licensing.licences.models import Badge, Licence
from licensing.licences.rules import normalise_reference
from licensing.matching import (
    MatchRecord,
    MatchSettings,
    PreparedRecord,
    Scorer,
    canonical_name,
    match_probability,
    name_count_lookups,
    prepare,
    query_keys,
)
from licensing.matching.compare import T_VARIANT, surname_slip_lookups, token_level, variant_spellings
from licensing.matching.identifiers import normalise_dvla_number, normalise_ni, normalise_postcode
from licensing.matching.normalise import Token, parse_name
from licensing.matching.score import Assessment
from licensing.people.access import can_see_record, grant_access, hidden_records
from licensing.people.identity import (
    DatabaseFrequencies,
    match_settings,
    slip_count_terms,
    slipped_surname_keys,
    surname_keys,
    to_match_records,
    typo_keys,
)
from licensing.people.models import BlockingKey, PersonRecord
from licensing.register.person_view import Flag, PlainRecord, identities_for_results, identity_flags

MAX_RESULTS = 25  # per page
# Candidates scored in full per search: enough for any real query, few enough for well under 50 ms. They are
# the
# best of up to FETCH_CANDIDATES records sharing a key, ranked by evidence (name similarity, date of birth,
# keys
# shared), never by record id. Past the cap the officer is told and asked to add a date of birth, age or
# postcode.
MAX_SEARCH_CANDIDATES = 120
FETCH_CANDIDATES = 500
AGE_TOLERANCE_YEARS = 3
TYPO_EVIDENCE = 0.2
TYPO_DOB_MAX_HOLDERS = 5_000  # a typo key held by more is left out of a search with a date of birth
# The typed surname is the record's (at most respelt): the names were not typed the other way round, and the
# swapped reading would only count a forename as a rare surname (Paul of Paul Smith above Paum Joseph Smith).
_SURNAME_AS_TYPED = frozenset({"exact", "variant"})
SWAP_PENALTY = 4.0  # match weight (log2 odds) taken off a score made with the names the other way round
RARITY_SCALE = 10_000_000  # above any key's holder count, so every shared key weighs something
EVIDENCE_UNITS = 10_000  # key weights are summed in the database as integers of this many to the unit


@dataclass(frozen=True)
class SearchCriteria:
    forenames: str = ""
    surname: str = ""
    date_of_birth: dt.date | None = None
    approximate_age: int | None = None
    postcode: str = ""
    national_insurance: str = ""
    driving_licence_number: str = ""
    reference_number: str = ""

    @classmethod
    def from_form(cls, form) -> SearchCriteria:
        return cls(
            forenames=form.forenames.data or "",
            surname=form.surname.data or "",
            date_of_birth=form.date_of_birth.data,
            approximate_age=int(form.approximate_age.data) if form.approximate_age.data else None,
            postcode=normalise_postcode(form.postcode.data or ""),
            national_insurance=normalise_ni(form.national_insurance.data or ""),
            driving_licence_number=normalise_dvla_number(form.driving_licence_number.data or ""),
            reference_number=normalise_reference(form.reference_number.data or ""),
        )

    def as_terms(self) -> dict[str, str]:
        return {
            k: (v.isoformat() if isinstance(v, dt.date) else str(v)) for k, v in asdict(self).items() if v
        }

    def as_match_record(self, birth_year: int | None = None) -> MatchRecord:
        dob = self.date_of_birth.isoformat() if self.date_of_birth else str(birth_year or "")
        return MatchRecord(
            record_id="query",
            forenames=self.forenames,
            surname=self.surname,
            date_of_birth=dob,
            postcodes=(self.postcode,) if self.postcode else (),
            national_insurance=self.national_insurance,
            driving_licence_number=self.driving_licence_number,
        )

    def _surname_only_keys(self) -> set[str]:
        """One name part given, or forenames that are only initials ("M Khan"): search the surname alone."""
        if (
            self.surname
            and self.forenames
            and not all(len(w) == 1 for w in self.forenames.replace(".", " ").split())
        ):
            return set()
        return surname_keys(MatchRecord("query", surname=self.surname or self.forenames))

    def listing_keys(self) -> set[str]:
        """A surname and nothing else: the surname keys under which every holder is listed, page by page
        (there is no other evidence to rank them by, so none is left out)."""
        if self.forenames or not self.surname or self.date_of_birth or self.approximate_age is not None:
            return set()
        if self.postcode or self.national_insurance or self.driving_licence_number or self.reference_number:
            return set()
        return self._surname_only_keys()

    def typo_search_keys(self) -> set[str]:
        """Keys that still meet a name with a typo: a token (or it less one letter) with another token's
        initial, or failing a second token the surname alone. With a date of birth too, the records they find
        are kept only when born near it (see _born_near)."""
        if not (self.forenames or self.surname):
            return set()
        paired = {k for k in typo_keys(self.as_match_record()) if k.startswith("fz:")}
        if paired:
            return paired
        alone = typo_keys(MatchRecord("query", surname=self.surname or self.forenames))
        return {k for k in alone if k.startswith("sf:")}

    def formal_forms(self) -> list[SearchCriteria]:
        """The query with a diminutive forename written as its formal name (Ted Taylor as Edward Taylor): the
        keys code each spelling apart, so a person recorded under the other name would share none."""
        tokens = parse_name(self.forenames)
        forms = []
        for i, token in enumerate(tokens):
            for formal in sorted(token.formal - {token.canon}):
                words = [t.raw for t in tokens[:i]] + [formal] + [t.raw for t in tokens[i + 1 :]]
                forms.append(replace(self, forenames=" ".join(words)))
        return forms

    def candidate_keys(self, today: dt.date) -> set[str]:
        """Blocking keys for the query and its formal forms."""
        return set().union(*(form.keys_as_typed(today) for form in [self, *self.formal_forms()]))

    def keys_as_typed(self, today: dt.date) -> set[str]:
        """Blocking keys for the query; a rough age becomes the few birth years it allows, which keeps a
        common name's candidate set small."""
        if self.date_of_birth or self.approximate_age is None:
            keys = query_keys(self.as_match_record())
            if self.date_of_birth and self.forenames and self.surname:
                # The names may have been typed the other way round and the surname changed since (Ward
                # Amanda for Amanda Robinson): the forename-and-date keys then come from the typed surname.
                swapped = replace(self, forenames=self.surname, surname=self.forenames)
                keys |= query_keys(swapped.as_match_record())
            if self.date_of_birth:
                # A slip in the birth year (1964 for 1965, 1973 for 1977, 1956 for 1966): the same two names
                # with the year's last digit anything else, or a decade away. Exact keys, so cheap even for a
                # common name.
                year = self.date_of_birth.year
                near = {year - year % 10 + d for d in range(10)} | {year - 10, year + 10, year - 1, year + 1}
                keys |= {
                    f"{k[: -len(str(year))]}{other}"
                    for k in keys
                    if k.startswith("nm:") and k.endswith(str(year))
                    for other in near - {year}
                }
            if not any(k.startswith("nm:") for k in keys):
                keys |= self._surname_only_keys()
            return keys
        latest = today.year - self.approximate_age
        years = range(latest - AGE_TOLERANCE_YEARS - 1, latest + AGE_TOLERANCE_YEARS + 1)
        keys = set().union(*(query_keys(self.as_match_record(year)) for year in years))
        if not any(k.startswith("nm:") for k in keys):
            keys |= self._surname_only_keys()
        return keys


@dataclass
class SearchHit:
    identity_id: int
    score: float
    explanation: str  # the sentences joined with " · "
    exact: str = ""
    sentences: list[str] = field(default_factory=list)  # one plain sentence per field that was compared
    # The visible records, as plain rows with their authorities and addresses (see identities_for_results).
    records: list[PlainRecord] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)

    @property
    def display_name(self) -> str:
        return self.records[0].full_name if self.records else ""


def _exact_reference_matches(reference: str) -> dict[int, str]:
    """Records holding this licence or badge number or vehicle registration: exact, so they rank first.

    Numbers are stored in capitals without spaces (see `normalise_reference`), so this is a plain index
    lookup."""
    found: dict[int, str] = {}
    for (record_id,) in db.session.execute(
        select(Licence.person_record_id).where(Licence.number == reference)
    ).all():
        found[record_id] = "licence number"
    for (record_id,) in db.session.execute(
        select(Licence.person_record_id).where(Licence.vehicle_registration == reference)
    ).all():
        found.setdefault(record_id, "vehicle registration")
    for (record_id,) in db.session.execute(
        select(Badge.person_record_id).where(Badge.number == reference)
    ).all():
        found.setdefault(record_id, "badge number")
    return found


def _exact_identifier_matches(criteria: SearchCriteria) -> dict[int, str]:
    found: dict[int, str] = {}
    if criteria.reference_number:
        found.update(_exact_reference_matches(criteria.reference_number))
    if criteria.national_insurance:
        for record_id in db.session.scalars(
            select(PersonRecord.id).where(PersonRecord.national_insurance == criteria.national_insurance)
        ):
            found.setdefault(record_id, "NI number")
    if criteria.driving_licence_number:
        for record_id in db.session.scalars(
            select(PersonRecord.id).where(
                PersonRecord.driving_licence_number == criteria.driving_licence_number
            )
        ):
            found.setdefault(record_id, "driving licence number")
    return found


def _born_near(record: _Candidate, typed: dt.date) -> bool:
    """No birth date stored (a blank one must not exclude), or born within a year of the typed date's year (a
    slip in the day or the month, or in the year's last digit by one)."""
    born = record.date_of_birth
    return born is None or abs(born.year - typed.year) <= 1


def _age(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _age_fits(record: PersonRecord | _Candidate, age: int | None, today: dt.date) -> bool:
    if age is None or record.date_of_birth is None:
        return True
    return abs(_age(record.date_of_birth, today) - age) <= AGE_TOLERANCE_YEARS


class SearchResults(list):
    """One page of ranked hits. `total` people matched in all; `narrow` is set when more candidates existed
    than
    were scored, so the officer is told rather than shown a silent cut."""

    narrow: bool = False
    total: int = 0
    page: int = 1
    pages: int = 1
    # identity id -> the access grant the search's reason made, so each link to a person carries its own
    # reason.
    grants: dict[int, int] | None = None


@dataclass(frozen=True)
class _CandidateAuthority:
    """What a search reads of a candidate's authority (its code for the engine, its kind for who may see the
    record), read with the candidate's columns: a statement of its own cost a round trip per search."""

    code: str
    kind: AuthorityKind


@dataclass
class _Candidate:
    """The columns of a person record that scoring reads: no ORM object per candidate (a third of a name
    search's time went on building them)."""

    id: int
    identity_id: int
    authority_id: int
    forenames: str
    surname: str
    date_of_birth: dt.date | None
    sex: str
    national_insurance: str
    driving_licence_number: str
    authority: _CandidateAuthority | None = None


_CANDIDATE_COLUMNS = [
    *(getattr(PersonRecord, f.name) for f in fields(_Candidate) if f.name != "authority"),
    Authority.code,
    Authority.kind,
]


def _candidates(condition) -> list[_Candidate]:
    """The scoring columns of the records meeting `condition`, with their authorities', in one statement."""
    return [
        _candidate_of(row)
        for row in db.session.execute(
            select(*_CANDIDATE_COLUMNS)
            .outerjoin(Authority, Authority.id == PersonRecord.authority_id)
            .where(condition)
        )
    ]


class _DriverSql:
    """SQL text and its parameters, for the driver's own placeholder. The evidence statements have one branch
    per key (40 to 100): building and caching them as SQLAlchemy constructs cost more CPU than SQLite took to
    run them, so they go to the driver as text. Every value is a parameter; the text holds only fixed SQL,
    placeholders and integers (hence the S608 exemptions below)."""

    def __init__(self) -> None:
        self.connection = db.session.connection()
        self.mark = "?" if self.connection.dialect.paramstyle == "qmark" else "%s"
        self.arrays = self.connection.dialect.name == "postgresql"
        self.params: list = []

    def one_of(self, values: list, sql_type: str) -> str:
        """A condition on the expression before it: equal to one of `values`. On PostgreSQL one array
        parameter, as the driver parses a statement of more than fifty placeholders afresh each time (the
        exact keys of a name with a date of birth are sixty); elsewhere a placeholder each."""
        if self.arrays:
            self.params.append(list(values))
            return f"= ANY({planned_once_array_sql(self.mark, sql_type)})"
        self.params += values
        return f"IN ({', '.join([self.mark] * len(values))})"

    def value(self, value, sql_type: str) -> str:
        """A placeholder typed as `sql_type`: PostgreSQL types an untyped parameter in a UNION ALL's first
        branch as text, and SUM over text fails."""
        self.params.append(value)
        return f"CAST({self.mark} AS {sql_type})"

    def key_condition(self, key: str) -> str:
        """A stored key equal to `key`; for a prefix (ending in ":"), a range on the index."""
        if key.endswith(":"):
            self.params += [key, key[:-1] + ";"]
            return f"blocking_keys.key >= {self.mark} AND blocking_keys.key < {self.mark}"
        self.params.append(key[:64])
        return f"blocking_keys.key = {self.mark}"

    def rows(self, sql: str) -> list:
        return self.connection.exec_driver_sql(sql, tuple(self.params)).all()


def _key_weights(sql: _DriverSql, keys: set[str], max_holders: int | None) -> tuple[str, list[str]]:
    """A `weights` table (key, w) for a WITH clause, and the keys it may hold (a prefix stands for its range):
    per key the query shares with any record, how much sharing it says, log(RARITY_SCALE / holders) in whole
    EVIDENCE_UNITS, so a key held by a few records (a rare name pair, a name with its birth year) outweighs
    one held by thousands (Mohammed Khan with no year). Keys nobody holds, or more than `max_holders`, are
    left out. Each prefix's count is a branch of a UNION ALL beside the exact keys' GROUP BY. Computed in the
    database, in the statement that uses them: a statement of their own cost a round trip per search.

    Summed as integers, a record's evidence is the same on every database (floats summed in another order
    broke ties among the fetched candidates differently on SQLite and PostgreSQL); floor(x + 0.5) rounds
    alike on both."""
    exact = sorted({k[:64] for k in keys if not k.endswith(":")})
    prefixes = sorted(k for k in keys if k.endswith(":"))
    branches = [
        f"SELECT {sql.value(prefix[:64], 'VARCHAR(64)')} AS key, 1 AS ranged, count(*) AS holders "  # noqa: S608
        f"FROM blocking_keys WHERE {sql.key_condition(prefix)}"
        for prefix in prefixes
    ]
    if exact:
        branches.append(
            f"SELECT key, 0 AS ranged, count(*) AS holders FROM blocking_keys "  # noqa: S608
            f"WHERE key {sql.one_of(exact, 'VARCHAR(64)')} GROUP BY key"
        )
    scale, units = sql.value(RARITY_SCALE, "DOUBLE PRECISION"), sql.value(EVIDENCE_UNITS, "DOUBLE PRECISION")
    most = f" AND holders <= {sql.value(max_holders, 'BIGINT')}" if max_holders is not None else ""
    table = (
        f"holders AS MATERIALIZED ({' UNION ALL '.join(branches)}), "  # noqa: S608
        f"weights AS MATERIALIZED (SELECT key, ranged, "
        f"CAST(floor(ln({scale} / holders) * {units} + 0.5) AS BIGINT) AS w "
        f"FROM holders WHERE holders > 0{most})"
    )
    return table, prefixes


_CANDIDATE_SQL_COLUMNS = ", ".join(f"{c.table.name}.{c.key}" for c in _CANDIDATE_COLUMNS)
_CANDIDATE_SQL_JOIN = "LEFT JOIN authorities ON authorities.id = person_records.authority_id"


def _candidate_of(values) -> _Candidate:
    """A _Candidate from a row of _CANDIDATE_COLUMNS, read by the ORM or as _CANDIDATE_SQL_COLUMNS by the
    driver (which hands back dates as text on SQLite, and an authority's kind as its stored value)."""
    *columns, code, kind = values
    candidate = _Candidate(*columns)
    if isinstance(candidate.date_of_birth, str):
        candidate.date_of_birth = dt.date.fromisoformat(candidate.date_of_birth)
    if code is not None:
        candidate.authority = _candidate_authority(code, kind)
    return candidate


@functools.lru_cache(maxsize=64)
def _candidate_authority(code: str, kind: str | AuthorityKind) -> _CandidateAuthority:
    """One object per authority for all of a search's candidates (the enum's lookup by value, per candidate,
    cost more than reading the row)."""
    return _CandidateAuthority(code, AuthorityKind(kind))


def _evidence_counts(
    keys: set[str], limit: int, columns: dict[int, _Candidate] | None = None, max_holders: int | None = None
) -> list[tuple[int, float]]:
    """(record id, evidence) for the `limit` records with the most evidence: the summed rarity weights of the
    query's keys each holds (see _key_weights), computed in the database before any cap (not the lowest
    record ids among a common name's thousands). The weights and the records' scoring columns come in the
    same statement, the columns into `columns`.

    The holders are read from the (key, person_record_id) index for each weighted key, each row carrying its
    key's weight, where one OR of all the keys with a CASE per key made PostgreSQL read a heap page per holder
    (a bitmap heap scan) and JIT-compile the CASE for seconds once the plan looked costly (the 5.6 s stalls
    of round 6). A key with no weight (held by none, or by too many) is not read, so a common key left out
    costs nothing."""
    if not keys:
        return []
    sql = _DriverSql()
    weights, prefixes = _key_weights(sql, keys, max_holders)
    # The exact keys' holders by a join on the weighted keys (each read from the index; a key left out is not
    # read); each prefix's by a range of its own.
    holding = [
        f"SELECT blocking_keys.person_record_id AS rid, weights.w AS w FROM weights "  # noqa: S608
        f"JOIN blocking_keys ON {sql.key_condition(prefix)} "
        f"WHERE weights.key = {sql.value(prefix[:64], 'VARCHAR(64)')}"
        for prefix in prefixes
    ]
    if len(prefixes) < len(keys):
        holding.append(
            "SELECT blocking_keys.person_record_id AS rid, weights.w AS w FROM weights "
            "JOIN blocking_keys ON blocking_keys.key = weights.key WHERE weights.ranged = 0"
        )
    if len(keys) == 1:
        # One key: every holder has the same evidence, so the index scan stops after `limit` rows instead of
        # counting a common name's whole block. In index order, as before: the first holders of the key.
        ranked = (
            f"SELECT every.rid AS rid, every.w AS evidence FROM ({holding[0]}) AS every "  # noqa: S608
            f"LIMIT {int(limit) + 1}"
        )
    else:
        every = " UNION ALL ".join(holding)
        ranked = (
            f"SELECT every.rid AS rid, sum(every.w) AS evidence FROM ({every}) AS every "  # noqa: S608
            f"GROUP BY every.rid ORDER BY evidence DESC, every.rid LIMIT {int(limit)}"
        )
    rows = sql.rows(
        f"WITH {weights} SELECT ranked.evidence, {_CANDIDATE_SQL_COLUMNS} FROM ({ranked}) AS ranked "  # noqa: S608
        f"JOIN person_records ON person_records.id = ranked.rid {_CANDIDATE_SQL_JOIN}"
    )
    found: dict[int, float] = {}
    for row in rows:
        found[row[1]] = int(row[0]) / EVIDENCE_UNITS
        if columns is not None:
            columns[row[1]] = _candidate_of(row[1:])
    ordered = sorted(found.items(), key=lambda item: (-item[1], item[0]))
    return ordered[:limit]


def _ranked_candidates(
    criteria: SearchCriteria,
    today: dt.date,
    columns: dict[int, _Candidate] | None = None,
    frequencies: DatabaseFrequencies | None = None,
) -> tuple[list[int], bool]:
    """Ids worth scoring in full, best evidence first, and whether some were left out; their scoring
    columns into `columns` when given. `frequencies`: the search's counts (_Scoring.of), read when not
    given."""
    columns = {} if columns is None else columns
    counts = _evidence_counts(criteria.candidate_keys(today), FETCH_CANDIDATES, columns)
    typo = criteria.typo_search_keys() if len(counts) < MAX_SEARCH_CANDIDATES else set()
    if typo:
        # Few found: a typo in a name is likelier than a rare name, so look again one letter apart. A common
        # name already fills the candidates, and its typo keys would count thousands of rows for nothing.
        # A name one letter apart is weaker evidence than the name as typed, and one record holds many typo
        # keys (each deletion is one): they count a fifth, so they add candidates but outrank no exact one.
        # With a date of birth typed, a name slip and a date slip together (Mustafa Aden Ahmd 1978-10-01
        # for Mustafa Ahmed 1978-10-07) meet no exact key: such records are kept when born near the typed
        # date, and a key held by thousands is left out so that a common name costs no more to search.
        dob = criteria.date_of_birth
        shared = dict(counts)
        for record_id, n in _evidence_counts(typo, FETCH_CANDIDATES, columns,
                                             max_holders=TYPO_DOB_MAX_HOLDERS if dob else None):
            if dob is None or record_id in shared or _born_near(columns[record_id], dob):
                shared[record_id] = shared.get(record_id, 0) + TYPO_EVIDENCE * n
        # A spelling the register holds that the phonetic keys code apart (Akther for Akhtar) is the name as
        # typed to the engine, so its keys count in full.
        frequencies = frequencies or _Scoring.of(criteria).frequencies
        spellings = _variant_spelling_keys(criteria, today, frequencies)
        for record_id, n in _evidence_counts(spellings, FETCH_CANDIDATES, columns):
            shared[record_id] = shared.get(record_id, 0) + n
        counts = sorted(shared.items(), key=lambda item: (-item[1], item[0]))[:FETCH_CANDIDATES]
    if len(counts) <= MAX_SEARCH_CANDIDATES:
        return [record_id for record_id, _ in counts], False
    shared = dict(counts)
    rows = [columns[record_id] for record_id in shared]
    # Out of the typed age: dropped before the cap, not after it (they would only take places).
    rows = [r for r in rows if _age_fits(r, criteria.approximate_age, today)]
    if len(rows) <= MAX_SEARCH_CANDIDATES:
        return sorted((r.id for r in rows), key=lambda i: (-shared[i], i)), len(counts) >= FETCH_CANDIDATES
    query_dob = criteria.date_of_birth.isoformat() if criteria.date_of_birth else ""
    query_name = canonical_name(criteria.forenames, criteria.surname)
    names = [canonical_name(r.forenames, r.surname) for r in rows]
    # Token sets, so swapped order and a dropped middle name compare whole; token_sort breaks a subset's tie
    # (Saleem Ashraf for Mohd Saleem Ashraf above Mohammed Ashraf).
    if query_name and names:
        by_set = process.cdist([query_name], names, scorer=fuzz.token_set_ratio, workers=1)[0]
        by_sort = process.cdist([query_name], names, scorer=fuzz.token_sort_ratio, workers=1)[0]
    else:
        by_set = by_sort = [0.0] * len(rows)
    most = max(shared.values()) or 1.0
    scored = []
    for r, set_sim, sort_sim in zip(rows, by_set, by_sort, strict=True):
        dob = r.date_of_birth.isoformat() if r.date_of_birth else ""
        same_year = query_dob and dob[:4] == query_dob[:4]
        dob_points = 60 if query_dob and dob == query_dob else 15 if same_year else 0
        evidence = 40 * shared[r.id] / most
        scored.append((-(float(set_sim) + 0.5 * float(sort_sim) + dob_points + evidence), r.id))
    scored.sort()
    return [record_id for _, record_id in scored[:MAX_SEARCH_CANDIDATES]], True


@functools.lru_cache(maxsize=1)  # a search asks twice (its counts, then its typo stage): worked out once
def _variant_spellings(criteria: SearchCriteria) -> tuple[tuple[str, int, Token, str], ...]:
    """(name part, token's place, token, spelling) for each spelling of a typed name token that the engine
    may read as that name by its spelling key alone, though the phonetic keys code it apart
    (variant_spellings)."""
    return tuple(
        (name_part, i, token, spelling)
        for name_part in ("forenames", "surname")
        for i, token in enumerate(parse_name(getattr(criteria, name_part)))
        for spelling in sorted(variant_spellings(token))
    )


def _variant_spelling_keys(
    criteria: SearchCriteria, today: dt.date, frequencies: DatabaseFrequencies
) -> set[str]:
    """Keys of the query with one name written in a spelling the register holds (its counts, read with the
    search's others) that the engine reads as the same name: learned from the data, not the tables."""
    forms = []
    for name_part, i, token, spelling in _variant_spellings(criteria):
        if not any(frequencies.stored_count(kind, spelling) for kind in ("forename", "surname")):
            continue
        written = parse_name(spelling)
        if len(written) != 1 or token_level(token, written[0]) != T_VARIANT:
            continue
        words = [t.raw for t in parse_name(getattr(criteria, name_part))]
        words[i] = spelling
        forms.append(replace(criteria, **{name_part: " ".join(words)}))
    return set().union(*(form.keys_as_typed(today) for form in forms))


def search_people(
    criteria: SearchCriteria, *, viewer: User, today: dt.date, reason: str | None = None, page: int = 1,
    via: str = "",
) -> SearchResults:
    """Exact identifiers first, then identities ranked by the engine's match probability against the query.

    Only records the viewer may see are searched or shown, a page of MAX_RESULTS at a time. An officer's
    search carries their stated `reason`: it is audited here (DPA 2018 s.62), with the channel it came `via`
    (the API), and the reason opens the found people's pages."""
    results = _ranked(criteria, viewer=viewer, today=today, page=page)
    if reason is not None:
        ids = [hit.identity_id for hit in results]
        details = {"terms": criteria.as_terms(), "page": results.page, "results": ids} | (
            {"via": via} if via else {})
        audit(viewer, "person.searched", reason=reason, details=details)
        results.grants = grant_access(viewer, ids, reason)
    return results


def search_every_page(criteria: SearchCriteria, *, viewer: User, today: dt.date) -> list[SearchHit]:
    """Every hit the search pages would show, in rank order (an export holds all of them, not page 1), up to
    the pages that the scored candidates fill: a surname alone lists thousands, and an export is not a way
    to copy the register in bulk."""
    first = _ranked(criteria, viewer=viewer, today=today, page=1)
    hits = list(first)
    last = min(first.pages or 1, -(-MAX_SEARCH_CANDIDATES // MAX_RESULTS) + 1)
    for page in range(2, last + 1):
        hits.extend(_ranked(criteria, viewer=viewer, today=today, page=page))
    return hits


def _ranked(criteria: SearchCriteria, *, viewer: User, today: dt.date, page: int = 1) -> SearchResults:
    listing = criteria.listing_keys()
    scoring = None
    if listing:
        # With the surname's slips (Cooher for Cooper): a typo in the person's own record must not hide them.
        # Their spellings' counts are read with the scoring's, in one statement.
        scoring = _Scoring.of(criteria, also=slip_count_terms(criteria.surname))
        slips = slipped_surname_keys(criteria.surname, stored=scoring.frequencies.stored)
        listed = _surname_listing(criteria, listing, slips, scoring, viewer=viewer, today=today, page=page)
        if listed is not None:
            return listed
    exact = _exact_identifier_matches(criteria)
    columns: dict[int, _Candidate] = {}
    scoring = scoring or _Scoring.of(criteria)
    found, narrow = _ranked_candidates(criteria, today, columns, scoring.frequencies)
    candidate_ids = set(found) | set(exact)
    if not candidate_ids:
        return SearchResults()
    # The candidates' columns came with their evidence; only exact identifier matches are read here.
    missing = set(exact) - set(columns)
    fetched = _candidates(PersonRecord.id.in_(missing)) if missing else []
    records = [
        r
        for r in [columns[i] for i in found] + fetched
        if can_see_record(viewer, r) and _age_fits(r, criteria.approximate_age, today)
    ]
    scored = _score(criteria, scoring, records, exact, today)
    ranked_all = sorted(scored.values(), key=lambda k: k.rank)
    pages = max(1, -(-len(ranked_all) // MAX_RESULTS))
    page = min(max(1, page), pages)
    ranked = _shown(scoring, ranked_all[(page - 1) * MAX_RESULTS : page * MAX_RESULTS], viewer, today)
    ranked.narrow, ranked.total, ranked.page, ranked.pages = narrow, len(ranked_all), page, pages
    return ranked


@dataclass
class _Scoring:
    """What one search scores with: the query, the settings and the term counts, read once per search."""

    query: MatchRecord
    settings: MatchSettings
    frequencies: DatabaseFrequencies
    # The names the other way round, when both were typed.
    swapped: MatchRecord | None = None
    # The one Scorer of the search: the shown hits' evidence is worded from the assessments it made.
    scorer: Scorer | None = None

    @classmethod
    def of(cls, criteria: SearchCriteria, also: list[tuple[str, str]] = ()) -> _Scoring:
        """`also`: other (kind, term) counts read in the same statement (see DatabaseFrequencies.preload)."""
        query = criteria.as_match_record()
        swapped = None
        if criteria.forenames and criteria.surname:
            swapped = replace(query, forenames=criteria.surname, surname=criteria.forenames)
        typed = [q for q in (query, swapped) if q]
        lookups = set().union(*(name_count_lookups(prepare(q)) for q in typed))
        # The spellings a search one typo away may look for, so that their counts come in the same statement.
        lookups |= {(kind, o[3]) for o in _variant_spellings(criteria) for kind in ("forename", "surname")}
        frequencies = DatabaseFrequencies(own_records=1, slip_counts=True).preload(*typed, lookups=lookups,
                                                                                   also=also)
        settings = match_settings()
        return cls(query, settings, frequencies, swapped, Scorer(settings, frequencies, slips_by_counts=True))


@dataclass(slots=True)
class _Scored:
    """One identity's best record: its hit, rank, and the assessment its evidence is worded from (against
    the query in the order that scored best)."""

    hit: SearchHit
    rank: tuple
    query: PreparedRecord
    record: PreparedRecord
    assessed: Assessment


def _score(
    criteria: SearchCriteria,
    scoring: _Scoring,
    records: list[_Candidate],
    exact: dict[int, str],
    today: dt.date,
) -> dict[int, _Scored]:
    """Per identity, its best record's hit (scored by the engine's weight alone), rank and assessment."""
    # No postcode typed: every address comparison is "missing" whatever the records hold, so none is read.
    match_records = to_match_records(records, with_addresses=bool(scoring.query.postcodes))
    settings = scoring.settings
    # One Scorer for the whole block: building one per pair (as pair_weight does) was half of its cost.
    scorer = scoring.scorer
    prepared_query = prepare(scoring.query)
    prepared_swapped = prepare(scoring.swapped) if scoring.swapped is not None else None
    closeness = _closeness(criteria, records, today)
    candidates = {record.id: prepare(match_records[record.id]) for record in records}
    # The counts that tell a surname slip (Sah beside Shah), for the candidates whose surname is one letter
    # from the typed one: in one statement, and only when some candidate's is. Reading every spelling a typo
    # away with the search's other counts (hundreds) more than doubled a search's time at 5,000 records.
    typed = [q for q in (prepared_query, prepared_swapped) if q is not None]
    scoring.frequencies.preload(
        lookups=set().union(*(surname_slip_lookups(q, candidates.values()) for q in typed))
    )
    best: dict[int, _Scored] = {}
    for record in records:
        # The weight alone ranks (the sum score_pair makes); worded evidence is built for shown hits only,
        # from this assessment (not scored again).
        prepared = candidates[record.id]
        assessed = scorer.assess(prepared_query, prepared)
        weight, used = assessed.match_weight, prepared_query
        # Names typed the other way round are matched by the engine only when exact; with a typo or a
        # spelling as well (Baker Jhn for John Baker) the swapped query is the fair comparison. It pays
        # SWAP_PENALTY: the engine rates a multi-word swapped surname as unseen (rare), which would otherwise
        # put a partial match above the name exactly as typed.
        if prepared_swapped is not None and assessed.names.surname not in _SURNAME_AS_TYPED:
            other = scorer.assess(prepared_swapped, prepared)
            if other.match_weight - SWAP_PENALTY > weight:
                assessed, weight, used = other, other.match_weight - SWAP_PENALTY, prepared_swapped
        exact_kind = exact.get(record.id, "")
        score = 1.0 if exact_kind else match_probability(settings, weight)
        # Equal probabilities (namesakes of one frequency class) are ordered by how closely the name is
        # spelt as typed, then by age, rather than by identity id.
        rank = (not exact_kind, -score, *closeness[record.id], record.identity_id)
        kept = best.get(record.identity_id)
        if kept is None or rank < kept.rank:
            hit = SearchHit(record.identity_id, score, "", exact_kind)
            best[record.identity_id] = _Scored(hit, rank, used, prepared, assessed)
    return best


def _shown(scoring: _Scoring, shown: list[_Scored], viewer: User, today: dt.date) -> SearchResults:
    """One page of hits in the order given, with worded evidence, records and flags."""
    for scored in shown:
        hit = scored.hit
        sentences = scoring.scorer.result(scored.query, scored.record, scored.assessed).explanation
        if hit.exact:
            sentences = [f"{hit.exact[:1].upper()}{hit.exact[1:]}: the same"] + sentences
        hit.sentences = sentences
        hit.explanation = " · ".join(sentences)
    ranked = SearchResults(scored.hit for scored in shown)
    _add_records_and_flags(ranked, viewer=viewer, today=today)
    return ranked


def _surname_listing(
    criteria: SearchCriteria, typed: set[str], slips: set[str], scoring: _Scoring, *, viewer: User,
    today: dt.date, page: int,
) -> SearchResults | None:
    """Every person the viewer may see who holds the surname (or a spelling of it), a page at a time, in the
    order their records joined the register: a surname alone holds no evidence to rank its holders by.

    Counted and paged on the key index itself, so a surname held by a hundred thousand costs a few index
    reads per page, and only the page shown is scored. A person with several records holding the surname is
    shown once, at the first of them (that page then shows fewer). None for a surname held by fewer than
    MAX_SEARCH_CANDIDATES: the ranked search, which also looks one typo away, lists them all. The `slips`
    keys (see slipped_surname_keys) add their few holders."""
    keys = typed | slips
    if _held_fewer_times_than(MAX_SEARCH_CANDIDATES, keys):
        return None
    hidden = hidden_records(viewer)

    def holding(chosen) -> Select:
        found = select(BlockingKey.person_record_id).where(BlockingKey.key.in_(chosen))
        if hidden is not None:
            # Correlated (NOT EXISTS): each holder is checked on the primary key and a page stops reading
            # once full; NOT IN built the set of every hidden record (a hundred thousand at 1M) per statement.
            found = found.where(~hidden.where(PersonRecord.id == BlockingKey.person_record_id).exists())
        return found

    holders = holding(keys)
    if len(keys) > 1:
        holders = holders.distinct()
    named = holding(typed).distinct() if len(typed) > 1 else holding(typed)
    total = db.session.scalar(select(func.count()).select_from(named.subquery())) or 0
    # The slips' few holders that do not hold the typed name too, read whole and merged into the typed
    # name's pages in record order: the typed name's holders are still counted and paged on its key alone.
    slipped: list[int] = []
    if slips:
        also = aliased(BlockingKey)
        typed_too = select(also.person_record_id).where(
            also.person_record_id == BlockingKey.person_record_id, also.key.in_(typed)
        )
        slipped = sorted(db.session.scalars(holding(slips).where(~typed_too.exists()).distinct()))
    total += len(slipped)
    if total < MAX_SEARCH_CANDIDATES:
        return None
    pages = -(-total // MAX_RESULTS)
    page = min(max(1, page), pages)
    on_page = _merged_page(named, slipped, (page - 1) * MAX_RESULTS, MAX_RESULTS)
    records = [
        r
        for r in _candidates(
            PersonRecord.identity_id.in_(
                select(PersonRecord.identity_id).where(PersonRecord.id.in_(on_page)).scalar_subquery()
            )
        )
        if can_see_record(viewer, r)
    ]
    # Each identity goes on the page of its first record that holds the surname.
    first_holder: dict[int, int] = {}
    holding = set(
        db.session.scalars(holders.where(BlockingKey.person_record_id.in_([r.id for r in records])))
    )
    for record in sorted(records, key=lambda r: r.id):
        if record.id in holding:
            first_holder.setdefault(record.identity_id, record.id)
    ids = [first for first in dict.fromkeys(r.identity_id for r in sorted(records, key=lambda r: r.id))]
    ids = [i for i in ids if first_holder.get(i) in on_page]
    scored = _score(criteria, scoring, records, {}, today)
    ranked = _shown(scoring, [scored[i] for i in ids], viewer, today)
    ranked.total, ranked.page, ranked.pages = total, page, pages
    return ranked


# The holdings of any of the keys, up to a cap, hidden records included: built once (a search of a surname
# with few holders asks on every search, and building the statement cost more than running it).
_SOME_HOLDINGS = select(func.count()).select_from(
    select(BlockingKey.person_record_id)
    .where(BlockingKey.key.in_(bindparam("keys", expanding=True)))
    .limit(bindparam("cap", type_=Integer))
    .subquery()
)


def _held_fewer_times_than(cap: int, keys: set[str]) -> bool:
    """True when the keys are held fewer than `cap` times in all, by records the viewer may see or not: their
    visible holders are then fewer still, which the listing would count only to hand them to the ranked
    search. One statement that stops reading at the cap, and no read of the hidden records' authorities."""
    return (db.session.scalar(_SOME_HOLDINGS, {"keys": sorted(keys), "cap": cap}) or 0) < cap


def _merged_page(named: Select, slipped: list[int], offset: int, size: int) -> list[int]:
    """Record ids `offset` to `offset + size` of the named holders (in id order, read from the index) and
    the sorted `slipped` ids merged. The named holders are read from `len(slipped)` before the page: a
    slipped id placed before that window or after a full one falls outside the page."""
    start = max(0, offset - len(slipped))
    wanted = size + offset - start
    window = list(
        db.session.scalars(named.order_by(BlockingKey.person_record_id).limit(wanted).offset(start))
    )
    placed = [(start + i + bisect.bisect_left(slipped, rid), rid) for i, rid in enumerate(window)]
    for j, rid in enumerate(slipped):
        below = bisect.bisect_left(window, rid)
        if (below == 0 and start > 0) or (below == len(window) and len(window) == wanted):
            continue
        placed.append((start + below + j, rid))
    return [rid for position, rid in sorted(placed) if offset <= position < offset + size]


def _closeness(criteria: SearchCriteria, records: list[_Candidate], today: dt.date) -> dict[int, tuple]:
    """Per record, (minus the spelling similarity of its full name to the typed one in any word order, years
    between its age and the typed age): tie-breaks for hits the engine scores the same."""
    typed = f"{criteria.forenames} {criteria.surname}".strip().lower()
    names = [f"{r.forenames} {r.surname}".lower() for r in records]
    if typed and names:
        similarity = process.cdist([typed], names, scorer=fuzz.token_sort_ratio, workers=1)[0]
    else:
        similarity = [0.0] * len(records)
    out: dict[int, tuple] = {}
    for record, sim in zip(records, similarity, strict=True):
        gap = 0
        if criteria.approximate_age is not None and record.date_of_birth is not None:
            gap = abs(_age(record.date_of_birth, today) - criteria.approximate_age)
        out[record.id] = (-round(float(sim), 3), gap)
    return out


def _add_records_and_flags(hits: list[SearchHit], *, viewer: User, today: dt.date) -> None:
    """The shown hits' records (with their authorities and addresses) and flags, the history the flags read
    loaded only for the identities that hold some (see identities_for_results)."""
    identities, flaggable = identities_for_results([h.identity_id for h in hits])
    for hit in hits:
        identity = identities.get(hit.identity_id)
        records = identity.records if identity is not None else []
        hit.records = [r for r in records if can_see_record(viewer, r)]
        hit.flags = identity_flags(identity, today, viewer=viewer) if hit.identity_id in flaggable else []
