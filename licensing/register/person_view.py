"""The whole-identity view across every authority, with the flags computed from the whole identity."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from dataclasses import dataclass, field, make_dataclass

from sqlalchemy import ARRAY, Integer, any_, bindparam, inspect, select, text
from sqlalchemy.orm.attributes import set_committed_value

from licensing.audit import record as audit
from licensing.auth.models import User
from licensing.authorities.models import Authority
from licensing.complaints.models import Complaint
from licensing.db import db, planned_once_array, planned_once_array_sql
from licensing.intelligence.models import IntelligenceItem, IntelligenceStatus, intelligence_recipients
from licensing.intelligence.services import IntelligenceView, police_marker, view_intelligence
from licensing.licences import is_current
from licensing.licences.models import Badge, DbsCertificate, Licence
from licensing.licences.rules import add_months
from licensing.people.access import visible_records
from licensing.people.models import Address, Identity, PersonRecord
from licensing.sanctions.models import AppealOutcome, GroundsCategory, Sanction, SanctionType

SEXUAL_COMPLAINT_WINDOW_MONTHS = 24


@dataclass(frozen=True)
class Flag:
    """One thing to know about a person: what happened, where, when and on what grounds, and where it
    is shown."""

    code: str
    text: str
    identity_id: int | None = None
    anchor: str = ""  # the part of the person page holding the record, e.g. "sanction-12"
    safeguarding: bool = False  # police information, or a sexual or safeguarding concern


@dataclass(frozen=True)
class ComplaintView:
    complaint: Complaint
    shows_complainant: bool


@dataclass(frozen=True)
class ChronologyEntry:
    on: dt.date
    authority: str
    kind: str
    text: str


@dataclass
class PersonView:
    """Everything the viewer may see about one identity, gathered from every authority."""

    identity: Identity
    records: list[PersonRecord]
    licences: list[Licence] = field(default_factory=list)
    badges: list[Badge] = field(default_factory=list)
    dbs_certificates: list[DbsCertificate] = field(default_factory=list)
    sanctions: list[Sanction] = field(default_factory=list)
    complaints: list[ComplaintView] = field(default_factory=list)
    intelligence: list[IntelligenceView] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    chronology: list[ChronologyEntry] = field(default_factory=list)

    @property
    def display_name(self) -> str:
        return self.records[0].full_name if self.records else "Unknown"

    def shown_ids(self) -> dict[str, list[int]]:
        """What the page showed, for the audit event."""
        return {
            "records": [r.id for r in self.records],
            "intelligence": [i.item_id for i in self.intelligence],
        }


def build_person_view(
    identity: Identity, viewer: User, today: dt.date, *, reason: str | None = None, via: str = "",
    audit_as: str = "person.viewed",
) -> PersonView:
    """Gather the identity's records the viewer may see; flags are computed from the whole identity.

    Showing it to an officer carries their stated `reason`, and the view is audited here with what it
    showed (`audit_as` names a printed view; `via` the channel, such as the API)."""
    # Everything below reads, loaded in one query a collection rather than one a collection for each record
    # (unless the caller loaded it so already, in this transaction: the person page does).
    if not _history_loaded(identity):
        identities_with_history([identity.id], refresh=True)
    records = visible_records(identity, viewer)
    view = PersonView(identity=identity, records=records)
    for record in records:
        view.licences.extend(record.licences)
        view.badges.extend(record.badges)
        view.dbs_certificates.extend(record.dbs_certificates)
        view.sanctions.extend(record.sanctions)
        view.complaints.extend(
            ComplaintView(c, c.authority_id == viewer.authority_id) for c in record.complaints
        )
    for record in identity.records:
        for item in record.intelligence_items:
            shown = view_intelligence(item, viewer)
            if shown is not None:
                view.intelligence.append(shown)
    view.sanctions.sort(key=lambda s: s.decided_on, reverse=True)
    view.complaints.sort(key=lambda c: c.complaint.received_on, reverse=True)
    view.flags = identity_flags(identity, today, viewer=viewer)
    view.chronology = _chronology(view)
    if reason is not None:
        details = view.shown_ids() | ({"via": via} if via else {})
        audit(viewer, audit_as, identity, reason=reason, details=details)
    return view


def _chronology(view: PersonView) -> list[ChronologyEntry]:
    """One timeline across every authority, newest first, from what the viewer may see."""
    entries = []
    for lic in view.licences:
        if lic.issued_on:
            entries.append(
                ChronologyEntry(
                    lic.issued_on,
                    lic.authority.name,
                    "Licence",
                    f"{lic.licence_type.label} {lic.number} issued (now {lic.status.value})",
                )
            )
    for badge in view.badges:
        entries.append(
            ChronologyEntry(
                badge.issued_on,
                badge.authority.name,
                "Badge",
                f"{badge.badge_type.label} badge {badge.number} issued (now {badge.status.value})",
            )
        )
        if badge.register_rationale:
            entries.append(
                ChronologyEntry(
                    badge.issued_on,
                    badge.authority.name,
                    "Badge",
                    f"Badge {badge.number} issued over the register's information: "
                    f"{badge.register_rationale}",
                )
            )
    for s in view.sanctions:
        entries.append(
            ChronologyEntry(
                s.decided_on,
                s.authority.name,
                "Decision",
                f"{s.sanction_type.label}: {s.grounds.label.lower()}",
            )
        )
    for cv in view.complaints:
        c = cv.complaint
        entries.append(ChronologyEntry(c.received_on, c.authority.name, "Complaint", c.category.label))
    for cert in view.dbs_certificates:
        entries.append(
            ChronologyEntry(cert.issued_on, "", "DBS", f"Enhanced certificate {cert.certificate_number}")
        )
    for item in view.intelligence:
        if item.submitted_on:
            entries.append(
                ChronologyEntry(
                    dt.date.fromisoformat(item.submitted_on),
                    "Police",
                    "Police information",
                    item.category or "Police hold information",
                )
            )
    return sorted(entries, key=lambda e: e.on, reverse=True)


def identities_with_history(identity_ids: list[int], *, refresh: bool = False) -> dict[int, Identity]:
    """Identities with every record and everything identity_flags reads, in a fixed number of queries
    (`refresh` also fills identities already loaded, whose collections would otherwise load one by one). The
    records' authorities come with the records."""
    if not identity_ids:
        return {}
    # What selectinload did, one plain query a collection: its loader options cost more CPU than the queries.
    identities, empty = _identities_and_records(identity_ids, refresh)
    records = [record for identity in identities.values() for record in identity.records]
    _fill_history(records, empty, refresh)
    return identities


