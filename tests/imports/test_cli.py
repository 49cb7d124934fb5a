"""import-records through the CLI: exit codes, the last line, all or nothing, idempotence."""

import pytest
from sqlalchemy import func, select

from licensing.audit.models import AuditEvent
from licensing.db import db
from licensing.licences.models import Licence
from licensing.people.models import PersonRecord, RecordLink
from tests.imports.helpers import csv_file, person_row, xlsx_file


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _run(runner, tmp_path, data: bytes, name: str = "register.csv", *args):
    path = tmp_path / name
    path.write_bytes(data)
    return runner.invoke(args=["import-records", str(path), "--authority", "WDC", *args])


def test_import_writes_records_and_reimport_changes_nothing(app, runner, county, tmp_path):
    data = csv_file([person_row(n) for n in range(1, 6)])
    result = _run(runner, tmp_path, data)
    assert result.exit_code == 0, result.output
    assert (
        result.output.strip().splitlines()[-1]
        == "import: created=5 updated=0 unchanged=0 invalid=0 linked=0 review=0"
    )
    again = _run(runner, tmp_path, data)
    assert again.exit_code == 0
    assert (
        again.output.strip().splitlines()[-1]
        == "import: created=0 updated=0 unchanged=5 invalid=0 linked=0 review=0"
    )
    with app.app_context():
        assert _count(PersonRecord) == 5 and _count(Licence) == 5
        record = db.session.scalar(select(PersonRecord).where(PersonRecord.authority_reference == "REF00001"))
        assert record.licences[0].number == "PH00001" and record.current_address.postcode == "HP11 2BZ"
        committed = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "import.committed")
        ).all()
        assert len(committed) == 2 and committed[0].details["created"] == 5
        assert committed[0].user_email.startswith("cli:")


def test_changed_row_is_an_update(app, runner, county, tmp_path):
    _run(runner, tmp_path, csv_file([person_row(1), person_row(2)]))
    result = _run(runner, tmp_path, csv_file([person_row(1, address_line="9 New Road"), person_row(2)]))
    assert result.output.strip().splitlines()[-1].startswith("import: created=0 updated=1 unchanged=1")
    with app.app_context():
        record = db.session.scalar(select(PersonRecord).where(PersonRecord.authority_reference == "REF00001"))
        assert [a.line1 for a in record.addresses][0] == "9 New Road" and len(record.addresses) == 2


def test_xlsx_and_windows_1252_are_read(app, runner, county, tmp_path):
    assert _run(runner, tmp_path, xlsx_file([person_row(1, forenames="Zoë")]), "r.xlsx").exit_code == 0
    result = _run(runner, tmp_path, csv_file([person_row(2, forenames="Renée")], encoding="cp1252"))
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert sorted(db.session.scalars(select(PersonRecord.forenames))) == ["Renée", "Zoë"]


def test_dry_run_counts_and_writes_nothing(app, runner, county, tmp_path):
    rows = [
        person_row(1, national_insurance="JK123456A"),
        person_row(2, national_insurance="JK123456A", forenames="Alexander"),
    ]
    result = _run(runner, tmp_path, csv_file(rows), "r.csv", "--dry-run")
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("import: created=2 updated=0 unchanged=0 invalid=0")
    assert "linked=0" not in last or "review=0" not in last  # the shared NI number makes matching act
    with app.app_context():
        assert _count(PersonRecord) == 0
        assert not db.session.scalar(select(AuditEvent).where(AuditEvent.action.like("import.%")))


BAD = [
    ("bad date", {"date_of_birth": "30/02/1980"}, "date_of_birth"),
    ("american date", {"date_of_birth": "1980/05/17"}, "date_of_birth"),
    ("bad NI", {"national_insurance": "JK12345"}, "national_insurance"),
    ("bad DVLA", {"driving_licence_number": "NOTALICENCE"}, "driving_licence_number"),
    ("formula", {"forenames": '=HYPERLINK("http://x")'}, "forenames"),
    ("formula at", {"surname": "@SUM(A1)"}, "surname"),
    ("megabyte cell", {"address_line": "x" * 1_048_576}, "address_line"),
    ("no surname", {"surname": ""}, "surname"),
    ("licence without type", {"licence_type": ""}, "licence_type"),
]


