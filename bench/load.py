"""Load test: gunicorn with 4 workers on PostgreSQL, on loopback only, bounded in time and requests.

    python bench/load.py [--clients 50] [--pause 2.0] [--duration 60] [--records 300] [--max-requests 20000]

Starts a throwaway PostgreSQL 15 cluster (socket only) and a redis-server (127.0.0.1), migrates, seeds the
synthetic demo county, creates one officer per client (with a TOTP secret, so each signs in with two factors),
then serves the app with `gunicorn -w 4 -b 127.0.0.1:PORT`. Each client signs in and loops: search with a
reason, open a result's person page, and every fifth action add a person record (one client in ten is the
police point of contact, who submits a graded intelligence item on the person found instead). Prints
throughput, p50/p95 latency per action and overall, and the error count; then checks that every accepted
write (records and police items) is in the database with its own audit event, that every person view has an
audit row with its own reason, and that `audit verify` passes. `--pause 0` measures capacity. A run lasts at
most 90 s of load (`--duration` is capped). Everything is removed at the end.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyotp  # noqa: E402

from bench.bulk_load import create_postgres_database, migrate, postgres_cluster  # noqa: E402
from config import TestingConfig  # noqa: E402
from licensing import create_app  # noqa: E402

PASSWORD = "load bench passphrase 2026"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
FORM_TOKEN = re.compile(r'name="form_token" type="hidden" value="([^"]+)"|name="form_token" value="([^"]+)"')
PERSON_LINK = re.compile(r'href="(/people/(\d+)\?grant=\d+)"')
MAX_DURATION = 90.0


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


class Officer:
    """One simulated user with a cookie jar; records (action, seconds, status) for each request."""

    def __init__(self, base: str, email: str, secret: str, timings: list, lock: threading.Lock) -> None:
        self.base, self.email, self.secret, self.timings, self.lock = base, email, secret, timings, lock
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
        self.writes: list[str] = []
        self.police_items: list[str] = []
        self.is_police = email.startswith("police")

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
        with self.lock:
            self.timings.append((action, time.perf_counter() - started, status))
        return status, body, location

    def csrf(self, path: str) -> str:
        return self.tokens(path)["csrf_token"]

    def tokens(self, path: str) -> dict:
        """The form's CSRF token and, on a create form, its one-time token (regexes, no HTML parsing)."""
        body = self.request("form", path)[1]
        found = {}
        for name, pattern in (("csrf_token", CSRF), ("form_token", FORM_TOKEN)):
            match = pattern.search(body)
            if match:
                found[name] = match.group(1) or match.group(2)
        return found

    def sign_in(self) -> None:
        self.request(
            "sign_in",
            "/sign-in",
            {"csrf_token": self.csrf("/sign-in"), "email": self.email, "password": PASSWORD},
        )
        token = self.csrf("/sign-in/two-factor")
        self.request(
            "sign_in", "/sign-in/two-factor", {"csrf_token": token, "code": pyotp.TOTP(self.secret).now()}
        )

    def search(self, surname: str, n: int) -> list[tuple[str, str]]:
        token = self.csrf("/search")
        status, body, _ = self.request(
            "search",
            "/search",
            {"csrf_token": token, "surname": surname, "reason": f"Load bench check {self.email} {n}"},
        )
        return PERSON_LINK.findall(body) if status == 200 else []

    def submit_intelligence(self, identity_id: str, n: int) -> None:
        """A police item on the person just found, as the point of contact's form posts it."""
        path = f"/intelligence/new?identity_id={identity_id}"
        reference = f"TVP/LOAD/{self.email.split('@')[0]}-{n}"
        review = time.gmtime(time.time() + 120 * 86400)
        form = {
            **self.tokens(path), "source_evaluation": "2", "intelligence_assessment": "B",
            "handling_code": "P", "handling_conditions": "", "category": "other", "status": "intelligence",
            "force_reference": reference, "legal_basis": "clpd", "legal_basis_other": "",
            "full_text": f"Load bench police text {n}", "sanitised_summary": "Police hold information.",
            "review_on": [str(review.tm_mday), str(review.tm_mon), str(review.tm_year)],
        }
        if self.request("police_write", path, form)[0] == 302:
            self.police_items.append(reference)

    def add_record(self, n: int) -> None:
        reference = f"LOAD/{self.email.split('@')[0]}/{n}"
        form = {
            **self.tokens("/records/new"),
            "authority_reference": reference,
            "forenames": "Load",
            "surname": f"Bench{n}",
            "date_of_birth": ["1", "2", "1980"],
            "sex": "M",
            "address_line": f"{n} High Street",
            "town": "High Wycombe",
            "postcode": "HP11 2BZ",
        }
        if self.request("write", "/records/new", form)[0] == 302:
            self.writes.append(reference)