# What a record must hold for identity_flags to flag anything: licences and badges flag nothing without a DBS
# certificate or a standing decision.
FLAGGING_HISTORY = frozenset({"sanctions", "complaints", "intelligence_items", "dbs_certificates"})


def identities_for_results(identity_ids: list[int]) -> tuple[dict[int, PlainIdentity], set[int]]:
    """Identities with every record, its authority and addresses, for a list of results; and the ids of those
    holding any FLAGGING_HISTORY, whose history identity_flags reads is loaded too (most hold none: the flags
    of the others are empty, and their history is not read). The records are read once, in the statement
    that tells which hold history.

    Read through Core into plain objects (see _plain_class), not ORM instances: a page of results built two
    hundred of them only to be read, and that was half of a search's CPU. identity_flags and
    view_intelligence read them as they read the models."""
    if not identity_ids:
        return {}, set()
    identities, empty, authorities = _plain_identities_and_records(identity_ids)
    flaggable = {
        identity.id
        for identity in identities.values()
        if any(FLAGGING_HISTORY - empty.get(record.id, FLAGGING_HISTORY) for record in identity.records)
    }
    records = [r for i in flaggable for r in identities[i].records]
    _plain_history(records, empty, authorities)
    return identities, flaggable


def _fill_history(records: list[PersonRecord], empty: dict[int, frozenset[str]], refresh: bool) -> None:
    """The records' collections that identity_flags reads, and their police items' authorities and
    recipients; `empty` holds, per record, the collections it holds none of (not queried for)."""
    wanting: dict[str, list[PersonRecord]] = {}
    # What each record has not loaded, worked out once: it walks every attribute of the record.
    unloaded = {record.id: set(RECORD_KEYS) if refresh else inspect(record).unloaded for record in records}
    for key, _, _ in RECORD_HISTORY:
        # A collection the records' own query found empty on every record is not queried for.
        owners = []
        for record in records:
            if key not in unloaded[record.id]:
                continue
            if key in empty.get(record.id, ()):
                set_committed_value(record, key, [])
            else:
                owners.append(record)
        if owners:
            wanting[key] = owners
    _fill_together(wanting, refresh)
    items = [item for record in records for item in record.intelligence_items]
    _fill_authorities(items, refresh)
    _fill_recipients(items, refresh)


