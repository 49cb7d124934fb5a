"""The import service, the only writer of imported data: check every row, then apply all or nothing.

The CLI and the web page both call `run_import`. It writes in the caller's transaction and never commits:
the caller commits a real import, and rolls back a dry run, so the dry run's counts (links and review items
included) are exactly what the import would do. A process killed part way leaves nothing, because nothing is
committed until the end."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import pickle
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from licensing.audit import record as audit
from licensing.auth.models import User
from licensing.authorities.models import Authority
from licensing.complaints.models import Complaint, ComplaintSource
from licensing.db import db, utcnow
from licensing.errors import RuleViolation
from licensing.imports.columns import COLUMN_NAMES, FieldError, RowValues, check_row
from licensing.imports.linking import (
    RememberedRecords,
    among,
    insert_returning_ids,
    insert_rows,
    link_records_batch,
)
from licensing.imports.models import ImportMapping
from licensing.imports.reader import Table, open_table
from licensing.licences.models import Badge, Licence
from licensing.matching import MatchRecord
from licensing.people.identity import link_new_record, to_match_record
from licensing.people.models import Address, Identity, NameKind, PersonName, PersonRecord
from licensing.people.rekey import mark_keys_current_if_fresh
from licensing.sanctions.models import Sanction

CHUNK = 500  # keys per IN (...) query
WRITE_CHUNK = 5000  # people written and linked together: fewer re-reads of shared candidates
MAX_REPORTED_ERRORS = 1000


SUMMARY_COUNTS = ("created", "updated", "unchanged", "invalid", "linked", "review")


def summary_line(counts: dict) -> str:
    """The CLI's machine-readable last line, from a report or the figures an import job stored."""
    return "import: " + " ".join(f"{name}={counts.get(name, 0)}" for name in SUMMARY_COUNTS)


