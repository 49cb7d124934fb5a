"""The benches' bulk loader writes rows the migrated schema accepts: a migration that changes a loaded table
(import10001 dropped blocking_keys.id) must change bench/bulk_load.py with it, or the search, reports and load
benches stop building their registers."""

import sqlite3
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def test_the_bulk_loader_fills_a_freshly_migrated_register(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    sys.modules.pop("bulk_load", None)
    import bulk_load

    path = tmp_path / "register.db"
    url = f"sqlite:///{path}"
    bulk_load.migrate(url)
    fresh = bulk_load.schema_snapshot(url)
    report = bulk_load.bulk_load(url, 300, workers=1, echo=lambda _: None)
    assert bulk_load.schema_snapshot(url) == fresh
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM person_records").fetchone()[0] == report.records == 300
        assert db.execute("SELECT count(*) FROM blocking_keys").fetchone()[0] == report.blocking_keys > 300