def _fill_together(wanting: dict[str, list[PersonRecord]], refresh: bool) -> None:
    """Load each history collection `key` of the records wanting it, the collections of a group of
    HISTORY_READ_TOGETHER in one statement (see _history_statement), as committed values ordered as the
    relationships order them."""
    found = {key: {record.id: [] for record in owners} for key, owners in wanting.items()}
    foreign_keys = {key: foreign_key.key for key, foreign_key, _ in RECORD_HISTORY}
    for group in HISTORY_READ_TOGETHER:
        keys = tuple(key for key in group if key in wanting)
        if not keys:
            continue
        owners = sorted({record.id for key in keys for record in wanting[key]})
        for row in db.session.execute(_history_statement(keys, refresh), {"owners": owners}):
            for key, child in zip(keys, row, strict=True):
                if child is not None:
                    held = found[key].get(getattr(child, foreign_keys[key]))
                    if held is not None:  # a record whose collection was loaded already keeps it
                        held.append(child)
    orders = {key: order for key, _, order in RECORD_HISTORY}
    for key, owners_of_key in wanting.items():
        for record in owners_of_key:
            set_committed_value(record, key, _in_relationship_order(found[key][record.id], orders[key]))


def _in_relationship_order(children: list, order) -> list:
    """A history collection's rows ordered as its relationship orders them (then by id), ORM or plain."""
    if len(children) < 2:
        return children
    return sorted(children, key=lambda c: (*(getattr(c, o.key) for o in order), c.id))


# The kinds read in one statement: each row carries the columns of every kind in its group, so the kinds most
# records hold (a licence, a badge, a certificate) are not padded with the columns of the few that most hold
# none of (decisions, complaints, police items).
HISTORY_READ_TOGETHER = (("sanctions", "complaints", "intelligence_items"),
                         ("dbs_certificates", "badges", "licences"))
_HISTORY_STATEMENTS: dict = {}


def _history_statement(keys: tuple[str, ...], refresh: bool):
    """The rows of every collection in `keys` held by the records :owners, in one UNION ALL: a branch a
    collection, each row its own collection's columns and typed NULLs for the others', read positionally into
    one entity a collection (None in the others). One round trip where each collection was one."""
    dialect = _dialect()
    statement = _HISTORY_STATEMENTS.get((keys, refresh, dialect))
    if statement is not None:
        return statement
    by_key = {key: foreign_key for key, foreign_key, _ in RECORD_HISTORY}
    statement = _HISTORY_STATEMENTS[keys, refresh, dialect] = (
        select(*(by_key[key].class_ for key in keys))
        .from_statement(_history_text(keys))
        .execution_options(populate_existing=refresh)
    )
    return statement