@dataclass
class ImportReport:
    filename: str = ""
    sha256: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    linked: int = 0
    review: int = 0
    errors: list[FieldError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    skipped_lines: list[int] = field(default_factory=list)
    written: bool = False
    actor_label: str = ""  # who ran it when no user did (the CLI)

    def summary_line(self) -> str:
        return summary_line(self.as_dict())

    def as_dict(self) -> dict:
        return {
            "filename": self.filename,
            "sha256": self.sha256,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "invalid": self.invalid,
            "linked": self.linked,
            "review": self.review,
            "written": self.written,
            "ignored_columns": self.ignored_columns,
            "skipped_lines": self.skipped_lines,
            "errors": [
                {"line": e.line, "column": e.column, "message": e.message}
                for e in self.errors[:MAX_REPORTED_ERRORS]
            ],
        }


@dataclass
class Progress:
    """Callbacks the CLI (tqdm) or a test passes in; the service never prints."""

    start: Callable[[str, int], None] = lambda phase, total: None
    advance: Callable[[int], None] = lambda n: None


# ---- mappings --------------------


def check_mapping(columns: dict) -> dict[str, str]:
    """A mapping names register columns and the council's headings for them; anything else is refused."""
    if not isinstance(columns, dict):
        raise RuleViolation("A mapping is a JSON object of register column -> your heading")
    clean = {}
    for target, heading in columns.items():
        if target not in COLUMN_NAMES:
            raise RuleViolation(f"'{target}' is not an import column")
        if not isinstance(heading, str) or not heading.strip() or len(heading) > 100:
            raise RuleViolation(f"The heading for '{target}' must be text of 1 to 100 characters")
        clean[target] = heading.strip()
    lowered = [h.lower() for h in clean.values()]
    if len(set(lowered)) != len(lowered):
        raise RuleViolation("Two register columns are mapped to the same heading")
    return clean


def save_mapping(authority: Authority, name: str, columns: dict, *, actor: User | None) -> ImportMapping:
    """Create or replace one authority's named mapping."""
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise RuleViolation("Give the mapping a name of 1 to 60 characters")
    clean = check_mapping(columns)
    mapping = find_mapping(authority, name) or ImportMapping(authority_id=authority.id, name=name)
    mapping.columns = clean
    mapping.created_by_id = actor.id if actor else None
    db.session.add(mapping)
    db.session.flush()
    audit(
        actor,
        "import.mapping_saved",
        mapping,
        details={"authority": authority.code, "name": name, "columns": clean},
    )
    return mapping


def find_mapping(authority: Authority, name: str) -> ImportMapping | None:
    return db.session.scalar(
        select(ImportMapping).where(ImportMapping.authority_id == authority.id, ImportMapping.name == name)
    )


def authority_mappings(authority: Authority) -> list[ImportMapping]:
    return list(
        db.session.scalars(
            select(ImportMapping)
            .where(ImportMapping.authority_id == authority.id)
            .order_by(ImportMapping.name)
        )
    )


def _column_positions(table: Table, columns: dict[str, str], report: ImportReport) -> dict[str, int]:
    """Which cell of a row holds each register column; refuses a file without a usable header."""
    headings = [h.lower() for h in table.headers]
    duplicates = sorted({h for h in headings if h and headings.count(h) > 1})
    if duplicates:
        raise RuleViolation(f"Line 1: the heading '{duplicates[0]}' appears more than once")
    positions = {}
    for target in COLUMN_NAMES:
        heading = columns.get(target, target).lower()
        if heading in headings:
            positions[target] = headings.index(heading)
    missing = [c for c in ("local_reference", "surname") if c not in positions]
    if missing:
        if not positions:
            raise RuleViolation(
                "Line 1 is not a header row: the first line must name the columns "
                "(local_reference, forenames, surname, ...) or match the chosen mapping"
            )
        wanted = [columns.get(c, c) for c in missing]
        raise RuleViolation(f"Line 1: the header has no column {', '.join(repr(w) for w in wanted)}")
    used = set(positions.values())
    report.ignored_columns = [h for i, h in enumerate(table.headers) if i not in used and h]
    return positions


# ---- the import --------------------


def run_import(
    data: bytes | Path,
    filename: str,
    authority: Authority,
    *,
    actor: User | None,
    mapping: dict | None = None,
    valid_rows_only: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    actor_label: str = "",
) -> ImportReport:
    """Check every row; unless a row is invalid (or valid rows only was asked), write and link them.

    The file (bytes, or a path so it is never held whole) is read once as a stream: the checking pass keeps
    only each person's reference, first row and row count, and spills each checked row to an unnamed
    temporary file, which the writing pass reads back a chunk of people at a time. Raises ImportFileError
    or RuleViolation for a file that cannot be read at all. Never commits."""
    progress = progress or Progress()
    report = ImportReport(filename=filename, actor_label=actor_label)
    table = open_table(data, filename)
    report.sha256 = table.sha256
    positions = _column_positions(table, mapping or {}, report)
    progress.start("checking", 0)
    with tempfile.TemporaryFile() as spill:  # unlinked at once: nothing is left if the process is killed
        plan = _check(_checked_rows(table, positions, report, progress, spill), authority, report)
        report.invalid = len({e.line for e in report.errors})
        if report.errors and not valid_rows_only:
            return report
        report.skipped_lines = sorted({e.line for e in report.errors})
        progress.start("writing", plan.kept)
        mark_keys_current_if_fresh()
        people = _people(_spilled_rows(spill, set(report.skipped_lines)), plan)
        with _large_page_cache():
            _apply(people, authority, plan=plan, actor=actor, report=report, progress=progress)
    if not dry_run:  # a dry run is rolled back by its caller, so it leaves no audit row either
        audit(
            actor,
            "import.committed",
            authority,
            email=actor_label,
            reason=f"Import of {filename}",
            details={k: v for k, v in report.as_dict().items() if k != "errors"}
            | {"valid_rows_only": valid_rows_only, "authority": authority.code},
        )
    report.written = not dry_run
    return report


@contextlib.contextmanager
def _large_page_cache(kib: int = 256 * 1024) -> Iterator[None]:
    """On SQLite, a page cache big enough for the blocking-key index while the import writes (the default
    2 MB makes each of some thirty key inserts a record a read from disk); restored afterwards."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(before)}")


SPILL_BATCH = 1000  # checked rows pickled together: one pickle call per thousand rows, not per row


def _checked_rows(
    table: Table, positions: dict[str, int], report: ImportReport, progress: Progress, spill
) -> Iterator[tuple[RowValues, list[FieldError]]]:
    """Each row checked on its own, in file order, with its errors; rows without errors also go to spill,
    so the writing pass need not read and check the file again."""
    width = len(table.headers)
    batch: list[tuple[int, dict]] = []
    for line, cells in table.rows():
        report.rows += 1
        errors: list[FieldError] = []
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            errors.append(FieldError(line, "(row)", f"has {len(cells)} fields but the header names {width}"))
        values = {name: (cells[i] if i < len(cells) else "") for name, i in positions.items()}
        row, field_errors = check_row(line, values)
        progress.advance(1)
        if not errors and not field_errors:
            batch.append((line, row.values))
            if len(batch) == SPILL_BATCH:
                pickle.dump(batch, spill, protocol=pickle.HIGHEST_PROTOCOL)
                batch = []
        yield row, errors + field_errors
    if batch:
        pickle.dump(batch, spill, protocol=pickle.HIGHEST_PROTOCOL)


def _spilled_rows(spill, skipped: set[int]) -> Iterator[RowValues]:
    """The writing pass: the rows the checking pass kept, read back from its spill file in file order."""
    spill.seek(0)
    while True:
        try:
            batch = pickle.load(spill)  # noqa: S301 (this process's own unnamed temporary file)
        except EOFError:
            return
        for line, values in batch:
            if line not in skipped:
                yield RowValues(line, values)


@dataclass
class _Plan:
    """What the checking pass keeps: per person, not per row, and no row's values beyond a signature."""

    record_ids: dict[str, int] = field(default_factory=dict)  # local_reference -> existing record id
    rows_left: dict[str, int] = field(default_factory=dict)  # local_reference -> kept rows
    kept: int = 0


NUMBER_COLUMNS = ("licence_number", "badge_number")


def _signature(row: RowValues) -> str:
    return "\x1f".join(repr(row.get(name)) for name in PERSON_COLUMNS)


def _check(
    rows: Iterable[tuple[RowValues, list[FieldError]]], authority: Authority, report: ImportReport
) -> _Plan:
    """Errors of each row, of a person's rows that disagree, and of licence and badge numbers that are
    someone else's (licences per authority, badges register-wide) or repeated in the file. A person may take
    several rows (one per licence, badge, decision or complaint): the rows share a local_reference, and each
    person column is blank or the same as before."""
    first: dict[str, tuple[int, str, str]] = {}  # KEY -> (line, reference as written, signature)
    counted: Counter = Counter()
    numbers: list[tuple[int, str, str, str]] = []  # (line, reference, column, number) of rows valid so far
    for row, errors in rows:
        reference = row.get("local_reference")
        if reference and not errors:
            key = reference.upper()
            earlier = first.get(key)
            if earlier is None:
                first[key] = (row.line, reference, _signature(row))
            else:
                errors += _disagreements(earlier, row)
        if errors:
            report.errors.extend(errors)
            continue
        counted[reference] += 1
        numbers += [(row.line, reference, c, row.get(c)) for c in NUMBER_COLUMNS if row.get(c)]
    plan = _Plan(record_ids=_existing_ids(authority, {reference for _, reference, _ in first.values()}))
    owners = {
        "licence_number": _numbers_in_use(
            Licence, [n for _, _, c, n in numbers if c == "licence_number"], authority=authority
        ),
        "badge_number": _numbers_in_use(
            Badge, [n for _, _, c, n in numbers if c == "badge_number"], authority=None
        ),
    }
    in_file: dict[tuple[str, str], int] = {}
    dropped: dict[int, str] = {}
    for line, reference, column, number in numbers:
        record_id = plan.record_ids.get(reference)
        owner = owners[column]
        if number in owner and owner[number] != record_id:
            report.errors.append(FieldError(line, column, f"'{number}' already belongs to another person"))
            dropped[line] = reference
        elif (column, number) in in_file:
            earlier = in_file[(column, number)]
            report.errors.append(FieldError(line, column, f"'{number}' is also on line {earlier}"))
            dropped[line] = reference
        else:
            in_file[(column, number)] = line
    for reference in dropped.values():
        counted[reference] -= 1
    plan.rows_left = {reference: n for reference, n in counted.items() if n}
    plan.kept = sum(plan.rows_left.values())
    report.errors.sort(key=lambda e: (e.line, e.column))
    return plan


def _people(rows: Iterable[RowValues], plan: _Plan) -> Iterator[tuple[str, list[RowValues]]]:
    """Each person's rows, people in the order of their first row, as soon as their last row is read: only
    people whose rows are still to come are held."""
    left = dict(plan.rows_left)
    waiting: dict[str, list[RowValues]] = {}  # insertion order is first-row order
    for row in rows:
        reference = row.get("local_reference")
        waiting.setdefault(reference, []).append(row)
        left[reference] -= 1
        while waiting:
            head = next(iter(waiting))
            if left[head]:
                break
            yield head, waiting.pop(head)


def _disagreements(earlier: tuple[int, str, str], row: RowValues) -> list[FieldError]:
    """A person's later row must not contradict its first: each person column blank or the same."""
    line, reference, signature = earlier
    errors = []
    if row.get("local_reference") != reference:
        errors.append(FieldError(row.line, "local_reference", f"'{row.get('local_reference')}' is written "
                                 f"differently on line {line}: spell one person's reference one way"))
    for name, first_value in zip(PERSON_COLUMNS, signature.split("\x1f"), strict=True):
        value = row.get(name)
        if value is not None and repr(value) != first_value:
            errors.append(FieldError(row.line, name, f"differs from line {line}, the same person's "
                                     "first row: leave it blank or repeat it"))
    return errors


def _existing_ids(authority: Authority, references: set[str]) -> dict[str, int]:
    """local_reference -> record id of the file's people the authority already holds (two columns only)."""
    found: dict[str, int] = {}
    wanted = sorted(references)
    for start in range(0, len(wanted), CHUNK):
        found.update(
            db.session.execute(
                select(PersonRecord.authority_reference, PersonRecord.id).where(
                    PersonRecord.authority_id == authority.id,
                    among(PersonRecord.authority_reference, wanted[start : start + CHUNK]),
                )
            ).all()
        )
    return found


def _existing_records(authority: Authority, references: list[str]) -> dict[str, PersonRecord]:
    found: dict[str, PersonRecord] = {}
    for start in range(0, len(references), CHUNK):
        chunk = references[start : start + CHUNK]
        for record in db.session.scalars(
            select(PersonRecord)
            .where(PersonRecord.authority_id == authority.id, among(PersonRecord.authority_reference, chunk))
            .options(
                selectinload(PersonRecord.addresses),
                selectinload(PersonRecord.other_names),
                selectinload(PersonRecord.licences),
                selectinload(PersonRecord.badges),
                selectinload(PersonRecord.sanctions),
                selectinload(PersonRecord.complaints),
            )
        ):
            found[record.authority_reference] = record
    return found


def _numbers_in_use(model, numbers: list[str], *, authority: Authority | None) -> dict[str, int]:
    """number -> person_record_id for licences (per authority) or badges (register-wide)."""
    found: dict[str, int] = {}
    for start in range(0, len(numbers), CHUNK):
        query = select(model.number, model.person_record_id).where(
            among(model.number, numbers[start : start + CHUNK])
        )
        if authority is not None:
            query = query.where(model.authority_id == authority.id)
        found.update(dict(db.session.execute(query).all()))
    return found


PERSON_COLUMNS = (
    "forenames",
    "surname",
    "date_of_birth",
    "sex",
    "address_line",
    "town",
    "postcode",
    "national_insurance",
    "driving_licence_number",
    "phone",
    "email",
    "previous_names",
)
PERSON_FIELDS = (
    "forenames",
    "surname",
    "date_of_birth",
    "sex",
    "phone",
    "email",
    "driving_licence_number",
    "national_insurance",
)


def _previous_names(row: RowValues) -> list[tuple[str, str]]:
    names = []
    for full in (row.get("previous_names") or "").split(";"):
        parts = full.strip().rsplit(" ", 1)
        if parts[0]:
            names.append((parts[0], parts[1]) if len(parts) == 2 else ("", parts[0]))
    return names


def _apply(
    people: Iterable[tuple[str, list[RowValues]]],
    authority: Authority,
    *,
    plan: _Plan,
    actor: User | None,
    report: ImportReport,
    progress: Progress,
) -> None:
    """Write the checked people a chunk at a time: new people by bulk insert and batch linking, people
    already held through the ORM (their changes are few), then re-link those whose details changed."""
    today = dt.date.today()
    relink: list[tuple[PersonRecord, object]] = []
    remembered = RememberedRecords()  # this import's new records, candidates of its later chunks
    with _frozen_between_chunks() as settle:
        for n, chunk in enumerate(_batches(people, WRITE_CHUNK)):
            if n:
                settle()
            _apply_chunk(chunk, authority, plan=plan, actor=actor, report=report, today=today,
                         relink=relink, remembered=remembered)
            progress.advance(sum(len(rows) for _, rows in chunk))
    progress.start("re-linking changed records", len(relink))
    for record, previous in relink:  # changed identifying details: the single-record path, as a form edit
        single = link_new_record(record, actor=actor, previous=previous)
        report.linked += len(single.linked)
        report.review += len(single.queued)
        progress.advance(1)


class _CollectorOffWhileWriting:
    """The cyclic collector off while chunks are written, by however many imports this process runs at once
    (the web process runs them in threads): the first to start turns it off, the last to finish unfreezes
    it and turns it back on if it was. Between chunks, `settle` collects the garbage of the chunk just
    written and moves every object still alive into the collector's permanent generation (gc.freeze), where
    it is never scanned again. An import keeps millions of small objects alive (its remembered records among
    them), and each full collection scanned all of them again: ~17% of an import's CPU at 100,000 rows."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._writing = 0
        self._was_enabled = True

    @contextlib.contextmanager
    def __call__(self) -> Iterator[Callable[[], None]]:
        with self._lock:
            if not self._writing:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._writing += 1
        try:
            yield self.settle
        finally:
            with self._lock:
                self._writing -= 1
                if not self._writing:
                    gc.unfreeze()
                    if self._was_enabled:
                        gc.enable()

    @staticmethod
    def settle() -> None:
        gc.collect()
        gc.freeze()


_frozen_between_chunks = _CollectorOffWhileWriting()


def _apply_chunk(
    chunk: list[tuple[str, list[RowValues]]],
    authority: Authority,
    *,
    plan: _Plan,
    actor: User | None,
    report: ImportReport,
    today: dt.date,
    relink: list[tuple[PersonRecord, object]],
    remembered: RememberedRecords,
) -> None:
    """One chunk of people: the held ones updated through the ORM, the new ones inserted and batch-linked."""
    held = [reference for reference, _ in chunk if reference in plan.record_ids]
    existing = _existing_records(authority, held) if held else {}
    new: list[list[RowValues]] = []
    for reference, person_rows in chunk:
        record = existing.get(reference)
        if record is None:
            new.append(person_rows)
            continue
        previous = to_match_record(record)
        person_changed = _update_person(record, _person_values(person_rows), today)
        history_changed = False
        for row in person_rows:
            history_changed |= _add_history(record, row, authority, actor=actor, today=today)
        if person_changed:
            relink.append((record, previous))
        if person_changed or history_changed:
            record.updated_at = utcnow()  # a row update, so the version moves even for a licence alone
            report.updated += 1
            audit(actor, "person_record.updated", record, email=report.actor_label,
                  details={"import": report.filename})
        else:
            report.unchanged += 1
    db.session.flush()
    created = _insert_new(new, authority, actor=actor, report=report)
    outcome = link_records_batch(created, actor=actor, email=report.actor_label, remembered=remembered)
    report.created += len(created)
    report.linked += len(outcome.linked)
    report.review += len(outcome.queued)


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _person_values(person_rows: list[RowValues]) -> RowValues:
    """The person's columns from their rows (checked to agree), on the first row's line."""
    values: dict = {}
    for row in person_rows:
        for name, value in row.values.items():
            values.setdefault(name, value)
    return RowValues(person_rows[0].line, values)


def _runs(pairs: list[tuple[int, int]]) -> list[list[int]]:
    """(line, id) pairs as [first line, last line, first id] runs where both count up together."""
    runs: list[list[int]] = []
    for line, record_id in pairs:
        if runs and line == runs[-1][1] + 1 and record_id == runs[-1][2] + line - runs[-1][0]:
            runs[-1][1] = line
        else:
            runs.append([line, line, record_id])
    return runs


def _insert_new(
    people: list[list[RowValues]], authority: Authority, *, actor: User | None, report: ImportReport
) -> list[tuple[int, MatchRecord]]:
    """Insert new people and everything their rows hold with one executemany per table, and one audit event
    naming every record created (file line -> record id); returns (id, engine record) to link."""
    if not people:
        return []
    now = utcnow()
    persons = [_person_values(rows) for rows in people]
    fresh = {"created_at": now, "merged_into_id": None}
    identity_ids = insert_returning_ids(Identity.__table__, [fresh] * len(people))
    record_ids = insert_returning_ids(
        PersonRecord.__table__,
        [
            {
                "authority_id": authority.id,
                "identity_id": identity_id,
                "authority_reference": person.get("local_reference"),
                **{name: person.get(name, None if name == "date_of_birth" else "") for name in PERSON_FIELDS},
                "created_at": now,
                "updated_at": now,
                "version_id": 1,
            }
            for person, identity_id in zip(persons, identity_ids, strict=True)
        ],
    )
    addresses, names, licences, badges = [], [], [], []
    for record_id, person in zip(record_ids, persons, strict=True):
        if person.get("address_line") or person.get("postcode"):
            addresses.append({"person_record_id": record_id, "line1": person.get("address_line", ""),
                              "line2": "", "town": person.get("town", ""),
                              "postcode": person.get("postcode", ""), "from_on": None, "to_on": None})
        for forenames, surname in _previous_names(person):
            names.append({"person_record_id": record_id, "kind": NameKind.PREVIOUS, "forenames": forenames,
                          "surname": surname})
    for record_id, rows in zip(record_ids, people, strict=True):
        for row in rows:
            if row.get("licence_number"):
                licences.append({"person_record_id": record_id, "authority_id": authority.id,
                                 "number": row.get("licence_number"), **_licence_values(row),
                                 "conditions": "", "vehicle_registration": "", "created_at": now,
                                 "version_id": 1})
            if row.get("badge_number"):
                badges.append({"person_record_id": record_id, "authority_id": authority.id,
                               "number": row.get("badge_number"), **_badge_values(row), "status_reason": "",
                               "created_at": now, "version_id": 1})
    for table, values in ((Address.__table__, addresses), (PersonName.__table__, names),
                          (Badge.__table__, badges)):
        insert_rows(table, values)
    licence_id: dict[tuple[int, str], int] = {}
    if licences:
        ids = insert_returning_ids(Licence.__table__, licences)
        licence_id = {(v["person_record_id"], v["number"]): i for v, i in zip(licences, ids, strict=True)}
    sanctions, complaints = [], []
    for record_id, rows in zip(record_ids, people, strict=True):
        decisions, received = set(), set()
        for row in rows:
            key = (row.get("decision_type"), row.get("decision_date"), row.get("decision_grounds"))
            if key[0] and key not in decisions:
                decisions.add(key)
                sanctions.append(
                    {"person_record_id": record_id, "authority_id": authority.id,
                     "licence_id": licence_id.get((record_id, row.get("licence_number"))),
                     **_decision_values(row, authority, actor), "ends_on": None, "created_at": now}
                )
            key = (row.get("complaint_date"), row.get("complaint_category"))
            if key[0] and key not in received:
                received.add(key)
                complaints.append({"person_record_id": record_id, "authority_id": authority.id,
                                   **_complaint_values(row, actor), "created_at": now})
    for table, values in ((Sanction.__table__, sanctions), (Complaint.__table__, complaints)):
        insert_rows(table, values)
    audit(
        actor,
        "import.records_created",
        authority,
        email=report.actor_label,
        reason=f"Import of {report.filename}",
        details={
            "import": report.filename,
            "authority": authority.code,
            "count": len(record_ids),
            "records": _runs([(p.line, i) for p, i in zip(persons, record_ids, strict=True)]),
            "runs": "[first line, last line, first id]: line n made record first id + n - first line",
        },
    )
    return [
        (record_id, _match_record(record_id, person, authority))
        for record_id, person in zip(record_ids, persons, strict=True)
    ]


def _match_record(record_id: int, person: RowValues, authority: Authority) -> MatchRecord:
    """to_match_record of the record _insert_new writes for this person, without reading it back."""
    has_address = bool(person.get("address_line") or person.get("postcode"))
    birth = person.get("date_of_birth")
    return MatchRecord(
        record_id=str(record_id),
        source=authority.code,
        forenames=person.get("forenames", ""),
        surname=person.get("surname", ""),
        other_names=tuple(f"{f} {s}".strip() for f, s in _previous_names(person)),
        date_of_birth=birth.isoformat() if birth else "",
        sex=person.get("sex", ""),
        postcodes=(person.get("postcode", ""),) if has_address else (),
        address_lines=(person.get("address_line", ""),) if has_address else (),
        national_insurance=person.get("national_insurance", ""),
        driving_licence_number=person.get("driving_licence_number", ""),
    )


def _licence_values(row: RowValues) -> dict:
    return {
        "licence_type": row.get("licence_type"),
        "status": row.get("licence_status"),
        "issued_on": row.get("licence_start"),
        "expires_on": row.get("licence_expiry"),
    }


def _badge_values(row: RowValues) -> dict:
    return {
        "badge_type": row.get("badge_type"),
        "status": row.get("badge_status"),
        "issued_on": row.get("badge_start"),
        "expires_on": row.get("badge_expiry"),
        "operator_name": row.get("badge_operator"),
    }


def _decision_values(row: RowValues, authority: Authority, actor: User | None) -> dict:
    return {
        "sanction_type": row.get("decision_type"),
        "decided_on": row.get("decision_date"),
        "effective_on": row.get("decision_date"),
        "grounds": row.get("decision_grounds"),
        "decision_maker": f"Imported from {authority.code}"[:120],
        "narrative": row.get("decision_narrative", ""),
        "recorded_by_id": actor.id if actor else None,
    }


def _complaint_values(row: RowValues, actor: User | None) -> dict:
    return {
        "received_on": row.get("complaint_date"),
        "category": row.get("complaint_category"),
        "source": row.get("complaint_source") or ComplaintSource.OTHER_AUTHORITY,
        "narrative": row.get("complaint_narrative", ""),
        "recorded_by_id": actor.id if actor else None,
    }


def _update_person(record: PersonRecord, row: RowValues, today: dt.date) -> bool:
    changed = False
    for name in PERSON_FIELDS:
        value = row.get(name, None if name == "date_of_birth" else "")
        if getattr(record, name) != value:
            setattr(record, name, value)
            changed = True
    current = record.current_address
    if (row.get("address_line") or row.get("postcode")) and (
        current is None
        or (current.line1, current.postcode) != (row.get("address_line", ""), row.get("postcode", ""))
    ):
        if current is not None and current.to_on is None:
            current.to_on = today
        record.addresses.append(
            Address(
                line1=row.get("address_line", ""),
                town=row.get("town", ""),
                postcode=row.get("postcode", ""),
                from_on=today,
            )
        )
        changed = True
    known = {(n.forenames, n.surname) for n in record.other_names}
    for forenames, surname in _previous_names(row):
        if (forenames, surname) not in known:
            record.other_names.append(
                PersonName(kind=NameKind.PREVIOUS, forenames=forenames, surname=surname)
            )
            changed = True
    return changed


def _add_history(
    record: PersonRecord, row: RowValues, authority: Authority, *, actor: User | None, today: dt.date
) -> bool:
    """One row's licence, badge, decision and complaint: added once, updated if the file says otherwise."""
    changed = False
    licence = None
    if row.get("licence_number"):
        licence = next((lic for lic in record.licences if lic.number == row.get("licence_number")), None)
        wanted = _licence_values(row)
        if licence is None:
            licence = Licence(authority_id=authority.id, number=row.get("licence_number"), **wanted)
            record.licences.append(licence)
            changed = True
        elif any(getattr(licence, k) != v for k, v in wanted.items()):
            for k, v in wanted.items():
                setattr(licence, k, v)
            changed = True
    if row.get("badge_number"):
        badge = next((b for b in record.badges if b.number == row.get("badge_number")), None)
        wanted = _badge_values(row)
        if badge is None:
            record.badges.append(Badge(authority_id=authority.id, number=row.get("badge_number"), **wanted))
            changed = True
        elif any(getattr(badge, k) != v for k, v in wanted.items()):
            for k, v in wanted.items():
                setattr(badge, k, v)
            changed = True
    if row.get("decision_type"):
        key = (row.get("decision_type"), row.get("decision_date"), row.get("decision_grounds"))
        if not any((s.sanction_type, s.decided_on, s.grounds) == key for s in record.sanctions):
            record.sanctions.append(
                Sanction(
                    authority_id=authority.id, licence=licence, **_decision_values(row, authority, actor)
                )
            )
            changed = True
    if row.get("complaint_date"):
        key = (row.get("complaint_date"), row.get("complaint_category"))
        if not any((c.received_on, c.category) == key for c in record.complaints):
            record.complaints.append(
                Complaint(authority_id=authority.id, **_complaint_values(row, actor))
            )
            changed = True
    return changed


class RowInvalid(RuleViolation):
    """One record's fields are invalid; `errors` name each field."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{e.column}: {e.message}" for e in errors))


class StaleRecord(RuleViolation):
    """The record changed since the caller read it (optimistic locking)."""


def import_record(
    cells: dict[str, str],
    authority: Authority,
    *,
    actor: User,
    expected_version: int | None,
) -> tuple[PersonRecord, ImportReport]:
    """Create or update one record as a one-row import: the same checks, writes and linking as a file."""
    report = ImportReport(filename="api")
    row, errors = check_row(1, {k: v for k, v in cells.items() if k in COLUMN_NAMES})
    if errors:
        raise RowInvalid(errors)
    plan = _check([(row, [])], authority, report)
    if report.errors:
        raise RowInvalid(report.errors)
    reference = row.get("local_reference")
    existing = None
    if reference in plan.record_ids:
        existing = _existing_records(authority, [reference])[reference]
    if existing is not None and expected_version is not None and existing.version_id != expected_version:
        raise StaleRecord(
            f"Record {existing.authority_reference} was changed by someone else "
            f"(version {existing.version_id}, not {expected_version}): read it again"
        )
    _apply([(reference, [row])], authority, plan=plan, actor=actor, report=report, progress=Progress())
    record = existing or db.session.scalar(
        select(PersonRecord).where(
            PersonRecord.authority_id == authority.id,
            PersonRecord.authority_reference == reference,
        )
    )
    return record, report
