"""A person with several licences, badges, decisions and complaints: one row each, under one reference."""

import io

from sqlalchemy import func, select

from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.complaints.models import Complaint
from licensing.db import db
from licensing.licences.models import Badge, Licence
from licensing.people.models import PersonRecord
from licensing.sanctions.models import Sanction
from tests.imports.helpers import csv_file, person_row

HEADER = [
    *person_row(1),
    "badge_type",
    "badge_number",
    "badge_status",
    "badge_start",
    "badge_expiry",
    "badge_operator",
    "decision_type",
    "decision_grounds",
    "decision_date",
    "complaint_date",
    "complaint_category",
    "complaint_source",
]
NO_LICENCE = dict.fromkeys(
    ["licence_type", "licence_number", "licence_status", "licence_start", "licence_expiry"], ""
)


def _rows() -> list[dict]:
    """REF00001 holds two licences, a badge, two decisions and a complaint; REF00002 one licence."""
    return [
        person_row(1, decision_type="warning", decision_grounds="dishonesty", decision_date="2025-03-01"),
        person_row(1, licence_type="hackney_carriage_driver", licence_number="HC00001"),
        person_row(
            1,
            **NO_LICENCE,
            badge_type="driver",
            badge_number="CT00001",
            badge_status="valid",
            badge_start="2025-02-01",
            badge_expiry="2027-02-01",
            badge_operator="County Cabs",
            complaint_date="2025-04-01",
            complaint_category="rudeness",
            complaint_source="public",
        ),
        person_row(
            1,
            **NO_LICENCE,
            decision_type="suspension",
            decision_grounds="safeguarding",
            decision_date="2025-05-01",
        ),
        person_row(2),
    ]


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _assert_held():
    record = db.session.scalar(select(PersonRecord).where(PersonRecord.authority_reference == "REF00001"))
    assert sorted(lic.number for lic in record.licences) == ["HC00001", "PH00001"]
    assert [b.number for b in record.badges] == ["CT00001"]
    assert [(s.sanction_type.value, s.licence.number if s.licence else None) for s in record.sanctions] == [
        ("warning", "PH00001"),
        ("suspension", None),
    ]
    assert [c.category.value for c in record.complaints] == ["rudeness"]
    assert _count(PersonRecord) == 2 and _count(Licence) == 3 and _count(Badge) == 1
    assert _count(Sanction) == 2 and _count(Complaint) == 1


def _run(runner, tmp_path, data: bytes):
    path = tmp_path / "several.csv"
    path.write_bytes(data)
    return runner.invoke(args=["import-records", str(path), "--authority", "WDC"])


def test_cli_imports_several_rows_per_person_and_reimport_changes_nothing(app, runner, county, tmp_path):
    data = csv_file(_rows(), header=HEADER)
    result = _run(runner, tmp_path, data)
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("import: created=2 updated=0 unchanged=0 invalid=0")
    with app.app_context():
        _assert_held()
        created = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "import.records_created"))
        ids = dict(db.session.execute(select(PersonRecord.authority_reference, PersonRecord.id)).all())
        # line 2 (REF00001's first row) made one record, line 6 the other: the audit trail says which
        lines = {
            line: first_id + line - first_line
            for first_line, last_line, first_id in created.details["records"]
            for line in range(first_line, last_line + 1)
        }
        assert lines == {2: ids["REF00001"], 6: ids["REF00002"]}
    again = _run(runner, tmp_path, data)
    assert again.output.strip().splitlines()[-1].startswith("import: created=0 updated=0 unchanged=2")
    with app.app_context():
        _assert_held()


def test_a_later_row_that_contradicts_the_persons_first_row_writes_nothing(app, runner, county, tmp_path):
    rows = _rows()
    rows[3]["date_of_birth"] = "01/01/1950"
    result = _run(runner, tmp_path, csv_file(rows, header=HEADER))
    assert result.exit_code == 1
    assert "line 5, column date_of_birth: differs from line 2, the same person's first row" in result.output
    with app.app_context():
        assert _count(PersonRecord) == 0 and _count(Licence) == 0


def test_a_new_licence_row_for_a_held_person_is_an_update(app, runner, county, tmp_path):
    _run(runner, tmp_path, csv_file([person_row(1)], header=HEADER))
    rows = [person_row(1), person_row(1, licence_type="hackney_carriage_driver", licence_number="HC00009")]
    result = _run(runner, tmp_path, csv_file(rows, header=HEADER))
    assert result.output.strip().splitlines()[-1].startswith("import: created=0 updated=1 unchanged=0")
    with app.app_context():
        record = db.session.scalar(select(PersonRecord))
        assert sorted(lic.number for lic in record.licences) == ["HC00009", "PH00001"]


def test_the_page_imports_several_rows_per_person(app, login):
    officer = login(Role.LICENSING_OFFICER, "WDC")
    response = officer.post(
        "/imports/",
        data={
            "csrf_token": officer.csrf,
            "file": (io.BytesIO(csv_file(_rows(), header=HEADER)), "several.csv"),
            "mapping": "",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    report = officer.get(response.headers["Location"]).get_data(as_text=True)
    assert "Would be created" in report
    commit = officer.submit(response.headers["Location"] + "/commit", {}, follow_redirects=True)
    assert "import: created=2 updated=0 unchanged=0 invalid=0" in commit.get_data(as_text=True)
    with app.app_context():
        _assert_held()
