"""Rows a second and peak memory of ``import-records`` on SQLite and PostgreSQL.

    .venv/bin/python bench/import_speed.py                          # 5,000 and 20,000 rows, both databases
    .venv/bin/python bench/import_speed.py --sizes 5000 100000 --databases sqlite

For each (database, size): a synthetic county file (``seed.population``, fixed seed, every record written as
one council's register with the import's columns and a licence each) is imported with the real command,
``flask --app licensing import-records FILE --authority WDC``, in a fresh child process into a new,
database, so the figures include reading, checking, writing, batch linking and the commit. Wall time is
measured around the child; CPU and peak memory are the child's own (os.wait4: user + system, max RSS); the
load average before and after says how busy the machine was.
PostgreSQL is a throwaway socket-only cluster from tests/postgres.py, as the suite uses; pass
``--postgres-url`` to use your own.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
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
from tests.postgres import postgres_cluster, postgres_url  # noqa: E402


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


def prepare_database(url: str) -> None:
    """Migrate and add the county's authorities, in a child so the measured child starts clean."""
    code = (
        "from config import TestingConfig\nfrom licensing import create_app\n"
        "from flask_migrate import upgrade\n"
        "from tests.factories import arranged, make_county\n"
        f"app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI={url!r})\n"
        "with app.app_context():\n    upgrade()\n"
        "with arranged(app):\n    make_county()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"preparing {url} failed: {done.stderr[-3000:]}")


def measure(url: str, path: Path) -> tuple[float, float, float, str]:
    """Wall seconds, peak RSS (MB), CPU seconds and the last output line of one import in a child process.

    The child is reaped with os.wait4, so CPU and peak RSS are that child's own (RUSAGE_CHILDREN's max RSS
    would be the largest of every child so far)."""
    env = {**os.environ, "DATABASE_URL": url}
    command = [sys.executable, "-m", "flask", "--app", "licensing", "import-records", str(path)]
    command += ["--authority", "WDC"]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.monotonic()
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=err, text=True)  # noqa: S603
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.monotonic() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if child.returncode != 0:
        raise SystemExit(f"import failed ({child.returncode}): {stdout[-2000:]} {stderr[-2000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, usage.ru_maxrss / 1024, cpu, stdout.strip().splitlines()[-1]


def server_cpu(data_dir: str) -> float:
    """CPU seconds (user + system) used so far by a PostgreSQL cluster: the postmaster, its children that
    have exited (reaped, so counted in its cutime/cstime) and the ones still running. Linux /proc only."""
    if not data_dir:
        return 0.0
    postmaster = int(Path(data_dir, "postmaster.pid").read_text().split()[0])
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        if pid == postmaster:
            total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
        elif ppid == postmaster:
            total += int(fields[11]) + int(fields[12])
    return total / tick


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 20000])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--postgres-url", default="")
    parser.add_argument("--postgres-data", default="", help="the --postgres-url cluster's data directory, "
                        "to count the server's CPU too")
    parser.add_argument("--files", default="", help="keep the synthetic files here and reuse them")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="import-bench-"))
    with contextlib.ExitStack() as stack:
        admin, data_dir = args.postgres_url, args.postgres_data
        if "postgresql" in args.databases and not admin:
            base = stack.enter_context(postgres_cluster(prefix="pgbench-"))
            admin, data_dir = postgres_url(base, "postgres"), f"{base}/data"
        try:
            for size in args.sizes:
                path = Path(args.files or work) / f"register-{size}.csv"
                if not path.exists():
                    write_file(path, size)
                for database in args.databases:
                    if database == "sqlite":
                        url = f"sqlite:///{work / f'bench-{size}.db'}"
                    else:
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
                    load_before = os.getloadavg()[0]
                    server_before = server_cpu(data_dir) if database == "postgresql" else 0.0
                    seconds, peak_mb, cpu, last = measure(url, path)
                    server = server_cpu(data_dir) - server_before if database == "postgresql" else 0.0
                    load = f"load {load_before:.1f}->{os.getloadavg()[0]:.1f}"
                    wall = f"{seconds:7.1f} s wall ({size / seconds:6,.0f} rows/s)"
                    used = f"{cpu:6.1f} s CPU ({size / cpu:6,.0f} rows/s)"
                    memory = f"peak RSS {peak_mb:6,.0f} MB"
                    figures = f"{wall}  {used}  {memory}  {load}"
                    if server:
                        figures += f"  server CPU {server:.1f} s"
                    print(f"{database:<10} {size:>9,} rows  {figures}  ({last})", flush=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
