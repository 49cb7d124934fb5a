"""Profile the search page and the person page: SQL statements per request, wall time, and cProfile's top
functions.

    python bench/profile_pages.py [--records 1000] [--repeat 20] [--database postgresql|sqlite]

Builds a throwaway database (a socket-only PostgreSQL 15 cluster, or a SQLite file), migrates it, seeds the
synthetic demo county, signs one licensing officer in with both factors through the test client, then
requests each page `--repeat` times under cProfile, counting the statements sent to the database.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import pstats
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyotp  # noqa: E402
from sqlalchemy import event, func, select  # noqa: E402

from bench import load  # noqa: E402
from bench.bulk_load import create_postgres_database, migrate, postgres_cluster  # noqa: E402
from config import TestingConfig  # noqa: E402
from licensing import create_app  # noqa: E402

PASSWORD = "profile bench passphrase 2026"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
FORM_TOKEN = re.compile(r'name="form_token" type="hidden" value="([^"]+)"|name="form_token" value="([^"]+)"')
PERSON_LINK = re.compile(r'href="(/people/\d+\?grant=\d+)"')


class Statements:
    """Counts statements sent to the database, by their first line, so repeated (N+1) shapes stand out."""

    def __init__(self) -> None:
        self.count = 0
        self.shapes: Counter = Counter()

        self.head_taken: float | None = None
        self.head_held = 0.0  # seconds the audit chain's head row was locked (first UPDATE to COMMIT)

    def __call__(self, conn, cursor, statement, *args) -> None:
        self.count += 1
        self.shapes[" ".join(statement.split())[:150]] += 1
        if self.head_taken is None and statement.startswith("UPDATE audit_chain_head"):
            self.head_taken = time.perf_counter()

    def committed(self, conn) -> None:
        if self.head_taken is not None:
            self.head_held += time.perf_counter() - self.head_taken
            self.head_taken = None


def _csrf(client, path: str) -> str:
    match = CSRF.search(client.get(path).get_data(as_text=True))
    return match.group(1) or match.group(2)


def _signed_in(app):
    from licensing.auth.models import Role, User
    from licensing.auth.services import hash_password
    from licensing.authorities.models import Authority
    from licensing.db import db

    secret = pyotp.random_base32(32)
    with app.app_context():
        wdc = db.session.scalar(select(Authority).where(Authority.code == "WDC"))
        db.session.add(User(email="profile@example.org", name="Profile Officer", authority=wdc,
                            role=Role.LICENSING_OFFICER, password_hash=hash_password(PASSWORD),
                            totp_secret=secret))
        db.session.commit()
    client = app.test_client()
    client.post("/sign-in", data={"csrf_token": _csrf(client, "/sign-in"), "email": "profile@example.org",
                                  "password": PASSWORD})
    client.post("/sign-in/two-factor", data={"csrf_token": _csrf(client, "/sign-in/two-factor"),
                                             "code": pyotp.TOTP(secret).now()})
    return client


# Where a request's time goes, from the profile's cumulative times: (label, file suffix, function name).
# SQL is counted wherever it runs (in the view or lazily while rendering), so the parts overlap a little.
PARTS = (
    ("view function (domain code, its SQL and its rendering)", "licensing/auth/permissions.py", "wrapped"),
    ("Jinja rendering (its SQL included)", "flask/templating.py", "_render"),
    ("SQL (SQLAlchemy + psycopg, and the round trips)", "sqlalchemy/engine/base.py", "_execute_context"),
    ("psycopg query parsing (_split_query)", "psycopg/_queries.py", "_split_query"),
    ("commit (audit seal + HMAC, flush, COMMIT)", "sqlalchemy/orm/session.py", "commit"),
    ("Flask-Login user load", "flask_login/login_manager.py", "_load_user"),
    ("Flask-Limiter checks", "flask_limiter/_extension.py", "_check_request_limit"),
    ("CSRF check", "flask_wtf/csrf.py", "protect"),
    ("session cookie open", "licensing/security.py", "open_session"),
    ("session cookie save", "flask/sessions.py", "save_session"),
)


def _parts(profiler: cProfile.Profile, repeat: int) -> list[str]:
    """Per-request milliseconds spent under each of PARTS, and the rest (framework: WSGI, routing, hooks)."""
    stats = pstats.Stats(profiler).stats
    total = sum(tt for (_, _, tt, _, _) in stats.values())
    lines = [f"    {'whole request, CPU (test client included)':<58} {1000 * total / repeat:7.1f} ms"]
    view = 0.0
    for label, suffix, function in PARTS:
        spent = sum(ct for (path, _, name), (_, _, _, ct, _) in stats.items()
                    if path.endswith(suffix) and name == function)
        if label.startswith("view function"):
            view = spent
        lines.append(f"    {label:<58} {1000 * spent / repeat:7.1f} ms")
    lines.append(f"    {'outside the view (Flask, Login, CSRF, limiter, hooks, client)':<58} "
                 f"{1000 * (total - view) / repeat:7.1f} ms")
    return lines


def _packages(profiler: cProfile.Profile, repeat: int) -> list[str]:
    """Per-request milliseconds of own time (tottime) by where the code lives: which library, the app's code,
    its templates, or C calls (the database driver, hashing, builtins): where the CPU actually goes."""
    spent: Counter = Counter()
    for (path, _, name), (_, _, tottime, _, _) in pstats.Stats(profiler).stats.items():
        if path == "~":  # C functions: the database driver's calls by name, the rest together
            where = f"C: {name}" if "sqlite3" in name or "psycopg" in name else "C: builtins and the rest"
        elif "site-packages/" in path:
            where = path.split("site-packages/")[1].split("/")[0].split(".")[0]
        elif "/templates/" in path:
            where = "templates (compiled Jinja)"
        elif "/licensing/" in path:
            where = "licensing (app code)"
        else:
            where = "python stdlib"
        spent[where] += tottime
    return [f"    {where:<58} {1000 * seconds / repeat:7.2f} ms" for where, seconds in spent.most_common(14)]


# The PostgreSQL server's CPU seconds so far (its postmaster and backends), when the run is on PostgreSQL.
SERVER_CPU: list = []


def _server_cpu() -> float:
    return SERVER_CPU[0]() if SERVER_CPU else 0.0


def _measure(name: str, request, repeat: int, statements: Statements) -> None:
    request()  # warm caches and the first-request work
    statements.head_held = 0.0
    # The best of three batches: on a shared machine the minimum is the steadiest figure.
    plain_wall = plain_cpu = server_cpu = float("inf")
    for _ in range(3):
        started, cpu, server = time.perf_counter(), time.process_time(), _server_cpu()
        for _ in range(repeat):
            request()
        plain_wall = min(plain_wall, (time.perf_counter() - started) / repeat)
        plain_cpu = min(plain_cpu, (time.process_time() - cpu) / repeat)
        server_cpu = min(server_cpu, (_server_cpu() - server) / repeat)
    head_held = statements.head_held / (3 * repeat)  # held over all three batches
    statements.count, statements.shapes = 0, Counter()
    # CPU time, not wall time: on a shared machine wall time charges other processes to whatever was running.
    profiler = cProfile.Profile(time.process_time)
    started, cpu = time.perf_counter(), time.process_time()
    profiler.enable()
    for _ in range(repeat):
        request()
    profiler.disable()
    elapsed, cpu = (time.perf_counter() - started) / repeat, (time.process_time() - cpu) / repeat
    on_server = f", PostgreSQL server CPU {server_cpu * 1000:.1f} ms" if SERVER_CPU else ""
    print(f"\n== {name}: {plain_wall * 1000:.1f} ms per request, {plain_cpu * 1000:.1f} ms of it app CPU"
          f"{on_server} (best of three batches) "
          f"(under cProfile {elapsed * 1000:.1f} ms wall, {cpu * 1000:.1f} ms CPU); "
          f"{statements.count / repeat:.1f} SQL statements; "
          f"{pstats.Stats(profiler).total_calls / repeat:,.0f} Python calls (deterministic: compare these "
          f"on a shared machine); the audit chain's head locked {head_held * 1000:.1f} ms a request")
    for shape, count in statements.shapes.most_common(30):
        print(f"  {count / repeat:5.1f} x  {shape}")
    print("  -- per request under cProfile, by part:")
    print("\n".join(_parts(profiler, repeat)))
    print("  -- per request under cProfile, own time by package:")
    print("\n".join(_packages(profiler, repeat)))
    for order, pattern in (("cumulative", r"licensing/|templates/"), ("tottime", "")):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(pattern, 14)
        lines = [line for line in out.getvalue().splitlines() if re.match(r"\s*\d", line)]
        print(f"  -- top by {order}{' (the app only)' if pattern else ''}:")
        print("\n".join("  " + line.replace(str(ROOT), "") for line in lines[:14]))


def _officers(app, role, authority: str, count: int) -> list[tuple[str, str]]:
    """`count` fresh accounts (email, TOTP secret): a TOTP code works once, so each sign-in needs its own."""
    from licensing.auth.models import User
    from licensing.auth.services import hash_password
    from licensing.authorities.models import Authority
    from licensing.db import db

    made = []
    with app.app_context():
        where = db.session.scalar(select(Authority).where(Authority.code == authority))
        digest = hash_password(PASSWORD)
        start = db.session.scalar(select(func.count(User.id)))
        for n in range(start, start + count):
            secret, email = pyotp.random_base32(32), f"profile{n}@example.org"
            db.session.add(User(email=email, name=f"Profile Officer {n}", authority=where, role=role,
                                password_hash=digest, totp_secret=secret))
            made.append((email, secret))
        db.session.commit()
    return made


def _measure_sign_in(app, repeat: int, statements: Statements) -> None:
    """The load bench's sign-in: the form, the password, the two-factor form, the code (four requests)."""
    from licensing.auth.models import Role

    accounts = iter(_officers(app, Role.LICENSING_OFFICER, "WDC", 4 * repeat + 1))

    def sign_in():
        email, secret = next(accounts)
        client = app.test_client()
        client.post("/sign-in", data={"csrf_token": _csrf(client, "/sign-in"), "email": email,
                                      "password": PASSWORD})
        response = client.post("/sign-in/two-factor", data={
            "csrf_token": _csrf(client, "/sign-in/two-factor"), "code": pyotp.TOTP(secret).now()})
        assert response.status_code == 302 and response.headers["Location"].endswith("/home")  # noqa: S101

    _measure("sign in (4 requests: GET + POST /sign-in, GET + POST /sign-in/two-factor; argon2id t=1)",
             sign_in, repeat, statements)