@pytest.mark.parametrize(("description", "change", "column"), BAD, ids=[b[0] for b in BAD])
def test_an_invalid_row_names_line_and_column_and_nothing_is_written(
    app, runner, county, tmp_path, description, change, column
):
    result = _run(runner, tmp_path, csv_file([person_row(1), person_row(2, **change), person_row(3)]))
    assert result.exit_code == 1, result.output
    assert f"line 3, column {column}:" in result.output
    assert result.output.strip().splitlines()[-1].endswith("invalid=1 linked=0 review=0")
    with app.app_context():
        assert _count(PersonRecord) == 0


def test_duplicate_reference_and_too_many_fields(app, runner, county, tmp_path):
    data = csv_file([person_row(1), person_row(2, local_reference="REF00001")])
    data += b"REF00009,Al,Smith,01/01/1980,M,1 Road,Town,HP11 2BZ,,,,,,,,,EXTRA\r\n"
    result = _run(runner, tmp_path, data)
    assert result.exit_code == 1
    # a repeated reference is the same person's next row, so another person's details under it are refused
    assert "line 3, column surname: differs from line 2, the same person's first row" in result.output
    assert "line 4, column (row): has 17 fields but the header names 16" in result.output
    with app.app_context():
        assert _count(PersonRecord) == 0


@pytest.mark.parametrize(
    ("description", "data", "message"),
    [
        ("empty", b"", "The file is empty"),
        ("utf-16", "local_reference,surname\nA,B\n".encode("utf-16"), "UTF-16"),
        ("no header", b"REF1,Alex,Smith,17/05/1980\n", "not a header row"),
        ("xlsx named csv", b"PK\x03\x04rest-of-zip", "Excel workbook"),
        ("binary", b"\x00\x01\x02garbage", "binary"),
    ],
)
def test_unreadable_files_exit_2_with_a_message(app, runner, county, tmp_path, description, data, message):
    result = _run(runner, tmp_path, data)
    assert result.exit_code == 2
    assert message in result.output
    with app.app_context():
        assert _count(PersonRecord) == 0


def test_valid_rows_only_imports_the_rest_and_audits_the_skipped_lines(app, runner, county, tmp_path):
    rows = [person_row(1), person_row(2, date_of_birth="31/31/1980"), person_row(3)]
    result = _run(runner, tmp_path, csv_file(rows), "r.csv", "--valid-rows-only")
    assert result.exit_code == 0, result.output
    assert "Skipped invalid lines: 3" in result.output
    assert (
        result.output.strip().splitlines()[-1].startswith("import: created=2 updated=0 unchanged=0 invalid=1")
    )
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "import.committed"))
        assert event.details["skipped_lines"] == [3] and event.details["valid_rows_only"] is True


def test_usage_errors_exit_2(app, runner, county, tmp_path):
    assert (
        runner.invoke(args=["import-records", str(tmp_path / "missing.csv"), "--authority", "WDC"]).exit_code
        == 2
    )
    path = tmp_path / "r.csv"
    path.write_bytes(csv_file([person_row(1)]))
    assert runner.invoke(args=["import-records", str(path), "--authority", "NOPE"]).exit_code == 2
    assert (
        runner.invoke(args=["import-records", str(path), "--authority", "WDC", "--mapping", "x"]).exit_code
        == 2
    )


def test_a_record_too_sparse_to_block_on_still_imports(app, runner, county, tmp_path):
    result = _run(runner, tmp_path, csv_file([{"local_reference": "SPARSE1", "surname": "0"}]))
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1].startswith("import: created=1")


LINK_ACTIONS = ["link.automatic", "link.queued_for_review", "link.chain_blocked"]


def test_bulk_audit_events_keep_the_chain_and_name_every_link(app, runner, county, tmp_path):
    rows = [person_row(n, national_insurance="JK123456A" if n < 3 else "") for n in range(1, 6)]
    result = _run(runner, tmp_path, csv_file(rows))
    assert result.exit_code == 0, result.output
    with app.app_context():
        links = db.session.scalars(select(RecordLink)).all()
        assert links, "the shared NI number must make matching act"
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action.in_(LINK_ACTIONS))
        ).all()
        assert sorted(int(e.subject_id) for e in events) == sorted(link.id for link in links)
        assert all(e.user_email.startswith("cli:") for e in events)
        created = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "import.records_created"))
        assert created.details["count"] == 5
    verified = runner.invoke(args=["audit", "verify"])
    assert verified.exit_code == 0 and "Audit chain verified" in verified.output
