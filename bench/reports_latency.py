"""Report latency at register scale: python bench/reports_latency.py [--sizes ...] [--databases ...].

For each size and database: bulk-load a synthetic register (bench/bulk_load.py) into a freshly migrated
SQLite file or a throwaway PostgreSQL 15 cluster, then add the activity the reports count, in set-based SQL
and in proportion to the register: decisions (1 record in 20), complaints (1 in 8), police items (every
police record), DBS certificates (every badge and licence holder), alerts (1 in 40), requests (1 in 80),
applicant checks (1 in 50) and link decisions (1 in 30). ANALYZE, then time ``build_report`` (every section,
the previous period included) for the county and for one district over the last 3 and 12 months, each in a
fresh session as in a web request, after one untimed warm-up; then, as the county safeguarding lead (test
client; a bench user of that role is added to the register once), the HTTP GET of the dashboard page (its
HTML: every table, no chart) and the GET of each chart the page points at, drawn afresh every time (the chart
cache is cleared first), for the same scopes and periods (--no-page skips them). Prints median and max per
report and request, and the median CPU time (this process plus, on PostgreSQL, the server backends of the
register's database: on a shared machine wall time mostly measures the wait for a core), and writes
bench/results/reports_latency.txt (--runs N sets the number of timed runs). A kept register (--sqlite-file,
--postgres-url) is migrated to the head and analysed on reuse.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bulk_load import (  # noqa: E402
    bulk_load,
    create_postgres_database,
    migrate,
    postgres_cluster,
    vacuum_analyze,
)
from config import TestingConfig  # noqa: E402
from licensing import create_app  # noqa: E402
from seed.population import DEFAULT_SEED, generate_population  # noqa: E402

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
            # A join, not a correlated subquery per badge: PostgreSQL planned that as a scan of the
            # freshly loaded (unanalysed) certificates per badge, 404 s at 100,000 records.
            """UPDATE badges SET dbs_certificate_id = first.id,
                    safeguarding_training_on
                        = CASE WHEN badges.id % 12 = 0 THEN NULL ELSE badges.issued_on END
                FROM (SELECT person_record_id, min(id) AS id FROM dbs_certificates GROUP BY person_record_id)
                    AS first
                WHERE first.person_record_id = badges.person_record_id""",
            # Driver licences: safeguarding training on most, lapsed on some, none on 1 in 10.
            f"""UPDATE licences SET safeguarding_training_on = CASE WHEN id % 10 = 0 THEN NULL
                    WHEN id % 10 = 1 THEN {_day(d, "0", "2022-01-01")} ELSE issued_on END
                WHERE licence_type <> 'vehicle' AND licence_type <> 'private_hire_operator'""",  # noqa: S608  (our own constants, no user input)
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


def _reports(today: dt.date):
    """Each report area as (name, function of scope and period), in the dashboard's order."""
    from licensing.reports import services as r

    return [
        ("trends", lambda scope, period: [r.monthly_trend(scope, period)]
         + ([r.by_authority(period)] if scope.countywide else [])),
        ("1 applicant checks", lambda scope, period: [r.applicant_checks(scope, period)]),
        ("2 decisions", r.decisions),
        ("3 complaints", lambda scope, period: r.complaints(scope, period) + [r.hot_spots(scope, period)]),
        ("4 police items", lambda scope, period: [r.police_items(scope, period)]),
        ("5 alerts", lambda scope, period: [r.alerts_within_target(scope, period, today=today)]),
        ("6 requests", lambda scope, period: [r.requests_answered(scope, period, today=today)]),
        ("7 DBS checks", lambda scope, period: [r.dbs_checks(scope, period)]),
        ("8 training", lambda scope, period: r.training_coverage(scope, period)),
        ("9 matching", lambda scope, period: r.matching_health(scope, period, today=today)),
    ]


class _Cpu:
    """CPU seconds used since creation by this process and, on PostgreSQL, by the session's server backend
    (read from /proc, as the server runs on this machine): wall time alone says little on a shared machine."""

    def __init__(self) -> None:
        from sqlalchemy import text

        from licensing.db import db

        self._backend = None
        if db.session.get_bind().dialect.name == "postgresql":
            self._backend = db.session.scalar(text("SELECT pg_backend_pid()"))
        self._started = self._now()

    def _now(self) -> float:
        used = time.process_time()
        if self._backend:
            fields = Path(f"/proc/{self._backend}/stat").read_text().rsplit(")", 1)[1].split()
            used += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return used

    def used(self) -> float:
        return self._now() - self._started


