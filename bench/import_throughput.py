"""Rows a second and peak memory of ``import-records`` on SQLite and PostgreSQL.

    .venv/bin/python bench/import_throughput.py                          # 5,000 and 20,000 rows, both
    .venv/bin/python bench/import_throughput.py --sizes 5000 100000 --databases sqlite

For each (database, size): a synthetic county file (``seed.population``, fixed seed, every record written as
one council's register with the import's columns and a licence each) is imported with the real command,
``flask --app licensing import-records FILE --authority WDC``, in a fresh child process into a new,
database, so the figures include reading, checking, writing, batch linking and the commit. Wall time is
measured around the child; peak memory is the child's ``getrusage`` max RSS. PostgreSQL is a throwaway
socket-only cluster started here (as tests/conftest.py does); pass ``--postgres-url`` to use your own.
"""

from __future__ import annotations

import argparse
import csv
import os
import pwd
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from licensing.imports.columns import COLUMN_NAMES  # noqa: E402
from seed.population import generate_population  # noqa: E402

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def write_file(path: Path, rows: int) -> None:
    population = generate_population(rows, seed=20261129)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMN_NAMES)
        for n, r in enumerate(population.records, start=1):
            address = r.addresses[0] if r.addresses else None
            row = {
                "local_reference": f"R{n:08d}",
                "forenames": r.forenames,
                "surname": r.surname,
                "date_of_birth": r.date_of_birth.strftime("%d/%m/%Y"),
                "sex": r.sex,
                "address_line": address.line1 if address else "",
                "town": address.town if address else "",
                "postcode": address.postcode if address else "",
                "national_insurance": r.national_insurance,
                "driving_licence_number": r.driving_licence_number,
                "phone": r.phone,
                "email": r.email,
                "licence_type": "private_hire_driver",
                "licence_number": f"PH{n:08d}",
                "licence_status": "granted",
                "licence_start": "2025-01-01",
                "licence_expiry": "2028-01-01",
            }
            writer.writerow([row.get(c, "") for c in COLUMN_NAMES])


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def start_postgres() -> tuple[str, str]:
    base = tempfile.mkdtemp(prefix="pgbench-")
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(base, user.pw_uid, user.pw_gid)
    run = lambda cmd: subprocess.run(_as_postgres(cmd), check=True, capture_output=True)  # noqa: E731
    run(
        [
            str(PG_BIN / "initdb"),
            "-D",
            f"{base}/data",
            "-U",
            "app",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        ]
    )
    run(
        [
            str(PG_BIN / "pg_ctl"),
            "-D",
            f"{base}/data",
            "-l",
            f"{base}/log",
            "-w",
            "-o",
            f"-k {base} -c listen_addresses='' -c fsync=off -c synchronous_commit=off",
            "start",
        ]
    )
    return base, f"postgresql+psycopg://app@/postgres?host={base}"


def stop_postgres(base: str) -> None:
    subprocess.run(
        _as_postgres([str(PG_BIN / "pg_ctl"), "-D", f"{base}/data", "-m", "immediate", "-w", "stop"]),
        check=False,
        capture_output=True,
    )
    shutil.rmtree(base, ignore_errors=True)


def prepare_database(url: str) -> None:
    """Migrate and add the county's authorities, in a child so the measured child starts clean."""
    code = (
        "from config import TestingConfig\nfrom licensing import create_app\n"
        "from flask_migrate import upgrade\n"
        "from tests.factories import make_county\n"
        f"app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI={url!r})\n"
        "with app.app_context():\n    upgrade()\n    make_county()\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True)


def measure(url: str, path: Path) -> tuple[float, float, float, str]:
    env = {**os.environ, "DATABASE_URL": url}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "licensing",
            "import-records",
            str(path),
            "--authority",
            "WDC",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(
            f"import failed ({result.returncode}): {result.stdout[-2000:]} {result.stderr[-2000:]}"
        )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return seconds, after.ru_maxrss / 1024, cpu, result.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 20000])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--postgres-url", default="")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="import-bench-"))
    pg_base = None
    try:
        for size in args.sizes:
            path = work / f"register-{size}.csv"
            write_file(path, size)
            for database in args.databases:
                if database == "sqlite":
                    url = f"sqlite:///{work / f'bench-{size}.db'}"
                else:
                    if not args.postgres_url and pg_base is None:
                        pg_base, admin_url = start_postgres()
                    admin = args.postgres_url or admin_url
                    name = f"bench_{size}_{int(time.time())}"
                    subprocess.run(
                        [
                            sys.executable,
                            "-c",
                            "import sqlalchemy as sa; e = sa.create_engine("
                            f"{admin!r}, isolation_level='AUTOCOMMIT'); "
                            f"e.connect().execute(sa.text('CREATE DATABASE {name}'))",
                        ],
                        check=True,
                    )
                    url = admin.replace("/postgres?", f"/{name}?")
                prepare_database(url)
                seconds, peak_mb, cpu, last = measure(url, path)
                print(
                    f"{database:<10} {size:>9,} rows  {seconds:7.1f} s wall ({size / seconds:6,.0f} rows/s)  "
                    f"{cpu:6.1f} s CPU ({size / cpu:6,.0f} rows/s)  peak RSS {peak_mb:6,.0f} MB  ({last})",
                    flush=True,
                )
    finally:
        if pg_base:
            stop_postgres(pg_base)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
