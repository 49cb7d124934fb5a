"""Every database test runs on SQLite and on a real PostgreSQL 15 that the suite starts for itself."""

import datetime as dt
import itertools
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from config import TestingConfig
from licensing import create_app
from tests.factories import CLOCK_DATED, arranged
from tests.postgres import PG_BIN, postgres_cluster, postgres_url

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# Temporary files (each test's SQLite copy, the PostgreSQL cluster) go to RAM when the machine has it: a
# SQLite commit fsyncs, about 25 ms on this disk and 0.2 ms on tmpfs, and a test commits dozens of times.
# The same files and the same SQLite; only what is under them changes. TMPDIR, when set, wins, and a small
# /dev/shm (a container's 64 MB) is left alone.
_RAM = Path("/dev/shm")  # noqa: S108  (private 0700 directories are made in it, as in /tmp)


def _roomy(folder: Path, needed: int = 2 << 30) -> bool:
    if not (folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)):
        return False
    stats = os.statvfs(folder)
    return stats.f_bavail * stats.f_frsize >= needed


if "TMPDIR" not in os.environ and _roomy(_RAM):
    os.environ["TMPDIR"] = tempfile.tempdir = str(_RAM)
_database_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _today_is_the_day_the_test_runs(monkeypatch):
    """A module's TODAY = clock_date(__name__) is the date this test starts on, not the date the suite was
    collected on: a run that crosses midnight would otherwise set yesterday beside the app's today."""
    today = dt.date.today()
    for name in CLOCK_DATED:
        monkeypatch.setattr(sys.modules[name], "TODAY", today)


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL cluster for the session (tests/postgres.py); TEST_DATABASE_URL uses an external
    one."""
    external = os.environ.get("TEST_DATABASE_URL")
    if external:
        yield external.rsplit("/", 1)[0], external.rsplit("/", 1)[1].split("?")[0], ""
        return
    if not (PG_BIN / "initdb").exists():
        # In CI a missing PostgreSQL fails the run; on a developer's machine its tests are skipped.
        (pytest.fail if IN_CI else pytest.skip)(
            "PostgreSQL 15 is not installed (apt-get install postgresql-15)"
        )
    with postgres_cluster({"max_connections": "200"}) as base:
        yield base


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        from licensing.db import db

        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite database built by the real migrations once; each test gets a copy."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    _migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_template(postgres_server) -> str:
    admin = create_engine(postgres_url(postgres_server, "postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CREATE DATABASE app_template"))
    admin.dispose()
    _migrate(postgres_url(postgres_server, "app_template"))
    return "app_template"


# For a test of a PostgreSQL feature: runs it on PostgreSQL only, never skipped on SQLite.
postgresql_only = pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)


class PostgresCopies:
    """Copies of the migrated template database, one per test. The next copy is made, and a used one dropped,
    in a background thread while a test runs, so no test waits for CREATE DATABASE or DROP DATABASE."""

    def __init__(self, server: str, template: str) -> None:
        self.template = template
        self.admin = create_engine(postgres_url(server, "postgres"), isolation_level="AUTOCOMMIT")
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-copies")
        self.spare = self.worker.submit(self._create)

    def _create(self) -> str:
        name = f"test_{next(_database_numbers)}"
        # FILE_COPY: a copy of files, not of the template through the WAL (which, in RAM, would grow).
        with self.admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {self.template} STRATEGY FILE_COPY"))
        return name

    def _drop(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))

    def take(self) -> str:
        """A fresh copy of the template, no one else's; the next one is started at once."""
        name = self.spare.result()
        self.spare = self.worker.submit(self._create)
        return name

    def give_back(self, name: str) -> None:
        self.worker.submit(self._drop, name)

    def close(self) -> None:
        self._drop(self.spare.result())
        self.worker.shutdown(wait=True)
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres_copies(postgres_server, postgres_template):
    copies = PostgresCopies(postgres_server, postgres_template)
    yield copies
    copies.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    """A fresh, fully migrated database for one test."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    server = request.getfixturevalue("postgres_server")
    copies = request.getfixturevalue("postgres_copies")
    name = copies.take()
    try:
        yield postgres_url(server, name)
    finally:
        copies.give_back(name)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """A throwaway redis-server on a free loopback port, for rate limits shared by every worker; None if
    absent."""
    import redis

    executable = shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None)
    if executable is None:
        if IN_CI:
            pytest.fail("redis-server is not installed (apt-get install redis-server)")
        yield None
        return
    port, folder = _free_port(), tmp_path_factory.mktemp("redis")
    process = subprocess.Popen([executable, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(folder)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while True:
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise
            time.sleep(0.05)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=5)


@pytest.fixture
def redis_url(redis_server):
    """The shared rate-limit storage, emptied for this test; tests of the limits themselves skip without
    it."""
    if redis_server is None:  # in CI the redis_server fixture has already failed the run
        (pytest.fail if IN_CI else pytest.skip)("redis-server is not installed (apt-get install it)")
    import redis

    redis.Redis.from_url(redis_server).flushdb()
    return redis_server


@pytest.fixture
def app(database_url, redis_server):
    if redis_server is not None:
        import redis

        redis.Redis.from_url(redis_server).flushdb()
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url,
                     RATELIMIT_STORAGE_URI=redis_server or "memory://")
    app.test_client_class = RegisterClient
    yield app
    with app.app_context():
        from licensing.db import db

        db.session.remove()
        db.engine.dispose()


CSRF_PATTERN = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


class RegisterClient(FlaskClient):
    """A test client that can submit forms the way a browser does, CSRF token included."""

    csrf: str | None = None

    def fetch_csrf(self, url: str = "/sign-in") -> str:
        html = self.get(url).get_data(as_text=True)
        match = CSRF_PATTERN.search(html)
        assert match, f"no CSRF token on {url}"
        self.csrf = match.group(1) or match.group(2)
        return self.csrf

    def submit(self, url: str, data: dict | None = None, **kwargs):
        form = dict(data or {})
        form.setdefault("csrf_token", self.csrf or self.fetch_csrf())
        return self.post(url, data=form, **kwargs)


@pytest.fixture
def client(app) -> RegisterClient:
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def county(app):
    """The six demo authorities, keyed by code."""
    from tests.factories import make_county

    with arranged(app):
        return make_county()


def sign_in_fully(client, email: str, password: str):
    """Password then, if it was right, the TOTP step; returns the last response (302 to /home on success)."""
    client.fetch_csrf("/sign-in")
    response = client.submit("/sign-in", {"email": email, "password": password})
    location = response.headers.get("Location", "") if response.status_code == 302 else ""
    if location.endswith(("/sign-in/two-factor", "/sign-in/enrol")):
        sign_in_second_factor(client.application, client, email, location)
        return client.get("/sign-in")  # signed in: redirects home, as a finished sign-in does
    return response


def sign_in_second_factor(app, client, email: str, location: str) -> None:
    """The TOTP step of signing in, as a user's authenticator app would do it (enrolling first if need be)."""
    import pyotp

    from tests.factories import current_totp_code

    if location.endswith("/sign-in/enrol"):
        page = client.get("/sign-in/enrol").get_data(as_text=True)
        secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', page).group(1)
        client.fetch_csrf("/sign-in/enrol")
        response = client.submit("/sign-in/enrol", {"code": pyotp.TOTP(secret).now()})
        assert response.status_code == 200 and "recovery-codes" in response.get_data(as_text=True)
        return
    assert location.endswith("/sign-in/two-factor"), location
    with arranged(app):
        code = current_totp_code(email)
    client.fetch_csrf("/sign-in/two-factor")
    response = client.submit("/sign-in/two-factor", {"code": code})
    assert response.status_code == 302, response.status_code
    assert response.headers["Location"].endswith("/home"), response.headers["Location"]


@pytest.fixture
def login(app, county):
    """login(role or user) -> a client signed in as a new user of that role (or as that user)."""
    from tests.factories import PASSWORD, make_user

    def _login(role=None, authority: str | None = None, *, user_email: str | None = None) -> RegisterClient:
        if user_email is None:
            with arranged(app):
                user_email = make_user(role, authority=authority).email
        client = app.test_client()
        client.fetch_csrf("/sign-in")
        response = client.submit("/sign-in", {"email": user_email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        sign_in_second_factor(app, client, user_email, response.headers["Location"])
        # The session's form token, from the lightest signed-in page (the header's sign-out form carries it).
        client.fetch_csrf("/accessibility")
        client.user_email = user_email
        return client

    return _login