def _history_text(keys: tuple[str, ...]):
    """The UNION ALL of _history_statement as a Core statement, its columns typed (each table's in turn)."""
    dialect = _dialect()
    statement = _HISTORY_STATEMENTS.get((keys, "text", dialect))
    if statement is not None:
        return statement
    compiler = db.session.get_bind().dialect
    by_key = {key: foreign_key for key, foreign_key, _ in RECORD_HISTORY}
    tables = [by_key[key].class_.__table__ for key in keys]
    branches = []
    for key, table in zip(keys, tables, strict=True):
        columns = [
            f'{c.table.name}."{c.name}"' if other is table else f"CAST(NULL AS {c.type.compile(compiler)})"
            for other in tables
            for c in other.columns
        ]
        owner = f'{table.name}."{by_key[key].key}"'
        where = (f"{owner} = ANY({planned_once_array_sql(':owners', 'INTEGER')})" if dialect == "postgresql"
                 else f"{owner} IN :owners")
        branches.append(f"SELECT {', '.join(columns)} FROM {table.name} WHERE {where}")  # noqa: S608
    owners = (bindparam("owners", type_=ARRAY(Integer)) if dialect == "postgresql"
              else bindparam("owners", expanding=True))
    statement = _HISTORY_STATEMENTS[keys, "text", dialect] = text(" UNION ALL ".join(branches)).bindparams(
        owners).columns(*(c for table in tables for c in table.columns))
    return statement


ADDRESS_ORDER = (Address.from_on.desc().nulls_last(), Address.id.desc())
# A record's collections that the flags read, each ordered as its relationship orders it.
RECORD_HISTORY = (
    ("sanctions", Sanction.person_record_id, (Sanction.decided_on,)),
    ("complaints", Complaint.person_record_id, (Complaint.received_on,)),
    ("intelligence_items", IntelligenceItem.person_record_id, ()),
    ("dbs_certificates", DbsCertificate.person_record_id, ()),
    ("badges", Badge.person_record_id, (Badge.id,)),
    ("licences", Licence.person_record_id, (Licence.id,)),
)


RECORD_KEYS = tuple(key for key, _, _ in RECORD_HISTORY)

# Per history collection, whether a record holds any of it: read with the records, so the history queries run
# only for collections some record holds (most records hold no decision, complaint or police item).
_HOLDS = tuple(
    select(foreign_key).where(foreign_key == PersonRecord.id).exists().label(f"holds_{key}")
    for key, foreign_key, _ in RECORD_HISTORY
)
_IDENTITIES_STATEMENTS: dict = {}


def _identities_statement(refresh: bool):
    """The identities with their records, the records' authorities and their addresses (outer joins: a merged
    identity holds no record, a record may hold no address) in one statement."""
    dialect = _dialect()
    statement = _IDENTITIES_STATEMENTS.get((refresh, dialect))
    if statement is None:
        statement = _IDENTITIES_STATEMENTS[refresh, dialect] = _identities_joined(
            (Identity, PersonRecord, Authority, Address, *_HOLDS), dialect
        ).execution_options(populate_existing=refresh)
    return statement


def _identities_joined(columns, dialect: str):
    """`columns` of the identities :owners, their records, the records' authorities and addresses, and which
    history each record holds (_HOLDS): the one shape of that read, as entities or as plain columns."""
    return (
        select(*columns)
        .select_from(Identity)
        .outerjoin(PersonRecord, PersonRecord.identity_id == Identity.id)
        .outerjoin(Authority, Authority.id == PersonRecord.authority_id)
        .outerjoin(Address, Address.person_record_id == PersonRecord.id)
        .where(_among_owners(Identity.id, dialect))
        .order_by(PersonRecord.id, *ADDRESS_ORDER)
    )


def _identities_and_records(identity_ids: list[int], refresh: bool) -> tuple[dict, dict[int, frozenset[str]]]:
    """The identities by id, each with its `records` (as _fill does) and each record's `authority` and
    `addresses`, and for each record the history collections it holds none of: one round trip, where the
    identities, their records, the authorities and the addresses were four (a record comes once an
    address)."""
    identities: dict[int, Identity] = {}
    found: dict[int, list] = {}
    addresses: dict[int, list] = {}
    empty: dict[int, frozenset[str]] = {}
    for identity, record, authority, address, *holds in db.session.execute(
        _identities_statement(refresh), {"owners": list(identity_ids)}
    ):
        identities[identity.id] = identity
        held = found.setdefault(identity.id, [])
        if record is None:
            continue
        if record.id not in addresses:
            held.append(record)
            addresses[record.id] = []
            if refresh or "authority" in inspect(record).unloaded:
                set_committed_value(record, "authority", authority)
            empty[record.id] = _held_none(tuple(holds))
        if address is not None:
            addresses[record.id].append(address)
    for identity in _wanting(list(identities.values()), "records", refresh):
        set_committed_value(identity, "records", found[identity.id])
    records = [record for held in found.values() for record in held]
    for record in _wanting(records, "addresses", refresh):
        set_committed_value(record, "addresses", addresses[record.id])
    return identities, empty


