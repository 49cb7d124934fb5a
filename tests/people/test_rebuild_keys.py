"""`flask people rebuild-keys`: a register whose stored keys and name counts were built under older keying
rules is rebuilt under the code's, all or nothing, links untouched; `--if-stale` only when the stored
fingerprint of the rules differs; an administrator sees a stale register."""

import datetime as dt

from sqlalchemy import delete, insert, select, update

from licensing.auth.models import Role
from licensing.db import db
from licensing.matching import keying_fingerprint
from licensing.people import rekey
from licensing.people.models import BlockingKey, RecordLink, RegisterSetting, TermCount
from tests.factories import arranged, make_person
from tests.imports.helpers import csv_file, person_row

REASON = {"reason": "Application CDC/2026/0103"}


def _keys() -> set[tuple[int, str]]:
    return set(db.session.execute(select(BlockingKey.person_record_id, BlockingKey.key)).all())


def _counts() -> dict[tuple[str, str], int]:
    rows = db.session.execute(select(TermCount.kind, TermCount.term, TermCount.count))
    return {(kind, term): n for kind, term, n in rows if n}


def _links() -> set[tuple]:
    return set(db.session.execute(
        select(RecordLink.record_a_id, RecordLink.record_b_id, RecordLink.state, RecordLink.score)).all())


def _register(app) -> int:
    """Records as the form path writes them (the import writes the same keys and counts), one pair linked;
    returns the id of the record the stale keys will hide."""
    with arranged(app):
        for n in range(1, 4):
            make_person("WDC", forenames="Tariq", surname="Shah", date_of_birth=dt.date(1970, 3, n))
        make_person("WDC", forenames="Kamran", surname="Sadiq", date_of_birth=dt.date(1984, 2, 2),
                    national_insurance="JT482915C")
        make_person("CDC", forenames="Kamran", surname="Sadiq", date_of_birth=dt.date(1984, 2, 2),
                    national_insurance="JT482915C")
        hidden = make_person("CDC", forenames="Waqas", surname="Iqbal", date_of_birth=dt.date(1979, 6, 11))
    return hidden.id


def _make_stale(record_id: int) -> None:
    """What older rules would have left: other keys for one record, other counts, an older fingerprint."""
    db.session.execute(delete(BlockingKey).where(BlockingKey.person_record_id == record_id))
    db.session.execute(insert(BlockingKey), [{"person_record_id": record_id, "key": "nm:OLD:RULES"}])
    db.session.execute(update(TermCount).where(TermCount.kind == "surname").values(count=TermCount.count + 2))
    db.session.execute(insert(TermCount), [{"kind": "forename", "term": "waqqas", "count": 1}])
    db.session.merge(RegisterSetting(name=rekey.KEYING_RULES, value="v0:older"))
    db.session.commit()


def _found(client, forenames: str, surname: str) -> bool:
    response = client.submit("/search", {**REASON, "forenames": forenames, "surname": surname})
    assert response.status_code == 200
    return f">{forenames} {surname}</a>" in response.get_data(as_text=True)


def test_rebuild_keys_restores_the_keys_and_counts_the_rules_give_and_leaves_links(app, runner, login):
    hidden = _register(app)
    with app.app_context():
        built = _keys(), _counts(), _links()
        assert built[2]  # the two Kamran Sadiq records are linked
        _make_stale(hidden)
        assert rekey.keys_are_stale()
    officer = login(Role.LICENSING_OFFICER, "CDC")
    assert not _found(officer, "Waqas", "Iqbal")

    result = runner.invoke(args=["people", "rebuild-keys"])

    assert result.exit_code == 0, result.output
    assert "Rebuilt the keys of 6 records under keying rules " + keying_fingerprint() in result.output
    assert "(were v0:older): 1 records' keys changed" in result.output
    assert "keys added, 1 removed; term counts 0 added" in result.output  # the old rules' key
    assert "changed, 1 removed." in result.output  # the old rules' forename count
    with app.app_context():
        assert (_keys(), _counts(), _links()) == built
        assert not rekey.keys_are_stale()
    assert _found(officer, "Waqas", "Iqbal")


