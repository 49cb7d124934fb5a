"""Subject access: everything held about one identity, police items only as their handling code allows,
no complainant's identity, who looked and why (not the police's own look-ups); audited as a disclosure."""

import csv
import datetime as dt
import io

from openpyxl import load_workbook
from sqlalchemy import select

from licensing.audit import record as audit
from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.complaints.models import Complaint, ComplaintCategory, ComplaintSource
from licensing.db import db
from licensing.people.models import Identity
from licensing.sanctions.models import GroundsCategory, Sanction, SanctionType
from tests.factories import arranged, join_records, make_intelligence, make_person, make_user

URL = "/retention/subject-access"


def _identity(app):
    with arranged(app):
        wdc = make_person("WDC", forenames="Farhan", surname="Siddiqui", authority_reference="WDC-SAR-1")
        cdc = make_person("CDC", forenames="Farhan", surname="Siddiqui")
        police = make_person("TVP", forenames="Farhan", surname="Siddiqui", authority_reference="TVP-SUBJ-9")
        identity_id = join_records(wdc, cdc, police)
        db.session.add(
            Sanction(
                person_record_id=wdc.id,
                authority_id=wdc.authority_id,
                sanction_type=SanctionType.SUSPENSION,
                grounds=GroundsCategory.HARASSMENT,
                decided_on=dt.date(2025, 2, 3),
                effective_on=dt.date(2025, 2, 3),
                decision_maker="Licensing manager",
                narrative="Harassed a passenger twice",
            )
        )
        db.session.add(
            Complaint(
                person_record_id=cdc.id,
                authority_id=cdc.authority_id,
                received_on=dt.date(2025, 1, 6),
                source=ComplaintSource.PUBLIC,
                category=ComplaintCategory.RUDENESS,
                narrative='=HYPERLINK("http://x.test")',
                outcome="Advice given",
                complainant_name="Jane Witness",
                complainant_contact="07700 900123",
            )
        )
        make_intelligence(
            police,
            handling="P",
            summary="Shareable police summary",
            full_text="Informant X full intelligence text",
        )
        make_intelligence(
            police,
            handling="C",
            recipients=("WDC",),
            summary="Conditional summary only for WDC",
            full_text="Conditional full text",
            conditions="Not to be disclosed further",
        )
        officer = make_user(Role.LICENSING_OFFICER, authority="CDC")
        spoc = make_user(Role.POLICE_SPOC)
        identity = db.session.get(Identity, identity_id)
        audit(officer, "person.viewed", identity, reason="Renewal check before grant")
        audit(spoc, "person.viewed", identity, reason="Operation Nightjar enquiry")
        db.session.commit()
        return identity_id, officer.email


def _request(client, **overrides):
    client.fetch_csrf(URL)
    data = {
        "authority": "WDC",
        "reference": "WDC-SAR-1",
        "file_format": "csv",
        "reason": "SAR 2026/041 from the data subject",
        **overrides,
    }
    return client.submit(URL, data)


def test_subject_access_csv_holds_everything_the_rules_allow(app, login):
    identity_id, officer_email = _identity(app)
    admin = login(Role.ADMINISTRATOR)
    response = _request(admin)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    text = body
    for held in (
        "Farhan Siddiqui (WDC-SAR-1)",
        "Suspension: Harassment",
        "Harassed a passenger twice",
        "Rudeness",
        "Advice given",
        "Shareable police summary",
        "Police hold information",
        "Renewal check before grant",
        "by a licensing officer",
    ):
        assert held in text, held
    for withheld in (
        "Informant X",
        "Conditional summary",
        "Conditional full text",
        "Jane Witness",
        "07700 900123",
        "Operation Nightjar",
        "TVP-SUBJ-9",
        officer_email,
    ):
        assert withheld not in text, withheld
    assert rows[0][0].startswith("OFFICIAL-SENSITIVE")  # police information is in it, so it is marked
    assert any(cell.startswith("'") and "=HYPERLINK" in cell for row in rows for cell in row)
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "subject_access.disclosed"))
        assert event.subject_id == str(identity_id) and event.reason == "SAR 2026/041 from the data subject"
        assert event.details["recipient"] == "data subject" and event.details["format"] == "csv"


def test_subject_access_xlsx_has_no_formula_cells(app, login):
    _identity(app)
    response = _request(login(Role.ADMINISTRATOR), file_format="xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert cells and all(cell.data_type != "f" for cell in cells)
    assert any(str(cell.value).startswith("'=HYPERLINK") for cell in cells)


def test_subject_access_printable_page(app, login):
    _identity(app)
    response = _request(login(Role.ADMINISTRATOR), file_format="html")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="subject-access"' in page
    assert "Harassed a passenger twice" in page and "Informant X" not in page and "Jane Witness" not in page


def test_subject_access_needs_a_reason_and_a_real_record(app, login):
    _identity(app)
    admin = login(Role.ADMINISTRATOR)
    assert _request(admin, reason="").status_code == 400
    assert _request(admin, reference="WDC-NOPE").status_code == 404
    assert _request(admin, authority="TVP", reference="nope").status_code == 404
    with app.app_context():
        assert (
            db.session.scalar(select(AuditEvent).where(AuditEvent.action == "subject_access.disclosed"))
            is None
        )
    assert login(Role.LICENSING_OFFICER).get(URL).status_code == 403
