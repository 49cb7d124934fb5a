"""Load test: gunicorn with 4 workers on PostgreSQL or SQLite, on loopback only, bounded in time and requests.

    python bench/load.py [--clients 50] [--pause 2.0] [--duration 60] [--records 300] [--max-requests 20000]
                         [--database postgresql|sqlite] [--workers 4] [--threads 1] [--no-durability]
                         [--statements N]

Starts a throwaway PostgreSQL 15 cluster (socket only; its commits durable as in production unless
--no-durability), or a SQLite file in WAL mode, and a redis-server (127.0.0.1), migrates, seeds the synthetic
demo county, creates one officer per client (with a TOTP secret, so each signs in with two factors), then
serves the app with `gunicorn -w 4 -b 127.0.0.1:PORT` (TestingConfig with production's engine options: a
pre-ping at each checkout). Each client signs in and loops: search with a reason (from the results page it is
on, whose form carries the CSRF token), open a result's person page, and every fifth search open the
add-a-person form and add a record (one client in ten is the police point of contact, who submits a graded
intelligence item on the person found instead). Every page load is an action, and each client thinks `--pause`
seconds after every one (a closed loop: 50 clients pausing 2 s offer about 50 / (2 s + latency) = 25 actions a
second); clients start spread over the first pause. The run ends after `--duration` seconds (at most 90);
`--max-requests` is only a safety bound. A client whose request fails (timeout, refused, a page without its
form) records a client error and carries on. Prints offered and achieved rates, p50/p95/p99 latency per action
and overall, every non-2xx/3xx status, and the CPU each process used; then checks that every accepted write
(records and police items) is in the database with its own audit event, that every person view has an audit
row with its own reason, and that `audit verify` passes.
`--pause 0` measures capacity. Everything is removed at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyotp  # noqa: E402

from bench.bulk_load import create_postgres_database, migrate, postgres_cluster  # noqa: E402
from config import Config, TestingConfig  # noqa: E402
from licensing import create_app  # noqa: E402

PASSWORD = "load bench passphrase 2026"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
FORM_TOKEN = re.compile(r'name="form_token" type="hidden" value="([^"]+)"|name="form_token" value="([^"]+)"')
PERSON_LINK = re.compile(r'href="(/people/(\d+)\?grant=\d+)"')
MAX_DURATION = 90.0
_DATABASES = {"postgresql": "PostgreSQL", "sqlite": "SQLite (WAL)"}
# The throwaway cluster (tests/postgres.py) turns these off; the load is served as production would be.
DURABLE = {"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on"}
FORENAMES = ("Aaron", "Bilal", "Connor", "Dawid", "Emeka", "Farid", "Gareth", "Hamza", "Imran", "Jamal")
STREETS = ("High Street", "Queen Street", "London Road", "Desborough Road", "Totteridge Lane", "Oxford Road")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=10)  # noqa: S310 (loopback only)
            return
        except OSError:  # refused, reset or timed out while the workers boot
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class ClientError(Exception):
    """A page came back without what the client needs next (its form, its token)."""


class Officer:
    """One simulated user with a cookie jar; records (action, seconds, status, started) for each request and
    thinks `pause` seconds after each page load."""

    def __init__(self, base: str, email: str, secret: str, timings: list, lock: threading.Lock,
                 stop: threading.Event | None = None, pause: float = 0.0) -> None:
        self.base, self.email, self.secret, self.timings, self.lock = base, email, secret, timings, lock
        self.stop, self.pause = stop or threading.Event(), pause
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
        self.writes: list[str] = []
        self.police_items: list[str] = []
        self.is_police = email.startswith("police")
        self.search_token = ""  # the CSRF token of the search form on the page this officer is looking at

    def request(self, action: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        data = urllib.parse.urlencode(form, doseq=True).encode() if form is not None else None
        started = time.perf_counter()
        try:
            response = self.opener.open(self.base + path, data=data, timeout=30)  # noqa: S310
            status, body, location = response.status, response.read().decode(), ""
        except urllib.error.HTTPError as error:
            status, body, location = (
                error.code,
                error.read().decode(errors="replace"),
                error.headers.get("Location", ""),
            )
        except OSError:  # timed out, refused or reset: counted, and the client carries on
            status, body, location = 0, "", ""
        with self.lock:
            self.timings.append((action, time.perf_counter() - started, status, started))
        if self.pause:
            self.stop.wait(self.pause)  # think time after every page load
        return status, body, location

    def csrf(self, path: str, action: str = "form") -> str:
        return self.tokens(path, action)["csrf_token"]

    def tokens(self, path: str, action: str = "form") -> dict:
        """The form's CSRF token and, on a create form, its one-time token (regexes, no HTML parsing)."""
        body = self.request(action, path)[1]
        found = _tokens(body)
        if "csrf_token" not in found:
            raise ClientError(f"{path} came back without its form")
        return found

    def sign_in(self) -> None:
        self.request(
            "sign_in",
            "/sign-in",
            {"csrf_token": self.csrf("/sign-in", "sign_in"), "email": self.email, "password": PASSWORD},
        )
        token = self.csrf("/sign-in/two-factor", "sign_in")
        status, _, location = self.request(
            "sign_in", "/sign-in/two-factor", {"csrf_token": token, "code": pyotp.TOTP(self.secret).now()}
        )
        if status != 302 or "/sign-in" in location:
            raise ClientError(f"sign-in refused ({status} to {location or 'nowhere'})")
        self.search_token = ""

    def search(self, surname: str, n: int) -> list[tuple[str, str]]:
        if not self.search_token:  # first search, or after a page without the form: open the search page
            self.search_token = self.csrf("/search", "search_form")
        status, body, _ = self.request(
            "search",
            "/search",
            {"csrf_token": self.search_token, "surname": surname,
             "reason": f"Load bench check {self.email} {n}"},
        )
        self.search_token = _tokens(body).get("csrf_token", "") if status == 200 else ""
        return PERSON_LINK.findall(body) if status == 200 else []

    def submit_intelligence(self, identity_id: str, n: int) -> None:
        """A police item on the person just found, as the point of contact's form posts it."""
        path = f"/intelligence/new?identity_id={identity_id}"
        reference = f"TVP/LOAD/{self.email.split('@')[0]}-{n}"
        review = time.gmtime(time.time() + 120 * 86400)
        form = {
            **self.tokens(path, "police_form"), "source_evaluation": "2", "intelligence_assessment": "B",
            "handling_code": "P", "handling_conditions": "", "category": "other", "status": "intelligence",
            "force_reference": reference, "legal_basis": "clpd", "legal_basis_other": "",
            "full_text": f"Load bench police text {n}", "sanitised_summary": "Police hold information.",
            "review_on": [str(review.tm_mday), str(review.tm_mon), str(review.tm_year)],
        }
        if self.request("police_write", path, form)[0] == 302:
            self.police_items.append(reference)

    @staticmethod
    def new_person(seed: str) -> dict:
        """The form fields of a distinct synthetic person, repeatable from `seed`."""
        made = random.Random(seed)  # noqa: S311  (synthetic data, repeatable)
        return {
            "forenames": made.choice(FORENAMES),
            "surname": "".join(made.choice("bcdfghklmnprstvz") + made.choice("aeiou")
                               for _ in range(4)).title(),
            "date_of_birth": [str(made.randint(1, 28)), str(made.randint(1, 12)),
                              str(made.randint(1950, 2002))],
            "sex": "M",
            "address_line": f"{made.randint(1, 300)} {made.choice(STREETS)}",
            "town": "High Wycombe",
            "postcode": f"HP{made.randint(10, 15)} {made.randint(1, 9)}{made.choice('ABDEFGHJLNPQRSTUWXYZ')}"
                        f"{made.choice('ABDEFGHJLNPQRSTUWXYZ')}",
        }

    def add_record(self, n: int) -> None:
        """A new, distinct synthetic person. (Until round 6 every write was "Load Bench<n>", born 1 Feb 1980
        at HP11 2BZ: each was a review candidate of every earlier one, so the k-th write queued k links and
        k audit events, and writes slowed as the run went on.)"""
        reference = f"LOAD/{self.email.split('@')[0]}/{n}"
        form = {**self.tokens("/records/new", "record_form"), "authority_reference": reference,
                **self.new_person(reference)}
        if self.request("write", "/records/new", form)[0] == 302:
            self.writes.append(reference)