def test_a_failure_part_way_leaves_the_old_keys_counts_and_fingerprint(app, runner, county, monkeypatch):
    hidden = _register(app)
    with app.app_context():
        _make_stale(hidden)
        stale = _keys(), _counts(), rekey.stored_keying_fingerprint()
    real = rekey.record_keys

    def failing(prepared):
        if prepared.record.surname == "Iqbal":  # the last record, after the others' chunks were written
            raise RuntimeError("a record the key rules cannot read")
        return real(prepared)

    monkeypatch.setattr(rekey, "CHUNK", 1)
    monkeypatch.setattr(rekey, "record_keys", failing)
    result = runner.invoke(args=["people", "rebuild-keys"])
    assert result.exit_code != 0
    assert isinstance(result.exception, RuntimeError)
    with app.app_context():
        assert (_keys(), _counts(), rekey.stored_keying_fingerprint()) == stale


def test_if_stale_rebuilds_only_when_the_rules_fingerprint_differs(app, runner, county, monkeypatch):
    hidden = _register(app)
    with app.app_context():
        # Built before fingerprints were kept.
        assert rekey.stored_keying_fingerprint() is None and rekey.keys_are_stale()
    result = runner.invoke(args=["people", "rebuild-keys", "--if-stale"])
    assert result.exit_code == 0, result.output
    assert "Rebuilt the keys of 6 records" in result.output and "were not recorded" in result.output
    with app.app_context():
        assert rekey.stored_keying_fingerprint() == keying_fingerprint()
        db.session.execute(delete(BlockingKey).where(BlockingKey.person_record_id == hidden))
        db.session.commit()
        left = _keys()
    result = runner.invoke(args=["people", "rebuild-keys", "--if-stale"])
    assert result.exit_code == 0, result.output
    assert "Keys are current" in result.output
    with app.app_context():
        assert _keys() == left  # nothing was rebuilt

    # The code's rules change (a name table edited): the stored fingerprint is now another's.
    monkeypatch.setattr(rekey, "keying_fingerprint", lambda: "v2:changed")
    result = runner.invoke(args=["people", "rebuild-keys", "--if-stale"])
    assert "Rebuilt the keys of 6 records under keying rules v2:changed" in result.output
    with app.app_context():
        assert {k for record_id, k in _keys() if record_id == hidden}


def test_an_import_into_an_empty_register_records_the_rules_and_a_stale_one_stays_stale(app, runner, county,
                                                                                       tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes(csv_file([person_row(n) for n in range(1, 4)]))
    assert runner.invoke(args=["import-records", str(path), "--authority", "WDC"]).exit_code == 0
    with app.app_context():
        assert rekey.stored_keying_fingerprint() == keying_fingerprint() and not rekey.keys_are_stale()
    assert "Keys are current" in runner.invoke(args=["people", "rebuild-keys", "--if-stale"]).output

    with app.app_context():
        db.session.execute(update(RegisterSetting).values(value="v0:older"))
        db.session.commit()
    path.write_bytes(csv_file([person_row(n) for n in range(4, 6)]))
    assert runner.invoke(args=["import-records", str(path), "--authority", "WDC"]).exit_code == 0
    with app.app_context():
        assert rekey.stored_keying_fingerprint() == "v0:older" and rekey.keys_are_stale()


def test_an_administrator_sees_a_register_whose_keys_are_stale(app, login):
    with arranged(app):
        make_person("WDC", forenames="Waqas", surname="Iqbal")
    admin = login(Role.ADMINISTRATOR)
    page = admin.get("/admin/authorities").get_data(as_text=True)
    start = page.rindex("<div", 0, page.index('id="keys-stale"'))
    warning = " ".join(page[start : page.index("</div>", start)].split())
    # GOV.UK's warning text: the icon hidden from screen readers, who hear "Warning" before the text instead.
    assert warning.startswith('<div class="govuk-warning-text" id="keys-stale">')
    assert '<span class="govuk-warning-text__icon" aria-hidden="true">!</span>' in warning
    assert (
        '<strong class="govuk-warning-text__text"> <span class="govuk-visually-hidden">Warning</span> '
        "The register's search and matching keys were built under older name rules: records may be "
        "missed until <code>flask people rebuild-keys</code> is run. </strong>"
    ) in warning
    with app.app_context():
        rekey.mark_keys_current()
        db.session.commit()
    assert 'id="keys-stale"' not in admin.get("/admin/authorities").get_data(as_text=True)
