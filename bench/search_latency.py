"""Search latency at register scale: python bench/search_latency.py [--sizes ...] [--databases ...]
[--queries N].

For each size and database: bulk-load a synthetic register (bench/bulk_load.py) into a freshly migrated
SQLite file or a throwaway PostgreSQL 15 cluster, ANALYZE (PostgreSQL), warm up with queries that are not
timed, then time ``search_people`` as a licensing officer over a fixed mix of queries drawn from the loaded
records, each in a fresh session as in a web request. Prints p50, p95, p99 and max per query kind and overall,
and beside them the p50 of a brute-force ``rapidfuzz.process.extract`` (scorer ``ratio``) over every full
name in
the register, in the same process, for the kinds that carry a name: the indexed search must beat a scan.
Writes
the table to bench/results/search_latency.txt. Temporary files and the server are removed at the end.

Query kinds (drawn from loaded records, with realistic variation: a third of the named queries use another
spelling of a name, or the names in the other order):
  name_dob        forenames + surname + date of birth
  name_swap_dob   the same with day and month transposed
  name_age        forenames + surname + approximate age (the age within two years of the truth)
  dob_only        date of birth alone
  ni_only         National Insurance number alone
  dvla_only       driving licence number alone
  postcode_only   current postcode alone
  name_only       two name tokens, no date: half of them the register's most common pair ("Mohammed Khan")
  reference       a licence or badge number
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import random
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
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
)
from config import TestingConfig  # noqa: E402
from licensing import create_app  # noqa: E402
from licensing.matching.identifiers import normalise_dvla_number, normalise_ni, normalise_postcode  # noqa: E402
from licensing.register.search import SearchCriteria, search_people  # noqa: E402
from seed.population import generate_population  # noqa: E402

KINDS = (
    "name_dob",
    "name_swap_dob",
    "name_age",
    "dob_only",
    "ni_only",
    "dvla_only",
    "postcode_only",
    "name_only",
    "reference",
)
TODAY = dt.date(2026, 11, 1)
TARGET_MS = 50.0
RESULTS = Path(__file__).resolve().parent / "results" / "search_latency.txt"
SPELLINGS = {
    "Muhammad": "Mohammed",
    "Mohammed": "Muhammad",
    "Mohammad": "Muhammad",
    "Mohamed": "Mohammed",
    "Hussain": "Hussein",
    "Hussein": "Hussain",
    "Ahmed": "Ahmad",
    "Ahmad": "Ahmed",
    "Rehman": "Rahman",
    "Rahman": "Rehman",
    "Mahmood": "Mehmood",
    "Yousaf": "Yusuf",
    "Chaudhry": "Choudhry",
    "Iqbal": "Iqbaal",
    "Stephen": "Steven",
    "Catherine": "Katherine",
    "Mohd": "Muhammad",
}


# ----------------------------------------------------------------------------------------------------
# Queries
# ----------------------------------------------------------------------------------------------------
def _vary_name(forenames: str, surname: str, rng: random.Random) -> tuple[str, str]:
    """A third of the time: another spelling of one token, or the names the other way round."""
    roll = rng.random()
    if roll < 0.2:
        tokens = forenames.split() + surname.split()
        spelt = [SPELLINGS.get(t, t) for t in tokens]
        if spelt != tokens:
            return " ".join(spelt[: len(forenames.split())]), " ".join(spelt[len(forenames.split()) :])
    if roll < 0.33:
        return surname, forenames
    return forenames, surname


def build_queries(records: list, count: int, seed: int) -> list[tuple[str, SearchCriteria]]:
    """A fixed, shuffled mix of the query kinds, drawn from the loaded records."""
    rng = random.Random(seed)
    two_token = [
        i for i, r in enumerate(records) if len(r.forenames.split()) == 1 and len(r.surname.split()) == 1
    ]
    common_pair = Counter((records[i].forenames, records[i].surname) for i in two_token).most_common(1)[0][0]
    per_kind = max(1, round(count / len(KINDS)))
    queries: list[tuple[str, SearchCriteria]] = []

    def pick(condition=lambda r: True):
        while True:
            index = rng.randrange(len(records))
            if condition(records[index]):
                return index + 1, records[index]

    for kind in KINDS:
        for n in range(per_kind):
            if kind == "name_dob":
                _, r = pick()
                f, s = _vary_name(r.forenames, r.surname, rng)
                criteria = SearchCriteria(forenames=f, surname=s, date_of_birth=r.date_of_birth)
            elif kind == "name_swap_dob":
                _, r = pick(
                    lambda r: r.date_of_birth.day <= 12 and r.date_of_birth.day != r.date_of_birth.month
                )
                f, s = _vary_name(r.forenames, r.surname, rng)
                d = r.date_of_birth
                criteria = SearchCriteria(
                    forenames=f, surname=s, date_of_birth=dt.date(d.year, d.day, d.month)
                )
            elif kind == "name_age":
                _, r = pick()
                f, s = _vary_name(r.forenames, r.surname, rng)
                age = (
                    TODAY.year
                    - r.date_of_birth.year
                    - ((TODAY.month, TODAY.day) < (r.date_of_birth.month, r.date_of_birth.day))
                )
                criteria = SearchCriteria(forenames=f, surname=s, approximate_age=age + rng.randint(-2, 2))
            elif kind == "dob_only":
                _, r = pick()
                criteria = SearchCriteria(date_of_birth=r.date_of_birth)
            elif kind == "ni_only":
                _, r = pick(lambda r: bool(r.national_insurance))
                criteria = SearchCriteria(national_insurance=normalise_ni(r.national_insurance))
            elif kind == "dvla_only":
                _, r = pick(lambda r: bool(r.driving_licence_number))
                criteria = SearchCriteria(
                    driving_licence_number=normalise_dvla_number(r.driving_licence_number)
                )
            elif kind == "postcode_only":
                _, r = pick()
                criteria = SearchCriteria(postcode=normalise_postcode(r.addresses[0].postcode))
            elif kind == "name_only":
                if n % 2 == 0:
                    f, s = common_pair
                else:
                    _, r = pick(lambda r: len(r.forenames.split()) == 1 and len(r.surname.split()) == 1)
                    f, s = _vary_name(r.forenames, r.surname, rng)
                criteria = SearchCriteria(forenames=f, surname=s)
            else:
                record_id, r = pick(lambda r: r.authority_code != "TVP")
                number = (
                    badge_number(record_id)
                    if r.authority_code == "BCC-CT"
                    else licence_number(r.authority_code, record_id)
                )
                criteria = SearchCriteria(reference_number=number.upper())
            queries.append((kind, criteria))
    rng.shuffle(queries)
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


def time_scans(names: list[str], queries) -> dict[str, list[float]]:
    """Milliseconds per query for a brute-force rapidfuzz scan over every full name (named queries only)."""
    from rapidfuzz import fuzz, process

    timings: dict[str, list[float]] = {kind: [] for kind in KINDS}
    for kind, criteria in queries:
        query = f"{criteria.forenames} {criteria.surname}".strip().lower()
        if not query:
            continue
        started = time.perf_counter()
        process.extract(query, names, scorer=fuzz.ratio, limit=10)
        timings[kind].append((time.perf_counter() - started) * 1000)
    return timings


def time_searches(url: str, queries, warmup) -> tuple[dict[str, list[float]], list[dict]]:
    """Milliseconds per query, by kind, and each query's hits (identity, score, exact kind) for comparison."""
    from sqlalchemy import select

    from licensing.auth.models import User
    from licensing.db import db

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    timings: dict[str, list[float]] = {kind: [] for kind in KINDS}
    hits_out: list[dict] = []
    with app.app_context():
        for phase, batch in (("warmup", warmup), ("timed", queries)):
            for kind, criteria in batch:
                db.session.remove()  # a fresh session, as in each web request
                viewer = db.session.scalar(select(User).where(User.email == VIEWER_EMAIL))
                started = time.perf_counter()
                hits = search_people(criteria, viewer=viewer, today=TODAY)
                elapsed = (time.perf_counter() - started) * 1000
                if phase == "timed":
                    timings[kind].append(elapsed)
                    hits_out.append(
                        {
                            "kind": kind,
                            "criteria": criteria.as_terms(),
                            "hits": [
                                [
                                    h.identity_id,
                                    round(h.score, 9),
                                    h.exact,
                                    sorted(r.id for r in h.records),
                                    sorted(f.code for f in h.flags),
                                ]
                                for h in hits
                            ],
                        }
                    )
        db.session.remove()
        db.engine.dispose()
    return timings, hits_out