def _plain_class(model, relations: tuple[str, ...] = (), borrowed: tuple[str, ...] = (),
                 collections: tuple[str, ...] = ()) -> type:
    """A slotted class for `model`'s rows read through Core: its column attributes in the table's column
    order, then `relations` (set after), and the model's own `borrowed` methods and properties, so a rule
    the model holds (a decision that stands, a certificate's next check) keeps its one home. `collections`
    start empty."""
    mapper = inspect(model)
    keys = [mapper.get_property_by_column(column).key for column in model.__table__.columns]
    namespace = {name: model.__dict__[name] for name in borrowed}
    later = [(relation, object, field(default=None)) for relation in relations]
    later += [(collection, object, field(default=())) for collection in collections]
    name = f"Plain{model.__name__}"
    return make_dataclass(name, [*keys, *later], slots=True, eq=False, namespace=namespace)


PlainAuthority = _plain_class(Authority, borrowed=("contact_line",))
PlainAddress = _plain_class(Address)
PlainRecord = _plain_class(PersonRecord, ("authority", "addresses"), ("full_name", "current_address"),
                           collections=RECORD_KEYS)
PlainIdentity = _plain_class(Identity, ("records",))
# Per history collection: what is set on its rows after reading, and the model's rules they borrow.
_PLAIN_RELATIONS = {"sanctions": ("authority",), "complaints": ("authority",),
                    "intelligence_items": ("authority", "recipients"), "dbs_certificates": (),
                    "badges": ("authority",), "licences": ("authority",)}
_PLAIN_BORROWED = {"sanctions": ("stands_on",), "intelligence_items": ("grading",),
                   "dbs_certificates": ("next_status_check_due",)}
_PLAIN_HISTORY = {
    key: _plain_class(foreign_key.class_, _PLAIN_RELATIONS[key], _PLAIN_BORROWED.get(key, ()))
    for key, foreign_key, _ in RECORD_HISTORY
}
_FOREIGN_KEYS_TABLE = {key: foreign_key.class_.__table__ for key, foreign_key, _ in RECORD_HISTORY}
_PLAIN_IDENTITIES_STATEMENTS: dict = {}
_PLAIN_READ = (Identity, PersonRecord, Authority, Address)  # the plain statement's models, in column order


def _plain_identities_statement():
    """_identities_statement's identities, records, authorities, addresses and holdings, as columns."""
    dialect = _dialect()
    statement = _PLAIN_IDENTITIES_STATEMENTS.get(dialect)
    if statement is None:
        columns = [c for model in _PLAIN_READ for c in model.__table__.columns]
        statement = _PLAIN_IDENTITIES_STATEMENTS[dialect] = _identities_joined((*columns, *_HOLDS), dialect)
    return statement


def _plain_identities_and_records(
    identity_ids: list[int],
) -> tuple[dict[int, PlainIdentity], dict[int, frozenset[str]], dict[int, PlainAuthority]]:
    """As _identities_and_records, into plain objects; with the authorities read, by id."""
    ends = list(itertools.accumulate(len(model.__table__.columns) for model in _PLAIN_READ))
    identities: dict[int, PlainIdentity] = {}
    records: dict[int, PlainRecord] = {}
    authorities: dict[int, PlainAuthority] = {}
    empty: dict[int, frozenset[str]] = {}
    for row in db.session.execute(_plain_identities_statement(), {"owners": list(identity_ids)}):
        identity = identities.get(row[0])
        if identity is None:
            identity = identities[row[0]] = PlainIdentity(*row[: ends[0]], records=[])
        record_id = row[ends[0]]
        if record_id is None:
            continue
        record = records.get(record_id)
        if record is None:
            authority = None
            if row[ends[1]] is not None:
                authority = authorities.get(row[ends[1]])
                if authority is None:
                    authority = authorities[row[ends[1]]] = PlainAuthority(*row[ends[1] : ends[2]])
            record = PlainRecord(*row[ends[0] : ends[1]], authority=authority, addresses=[])
            records[record_id] = record
            identity.records.append(record)
            empty[record_id] = _held_none(tuple(row[ends[3] :]))
        if row[ends[2]] is not None:
            record.addresses.append(PlainAddress(*row[ends[2] : ends[3]]))
    return identities, empty, authorities