class _QueryLog:
    """Every statement's SQL, parameters and time, to explain the slowest ones."""

    def __init__(self, engine) -> None:
        from sqlalchemy import event

        self.entries: list[tuple[float, str, object, str]] = []
        self.report = ""
        self._engine = engine
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        conn.info["query_started"] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        elapsed = time.perf_counter() - conn.info.pop("query_started", time.perf_counter())
        self.entries.append((elapsed, statement, parameters, self.report))

    def explain(self, limit: int) -> str:
        """EXPLAIN QUERY PLAN (SQLite) or EXPLAIN ANALYZE (PostgreSQL) of the slowest statements."""
        from sqlalchemy import event

        event.remove(self._engine, "before_cursor_execute", self._before)
        event.remove(self._engine, "after_cursor_execute", self._after)
        seen, lines = set(), []
        dialect = self._engine.dialect.name
        for elapsed, statement, parameters, report in sorted(self.entries, key=lambda e: -e[0]):
            query = statement.lstrip().upper().startswith(("SELECT", "WITH"))
            if statement in seen or len(seen) >= limit or not query:
                continue
            seen.add(statement)
            prefix = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
            raw = self._engine.raw_connection()
            try:
                cursor = raw.cursor()
                if dialect == "postgresql":
                    cursor.execute("SET jit = off")  # as the reports' own transactions (tune_session)
                cursor.execute(prefix + statement, parameters)
                plan = [" | ".join(str(v) for v in row) for row in cursor.fetchall()]
            finally:
                raw.close()
            lines += [f"--- {elapsed:.3f}s [{report}]", " ".join(statement.split())[:1500], *plan, ""]
        return "\n".join(lines)


def time_reports(url: str, runs: int, *, explain: int = 0):
    """Per report area and for the whole report: the timed runs, for each scope and period."""
    from sqlalchemy import select

    from licensing.authorities.models import Authority
    from licensing.db import db
    from licensing.reports import services as r
    from licensing.reports.services import Period, Scope, build_report

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    results, plans = [], ""
    with app.app_context():
        district = db.session.scalar(select(Authority).where(Authority.code == "WDC"))
        scopes = [Scope(None, "county"), Scope(district.id, "one district")]
        periods = [
            ("3 months", Period(dt.date(2026, 8, 1), dt.date(2026, 10, 31))),
            ("12 months", Period(dt.date(2025, 11, 1), dt.date(2026, 10, 31))),
        ]
        log = _QueryLog(db.engine) if explain else None
        for scope in scopes:
            for label, period in periods:
                for name, report in _reports(TODAY):
                    times, cpus = [], []
                    for run in range(runs + 1):
                        db.session.remove()
                        if log:
                            log.report = f"{name}, {scope.name}, {label}"
                        cpu = _Cpu()
                        started = time.perf_counter()
                        r.tune_session()
                        assert report(scope, period)
                        if run:  # the first run warms the caches
                            times.append(time.perf_counter() - started)
                            cpus.append(cpu.used())
                    results.append((f"{name} ({scope.name}, {label})", times, cpus))
                times, cpus = [], []
                for _run in range(runs):
                    db.session.remove()
                    if log:  # so the plans of the whole report's statements are not put down to area 9
                        log.report = f"whole dashboard, {scope.name}, {label}"
                    cpu = _Cpu()
                    started = time.perf_counter()
                    build_report(scope, period, today=TODAY)
                    times.append(time.perf_counter() - started)
                    cpus.append(cpu.used())
                results.append((f"WHOLE DASHBOARD, queries ({scope.name}, {label})", times, cpus))
        if log:
            plans = log.explain(explain)
        db.session.remove()
        db.engine.dispose()
    return results, plans


PAGE_PERIODS = [
    ("3 months", "start=1&start=8&start=2026&end=31&end=10&end=2026"),
    ("12 months", "start=1&start=11&start=2025&end=31&end=10&end=2026"),
]


