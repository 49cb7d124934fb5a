"""Report latency at register scale: python bench/reports_latency.py [--sizes ...] [--databases ...].

For each size and database: bulk-load a synthetic register (bench/bulk_load.py) into a freshly migrated
SQLite file or a throwaway PostgreSQL 15 cluster, then add the activity the reports count, in set-based SQL
and in proportion to the register: decisions (1 record in 20), complaints (1 in 8), police items (every
police record), DBS certificates (every badge and licence holder), alerts (1 in 40), requests (1 in 80),
applicant checks (1 in 50) and link decisions (1 in 30). ANALYZE, then time ``build_report`` (every section,
the previous period included) for the county and for one district over the last 3 and 12 months, each in a
fresh session as in a web request, after one untimed warm-up. Prints median and max per report and writes
bench/results/reports_latency.txt (--runs N sets the number of timed runs).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bulk_load import bulk_load, create_postgres_database, migrate, postgres_cluster  # noqa: E402
from config import TestingConfig  # noqa: E402
from licensing import create_app  # noqa: E402

TODAY = dt.date(2026, 11, 1)
TARGET_SECONDS = 1.0
RESULTS = Path(__file__).resolve().parent / "results" / "reports_latency.txt"


def _day(dialect: str, offset_sql: str, start: str = "2023-11-01") -> str:
    """SQL for the date `offset_sql` days after `start`."""
    if dialect == "sqlite":
        return f"date('{start}', '+' || ({offset_sql}) || ' days')"
    return f"(DATE '{start}' + ({offset_sql})::integer)"


def _stamp(dialect: str, offset_sql: str, hours_sql: str = "0") -> str:
    if dialect == "sqlite":
        days, hours = f"'+' || ({offset_sql}) || ' days'", f"'+' || ({hours_sql}) || ' hours'"
        return f"datetime('2023-11-01 09:00:00', {days}, {hours})"
    return (
        f"(TIMESTAMP '2023-11-01 09:00:00' + ({offset_sql})::integer * INTERVAL '1 day' "
        f"+ ({hours_sql})::integer * INTERVAL '1 hour')"
    )


def add_activity(url: str) -> dict[str, int]:
    """The records the reports count, spread over three years, written with INSERT ... SELECT."""
    from sqlalchemy import func, select, text

    from licensing.db import db

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        d = db.engine.dialect.name
        licensing = "(SELECT id FROM authorities WHERE kind = 'licensing_authority')"
        police = "(SELECT id FROM authorities WHERE kind = 'police')"
        officer = "(SELECT min(id) FROM users)"
        grounds = [
            "sexual_misconduct",
            "harassment",
            "violence",
            "safeguarding",
            "dishonesty",
            "drugs",
            "road_safety",
            "other",
        ]
        types = ["refusal", "suspension", "interim_suspension", "revocation", "warning"]
        categories = [
            "sexual_harassment",
            "safeguarding_concern",
            "behaviour",
            "driving_standards",
            "overcharging",
            "rudeness",
            "vehicle",
        ]

        def pick(values: list[str], expr: str) -> str:
            whens = " ".join(f"WHEN {i} THEN '{v}'" for i, v in enumerate(values))
            return f"CASE ({expr}) % {len(values)} {whens} END"

        json_ids = (
            "json_array(json_object('id', identity_id))"
            if d == "sqlite"
            else "json_build_array(json_build_object('id', identity_id))"
        )
        statements = [
            f"""INSERT INTO sanctions (person_record_id, authority_id, sanction_type, grounds, decided_on,
                    effective_on,
                    decision_maker, narrative, appeal_outcome, created_at)
                SELECT id, authority_id, {pick(types, "id / 20")}, {pick(grounds, "id / 7")},
                    {_day(d, "id % 1095")}, {_day(d, "id % 1095")}, 'Sub-Committee', '', 'none',
                    {_stamp(d, "0")}
                FROM person_records WHERE id % 20 = 0 AND authority_id IN {licensing}""",  # noqa: S608  (our own constants, no user input)
            f"""INSERT INTO complaints (person_record_id, authority_id, received_on, source, category, place,
                    vehicle_registration, operator_name, narrative, outcome, complainant_name,
                    complainant_contact,
                    substantiated, created_at)
                SELECT id, authority_id, {_day(d, "(id * 7) % 1095")}, 'public',
                    {pick(categories, "id / 8")}, '', '',
                    '', '', '', '', '',
                    CASE id % 3 WHEN 0 THEN NULL WHEN 1 THEN {"1" if d == "sqlite" else "true"}
                    ELSE {"0" if d == "sqlite" else "false"} END, {_stamp(d, "0")}
                FROM person_records WHERE id % 8 = 0 AND authority_id IN {licensing}""",  # noqa: S608  (our own constants, no user input)
            f"""INSERT INTO intelligence_items (person_record_id, authority_id, source_evaluation,
                    intelligence_assessment, handling_code, handling_conditions, status, category,
                    force_reference,
                    legal_basis, full_text, sanitised_summary, submitted_on, review_on, created_at)
                SELECT id, authority_id, '2', 'B', 'P', '', 'intelligence', 'other', 'TVP/' || id, '', '', '',
                    {_day(d, "(id * 3) % 1095")}, {_day(d, "(id * 3) % 1095 + 365")}, {_stamp(d, "0")}
                FROM person_records WHERE authority_id IN {police}""",  # noqa: S608  (our own constants, no user input)
            f"""INSERT INTO dbs_certificates (person_record_id, certificate_number, issued_on,
                    barred_lists_checked,
                    update_service_subscribed, last_status_check_on, last_status_result)
                SELECT person_record_id, '000000000000', {_day(d, "person_record_id % 700")},
                    {"1" if d == "sqlite" else "true"},
                    {"(person_record_id % 10 <> 0)" if d == "postgresql" else "person_record_id % 10 <> 0"},
                    {_day(d, "700 + person_record_id % 400")}, 'no new information'
                FROM (SELECT person_record_id FROM licences
                      UNION SELECT person_record_id FROM badges) AS holders""",  # noqa: S608  (our own constants, no user input)
            """UPDATE badges SET dbs_certificate_id = (SELECT min(c.id) FROM dbs_certificates c
                    WHERE c.person_record_id = badges.person_record_id),
                safeguarding_training_on = CASE WHEN id % 12 = 0 THEN NULL ELSE issued_on END""",  # noqa: S608  (our own constants, no user input)
            f"""INSERT INTO alerts (authority_id, identity_id, kind, subject_type, subject_id, summary,
                    raised_by_authority_id, created_at, acknowledged_at, action_taken)
                SELECT authority_id, identity_id,
                    {pick(["police_information", "decision", "complaint"], "id / 40")},
                    'person_records', id, '', {police}, {_stamp(d, "(id * 5) % 1095")},
                    CASE WHEN id % 7 = 0 THEN NULL ELSE {_stamp(d, "(id * 5) % 1095", "(id % 90)")} END, ''
                FROM person_records WHERE id % 40 = 0 AND authority_id IN {licensing}""",  # noqa: S608  (our own constants, no user input)
            f"""INSERT INTO information_requests (kind, identity_id, from_authority_id, to_authority_id,
                    subject_type,
                    details, requested_by_id, sent_on, due_on, reply, replied_on, created_at)
                SELECT CASE WHEN id % 160 = 0 THEN 'information_request' ELSE 'out_of_area_referral' END,
                    identity_id, {police}, authority_id, '', '', {officer}, {_day(d, "(id * 11) % 1095")},
                    {_day(d, "(id * 11) % 1095 + 20")}, '',
                    CASE WHEN id % 3 = 0 THEN NULL ELSE {_day(d, "(id * 11) % 1095 + id % 30")} END,
                    {_stamp(d, "0")}
                FROM person_records WHERE id % 80 = 0 AND authority_id IN {licensing}""",  # noqa: S608  (our own constants, no user input)
            f"""INSERT INTO applicant_checks (authority_id, checked_by_id, applicant_reference, criteria,
                    identity_ids,
                    findings, nr3s_outcome, nr3s_reference, checked_at)
                SELECT authority_id, {officer}, 'APP-' || id, '{{}}', {json_ids}, '', 'no_match', '',
                    {_stamp(d, "(id * 13) % 1095")}
                FROM person_records WHERE id % 50 = 0 AND authority_id IN {licensing}""",  # noqa: S608  (our own constants, no user input)
            f"""INSERT INTO record_links (record_a_id, record_b_id, score, evidence, summary, state,
                    review_reason,
                    set_at, created_at)
                SELECT id, id + 1, 0.8, '[]', '', {
                pick(["automatic", "confirmed", "rejected", "pending_review"], "id / 30")
            }, '',
                    {_stamp(d, "(id * 17) % 1095")}, {_stamp(d, "(id * 17) % 1095")}
                FROM person_records WHERE id % 30 = 0 AND id + 1 <= (SELECT max(id) FROM person_records)""",  # noqa: S608  (our own constants, no user input)
        ]
        for statement in statements:
            db.session.execute(text(statement))
        db.session.commit()
        from licensing.alerts.models import Alert
        from licensing.complaints.models import Complaint
        from licensing.sanctions.models import Sanction

        counts = {
            model.__tablename__: db.session.scalar(select(func.count(model.id)))
            for model in (Sanction, Complaint, Alert)
        }
        if d == "postgresql":
            db.session.remove()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        else:
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return counts


def time_reports(url: str, runs: int) -> list[tuple[str, list[float]]]:
    from sqlalchemy import select

    from licensing.authorities.models import Authority
    from licensing.db import db
    from licensing.reports.presentation import present
    from licensing.reports.services import Period, Scope, build_report

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    results = []
    with app.app_context():
        district = db.session.scalar(select(Authority).where(Authority.code == "WDC"))
        scopes = [Scope(None, "county"), Scope(district.id, "one district")]
        periods = [
            ("3 months", Period(dt.date(2026, 8, 1), dt.date(2026, 10, 31))),
            ("12 months", Period(dt.date(2025, 11, 1), dt.date(2026, 10, 31))),
        ]
        for scope in scopes:
            for label, period in periods:
                times = []
                for run in range(runs + 1):
                    db.session.remove()
                    started = time.perf_counter()
                    tables = build_report(scope, period, today=TODAY)
                    elapsed = time.perf_counter() - started
                    if run:
                        times.append(elapsed)
                results.append((f"{scope.name}, {label} (queries only)", times))
                db.session.remove()
                started = time.perf_counter()
                present(build_report(scope, period, today=TODAY))
                results.append(
                    (
                        f"{scope.name}, {label} (with suppression and 13 SVG charts)",
                        [time.perf_counter() - started],
                    )
                )
                assert tables
        db.session.remove()
        db.engine.dispose()
    return results


def format_results(database: str, size: int, counts: dict, results) -> str:
    lines = [
        f"{database} · {size:,} person records · "
        + ", ".join(f"{n:,} {table}" for table, n in counts.items()),
        f"  {'report':<58} {'median s':>9} {'max s':>7}",
    ]
    for name, times in results:
        lines.append(f"  {name:<58} {statistics.median(times):>9.3f} {max(times):>7.3f}")
    worst = max(max(times) for name, times in results if "queries only" in name)
    lines.append(
        f"  slowest report (queries only): {worst:.3f} s; target < {TARGET_SECONDS:.0f} s: "
        f"{'met' if worst < TARGET_SECONDS else 'NOT met'}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument(
        "--databases", nargs="+", choices=("sqlite", "postgresql"), default=["sqlite", "postgresql"]
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    signal.signal(
        signal.SIGTERM, lambda *_: sys.exit("terminated")
    )  # so the cluster and temp files are removed
    header = (
        f"build_report latency (bench/reports_latency.py), {time.strftime('%Y-%m-%d %H:%M')}, "
        f"median and max of {args.runs} runs after a warm-up, every section with its previous period"
    )
    print(header, flush=True)
    sections = []
    with contextlib.ExitStack() as stack:
        server = stack.enter_context(postgres_cluster()) if "postgresql" in args.databases else None
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="reportsbench-")))
        for size in args.sizes:
            for database in args.databases:
                url = (
                    f"sqlite:///{tmp / f'register-{size}.db'}"
                    if database == "sqlite"
                    else create_postgres_database(server, f"register_{size}")
                )
                migrate(url)
                print(f"[{database} {size:,}] loading...", flush=True)
                bulk_load(url, size, echo=lambda m: print(m, flush=True))
                started = time.perf_counter()
                counts = add_activity(url)
                print(f"  activity added in {time.perf_counter() - started:.1f}s: {counts}", flush=True)
                section = format_results(database, size, counts, time_reports(url, args.runs))
                print(section, flush=True)
                sections.append(section)
                if database == "sqlite":
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{tmp / f'register-{size}.db'}{suffix}").unlink(missing_ok=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(header + "\n\n" + "\n\n".join(sections) + "\n")


if __name__ == "__main__":
    main()
