"""The import page: upload, dry-run report, commit; mappings; the demo county moved via a mapping."""

import io
import json

import pytest
from sqlalchemy import func, select

from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.db import db
from licensing.imports.models import ImportMapping
from licensing.licences.models import Badge, Licence
from licensing.people.models import PersonRecord
from seed.demo import load_demo
from tests.factories import arranged, make_county
from tests.imports.helpers import csv_file, person_row

OTHER_HEADINGS = {
    "local_reference": "Ref No",
    "forenames": "First Names",
    "surname": "Last Name",
    "date_of_birth": "DOB",
    "address_line": "Street",
    "postcode": "Post Code",
    "licence_number": "Licence No",
    "badge_number": "ID Badge",
    "previous_names": "AKA",
}


def _upload(client, data: bytes, name: str = "register.csv", **fields):
    return client.post(
        "/imports/",
        data={"csrf_token": client.csrf, "file": (io.BytesIO(data), name), "mapping": "", **fields},
        content_type="multipart/form-data",
    )


def test_upload_shows_the_dry_run_then_commit_writes(app, login):
    officer = login(Role.LICENSING_OFFICER, "WDC")
    response = _upload(officer, csv_file([person_row(1), person_row(2)]))
    assert response.status_code == 302
    report_page = officer.get(response.headers["Location"]).get_data(as_text=True)
    assert "Dry-run report" in report_page and "Would be created" in report_page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PersonRecord)) == 0
    commit = officer.submit(response.headers["Location"] + "/commit", {}, follow_redirects=True)
    assert "import: created=2 updated=0 unchanged=0 invalid=0" in commit.get_data(as_text=True)
    again = officer.submit(response.headers["Location"] + "/commit", {}, follow_redirects=True)
    assert "already been committed" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PersonRecord)) == 2
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "import.committed"))
        assert event.user_email == officer.user_email and event.details["created"] == 2


def test_invalid_rows_are_listed_and_cannot_be_committed(app, login):
    officer = login(Role.LICENSING_OFFICER, "WDC")
    response = _upload(officer, csv_file([person_row(1, postcode="NOT A POSTCODE")]))
    page = officer.get(response.headers["Location"]).get_data(as_text=True)
    assert "is not a real UK postcode" in page and "Import these records" not in page
    assert officer.submit(response.headers["Location"] + "/commit", {}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PersonRecord)) == 0


def test_unreadable_file_is_a_form_error(app, login):
    officer = login(Role.LICENSING_OFFICER, "WDC")
    response = _upload(officer, b"")
    assert response.status_code == 400 and "empty" in response.get_data(as_text=True)
    response = _upload(officer, b"x", name="register.exe")
    assert response.status_code == 400 and ".csv or .xlsx" in response.get_data(as_text=True)


def test_another_users_upload_is_not_found(app, login):
    first = login(Role.LICENSING_OFFICER, "WDC")
    location = _upload(first, csv_file([person_row(1)])).headers["Location"]
    other = login(Role.LICENSING_OFFICER, "WDC")
    assert other.get(location).status_code == 404
    assert other.submit(location + "/commit", {}).status_code == 404


def test_mapping_page_refuses_unknown_columns(app, login):
    officer = login(Role.LICENSING_OFFICER, "WDC")
    response = officer.submit(
        "/imports/mappings", {"name": "Uniform", "columns": json.dumps({"shoe_size": "Shoe"})}
    )
    assert response.status_code == 400 and "not an import column" in response.get_data(as_text=True)
    response = officer.submit("/imports/mappings", {"name": "Uniform", "columns": "{not json"})
    assert response.status_code == 400 and "not valid JSON" in response.get_data(as_text=True)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_demo_county_exported_under_other_headings_imports_through_a_mapping(
    app, second_app, runner, tmp_path, file_format
):
    with app.app_context():
        load_demo(n_records=120, seed=7, echo=lambda _: None)
        expected = {
            code: sorted(
                db.session.execute(
                    select(PersonRecord.authority_reference, PersonRecord.surname, PersonRecord.date_of_birth)
                    .join(PersonRecord.authority)
                    .where(PersonRecord.authority.has(code=code))
                ).all()
            )
            for code in ("WDC", "BCC-CT")
        }
    files = {}
    for code in ("WDC", "BCC-CT"):
        out = tmp_path / f"{code}.{file_format}"
        result = runner.invoke(
            args=[
                "export-register",
                str(out),
                "--authority",
                code,
                "--reason",
                "Move to new system",
                "--headings",
                json.dumps(OTHER_HEADINGS),
            ]
        )
        assert result.exit_code == 0, result.output
        files[code] = out.read_bytes()
    assert "Last Name" in (files["WDC"].decode("utf-8-sig") if file_format == "csv" else "Last Name")
    with arranged(second_app):
        make_county()
    second_app.test_client_class = app.test_client_class
    from tests.conftest import sign_in_fully
    from tests.factories import PASSWORD, make_user

    for code, role in (("WDC", Role.LICENSING_OFFICER), ("BCC-CT", Role.ADMINISTRATOR)):
        with arranged(second_app):
            email = make_user(role, authority=code).email
        client = second_app.test_client()
        sign_in_fully(client, email, PASSWORD)
        client.fetch_csrf("/imports/mappings")
        saved = client.submit("/imports/mappings", {"name": "Legacy", "columns": json.dumps(OTHER_HEADINGS)})
        assert saved.status_code == 302, saved.get_data(as_text=True)
        with second_app.app_context():
            authority_id = db.session.scalar(select(ImportMapping.authority_id))
        response = _upload(
            client,
            files[code],
            f"{code}.{file_format}",
            mapping="Legacy",
            authority_id=str(authority_id) if role is Role.ADMINISTRATOR else "",
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        report = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "Invalid rows</" not in report, report
        committed = client.submit(response.headers["Location"] + "/commit", {}, follow_redirects=True)
        assert f"created={len(expected[code])} " in committed.get_data(as_text=True)
        with second_app.app_context():
            db.session.execute(ImportMapping.__table__.delete())
            db.session.commit()
    with second_app.app_context():
        for code in ("WDC", "BCC-CT"):
            got = sorted(
                db.session.execute(
                    select(
                        PersonRecord.authority_reference, PersonRecord.surname, PersonRecord.date_of_birth
                    ).where(PersonRecord.authority.has(code=code))
                ).all()
            )
            assert got == expected[code]
        assert db.session.scalar(select(func.count()).select_from(Licence)) > 0
        assert db.session.scalar(select(func.count()).select_from(Badge)) > 0