@functools.lru_cache(maxsize=128)
def _held_none(holds: tuple) -> frozenset[str]:
    """The history collections a record holds none of, from its _HOLDS columns (a few combinations)."""
    return frozenset(key for (key, _, _), has in zip(RECORD_HISTORY, holds, strict=True) if not has)


# Built once, as the history's own statements are: a search with police items on its cards asks each time.
_PLAIN_RECIPIENTS = select(
    intelligence_recipients.c.intelligence_item_id, intelligence_recipients.c.authority_id
).where(intelligence_recipients.c.intelligence_item_id.in_(bindparam("items", expanding=True)))
_PLAIN_AUTHORITIES = select(*Authority.__table__.columns).where(
    Authority.id.in_(bindparam("ids", expanding=True))
)


def _plain_history(records: list[PlainRecord], empty: dict[int, frozenset[str]],
                   authorities: dict[int, PlainAuthority]) -> None:
    """The records' history collections (those some record holds), their authorities and the police items'
    recipients, into plain objects: the statements _fill_history sends, read through Core. A collection
    nobody holds stays the record's empty default."""
    wanting = {key: {r.id: r for r in records if key not in empty.get(r.id, ())} for key in RECORD_KEYS}
    children: dict[str, list] = {key: [] for key in RECORD_KEYS}
    for group in HISTORY_READ_TOGETHER:
        keys = tuple(key for key in group if wanting[key])
        if not keys:
            continue
        ends = list(itertools.accumulate(len(_FOREIGN_KEYS_TABLE[key].columns) for key in keys))
        branches = list(zip(keys, [0, *ends[:-1]], ends, strict=True))
        owners = sorted({record_id for key in keys for record_id in wanting[key]})
        for row in db.session.execute(_history_text(keys), {"owners": owners}):
            for key, first, last in branches:
                if row[first] is not None:  # the branch this row came from (its id)
                    children[key].append(_PLAIN_HISTORY[key](*row[first:last]))
                    break
    for key, foreign_key, order in RECORD_HISTORY:
        held: dict[int, list] = {}
        for child in children[key]:
            held.setdefault(getattr(child, foreign_key.key), []).append(child)
        for record_id, kept in held.items():
            record = wanting[key].get(record_id)  # None: it held none when the records were read
            if record is None:
                continue
            setattr(record, key, _in_relationship_order(kept, order))
    items = children["intelligence_items"]
    recipients: dict[int, list[int]] = {item.id: [] for item in items}
    if items:
        for item_id, authority_id in db.session.execute(_PLAIN_RECIPIENTS, {"items": list(recipients)}):
            recipients[item_id].append(authority_id)
    owned = [child for key in RECORD_KEYS if "authority" in _PLAIN_RELATIONS[key] for child in children[key]]
    missing = {c.authority_id for c in owned} | {a for held in recipients.values() for a in held}
    missing -= set(authorities)
    if missing:
        for row in db.session.execute(_PLAIN_AUTHORITIES, {"ids": list(missing)}):
            authorities[row[0]] = PlainAuthority(*row)
    for child in owned:
        child.authority = authorities.get(child.authority_id)
    for item in items:
        item.recipients = [authorities[a] for a in recipients[item.id] if a in authorities]


