"""cProfile one import into a new SQLite database, to see which part grows with the register.

    .venv/bin/python bench/import_profile.py --rows 20000 [--keep-file /tmp/r20k.csv] [--top 40]

The synthetic file is bench/import_speed.py's; the import runs in this process (run_import, then commit),
so the profile covers reading, checking, writing and batch linking but not starting Python."""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from import_speed import write_file  # noqa: E402
from sqlalchemy import select  # noqa: E402

from config import TestingConfig  # noqa: E402
from licensing import create_app  # noqa: E402
from licensing.authorities.models import Authority  # noqa: E402
from licensing.db import db  # noqa: E402
from licensing.imports.services import run_import  # noqa: E402
from tests.factories import arranged, make_county  # noqa: E402


def county_app(url: str):
    """The app on a newly migrated database at `url` holding the synthetic county (imports go to WDC)."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    with arranged(app):
        make_county()
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--keep-file", default="")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--url", default="")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="import-profile-"))
    path = Path(args.keep_file) if args.keep_file else work / "register.csv"
    if not path.exists():
        write_file(path, args.rows)
    app = county_app(args.url or f"sqlite:///{work / 'profile.db'}")
    with app.app_context():
        authority = db.session.scalar(select(Authority).where(Authority.code == "WDC"))
        profile = cProfile.Profile()
        started, cpu = time.monotonic(), time.process_time()
        profile.enable()
        report = run_import(path, path.name, authority, actor=None, actor_label="bench")
        db.session.commit()
        profile.disable()
        print(f"{args.rows:,} rows: {time.monotonic() - started:.1f} s wall, "
              f"{time.process_time() - cpu:.1f} s CPU; {report.summary_line()}")
    stats = pstats.Stats(profile).sort_stats("cumulative")
    stats.print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
