"""Back up, destroy, restore: every row and checksum comes back, and the audit chain still verifies."""

from pathlib import Path

from sqlalchemy import text

from licensing.auth.models import Role
from licensing.backup.services import table_checksums
from licensing.db import db
from tests.factories import arranged, make_person


def _destroy(engine):
    if engine.dialect.name == "sqlite":
        engine.dispose()
        Path(engine.url.database).unlink()  # the database file is gone
        return
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))


def test_backup_destroy_restore_gives_back_every_row(app, login, runner, tmp_path):
    with arranged(app):
        identity_id = make_person("WDC", forenames="Zoë", surname="O'Neill").identity_id
    officer = login(Role.LICENSING_OFFICER)
    officer.submit(f"/people/{identity_id}/reason", {"reason": "Renewal WDC/2026/88"})
    officer.get(f"/people/{identity_id}")
    with app.app_context():
        before = table_checksums(db.engine)
        assert before["audit_events"][0] >= 3 and before["person_records"][0] == 1
    target = tmp_path / "register.backup"
    created = runner.invoke(args=["backup", "create", str(target)])
    assert created.exit_code == 0, created.output
    assert target.stat().st_size > 0 and oct(target.stat().st_mode)[-3:] == "600"
    with app.app_context():
        _destroy(db.engine)
        db.engine.dispose()
    assert runner.invoke(args=["backup", "restore", str(target)]).exit_code != 0  # needs --yes
    restored = runner.invoke(args=["backup", "restore", str(target), "--yes"])
    assert restored.exit_code == 0, restored.output
    with app.app_context():
        assert table_checksums(db.engine) == before
    verified = runner.invoke(args=["audit", "verify"])
    assert verified.exit_code == 0 and "Audit chain verified" in verified.output
    # The restored register works: the officer's session still reaches the person.
    assert "O&#39;Neill" in officer.get(f"/people/{identity_id}").get_data(as_text=True)