def _tokens(body: str) -> dict:
    found = {}
    for name, pattern in (("csrf_token", CSRF), ("form_token", FORM_TOKEN)):
        match = pattern.search(body)
        if match:
            found[name] = match.group(1) or match.group(2)
    return found


def run_client(officer: Officer, surnames: list[str], stop: threading.Event, pause: float, budget,
               signed_in=lambda: None, errors: list | None = None) -> None:
    """Sign in, then search / view / (every fifth) write until stopped; a failure is recorded, not fatal."""
    errors = [] if errors is None else errors
    stop.wait(random.uniform(0, pause))  # noqa: S311  (arrivals spread over the first pause)
    # Each client starts at its own place in the cycle, so writes come in their share (one search in five)
    # from the first seconds rather than only after every client's fifth search.
    n, signed = random.randrange(5), False  # noqa: S311
    while not stop.is_set() and budget():
        try:
            if not signed:
                officer.sign_in()
                signed = True
                signed_in()
                continue
            n += 1
            links = officer.search(surnames[n % len(surnames)], n)
            if links and not stop.is_set():
                officer.request("person_view", links[0][0])
            if n % 5 == 0 and not stop.is_set():
                if officer.is_police:
                    if links:
                        officer.submit_intelligence(links[0][1], n)
                else:
                    officer.add_record(n)
        except ClientError as error:
            errors.append(str(error))
            officer.search_token = ""
            stop.wait(max(pause, 0.5))