def run_client(officer: Officer, surnames: list[str], stop: threading.Event, pause: float, budget,
               signed_in=lambda: None) -> None:
    officer.sign_in()
    signed_in()
    n = 0
    while not stop.is_set() and budget():
        n += 1
        links = officer.search(surnames[n % len(surnames)], n)
        if links:
            officer.request("person_view", links[0][0])
        if n % 5 == 0:
            if officer.is_police:
                if links:
                    officer.submit_intelligence(links[0][1], n)
            else:
                officer.add_record(n)
        if pause:
            stop.wait(pause)


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
    args = parser.parse_args(argv)
    args.duration = min(args.duration, MAX_DURATION)

    redis_exe = shutil.which("redis-server") or "/usr/bin/redis-server"
    with (
        postgres_cluster({"max_connections": "200", "shared_buffers": "128MB"}) as server,
        tempfile.TemporaryDirectory(prefix="loadbench-") as scratch,
    ):
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


def _serve_and_load(args, url: str, redis_port: int, scratch: str) -> None:
    """Seed, serve with gunicorn, run the clients and report; gunicorn is stopped whatever happens."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, ARGON2_TIME_COST=1)
    surnames, officers = _seed(app, args.clients)
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
        "RATELIMIT_STORAGE_URI='redis://127.0.0.1:%d/0', TESTING=False, PROPAGATE_EXCEPTIONS=False)"
        % (url, redis_port)
    )
    gunicorn = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            str(args.workers),
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
        clients = [Officer(base, email, secret, timings, lock) for email, secret in officers]
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
                args=(c, surnames, stop, args.pause, lambda: len(timings) < args.max_requests, signed_in),
            )
            for c in clients
        ]
        started = time.monotonic()
        server_cpu, database_cpu = _tree_cpu_seconds(gunicorn.pid), _tree_cpu_seconds(args.postgres_pid)
        client_cpu = time.process_time()
        for thread in threads:
            thread.start()
        stop.wait(args.duration)
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
                    _tree_cpu_seconds(args.postgres_pid) - database_cpu, time.process_time() - client_cpu)
    finally:
        if os.environ.get("LOAD_BENCH_LOG"):
            print((Path(scratch) / "gunicorn.log").read_text()[-3000:])
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(30)
    _report(app, timings, clients, elapsed, args)
    from licensing.db import db

    with app.app_context():
        db.engine.dispose()


def _seed(app, clients: int) -> tuple[list[str], list[tuple[str, str]]]:
    from sqlalchemy import select

    from licensing.auth.models import Role, User
    from licensing.auth.services import hash_password
    from licensing.authorities.models import Authority
    from licensing.db import db
    from licensing.people.models import PersonRecord

    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed", "demo", "--records", "300"])
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

    actions = [t for t in timings if t[0] in ("search", "person_view", "write", "police_write")]
    errors = [t for t in timings if t[2] >= 500]
    print(
        f"{args.clients} clients, pause {args.pause}s, {args.workers} gunicorn workers, PostgreSQL, {elapsed:.0f}s"  # noqa: E501
    )
    print(
        f"actions: {len(actions)} ({len(actions) / elapsed:.1f}/s); requests: {len(timings)} "
        f"({len(timings) / elapsed:.1f}/s); server errors: {len(errors)}"
    )
    server, database, client = args.cpu
    print(
        f"CPU seconds during the load: gunicorn {server:.1f}, PostgreSQL {database:.1f}, "
        f"load client {client:.1f} (of {2 * elapsed:.0f} on 2 cores); "
        f"{1000 * server / max(1, len(timings)):.1f} ms gunicorn CPU a request"
    )
    if args.steady:
        seconds, requests, cpu = args.steady
        print(
            f"after every client signed in: {requests} requests in {seconds:.0f}s "
            f"({requests / seconds:.1f}/s), gunicorn CPU {cpu:.1f} s; "
            f"{1000 * cpu / max(1, requests):.1f} ms gunicorn CPU a request"
        )
    for action in ("search", "person_view", "write", "police_write", "sign_in"):
        values = [t[1] * 1000 for t in timings if t[0] == action]
        if values:
            print(
                f"  {action:<12} n={len(values):<6} p50 {statistics.median(values):7.0f} ms   "
                f"p95 {_percentile(values, 95):7.0f} ms"
            )
    overall = [t[1] * 1000 for t in actions]
    if overall:
        print(
            f"  {'all actions':<12} n={len(overall):<6} p50 {statistics.median(overall):7.0f} ms   "
            f"p95 {_percentile(overall, 95):7.0f} ms"
        )
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
