"""Search recall and latency at register scale: python bench/search_latency.py [--sizes ...]
[--databases ...] [--queries N] [--kinds K,...] [--misses FILE] [--profile PREFIX] [--keep DIR].

``--keep DIR`` keeps each SQLite database in DIR and reuses it on the next run (a million records take many
minutes to build); PostgreSQL is then kept too, in a cluster in DIR/pg (bench/kept_postgres.py), and loaded by
copying the kept SQLite file of the same size when there is one. Without it PostgreSQL is loaded afresh.
Beside wall times, each run prints this process's CPU time per query (the machine may be shared; the
PostgreSQL server's own CPU is not counted).

For each size and database: bulk-load the seed population (bench/bulk_load.py; every record its own
identity) into a freshly migrated SQLite file or a throwaway PostgreSQL 15 cluster, ANALYZE (PostgreSQL), warm
up with queries that are not timed, then run ``search_people`` as a licensing officer over a fixed mix of
queries, each in a fresh session as in a web request. Prints, per query kind, recall@10 for South Asian and
for other names, p50, p95, p99 and max, and beside them a brute-force ``rapidfuzz.process.extract`` (scorer
``ratio``, limit 10) over every full name in the same process: its p50 and its recall@10. Writes the table to
bench/results/search_latency.txt. Temporary files and the server are removed at the end.

A name-bearing query is written as one record of a person has it (spelling, order, date of birth) and must
find another record of that person; identifier and postcode queries use the target record's own value. Pairs
with a changed surname are left out of the kinds with no date of birth (a name alone cannot find a married
name). ``--queries N`` queries of each kind (default 100: one query is one point of recall), each kind drawn
from its own seeded generator, so a kind's queries are the same whatever N and ``--kinds``.

recall@10: the target record is among the hits for the first 10 people. bulk_load leaves every record its own
identity, where the register links a person's records into one, so the person's other records (the query is
written as one of them, which ranks first) do not push the target down. "Answerable" recall is over the
queries that fewer than 10 other people fit as well as the target does: those holding the typed name or the
target record's name (canonical tokens, so spellings of one name are one; any order; within the age for
name_age), or, when the target's name has more words than the typed one, the typed name with as many words
more; or the same birth date for dob_only. The count before round 12, without the longer names, is printed
beside it ("by names"). ``--misses FILE`` writes each missed query with the target's
rank, whether it was a candidate at all, and the hits above it with the engine's worded evidence.

Kinds:
  name_only          forenames + surname
  name_dob           forenames + surname + date of birth
  swap_only          the names the other way round
  swap_dob           the same with the date of birth
  name_dob_postcode  forenames + surname + date of birth + current postcode
  dvla_only          driving licence number alone
  ni_only            National Insurance number alone
  postcode_only      current postcode alone
  surname_only       a surname alone, a quarter of them clan names (Syed, Chaudhry, Sheikh, Mirza); the
                     target counts as found on any page the officer can page through
  name_age           forenames + surname + approximate age (within two years of the truth)
  dob_only           date of birth alone
  reference          a licence or badge number
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import json
import os
import random
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bulk_load import (  # noqa: E402
    VIEWER_EMAIL,
    badge_number,
    bulk_load,
    create_postgres_database,
    licence_number,
    migrate,
    postgres_cluster,
    postgres_url,
    vacuum_analyze,
)
from bench.kept_postgres import copy_from_sqlite, kept_cluster  # noqa: E402
from config import TestingConfig  # noqa: E402
from licensing import create_app  # noqa: E402
from licensing.matching import canonical_name  # noqa: E402
from licensing.matching.identifiers import normalise_dvla_number, normalise_ni, normalise_postcode  # noqa: E402
from licensing.register.search import SearchCriteria, search_people  # noqa: E402
from seed.population import generate_population  # noqa: E402

KINDS = (
    "name_only",
    "name_dob",
    "swap_only",
    "swap_dob",
    "name_dob_postcode",
    "dvla_only",
    "ni_only",
    "postcode_only",
    "surname_only",
    "name_age",
    "dob_only",
    "reference",
)
# Kinds whose recall is counted anywhere in the ranked list the officer can page through, not in the top 10:
# a common surname alone matches thousands, and the officer is told how many and pages on.
PAGED_RECALL = ("surname_only",)
NAMED = ("name_only", "name_dob", "swap_only", "swap_dob", "name_dob_postcode", "surname_only", "name_age")
CLAN_NAMES = ("Syed", "Chaudhry", "Choudhry", "Sheikh", "Mirza")
TODAY = dt.date(2026, 11, 1)
TARGET_MS = 50.0
TARGET_RECALL = 0.99
RESULTS = Path(__file__).resolve().parent / "results" / "search_latency.txt"


@dataclass(frozen=True)
class Query:
    kind: str
    criteria: SearchCriteria
    target: int  # the register id of the record that must be found (bulk_load: record n is identity n)
    group: str  # "south_asian" or "other" (the seed's name group of the person)
    namesakes: int = 0  # other people whose records fit the query exactly as written (see _namesakes)
    # The count before round 12: holders of the typed name or the target's name only (no middle names).
    named_holders: int = 0


# ----------------------------------------------------------------------------------------------------
# Queries
# ----------------------------------------------------------------------------------------------------
def _name_key(forenames: str, surname: str) -> str:
    """A name as the engine can tell it apart: canonical tokens (spellings of one name made one, so Mohd,
    Muhammad and Mohammed are the same), in any order."""
    return canonical_name(forenames, surname)


def _people_by_name_and_date(records) -> dict:
    """Who holds each full name (any order), each name within a longer one ("wider": the name's tokens and
    the longer name's length) and each birth date (day and month in either order)."""
    by: dict = {"name": {}, "wider": {}, "dob": {}}
    for r in records:
        if r.authority_code == "TVP":
            continue
        key = _name_key(r.forenames, r.surname)
        by["name"].setdefault(key, {})[r.true_person_id] = r.date_of_birth
        tokens = key.split()
        for size in range(2, len(tokens)):
            for part in dict.fromkeys(combinations(tokens, size)):
                by["wider"].setdefault((" ".join(part), len(tokens)), {})[r.true_person_id] = r.date_of_birth
        d = r.date_of_birth
        by["dob"].setdefault((d.year, *sorted((d.month, d.day))), set()).add(r.true_person_id)
    return by


def _namesakes(
    by: dict, kind: str, criteria: SearchCriteria, target: int, target_name: str = "", *, wider: bool = True
) -> int:
    """Other people no ranking can tell from the target by what was typed: those holding the typed name, those
    holding the target record's own name, and, when the target's name has more words than the typed one,
    those holding the typed name with as many words more (Anthony David Jones fits "Jones Anthony" as well as
    Anthony Matthew Jones does: all that was typed, and one word more). They fit the query at least as well
    as the target does. With 10 or more, only chance puts the target in the top 10 (a common name with no
    date, or a birth date alone). ``wider=False`` leaves out the longer names (the count before round 12)."""
    person = _TRUE_PERSON[target]
    if kind in ("name_only", "swap_only", "name_age"):
        typed = _name_key(criteria.forenames, criteria.surname)
        holders = dict(by["name"].get(typed, {}))
        holders.update(by["name"].get(target_name, {}))
        if wider and len(target_name.split()) > len(typed.split()):
            holders.update(by["wider"].get((typed, len(target_name.split())), {}))
        if kind == "name_age":
            year = TODAY.year - (criteria.approximate_age or 0)
            holders = {p: d for p, d in holders.items() if abs(d.year - year) <= 5}
        return len(set(holders) - {person})
    if kind == "dob_only":
        d = criteria.date_of_birth
        return len(by["dob"].get((d.year, *sorted((d.month, d.day))), set()) - {person})
    return 0


_TRUE_PERSON: dict[int, str] = {}
SCAN_CPU_MS: list[float] = []  # CPU time per brute-force scan, beside its wall time
SEARCH_CPU_MS: dict[str, list[float]] = {}  # this process's CPU time per timed search, by kind (per run)


def build_queries(population, count: int, seed: int, kinds: tuple[str, ...] = KINDS) -> list[Query]:
    """A fixed, shuffled mix of the query kinds, `count` of each. Name-bearing queries are written as in one
    record of a person (record A: its spelling, name order, date of birth as that record has them) and must
    find *another* record of the same person (B); identifier and postcode queries use B's own value, as an
    officer holding it would. Half of each kind is drawn from South Asian names, half from the others."""
    rng = random.Random(seed)
    records = population.records
    _TRUE_PERSON.update({i + 1: r.true_person_id for i, r in enumerate(records)})
    index = {r.record_id: i for i, r in enumerate(records)}
    multi: dict[str, list[list[int]]] = {"south_asian": [], "other": []}
    for person in population.people:
        ids = [index[r] for r in person.record_ids if r in index]
        if len(ids) >= 2:
            multi[person.name_group].append(ids)
    clan = [
        i
        for i, r in enumerate(records)
        if set(r.surname.split()) & set(CLAN_NAMES) and r.authority_code != "TVP"
    ]
    people_by = _people_by_name_and_date(records)
    per_kind = max(2, count)
    queries: list[Query] = []

    def same_surname(a, b) -> bool:
        """Neither record carries a changed surname: a name without a date of birth cannot find a married
        name, so those pairs are left out of the kinds with no date (name + DOB finds them)."""
        return "changed_surname" not in (*a.variations, *b.variations, a.hard_case, b.hard_case)

    def swapped(a, b) -> bool:
        return "name_order_swap" in (*a.variations, *b.variations)

    def pair(group: str, condition=lambda a, b: True) -> tuple:
        for _ in range(10_000):
            ids = rng.choice(multi[group])
            a, b = rng.sample(ids, 2)
            # The target must be a record a licensing officer may see: never the police's own subjects.
            if records[b].authority_code != "TVP" and condition(records[a], records[b]):
                return records[a], b + 1
        raise RuntimeError(f"no pair for {group}")

    for kind in KINDS:
        if kind not in kinds:
            continue
        # One generator per kind: a kind's first N queries are the same whatever N and whichever kinds run.
        rng = random.Random(f"{seed}-{kind}")
        for n in range(per_kind):
            group = "south_asian" if n % 2 == 0 else "other"
            if kind == "name_only":
                a, target = pair(group, same_surname)
                criteria = SearchCriteria(forenames=a.forenames, surname=a.surname)
            elif kind == "name_dob":
                a, target = pair(group)
                criteria = SearchCriteria(
                    forenames=a.forenames, surname=a.surname, date_of_birth=a.date_of_birth
                )
            elif kind == "swap_only":
                a, target = pair(group, same_surname)
                criteria = SearchCriteria(forenames=a.surname, surname=a.forenames)
            elif kind == "swap_dob":
                a, target = pair(group)
                criteria = SearchCriteria(
                    forenames=a.surname, surname=a.forenames, date_of_birth=a.date_of_birth
                )
            elif kind == "name_dob_postcode":
                a, target = pair(group)
                criteria = SearchCriteria(
                    forenames=a.forenames,
                    surname=a.surname,
                    date_of_birth=a.date_of_birth,
                    postcode=normalise_postcode(a.addresses[0].postcode),
                )
            elif kind == "dvla_only":
                _, target = pair(group, lambda a, b: bool(b.driving_licence_number))
                criteria = SearchCriteria(
                    driving_licence_number=normalise_dvla_number(records[target - 1].driving_licence_number)
                )
            elif kind == "ni_only":
                _, target = pair(group, lambda a, b: bool(b.national_insurance))
                criteria = SearchCriteria(
                    national_insurance=normalise_ni(records[target - 1].national_insurance)
                )
            elif kind == "postcode_only":
                _, target = pair(group)
                criteria = SearchCriteria(
                    postcode=normalise_postcode(records[target - 1].addresses[0].postcode)
                )
            elif kind == "surname_only":
                if group == "south_asian" and n % 4 == 0 and clan:
                    target = rng.choice(clan) + 1  # a clan name as the surname: never a dropped title
                    surname = records[target - 1].surname
                else:
                    # Neither record with its names the other way round: Robert King written as King Robert
                    # holds no surname Robert, and a surname alone cannot find him from it.
                    a, target = pair(group, lambda a, b: same_surname(a, b) and not swapped(a, b))
                    surname = a.surname
                criteria = SearchCriteria(surname=surname)
            elif kind == "name_age":
                a, target = pair(group, same_surname)
                b = records[target - 1]
                age = (
                    TODAY.year
                    - b.date_of_birth.year
                    - ((TODAY.month, TODAY.day) < (b.date_of_birth.month, b.date_of_birth.day))
                )
                criteria = SearchCriteria(
                    forenames=a.forenames, surname=a.surname, approximate_age=age + rng.randint(-2, 2)
                )
            elif kind == "dob_only":
                _, target = pair(group)
                criteria = SearchCriteria(date_of_birth=records[target - 1].date_of_birth)
            else:
                _, target = pair(group)
                b = records[target - 1]
                number = (
                    badge_number(target)
                    if b.authority_code == "BCC-CT"
                    else licence_number(b.authority_code, target)
                )
                criteria = SearchCriteria(reference_number=number.upper())
            target_name = _name_key(records[target - 1].forenames, records[target - 1].surname)
            queries.append(
                Query(
                    kind,
                    criteria,
                    target,
                    group,
                    _namesakes(people_by, kind, criteria, target, target_name),
                    _namesakes(people_by, kind, criteria, target, target_name, wider=False),
                )
            )
    random.Random(seed).shuffle(queries)
    return queries


# ----------------------------------------------------------------------------------------------------
# Timing
# ----------------------------------------------------------------------------------------------------
def _percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return (
        ordered[max(0, min(len(ordered) - 1, -(-len(ordered) * p // 100) - 1))] if ordered else float("nan")
    )


def time_scans(names: list[str], queries: list[Query]) -> tuple[dict[str, list[float]], dict[str, list[int]]]:
    """Milliseconds per query for a brute-force rapidfuzz scan over every full name (named queries only), and
    whether the scan's top 10 held the target (1/0)."""
    from rapidfuzz import fuzz, process

    timings: dict[str, list[float]] = {kind: [] for kind in KINDS}
    found: dict[str, list[int]] = {kind: [] for kind in KINDS}
    for q in queries:
        query = f"{q.criteria.forenames} {q.criteria.surname}".strip().lower()
        if not query:
            continue
        started, cpu_started = time.perf_counter(), time.process_time()
        best = process.extract(query, names, scorer=fuzz.ratio, limit=25)
        timings[q.kind].append((time.perf_counter() - started) * 1000)
        SCAN_CPU_MS.append((time.process_time() - cpu_started) * 1000)
        # Counted as the search is: the target among the first 10 people (see _found).
        person, above = _TRUE_PERSON[q.target], set()
        for _, _, index in best:
            if index + 1 == q.target:
                break
            if _TRUE_PERSON[index + 1] != person:
                above.add(_TRUE_PERSON[index + 1])
        found[q.kind].append(int(any(index + 1 == q.target for _, _, index in best) and len(above) < 10))
    return timings, found


def _found(q: Query, hits, search) -> int:
    """1 if the target is where the officer sees it: among the first 10 people, or for PAGED_RECALL kinds
    on any page.

    bulk_load leaves every record its own identity, where the register links a person's records into one:
    so the target's place counts the other people ranked above it, not its own person's other records (the
    query is written as one of them, which ranks first).

    A long listing (a surname alone held by thousands) is in record order, and here every record is its own
    identity, so its pages are searched by halving instead of one by one; a page counts only if it shows the
    target, so an order that is not monotone can only under-count."""
    if q.kind not in PAGED_RECALL:
        person = _TRUE_PERSON[q.target]
        above: set[str] = set()
        for hit in hits:
            if hit.identity_id == q.target:
                return int(len(above) < 10)
            if _TRUE_PERSON.get(hit.identity_id) != person:
                above.add(_TRUE_PERSON.get(hit.identity_id, str(hit.identity_id)))
        return 0
    if q.target in [h.identity_id for h in hits]:
        return 1
    if hits.pages <= 10:
        return int(any(q.target in [h.identity_id for h in search(p)] for p in range(2, hits.pages + 1)))
    low, high = 2, hits.pages
    while low <= high:
        middle = (low + high) // 2
        shown = [h.identity_id for h in search(middle)]
        if q.target in shown:
            return 1
        if not shown:
            return 0
        if q.target > max(shown):
            low = middle + 1
        else:
            high = middle - 1
    return 0


def _describe(record) -> str:
    dob = record.date_of_birth.isoformat() if record.date_of_birth else "no DOB"
    person = _TRUE_PERSON.get(record.id, "?")
    return f"#{record.id} {record.forenames} {record.surname} ({dob}; person {person})"


def _miss(q: Query, hits, viewer) -> str:
    """A missed query for reading: what was typed, the target, whether it was a candidate at all, its rank
    (paging on up to 8 pages), and the hits above it with the engine's worded evidence."""
    from licensing.db import db
    from licensing.people.models import PersonRecord
    from licensing.register.search import _ranked_candidates

    target = db.session.get(PersonRecord, q.target)
    candidates, narrow = _ranked_candidates(q.criteria, TODAY)
    rank, page, shown = None, 1, list(hits)
    while rank is None and shown and page <= 8:
        ids = [h.identity_id for h in shown]
        if q.target in ids:
            rank = (page - 1) * 25 + ids.index(q.target) + 1
            break
        page += 1
        if page > hits.pages:
            break
        shown = list(search_people(q.criteria, viewer=viewer, today=TODAY, page=page))
    lines = [
        f"{q.kind} [{q.group}, {q.namesakes} namesakes] typed {q.criteria.as_terms()}",
        f"  target {_describe(target)}: {'a' if q.target in candidates else 'NOT a'} candidate "
        f"({len(candidates)} scored{', capped' if narrow else ''}), rank {rank or '-'} of {hits.total}",
    ]
    for position, hit in enumerate(hits[:10], 1):
        record = hit.records[0] if hit.records else None
        same = record is not None and _TRUE_PERSON.get(record.id) == _TRUE_PERSON.get(q.target)
        lines.append(
            f"  {position:>2}. {_describe(record) if record else hit.identity_id}"
            f"{' SAME PERSON' if same else ''}"
            f" p={hit.score:.4f}: {hit.explanation}"
        )
    return "\n".join(lines)


def time_searches(
    url: str,
    queries: list[Query],
    warmup: list[Query],
    profile: Path | None = None,
    misses: list | None = None,
):
    """Milliseconds per query by kind, recall (1/0 per query) by kind and name group, and the hits; each
    missed query described into `misses` when given."""
    from sqlalchemy import select

    from licensing.auth.models import User
    from licensing.db import db

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    timings: dict[str, list[float]] = {kind: [] for kind in KINDS}
    recall: dict[tuple[str, str], list[int]] = {}
    hits_out: list[dict] = []
    cpu_ms: list[float] = []  # this process's CPU time per timed query (not the PostgreSQL server's)
    profiler = None
    SEARCH_CPU_MS.clear()
    with app.app_context():
        for phase, batch in (("warmup", warmup), ("timed", queries)):
            if phase == "timed" and profile is not None:
                import cProfile

                profiler = cProfile.Profile()
            for q in batch:
                db.session.remove()  # a fresh session, as in each web request
                viewer = db.session.scalar(select(User).where(User.email == VIEWER_EMAIL))
                if profiler:
                    profiler.enable()
                started, cpu_started = time.perf_counter(), time.process_time()
                hits = search_people(q.criteria, viewer=viewer, today=TODAY)
                elapsed = (time.perf_counter() - started) * 1000
                cpu = (time.process_time() - cpu_started) * 1000
                if profiler:
                    profiler.disable()
                if phase != "timed":
                    continue
                timings[q.kind].append(elapsed)
                cpu_ms.append(cpu)
                SEARCH_CPU_MS.setdefault(q.kind, []).append(cpu)
                found = _found(
                    q,
                    hits,
                    lambda page, q=q, v=viewer: search_people(q.criteria, viewer=v, today=TODAY, page=page),
                )
                recall.setdefault((q.kind, q.group), []).append(found)
                if q.namesakes < 10:
                    recall.setdefault((q.kind, "answerable"), []).append(found)
                if q.named_holders < 10:
                    recall.setdefault((q.kind, "answerable_named"), []).append(found)
                if not found and misses is not None:
                    misses.append(_miss(q, hits, viewer))
                hits_out.append(
                    {
                        "kind": q.kind,
                        "criteria": q.criteria.as_terms(),
                        "target": q.target,
                        "found": found,
                        "total": hits.total,
                        "hits": [[h.identity_id, round(h.score, 9), h.exact] for h in hits],
                    }
                )
        db.session.remove()
        db.engine.dispose()
    if profiler is not None:
        profiler.dump_stats(str(profile))
    return timings, recall, hits_out, cpu_ms



def _rate(values: list[int]) -> str:
    return f"{sum(values) / len(values):.3f}" if values else "-"


def format_table(
    database: str,
    size: int,
    timings: dict[str, list[float]],
    load: str,
    recall: dict[tuple[str, str], list[int]],
    scans: dict[str, list[float]],
    scan_found: dict[str, list[int]],
) -> str:
    lines = [
        f"{database} · {size:,} records · {load}",
        f"  {'query kind':<18} {'n':>4} {'recall SA':>9} {'recall oth':>10} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'max ms':>7} {'scan p50':>8} {'scan rec':>8} {'answerable':>10} {'recall':>6} "
        f"{'by names':>8} {'recall':>6}",
    ]
    every: list[float] = []
    every_scan: list[float] = []
    short: list[str] = []
    for kind in KINDS:
        values = timings[kind]
        every += values
        scan = scans.get(kind, [])
        every_scan += scan
        if not values:
            continue
        sa, other = recall.get((kind, "south_asian"), []), recall.get((kind, "other"), [])
        answerable = recall.get((kind, "answerable"), [])
        by_names = recall.get((kind, "answerable_named"), [])
        if min(sum(sa) / max(len(sa), 1), sum(other) / max(len(other), 1)) < TARGET_RECALL:
            short.append(kind)
        lines.append(
            f"  {kind + ('*' if kind in PAGED_RECALL else ''):<18} {len(values):>4} {_rate(sa):>9} "
            f"{_rate(other):>10} {_percentile(values, 50):>7.1f} {_percentile(values, 95):>7.1f} "
            f"{_percentile(values, 99):>7.1f} {max(values):>7.1f} "
            f"{(f'{_percentile(scan, 50):.1f}' if scan else '-'):>8} {_rate(scan_found.get(kind, [])):>8}"
            f" {len(answerable):>10} {_rate(answerable):>6} {len(by_names):>8} {_rate(by_names):>6}"
        )
    p95 = _percentile(every, 95)
    named = [t for kind in NAMED for t in timings[kind]]
    lines.append(
        f"  {'ALL':<18} {len(every):>4} {'':>9} {'':>10} {_percentile(every, 50):>7.1f} {p95:>7.1f} "
        f"{_percentile(every, 99):>7.1f} {max(every):>7.1f} "
        f"{(f'{_percentile(every_scan, 50):.1f}' if every_scan else '-'):>8}"
    )
    lines.append(
        f"  p95 target < {TARGET_MS:.0f} ms: {'met' if p95 < TARGET_MS else 'NOT met'}; "
        f"recall@10 >= {TARGET_RECALL} in both name groups: "
        f"{'met' if not short else 'NOT met for ' + ', '.join(short)}; named queries p50 "
        f"{_percentile(named, 50):.1f} ms against a scan p50 {_percentile(every_scan, 50):.1f} ms"
    )
    named_cpu = [t for kind in NAMED for t in SEARCH_CPU_MS.get(kind, [])]
    if named_cpu and SCAN_CPU_MS:
        # On a shared machine wall times swing with the load; this process's CPU time is steadier (on
        # PostgreSQL it leaves out the server's share, so it flatters the search there).
        lines.append(
            f"  process CPU: named queries p50 {_percentile(named_cpu, 50):.1f} ms, p95 "
            f"{_percentile(named_cpu, 95):.1f} ms, against the scan's p50 "
            f"{_percentile(SCAN_CPU_MS, 50):.1f} ms"
        )
    lines.append(
        "  (* recall counted on any page; SA = South Asian names; scan = rapidfuzz.process.extract, "
        "scorer ratio, limit 25, over every full name, its recall counted alike;\n"
        "   recall@10 = the target record is among the hits for the first 10 people (a person's other "
        "records, each its own identity here, do not push it down);\n"
        "   answerable = queries that fewer than 10 other people fit as well as the target does (holding the "
        "typed name or the target record's name, up to spellings of one name, in any order, within the age "
        "for name_age; the same birth date for dob_only; and the typed name with as many words more as the "
        "target's name has), and recall@10 over those;\n"
        "   by names = the same leaving out the longer names (holders of the typed or the target's name: "
        "the count before round 12)"
    )
    return "\n".join(lines)


def run(
    sizes: list[int],
    databases: list[str],
    per_kind: int,
    seed: int,
    dump: Path | None,
    out: Path | None,
    profile: Path | None = None,
    keep: Path | None = None,
    kinds: tuple[str, ...] = KINDS,
    misses_out: Path | None = None,
) -> str:
    sections: list[str] = []
    dumps: dict[str, list[dict]] = {}
    header = (
        f"search_people recall and latency (bench/search_latency.py), {time.strftime('%Y-%m-%d %H:%M')}, "
        f"{per_kind} timed queries per kind after {max(2, per_kind // 10)} untimed warm-up queries per kind, "
        f"licensing officer, today={TODAY}, seed population (seed/population.py, seed {seed})"
    )
    print(header, flush=True)
    with contextlib.ExitStack() as stack:
        cluster = kept_cluster(keep) if keep is not None else postgres_cluster()
        server = stack.enter_context(cluster) if "postgresql" in databases else None
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="searchbench-")))
        for size in sizes:
            started = time.perf_counter()
            population = generate_population(size, seed=seed)
            print(f"\n{size:,} records generated in {time.perf_counter() - started:.1f}s", flush=True)
            queries = build_queries(population, per_kind, seed=seed + size, kinds=kinds)
            warmup = build_queries(population, max(2, per_kind // 10), seed=seed + size + 1, kinds=kinds)
            names = [f"{r.forenames} {r.surname}".lower() for r in population.records]
            SCAN_CPU_MS.clear()
            scans, scan_found = time_scans(names, queries)
            print(f"  scan CPU per query p50 {_percentile(SCAN_CPU_MS, 50):.1f} ms", flush=True)
            # The bench's own population (millions of objects at 1M) is not the search's: frozen, a full
            # garbage collection during a timed search does not walk it (a web worker holds no such thing).
            gc.collect()
            gc.freeze()
            for database in databases:
                reused = False
                if database == "sqlite":
                    path = (keep or tmp) / f"register-{size}-seed{seed}.db"
                    url = f"sqlite:///{path}"
                    # A kept file is reused as it is: build it once (a million records take minutes).
                    # A file whose load was cut short has no marker and is loaded again.
                    reused = keep is not None and path.with_suffix(".loaded").exists()
                    if keep is not None and not reused:
                        for suffix in ("", "-wal", "-shm"):
                            Path(f"{path}{suffix}").unlink(missing_ok=True)
                else:
                    marker = (keep or tmp) / f"register_{size}.loaded"
                    reused = keep is not None and marker.exists()
                    url = (postgres_url(server, f"register_{size}") if reused
                           else create_postgres_database(server, f"register_{size}"))
                    kept_sqlite = (keep or tmp) / f"register-{size}-seed{seed}.loaded"
                if reused:
                    load = f"reused a kept {'database file' if database == 'sqlite' else 'database'}"
                elif database == "postgresql" and keep is not None and kept_sqlite.exists():
                    migrate(url)
                    print(f"[{database} {size:,}] copying the kept SQLite register...", flush=True)
                    copy_started = time.perf_counter()
                    copy_from_sqlite(kept_sqlite.with_suffix(".db"), url, echo=lambda m: print(m, flush=True))
                    vacuum_analyze(url)
                    marker.touch()
                    load = f"copied from the kept SQLite file in {time.perf_counter() - copy_started:.0f}s"
                else:
                    migrate(url)
                    print(f"[{database} {size:,}] loading...", flush=True)
                    report = bulk_load(url, size, population=population, echo=lambda m: print(m, flush=True))
                    if database == "sqlite" and keep is not None:
                        path.with_suffix(".loaded").touch()
                    if database == "postgresql":
                        analyze_started = time.perf_counter()
                        vacuum_analyze(url)
                        print(f"  VACUUM, ANALYZE {time.perf_counter() - analyze_started:.1f}s", flush=True)
                        if keep is not None:
                            marker.touch()
                    load = (
                        f"loaded in {report.seconds_load:.0f}s ({report.blocking_keys:,} blocking keys, "
                        f"{report.licences + report.badges:,} licences and badges)"
                    )
                before = os.getloadavg()[0]
                misses: list[str] | None = [] if misses_out is not None else None
                timings, recall, hits, cpu_ms = time_searches(
                    url,
                    queries,
                    warmup,
                    profile.with_suffix(f".{database}-{size}.prof") if profile else None,
                    misses,
                )
                if misses_out is not None:
                    with misses_out.open("a") as f:
                        f.write(f"===== {database} {size:,}: {len(misses or [])} missed\n\n")
                        f.write("\n\n".join(misses or []) + "\n\n")
                dumps[f"{database}-{size}"] = hits
                load += (
                    f"; load average {before:.1f} before the queries, {os.getloadavg()[0]:.1f} after; "
                    f"process CPU per query p50 {_percentile(cpu_ms, 50):.1f} ms, "
                    f"p95 {_percentile(cpu_ms, 95):.1f} ms"
                )
                section = format_table(database, size, timings, load, recall, scans, scan_found)
                print(section, flush=True)
                sections.append(section)
                if database == "sqlite":
                    for suffix in ("", "-wal", "-shm") if keep is None else ():
                        Path(f"{path}{suffix}").unlink(missing_ok=True)
                elif keep is None:
                    from sqlalchemy import create_engine, text

                    admin = create_engine(postgres_url(server, "postgres"), isolation_level="AUTOCOMMIT")
                    with admin.connect() as conn:
                        conn.execute(text(f"DROP DATABASE register_{size} WITH (FORCE)"))
                    admin.dispose()
    text_out = header + "\n\n" + "\n\n".join(sections) + "\n"
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text_out)
    if dump is not None:
        dump.write_text(json.dumps(dumps, indent=0))
    return text_out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="5000,100000,1000000",
        help="comma-separated register sizes (default 5000,100000,1000000)",
    )
    parser.add_argument("--databases", default="sqlite,postgresql", help="sqlite, postgresql or both")
    parser.add_argument(
        "--queries",
        type=int,
        default=100,
        help="timed queries per query kind (default 100: one query is 1 point of recall)",
    )
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated query kinds (default all)")
    parser.add_argument(
        "--misses",
        type=Path,
        help="append each missed query, its target's rank and the hits above it to this file",
    )
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument(
        "--dump-hits", type=Path, help="write every query's hits as JSON (to compare code changes)"
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"results file (default {RESULTS})")
    parser.add_argument("--no-out", action="store_true", help="do not write the results file")
    parser.add_argument("--profile", type=Path, help="cProfile timed searches to PROFILE.<db>-<size>.prof")
    parser.add_argument(
        "--keep", type=Path, help="SQLite: keep each database in this directory and reuse it on the next run"
    )
    args = parser.parse_args(argv)
    # Turn kill (SIGTERM) into an exception, so the temporary directories and the server are still removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s]
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    unknown = set(databases) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"unknown database {', '.join(sorted(unknown))}")
    summary = run(
        sizes,
        databases,
        args.queries,
        args.seed,
        args.dump_hits,
        None if args.no_out else args.out,
        args.profile,
        args.keep,
        tuple(k for k in args.kinds.split(",") if k),
        args.misses,
    )
    print("\n" + "=" * 100 + "\n" + summary, end="")


if __name__ == "__main__":
    main()