def _tree_cpu_seconds(root: int) -> float:
    """User plus system CPU seconds of a process and its live descendants, from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    times: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, parent = int(entry), int(fields[1])
        children.setdefault(parent, []).append(pid)
        times[pid] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += times.get(pid, 0.0)
        todo.extend(children.get(pid, []))
    return total


def _database_cpu(args) -> float:
    """PostgreSQL's CPU seconds; SQLite runs inside the gunicorn workers, so its CPU is theirs."""
    return _tree_cpu_seconds(args.postgres_pid) if args.postgres_pid else 0.0


def _quantiles(values: list[float]) -> str:
    return (f"p50 {statistics.median(values):6.0f} ms   p95 {_percentile(values, 95):6.0f} ms   "
            f"p99 {_percentile(values, 99):6.0f} ms")


def _machine_cpu_seconds() -> float:
    """CPU seconds every process on the machine has used (busy time from /proc/stat, Linux)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else 0.0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--pause", type=float, default=2.0, help="seconds each client waits between actions")
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--records", type=int, default=300)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads a worker (>1: gthread)")
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--no-durability", action="store_true",
                        help="PostgreSQL without fsync, synchronous_commit and full_page_writes "
                             "(as the bench ran before round 15)")
    parser.add_argument("--statements", type=int, default=0, metavar="N",
                        help="PostgreSQL: count statements with pg_stat_statements during the load and print "
                             "the N that took the most server time (the extension costs server CPU itself)")
    args = parser.parse_args(argv)
    args.duration = min(args.duration, MAX_DURATION)

    redis_exe = shutil.which("redis-server") or "/usr/bin/redis-server"
    with contextlib.ExitStack() as stack:
        scratch = stack.enter_context(tempfile.TemporaryDirectory(prefix="loadbench-"))
        if args.database == "sqlite":
            url, args.postgres_pid = f"sqlite:///{scratch}/load.db", None
            migrate(url)
            _sqlite_wal(Path(scratch, "load.db"))
        else:
            settings = {"max_connections": "200", "shared_buffers": "128MB"}
            if not args.no_durability:  # as production runs: a commit is on disk before it is answered
                settings.update(DURABLE)
            if args.statements:
                settings.update({"shared_preload_libraries": "pg_stat_statements",
                                 "pg_stat_statements.track_planning": "on"})
            server = stack.enter_context(postgres_cluster(settings))
            url = create_postgres_database(server, "loadbench")
            args.postgres_pid = int(Path(server, "data", "postmaster.pid").read_text().split()[0])
            migrate(url)
        redis_port = _free_port()
        redis = subprocess.Popen(
            [
                redis_exe,
                "--port",
                str(redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                scratch,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _serve_and_load(args, url, redis_port, scratch)
        finally:
            redis.terminate()
            redis.wait(10)


def _sqlite_wal(path: Path) -> None:
    """Put the bench's SQLite file in WAL mode (kept in the file): readers in the four workers then never wait
    for a writer. Commits still sync the log (synchronous=FULL), so an accepted write survives a crash."""
    with sqlite3.connect(path) as connection:
        mode = connection.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    if mode != "wal":
        raise RuntimeError(f"{path} stayed in {mode} mode")


def _serve_and_load(args, url: str, redis_port: int, scratch: str) -> None:
    """Seed, serve with gunicorn, run the clients and report; gunicorn is stopped whatever happens."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, ARGON2_TIME_COST=1)
    surnames, officers = _seed(app, args.clients, args.records)
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "load-bench-secret-" + "x" * 32,
        "AUDIT_HMAC_KEY": TestingConfig.AUDIT_HMAC_KEY,
        "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{redis_port}/0",
    }
    factory = (
        "licensing:create_app('config.TestingConfig', SQLALCHEMY_DATABASE_URI=%r, "  # noqa: UP031
        "RATELIMIT_STORAGE_URI='redis://127.0.0.1:%d/0', TESTING=False, PROPAGATE_EXCEPTIONS=False, "
        "SQLALCHEMY_ENGINE_OPTIONS=%r)"
        % (url, redis_port, Config.SQLALCHEMY_ENGINE_OPTIONS)
    )
    gunicorn = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            str(args.workers),
            "--threads",
            str(args.threads),
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            factory,
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(Path(scratch) / "gunicorn.log", "w"),
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base + "/sign-in")
        timings: list = []
        lock, stop = threading.Lock(), threading.Event()
        clients = [Officer(base, email, secret, timings, lock, stop, args.pause)
                   for email, secret in officers]
        args.client_errors = []
        # The steady phase starts when the last client has signed in: its CPU per request is the figure that
        # compares across runs (sign-in is a tenth of a short run's requests, and costs more than a page).
        steady: dict = {"waiting": len(clients)}

        def signed_in() -> None:
            with lock:
                steady["waiting"] -= 1
                if steady["waiting"] == 0:
                    steady.update(at=time.monotonic(), requests=len(timings),
                                  cpu=_tree_cpu_seconds(gunicorn.pid))
        threads = [
            threading.Thread(
                target=run_client,
                daemon=True,
                args=(c, surnames, stop, args.pause, lambda: len(timings) < args.max_requests, signed_in,
                      args.client_errors),
            )
            for c in clients
        ]
        if args.statements:
            _statements_reset(url)
        started = time.monotonic()
        server_cpu, database_cpu = _tree_cpu_seconds(gunicorn.pid), _database_cpu(args)
        client_cpu, machine, load_before = time.process_time(), _machine_cpu_seconds(), os.getloadavg()[0]
        for thread in threads:
            thread.start()
        while not stop.wait(1.0) and len(timings) < args.max_requests:
            if time.monotonic() - started >= args.duration:
                stop.set()
        stop.set()
        for thread in threads:
            thread.join(60)
        elapsed = time.monotonic() - started
        ended_cpu, ended_requests = _tree_cpu_seconds(gunicorn.pid), len(timings)
        args.steady = None
        if "at" in steady:
            args.steady = (time.monotonic() - steady["at"], ended_requests - steady["requests"],
                           ended_cpu - steady["cpu"])
        args.cpu = (ended_cpu - server_cpu,
                    _database_cpu(args) - database_cpu, time.process_time() - client_cpu)
        args.machine = (_machine_cpu_seconds() - machine, load_before, os.getloadavg()[0])
        # Read before the checks below add their own statements.
        args.statement_rows = _statements_read(url) if args.statements else []
    finally:
        if os.environ.get("LOAD_BENCH_LOG"):
            print((Path(scratch) / "gunicorn.log").read_text()[-3000:])
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(30)
    _report(app, timings, clients, elapsed, args)
    if args.statements:
        _statements_report(args.statement_rows, sum(1 for t in timings if t[0] != "sign_in"), args.statements)
    from licensing.db import db

    with app.app_context():
        db.engine.dispose()