def _wanting(owners: list, key: str, refresh: bool) -> list:
    """The owners whose `key` is not loaded yet (every owner on refresh): a loaded one is left as it is."""
    return [owner for owner in owners if refresh or key in inspect(owner).unloaded]


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _among_owners(column, dialect: str):
    """`column IN :owners`; on PostgreSQL `column = ANY(:owners)`, one statement text however many owners, so
    psycopg prepares it once on each connection and the server keeps one plan of it (planned_once_array; an
    expanding IN is a new text, parsed and planned anew, for each number of owners)."""
    if dialect == "postgresql":
        return column == any_(planned_once_array(bindparam("owners", type_=ARRAY(Integer))))
    return column.in_(bindparam("owners", expanding=True))


def _fill_authorities(owners: list, refresh: bool) -> None:
    """Each owner's `authority` (many-to-one): the few authorities not yet loaded in one query."""
    wanting = _wanting(owners, "authority", refresh)
    if not wanting:
        return
    ids = {owner.authority_id for owner in wanting}
    loaded = {} if refresh else {i: a for i in ids if (a := _loaded(Authority, i)) is not None}
    if len(loaded) < len(ids):
        loaded.update((a.id, a) for a in db.session.scalars(
            select(Authority).where(Authority.id.in_(ids - set(loaded)))
            .execution_options(populate_existing=refresh)))
    for owner in wanting:
        set_committed_value(owner, "authority", loaded.get(owner.authority_id))


def _loaded(model, ident: int):
    """The instance already in this session, without a query (None when it is not)."""
    return db.session.identity_map.get(db.session.identity_key(model, ident))


def _fill_recipients(items: list, refresh: bool) -> None:
    """Each police item's recipient authorities (the association table), in one query."""
    wanting = _wanting(items, "recipients", refresh)
    if not wanting:
        return
    found: dict[int, list[Authority]] = {item.id: [] for item in wanting}
    for item_id, authority in db.session.execute(
        select(intelligence_recipients.c.intelligence_item_id, Authority)
        .join(Authority, Authority.id == intelligence_recipients.c.authority_id)
        .where(intelligence_recipients.c.intelligence_item_id.in_(list(found)))
        .execution_options(populate_existing=refresh)
    ):
        found[item_id].append(authority)
    for item in wanting:
        set_committed_value(item, "recipients", found[item.id])


# What identities_with_history loads on each record; the person page skips reloading when all of it is there.
HISTORY = frozenset({"authority", "addresses", "sanctions", "complaints", "intelligence_items",
                     "dbs_certificates", "badges", "licences"})


def _history_loaded(identity: Identity) -> bool:
    """True when the identity's records and all that identity_flags reads are loaded (no lazy loads)."""
    if "records" in inspect(identity).unloaded:
        return False
    for record in identity.records:
        if HISTORY & inspect(record).unloaded:
            return False
        for item in record.intelligence_items:
            if {"recipients", "authority"} & inspect(item).unloaded:
                return False
    return True