def _measure_police_item(app, link: str, repeat: int, statements: Statements) -> None:
    """The police point of contact's write in the load bench: the item form on a person, then the item."""
    from licensing.auth.models import Role

    email, secret = _officers(app, Role.POLICE_SPOC, "TVP", 1)[0]
    client = app.test_client()
    client.post("/sign-in", data={"csrf_token": _csrf(client, "/sign-in"), "email": email,
                                  "password": PASSWORD})
    client.post("/sign-in/two-factor", data={"csrf_token": _csrf(client, "/sign-in/two-factor"),
                                             "code": pyotp.TOTP(secret).now()})
    path = f"/intelligence/new?identity_id={link.split('/')[2].split('?')[0]}"
    written = iter(range(10**6))

    def submit():
        n = next(written)
        body = client.get(path).get_data(as_text=True)
        tokens = {name: (m.group(1) or m.group(2)) for name, m in
                  (("csrf_token", CSRF.search(body)), ("form_token", FORM_TOKEN.search(body))) if m}
        review = time.gmtime(time.time() + 120 * 86400)
        response = client.post(path, data={
            **tokens, "source_evaluation": "2", "intelligence_assessment": "B", "handling_code": "P",
            "handling_conditions": "", "category": "other", "status": "intelligence",
            "force_reference": f"TVP/PROFILE/{n}", "legal_basis": "clpd", "legal_basis_other": "",
            "full_text": f"Profile police text {n}", "sanitised_summary": "Police hold information.",
            "review_on": [str(review.tm_mday), str(review.tm_mon), str(review.tm_year)]})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]  # noqa: S101

    _measure("police item (GET + POST /intelligence/new)", submit, repeat, statements)