_STATEMENT_COLUMNS = ("query", "calls", "total_exec_time", "total_plan_time", "plans", "rows",
                      "shared_blks_hit", "shared_blks_read", "wal_bytes")


def _statements_reset(url: str) -> None:
    """Start pg_stat_statements afresh (the seeding and migration are not the load)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_stat_statements"))
        conn.execute(text("SELECT pg_stat_statements_reset()"))
    engine.dispose()


def _statements_read(url: str) -> list[tuple]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text(
            f"SELECT {', '.join(_STATEMENT_COLUMNS)} FROM pg_stat_statements "  # noqa: S608 (constant columns)
            "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "ORDER BY total_exec_time + total_plan_time DESC")).all()
    engine.dispose()
    return rows


def _statements_report(rows: list[tuple], actions: int, top: int) -> None:
    """Server time per statement during the load: totals, then the `top` statements by execution plus planning
    time, each with its calls an action, mean time, rows and buffer hits a call, and its plans (psycopg
    prepares a statement on its sixth run on a connection; the server then plans five runs with their values
    and keeps a generic plan only if it looks no dearer). Execution time includes waiting for row locks."""
    calls, plans = sum(r.calls for r in rows), sum(r.plans for r in rows)
    execute, plan = sum(r.total_exec_time for r in rows), sum(r.total_plan_time for r in rows)
    per_action = max(1, actions)
    print(
        f"pg_stat_statements: {len(rows)} statements, {calls} calls ({calls / per_action:.1f} an action), "
        f"execution {execute / 1000:.2f} s + planning {plan / 1000:.2f} s, {plans} plans "
        f"({plans / per_action:.2f} an action), {sum(r.rows for r in rows)} rows, "
        f"{sum(r.shared_blks_hit for r in rows)} buffer hits, {sum(r.shared_blks_read for r in rows)} reads, "
        f"{sum(int(r.wal_bytes) for r in rows) / 2**20:.1f} MiB WAL"
    )
    replanned = [r for r in rows if r.calls > 50 and r.plans > r.calls / 2]
    replanning = sum(r.total_plan_time for r in replanned) / 1000
    print(
        f"  planned at most runs (of over 50): {len(replanned)} statements, "
        f"{sum(r.calls for r in replanned)} calls, planning {replanning:.2f} s"
    )
    for r in rows[:top]:
        query = " ".join(r.query.split())
        print(
            f"  {(r.total_exec_time + r.total_plan_time) / 1000:6.2f} s  {r.calls:6d} calls "
            f"({r.calls / per_action:.2f}/action)  mean {r.total_exec_time / max(1, r.calls):.3f} ms exec "
            f"+ {r.total_plan_time / max(1, r.plans):.3f} ms x {r.plans} plans  "
            f"{r.rows / max(1, r.calls):.1f} rows  {r.shared_blks_hit / max(1, r.calls):.0f} hits/call  "
            f"{query[:400]}"
        )


def _seed(app, clients: int, records: int = 300) -> tuple[list[str], list[tuple[str, str]]]:
    from sqlalchemy import select

    from licensing.auth.models import Role, User
    from licensing.auth.services import hash_password
    from licensing.authorities.models import Authority
    from licensing.db import db
    from licensing.people.models import PersonRecord

    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed", "demo", "--records", str(records)])  # --records was ignored
    assert result.exit_code == 0, result.output  # noqa: S101
    with app.app_context():
        wdc = db.session.scalar(select(Authority).where(Authority.code == "WDC"))
        police = db.session.scalar(select(Authority).where(Authority.code == "TVP"))
        digest = hash_password(PASSWORD)
        officers = []
        for i in range(clients):
            secret = pyotp.random_base32(32)
            is_police = i % 10 == 9  # one client in ten is the police point of contact
            email = f"{'police' if is_police else 'load'}{i}@example.org"
            db.session.add(
                User(
                    email=email,
                    name=f"Load Officer {i}",
                    authority=police if is_police else wdc,
                    role=Role.POLICE_SPOC if is_police else Role.LICENSING_OFFICER,
                    password_hash=digest,
                    totp_secret=secret,
                )
            )
            officers.append((email, secret))
        db.session.commit()
        surnames = sorted({s for (s,) in db.session.execute(select(PersonRecord.surname).limit(200))})
    return surnames, officers


def _report(app, timings, clients, elapsed, args) -> None:
    from sqlalchemy import func, select

    from licensing.audit.chain import verify
    from licensing.audit.models import AuditEvent
    from licensing.db import db
    from licensing.intelligence.models import IntelligenceItem
    from licensing.people.models import PersonRecord

    pages = [t for t in timings if t[0] != "sign_in"]
    errors = [t for t in timings if t[2] >= 500]
    others = Counter(t[2] for t in timings if not 200 <= t[2] < 400 and t[2] < 500)
    print(
        f"{args.clients} clients, pause {args.pause}s after every page load, {args.workers} gunicorn workers"
        f" x {args.threads} thread(s), {_DATABASES[args.database]}"
        + ("" if args.database == "sqlite" else
           " without fsync" if args.no_durability else " with durable commits (fsync, synchronous_commit)")
        + f", production's engine options {Config.SQLALCHEMY_ENGINE_OPTIONS}, {elapsed:.0f}s"
    )
    # Offered: what the clients' think time alone would send, and what a closed loop of them sends at the
    # latencies seen; achieved: what the server answered.
    mean = statistics.fmean(t[1] for t in pages) if pages else 0.0
    offered = f"{args.clients / (args.pause + mean):.1f}/s at the mean latency ({1000 * mean:.0f} ms)"
    if args.pause:
        offered = f"at most {args.clients / args.pause:.1f}/s from think time alone, {offered}"
    print(f"actions (page loads after sign-in) offered: {offered}")
    print(
        f"achieved: {len(pages)} actions ({len(pages) / elapsed:.1f}/s) and {len(timings)} requests "
        f"with sign-in "
        f"({len(timings) / elapsed:.1f}/s); server errors: {len(errors)}; other non-2xx/3xx statuses: "
        f"{dict(others) or 'none'} (0 = timed out or refused); client errors: {len(args.client_errors)}"
        + (f" ({Counter(args.client_errors).most_common(3)})" if args.client_errors else "")
    )
    server, database, client = args.cpu
    busy, load_before, load_after = args.machine
    print(
        f"CPU seconds during the load: gunicorn {server:.1f}"
        + (" (SQLite inside it)" if args.database == "sqlite" else f", PostgreSQL {database:.1f}") + ", "
        f"load client {client:.1f}, everything else on the machine {busy - server - database - client:.1f} "
        f"(of {2 * elapsed:.0f} on 2 cores; load average {load_before:.1f} before, {load_after:.1f} after); "
        f"{1000 * server / max(1, len(timings)):.1f} ms gunicorn CPU a request"
        + ("" if args.database == "sqlite" else
           f", {1000 * database / max(1, len(pages)):.2f} ms PostgreSQL CPU an action")
    )
    if args.steady:
        seconds, requests, cpu = args.steady
        print(
            f"after every client signed in: {requests} requests in {seconds:.0f}s "
            f"({requests / seconds:.1f}/s), gunicorn CPU {cpu:.1f} s; "
            f"{1000 * cpu / max(1, requests):.1f} ms gunicorn CPU a request"
        )
    names = ("search_form", "search", "person_view", "record_form", "write", "police_form", "police_write",
             "sign_in")
    for action in names:
        values = [t[1] * 1000 for t in timings if t[0] == action]
        if values:
            print(f"  {action:<12} n={len(values):<6} " + _quantiles(values))
    overall = [t[1] * 1000 for t in pages]
    if overall:
        print(f"  {'all actions':<12} n={len(overall):<6} " + _quantiles(overall)
              + f"   over 300 ms: {sum(v > 300 for v in overall) / len(overall):.1%}")
    accepted = [ref for c in clients for ref in c.writes]
    with app.app_context():
        stored = set(
            db.session.scalars(
                select(PersonRecord.authority_reference).where(
                    PersonRecord.authority_reference.like("LOAD/%")
                )
            )
        )
        stored_ids = set(db.session.scalars(select(PersonRecord.id).where(
            PersonRecord.authority_reference.like("LOAD/%"))))
        created_events = {int(s) for s in db.session.scalars(select(AuditEvent.subject_id).where(
            AuditEvent.action == "person_record.created", AuditEvent.subject_type == "person_records"))}
        police_refs = [ref for c in clients for ref in c.police_items]
        stored_items = dict(db.session.execute(
            select(IntelligenceItem.force_reference, IntelligenceItem.id).where(
                IntelligenceItem.force_reference.like("TVP/LOAD/%"))).all())
        item_events = {int(s) for s in db.session.scalars(select(AuditEvent.subject_id).where(
            AuditEvent.action == "intelligence.submitted"))}
        views = db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "person.viewed")
        )
        own_reason = db.session.scalar(
            select(func.count(AuditEvent.id)).where(
                AuditEvent.action == "person.viewed", AuditEvent.reason.like("Load bench check %")
            )
        )
        result = verify()
    answered = sum(1 for t in timings if t[0] == "person_view" and t[2] == 200)
    print(
        f"writes accepted {len(accepted)}, stored {len(stored & set(accepted))}, lost {len(set(accepted) - stored)}"  # noqa: E501
    )
    print(f"  records stored without their audit event: {len(stored_ids - created_events)}")
    print(
        f"police items accepted {len(police_refs)}, stored {len(set(police_refs) & set(stored_items))}, "
        f"lost {len(set(police_refs) - set(stored_items))}, without their audit event "
        f"{len(set(stored_items.values()) - item_events)}"
    )
    print(f"person views answered {answered}, audited {views}, with a search reason {own_reason}")
    print(
        f"audit chain: {'verified' if result.ok else 'BROKEN: ' + result.problem} ({result.checked} events)"
    )


if __name__ == "__main__":
    main()
