"""A throwaway PostgreSQL 15 cluster, set up one way for the test suite and the benchmarks alike."""

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _as_postgres_user(cmd: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root, so drop to Debian's postgres user."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _run(cmd: list[str]) -> None:
    subprocess.run(cmd, check=True, capture_output=True)


@contextlib.contextmanager
def postgres_cluster(settings: dict[str, str] | None = None, *, prefix: str = "pgtest-") -> Iterator[str]:
    """A socket-only cluster in a temporary directory, without durability (it is thrown away); yields the
    socket directory, and stops and removes the cluster after. `settings` adds or overrides server
    settings."""
    base = tempfile.mkdtemp(prefix=prefix)
    if os.geteuid() == 0:
        pg_user = pwd.getpwnam("postgres")
        os.chown(base, pg_user.pw_uid, pg_user.pw_gid)
    data = f"{base}/data"
    options = {
        "listen_addresses": "''",
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
        **(settings or {}),
    }
    started = False
    try:
        _run(_as_postgres_user([str(PG_BIN / "initdb"), "-D", data, "-U", "app", "--auth=trust", "-E", "UTF8",
                                "--locale=C.UTF-8", "--no-sync"]))
        flags = " ".join(f"-c {key}={value}" for key, value in options.items())
        _run(_as_postgres_user([str(PG_BIN / "pg_ctl"), "-D", data, "-l", f"{base}/server.log", "-w",
                                "-t", "30", "-o", f"-k {base} {flags}", "start"]))
        started = True
        yield base
    finally:
        if started:
            _run(_as_postgres_user([str(PG_BIN / "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"]))
        shutil.rmtree(base, ignore_errors=True)


def postgres_url(server: str, database: str) -> str:
    return f"postgresql+psycopg://app@/{database}?host={server}"