class _RequestCpu:
    """CPU seconds used since creation by this process (the app runs in it, through the test client) and, on
    PostgreSQL, by the server backends connected to the register's database (the app's pooled sessions)."""

    def __init__(self, engine) -> None:
        self._engine = engine
        self._started = self._now()

    def _backends(self) -> float:
        from sqlalchemy import text

        if self._engine.dialect.name != "postgresql":
            return 0.0
        with self._engine.connect() as conn:
            pids = conn.execute(
                text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
            ).scalars().all()
        used = 0.0
        for pid in pids:
            with contextlib.suppress(FileNotFoundError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                used += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return used

    def _now(self) -> float:
        return time.process_time() + self._backends()

    def used(self) -> float:
        return self._now() - self._started


def time_page(url: str, runs: int):
    """As the county safeguarding lead through the Flask test client: the GET of the dashboard page (every
    table's queries, the page rendered, the view audited; no chart) and then the GET of each chart image the
    page points at, each drawn afresh (the chart cache cleared first), for the county and one district over 3
    and 12 months."""
    import re

    import pyotp
    from sqlalchemy import select

    from licensing.auth.models import Role, User
    from licensing.auth.services import hash_password
    from licensing.authorities.models import Authority
    from licensing.db import db
    from licensing.reports.presentation import _draw

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    results = []
    with app.app_context():
        email = "bench-safeguarding-lead@example.org"
        lead = db.session.scalar(select(User).where(User.email == email))
        if lead is None:
            county = db.session.scalar(select(Authority).where(Authority.code == "BCC-CT"))
            lead = User(
                email=email, name="Bench Safeguarding Lead", role=Role.SAFEGUARDING_LEAD, authority=county,
                password_hash=hash_password(pyotp.random_base32()), totp_secret=pyotp.random_base32(32),
            )
            db.session.add(lead)
            db.session.commit()
        user_id = lead.get_id()
        district = db.session.scalar(select(Authority.id).where(Authority.code == "WDC"))
        db.session.remove()
    client = app.test_client()
    # Signed in with both factors, as after the sign-in journey; with the identifier Flask-Login's strong
    # session protection expects of this client's address and user agent.
    with app.test_request_context(environ_base=client.environ_base):
        identifier = app.login_manager._session_identifier_generator()
    with client.session_transaction() as session:
        session.update({"_user_id": user_id, "_fresh": True, "_id": identifier, "signed_in_at": time.time()})

    def timed(path: str, check) -> tuple[list[float], list[float], str]:
        times, cpus, body = [], [], ""
        for run in range(runs + 1):
            _draw.cache_clear()  # every chart drawn afresh, as for the first viewer of these figures
            with app.app_context():
                cpu = _RequestCpu(db.engine)
            started = time.perf_counter()
            response = client.get(path)
            elapsed = time.perf_counter() - started
            with app.app_context():
                used = cpu.used()
            body = response.get_data(as_text=True)
            check(response, body)
            if run:  # the first run warms the caches
                times.append(elapsed)
                cpus.append(used)
        return times, cpus, body

    def is_page(response, body):
        assert response.status_code == 200, response.status_code
        assert body.count('<img class="app-chart"') >= 10
        assert "<svg" not in body

    def is_chart(response, body):
        assert response.status_code == 200 and response.mimetype == "image/svg+xml", response.status_code
        assert body.startswith("<svg"), body[:100]

    for scope_name, scope in (("county", "county"), ("one district", str(district))):
        for label, query in PAGE_PERIODS:
            times, cpus, page = timed(f"/reports/?scope={scope}&{query}", is_page)
            results.append((f"PAGE: GET /reports/ HTML ({scope_name}, {label})", times, cpus))
            charts = re.findall(r'<img class="app-chart" src="([^"]+)"', page)
            for src in charts:
                key = src.split("/chart/", 1)[1].split(".svg", 1)[0]
                times, cpus, _svg = timed(src.replace("&amp;", "&"), is_chart)
                results.append((f"CHART: {key} ({scope_name}, {label})", times, cpus))
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return results


def format_results(database: str, size: int, counts: dict, results) -> str:
    lines = [
        f"{database} · {size:,} person records · "
        + ", ".join(f"{n:,} {table}" for table, n in counts.items()),
        f"  {'report (scope, period)':<66} {'median s':>9} {'max s':>7} {'CPU s':>7}",
    ]
    for name, times, cpus in results:
        median, cpu = statistics.median(times), statistics.median(cpus)
        lines.append(f"  {name:<66} {median:>9.3f} {max(times):>7.3f} {cpu:>7.3f}")
    skipped = ("WHOLE", "PAGE", "CHART")
    areas = [(times, cpus) for name, times, cpus in results if not name.startswith(skipped)]
    if areas:
        worst = max(max(times) for times, _ in areas)
        worst_cpu = max(statistics.median(cpus) for _, cpus in areas)
        lines.append(
            f"  slowest report area: {worst:.3f} s; target < {TARGET_SECONDS:.0f} s: "
            f"{'met' if worst < TARGET_SECONDS else 'NOT met'}; most CPU used by one area: {worst_cpu:.3f} s"
        )
    for kind, what in (("PAGE", "page GET"), ("CHART", "chart GET")):
        requests = [(name, times, cpus) for name, times, cpus in results if name.startswith(kind)]
        if requests:
            name, times, cpus = max(requests, key=lambda request: max(request[1]))
            cpu = max(statistics.median(c) for _, _, c in requests)
            met = "met" if max(times) < TARGET_SECONDS else "NOT met"
            lines.append(
                f"  slowest {what} ({len(requests)} requests x {len(times)} runs): {max(times):.3f} s, "
                f"{name}; target < {TARGET_SECONDS:.0f} s: {met}; most CPU (median) of one: {cpu:.3f} s"
            )
    return "\n".join(lines)


def _registered(url: str) -> int:
    """How many person records the database at url holds (0 when it has no schema yet)."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("person_records"):
                return 0
            return conn.execute(text("SELECT count(*) FROM person_records")).scalar_one()
    finally:
        engine.dispose()


def _activity_counts(url: str) -> dict[str, int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()  # noqa: S608
                  for t in ("sanctions", "complaints", "alerts", "applicant_checks", "badges", "licences")}
    engine.dispose()
    return counts



def prepare(url: str, size: int, population) -> dict[str, int]:
    """Migrate, bulk-load and add the activity, unless the database already holds this register."""
    held = _registered(url)
    if held == size:
        print(f"  reusing the register of {held:,} records at {url}; migrating it to the head", flush=True)
        migrate(url)
        vacuum_analyze(url)
        return _activity_counts(url)
    if held:
        raise SystemExit(f"{url} holds {held:,} records, not {size:,}")
    migrate(url)
    bulk_load(url, size, population=population(), echo=lambda m: print(m, flush=True))
    started = time.perf_counter()
    counts = add_activity(url)
    print(f"  activity added in {time.perf_counter() - started:.1f}s: {counts}", flush=True)
    rebuild_summaries(url)
    return _activity_counts(url)


def rebuild_summaries(url: str) -> None:
    """`flask reports rebuild`: PostgreSQL's bulk load COPYs with triggers off, so the summaries missed it."""
    from licensing.db import db
    from licensing.reports.summaries import rebuild

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        started = time.perf_counter()
        counts = rebuild()
        db.session.commit()
        print(f"  summaries rebuilt in {time.perf_counter() - started:.1f}s: {counts}", flush=True)
        db.session.remove()
        db.engine.dispose()
    vacuum_analyze(url)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument(
        "--databases", nargs="+", choices=("sqlite", "postgresql"), default=["sqlite", "postgresql"]
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--sqlite-file", type=Path,
                        help="load the SQLite register here and keep it; reused when it already holds it")
    parser.add_argument("--postgres-url",
                        help="an existing PostgreSQL database to load and keep (reused likewise) instead "
                        "of a throwaway cluster")
    parser.add_argument("--explain", type=int, default=0, metavar="N",
                        help="print the plans of the N slowest statements")
    parser.add_argument("--no-page", action="store_true",
                        help="skip the timing of the dashboard page's GET and its charts' GETs")
    parser.add_argument("--no-areas", action="store_true",
                        help="skip the timing of each report area's queries (only the page and charts)")
    args = parser.parse_args(argv)
    signal.signal(
        signal.SIGTERM, lambda *_: sys.exit("terminated")
    )  # so the cluster and temp files are removed
    header = (
        f"Report latency (bench/reports_latency.py), {time.strftime('%Y-%m-%d %H:%M')}: median and max of "
        f"{args.runs} runs after a warm-up, each report area with its previous period, in a fresh session; "
        f"CPU s is the median CPU time of this process plus, on PostgreSQL, the session's server backend "
        f"(for page and chart requests: every backend of the register's database; not parallel workers); "
        f"charts drawn afresh for every request; "
        f"load average at the start {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (a shared machine)"
    )
    print(header, flush=True)
    sections = []
    with contextlib.ExitStack() as stack:
        needs_cluster = "postgresql" in args.databases and not args.postgres_url
        server = stack.enter_context(postgres_cluster()) if needs_cluster else None
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="reportsbench-")))
        for size in args.sizes:
            cache: list = []

            def population(size=size, cache=cache):
                if not cache:  # one population for both databases
                    cache.append(generate_population(size, seed=DEFAULT_SEED))
                return cache[0]

            for database in args.databases:
                if database == "sqlite":
                    url = f"sqlite:///{args.sqlite_file or tmp / f'register-{size}.db'}"
                else:
                    url = args.postgres_url or create_postgres_database(server, f"register_{size}")
                print(f"[{database} {size:,}]", flush=True)
                counts = prepare(url, size, population)
                results, plans = [], ""
                if not args.no_areas:
                    results, plans = time_reports(url, args.runs, explain=args.explain)
                if not args.no_page:
                    results += time_page(url, args.runs)
                section = format_results(database, size, counts, results)
                print(section, flush=True)
                if plans:
                    print(plans, flush=True)
                sections.append(section)
                if database == "sqlite" and not args.sqlite_file:
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{tmp / f'register-{size}.db'}{suffix}").unlink(missing_ok=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(header + "\n\n" + "\n\n".join(sections) + "\n")


if __name__ == "__main__":
    main()