def _analyze(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        # Separately: a database-wide VACUUM ANALYZE was seen to leave the visibility map unset here, which
        # rules
        # out index-only scans of blocking_keys (autovacuum would set it on a live server).
        conn.execute(text("VACUUM"))
        conn.execute(text("ANALYZE"))
    engine.dispose()


def format_table(
    database: str,
    size: int,
    timings: dict[str, list[float]],
    load: str,
    scans: dict[str, list[float]] | None = None,
) -> str:
    scans = scans or {}
    lines = [
        f"{database} · {size:,} records · {load}",
        f"  {'query kind':<15} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} "
        f"{'scan p50 ms':>11}",
    ]
    every: list[float] = []
    every_scan: list[float] = []
    for kind in KINDS:
        values = timings[kind]
        every += values
        scan = scans.get(kind, [])
        every_scan += scan
        if values:
            lines.append(
                f"  {kind:<15} {len(values):>4} {_percentile(values, 50):>8.1f} "
                f"{_percentile(values, 95):>8.1f} {_percentile(values, 99):>8.1f} {max(values):>8.1f} "
                f"{(f'{_percentile(scan, 50):.1f}' if scan else '-'):>11}"
            )
    p95 = _percentile(every, 95)
    lines.append(
        f"  {'ALL':<15} {len(every):>4} {_percentile(every, 50):>8.1f} {p95:>8.1f} "
        f"{_percentile(every, 99):>8.1f} {max(every):>8.1f} "
        f"{(f'{_percentile(every_scan, 50):.1f}' if every_scan else '-'):>11}"
        f"   (mean {statistics.fmean(every):.1f} ms; target p95 < {TARGET_MS:.0f} ms: "
        f"{'met' if p95 < TARGET_MS else 'NOT met'})"
    )
    return "\n".join(lines)


def run(
    sizes: list[int], databases: list[str], n_queries: int, seed: int, dump: Path | None, out: Path | None
) -> str:
    sections: list[str] = []
    dumps: dict[str, list[dict]] = {}
    header = (
        f"search_people latency (bench/search_latency.py), {time.strftime('%Y-%m-%d %H:%M')}, "
        f"{n_queries} timed queries per run after {max(20, n_queries // 4)} untimed warm-up queries, "
        f"licensing officer, today={TODAY}"
    )
    print(header, flush=True)
    with contextlib.ExitStack() as stack:
        server = stack.enter_context(postgres_cluster()) if "postgresql" in databases else None
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="searchbench-")))
        for size in sizes:
            started = time.perf_counter()
            population = generate_population(size, seed=seed)
            print(f"\n{size:,} records generated in {time.perf_counter() - started:.1f}s", flush=True)
            queries = build_queries(population.records, n_queries, seed=seed + size)
            warmup = build_queries(population.records, max(20, n_queries // 4), seed=seed + size + 1)
            names = [f"{r.forenames} {r.surname}".lower() for r in population.records]
            scans = time_scans(names, queries)
            for database in databases:
                if database == "sqlite":
                    path = tmp / f"register-{size}.db"
                    url = f"sqlite:///{path}"
                else:
                    url = create_postgres_database(server, f"register_{size}")
                migrate(url)
                print(f"[{database} {size:,}] loading...", flush=True)
                report = bulk_load(url, size, population=population, echo=lambda m: print(m, flush=True))
                if database == "postgresql":
                    analyze_started = time.perf_counter()
                    _analyze(url)
                    print(f"  VACUUM, ANALYZE {time.perf_counter() - analyze_started:.1f}s", flush=True)
                load = (
                    f"loaded in {report.seconds_load:.0f}s ({report.blocking_keys:,} blocking keys, "
                    f"{report.licences + report.badges:,} licences and badges)"
                )
                timings, hits = time_searches(url, queries, warmup)
                dumps[f"{database}-{size}"] = hits
                section = format_table(database, size, timings, load, scans)
                print(section, flush=True)
                sections.append(section)
                if database == "sqlite":
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{path}{suffix}").unlink(missing_ok=True)
                else:
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
        default="10000,100000,1000000",
        help="comma-separated register sizes (default 10000,100000,1000000)",
    )
    parser.add_argument("--databases", default="sqlite,postgresql", help="sqlite, postgresql or both")
    parser.add_argument("--queries", type=int, default=200, help="timed queries per run (default 200)")
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument(
        "--dump-hits", type=Path, help="write every query's hits as JSON (to compare code changes)"
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"results file (default {RESULTS})")
    parser.add_argument("--no-out", action="store_true", help="do not write the results file")
    args = parser.parse_args(argv)
    # Turn kill (SIGTERM) into an exception, so the temporary directories and the server are still removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s]
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    unknown = set(databases) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"unknown database {', '.join(sorted(unknown))}")
    summary = run(
        sizes, databases, args.queries, args.seed, args.dump_hits, None if args.no_out else args.out
    )
    print("\n" + "=" * 100 + "\n" + summary, end="")


if __name__ == "__main__":
    main()