def _on(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


SANCTION_VERBS = {
    SanctionType.REFUSAL: "Licence refused",
    SanctionType.REFUSAL_TO_RENEW: "Renewal refused",
    SanctionType.SUSPENSION: "Suspended",
    SanctionType.INTERIM_SUSPENSION: "Suspended pending investigation",
    SanctionType.REVOCATION: "Revoked",
}
SAFEGUARDING_GROUNDS = frozenset({GroundsCategory.SAFEGUARDING, GroundsCategory.SEXUAL_MISCONDUCT})
APPEAL_NOTES = {
    AppealOutcome.PENDING: " (appeal pending)",
    AppealOutcome.UPHELD: " (upheld on appeal)",
    AppealOutcome.ALLOWED: " (appeal allowed)",
    AppealOutcome.WITHDRAWN: " (appeal withdrawn)",
}


def sanction_sentence(sanction: Sanction) -> str:
    """'Revoked by Wycombe District Council on 20 Nov 2026: safeguarding', with any end date and appeal."""
    verb = SANCTION_VERBS.get(sanction.sanction_type, sanction.sanction_type.label)
    until = f" until {_on(sanction.ends_on)}" if sanction.ends_on else ""
    return (
        f"{verb} by {sanction.authority.name} on {_on(sanction.decided_on)}{until}: "
        f"{sanction.grounds.label.lower()}{APPEAL_NOTES.get(sanction.appeal_outcome, '')}"
    )


def _police_flag(identity: Identity, viewer: User | None) -> Flag | None:
    """The marker, with the force's point of contact, only where the viewer cannot read the summary."""
    items = [
        i
        for r in identity.records
        for i in r.intelligence_items
        if i.status is not IntelligenceStatus.WITHDRAWN
    ]
    if not items:
        return None
    shown = {i.id: view_intelligence(i, viewer) for i in items} if viewer is not None else {}
    withheld = [i for i in items if shown.get(i.id) is None or shown[i.id].level == "marker"]
    if withheld:
        forces = sorted({i.authority.id: i.authority for i in withheld}.values(), key=lambda a: a.name)
        text = "; ".join(police_marker(force) for force in forces)
    else:
        latest = max(items, key=lambda i: i.submitted_on)
        text = (
            f"Police information shared with you: {latest.category.label.lower()} "
            f"({latest.status.label.lower()}), {_on(latest.submitted_on)}"
            + (f", and {len(items) - 1} more" if len(items) > 1 else "")
        )
    return Flag("police_information", text, identity.id, "police-information", True)


def identity_flags(identity: Identity, today: dt.date, *, viewer: User | None = None) -> list[Flag]:
    """Flags from the whole identity, not one authority's part of it; the police marker depends on the
    viewer."""
    records = identity.records
    sanctions = [s for r in records for s in r.sanctions]
    flags: list[Flag] = []
    adverse = sorted(
        (s for s in sanctions if s.sanction_type.is_adverse), key=lambda s: s.decided_on, reverse=True
    )
    flags += [
        Flag(
            "adverse_decision",
            sanction_sentence(s),
            identity.id,
            f"sanction-{s.id}",
            s.grounds in SAFEGUARDING_GROUNDS,
        )
        for s in adverse
    ]
    window_start = add_months(today, -SEXUAL_COMPLAINT_WINDOW_MONTHS)
    serious = [
        c
        for r in records
        for c in r.complaints
        if c.category.is_sexual_or_safeguarding and c.received_on >= window_start
    ]
    if len(serious) >= 2:
        names = sorted({c.authority.name for c in serious})
        latest = max(c.received_on for c in serious)
        flags.append(
            Flag(
                "complaint_pattern",
                f"{len(serious)} sexual or safeguarding complaints in 24 months across "
                f"{len(names)} authorit{'y' if len(names) == 1 else 'ies'} ({', '.join(names)}), "
                f"the latest received {_on(latest)}",
                identity.id,
                "complaints",
                True,
            )
        )
    police = _police_flag(identity, viewer)
    if police is not None:
        flags.append(police)
    certificates = sorted((c for r in records for c in r.dbs_certificates), key=lambda c: c.issued_on)
    needs_dbs = any(is_current(held, today) for r in records for held in (*r.badges, *r.licences))
    if certificates and needs_dbs:
        latest_cert = certificates[-1]
        if not latest_cert.update_service_subscribed:
            flags.append(
                Flag(
                    "dbs_lapsed",
                    f"DBS Update Service subscription lapsed for certificate issued "
                    f"{_on(latest_cert.issued_on)}",
                    identity.id,
                    "dbs",
                )
            )
        elif latest_cert.next_status_check_due() < today:
            due = latest_cert.next_status_check_due()
            flags.append(
                Flag("dbs_overdue", f"DBS status check overdue since {_on(due)}", identity.id, "dbs")
            )
    standing = [s for s in sanctions if s.stands_on(today)]
    for record in records:
        for licence in record.licences:
            against = [s for s in standing if s.authority_id != licence.authority_id]
            if is_current(licence, today) and against:
                decision = against[0]
                text = (
                    f"Licensed by {licence.authority.name} (licence {licence.number}) while a decision "
                    f"stands: {sanction_sentence(decision)}"
                )
                flags.append(Flag("licensed_despite_decision", text, identity.id, f"licence-{licence.id}"))
                break
    return flags