def run(url: str, records: int, repeat: int) -> None:
    from licensing.db import db
    from licensing.people.models import PersonRecord

    migrate(url)
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, RATELIMIT_STORAGE_URI="memory://")
    result = app.test_cli_runner().invoke(args=["seed", "demo", "--records", str(records)])
    assert result.exit_code == 0, result.output  # noqa: S101
    client = _signed_in(app)
    statements = Statements()
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", statements)
        event.listen(db.engine, "commit", statements.committed)
        surname = db.session.scalar(select(PersonRecord.surname).group_by(PersonRecord.surname)
                                    .order_by(func.count().desc()).limit(1))
    token = _csrf(client, "/search")
    form = {"csrf_token": token, "surname": surname, "reason": "Profiling the search page"}
    page = client.post("/search", data=form).get_data(as_text=True)
    link = PERSON_LINK.search(page).group(1)
    print(f"{records} demo records; searching the commonest surname ({surname}): "
          f"{len(PERSON_LINK.findall(page))} people listed")
    _measure("search form (GET /search)", lambda: client.get("/search"), repeat, statements)
    _measure("search page (POST /search)", lambda: client.post("/search", data=form), repeat, statements)
    _measure("person page (GET /people/<id>)", lambda: client.get(link), repeat, statements)
    written = iter(range(10**6))

    def add_record():
        """The load bench's write: open the add-a-person form (its tokens), post a new record."""
        n = next(written)
        body = client.get("/records/new").get_data(as_text=True)
        tokens = {name: (m.group(1) or m.group(2)) for name, m in
                  (("csrf_token", CSRF.search(body)), ("form_token", FORM_TOKEN.search(body))) if m}
        response = client.post("/records/new", data={
            **tokens, "authority_reference": f"PROFILE/{n}", **load.Officer.new_person(f"PROFILE/{n}")})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]  # noqa: S101

    _measure("add a person (GET + POST /records/new)", add_record, repeat, statements)
    _measure_sign_in(app, repeat, statements)
    _measure_police_item(app, link, repeat, statements)
    with app.app_context():
        db.engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=300, help="demo records (300: the load bench's)")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    args = parser.parse_args(argv)
    if args.database == "sqlite":
        with tempfile.TemporaryDirectory(prefix="profile-") as folder:
            run(f"sqlite:///{folder}/profile.db", args.records, args.repeat)
        return
    with contextlib.ExitStack() as stack:
        server = stack.enter_context(postgres_cluster({"max_connections": "50"}))
        postmaster = int(Path(server, "data", "postmaster.pid").read_text().split()[0])
        SERVER_CPU.append(lambda: load._tree_cpu_seconds(postmaster))
        run(create_postgres_database(server, "profile"), args.records, args.repeat)


if __name__ == "__main__":
    main()
