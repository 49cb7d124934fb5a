"""Exports hold exactly what their page shows the viewer, neutralise formulae, and are audited."""

import csv
import datetime as dt
import io

from openpyxl import load_workbook
from sqlalchemy import select

from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.db import db
from tests.factories import arranged, join_records, make_intelligence, make_person
from tests.licences.factories import make_badge, make_complaint, make_sanction

REASON = "Sub-committee pack for case 2026/041"


def _rows(response) -> list[list[str]]:
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"), newline="")))


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _person_with_police_record(app):
    with arranged(app):
        council = make_person(
            "WDC", forenames='=HYPERLINK("http://evil")', surname="Export", authority_reference="WDC-EXP"
        )
        police = make_person(
            "TVP", forenames="Hidden", surname="Policeheld", authority_reference="TVP-SECRET"
        )
        identity_id = join_records(council, police)
        make_intelligence(police, handling="C")
        make_sanction(council)
        make_complaint(council)
        return identity_id


def test_search_export_shows_what_the_search_page_shows(app, login):
    _person_with_police_record(app)
    criteria = {"surname": "Export", "reason": REASON, "file_format": "csv"}
    officer = login(Role.LICENSING_OFFICER, "WDC")
    rows = _rows(officer.submit("/exports/search", criteria))
    assert rows[0][:4] == ["Rank", "Identity", "Score", "Explanation"]
    assert [r[7] for r in rows[1:]] == ["WDC-EXP"]  # the police's own record is not shown to councils
    assert rows[1][4] == '\'=HYPERLINK("http://evil") Export'
    police = login(Role.POLICE_SPOC)
    assert sorted(r[7] for r in _rows(police.submit("/exports/search", criteria))[1:]) == [
        "TVP-SECRET",
        "WDC-EXP",
    ]
    with app.app_context():
        events = _events("export.search")
        assert (
            len(events) == 2
            and events[0].reason == REASON
            and events[0].details["terms"] == {"surname": "Export"}
        )


def test_search_export_holds_every_page_of_results(app, login):
    with arranged(app):
        for day in range(1, 31):
            make_person("WDC", forenames="Zubair", surname="Awan", date_of_birth=dt.date(1970, 1, day))
    criteria = {"forenames": "Zubair", "surname": "Awan", "reason": REASON, "file_format": "csv"}
    rows = _rows(login(Role.LICENSING_OFFICER, "WDC").submit("/exports/search", criteria))[1:]
    assert len(rows) == 30 and len({r[1] for r in rows}) == 30  # all 30 people, each once, not page 1's 25
    with app.app_context():
        assert len(_events("export.search")[0].details["results"]) == 30


def test_search_export_needs_a_reason(app, login):
    officer = login(Role.LICENSING_OFFICER, "WDC")
    response = officer.submit("/exports/search", {"surname": "Export", "file_format": "csv"})
    assert response.status_code == 400 and "Enter the reason" in response.get_data(as_text=True)
    with app.app_context():
        assert not _events("export.search")


def test_chronology_export_never_holds_intelligence_text_or_another_authoritys_complainant(app, login):
    identity_id = _person_with_police_record(app)
    officer = login(Role.LICENSING_OFFICER, "CDC")
    url = f"/exports/people/{identity_id}/chronology"
    refused = officer.submit(url, {"reason": REASON, "file_format": "csv"})
    assert refused.status_code == 302  # no stated reason for this person yet: the person page asks for it
    officer.submit(f"/people/{identity_id}/reason", {"reason": "Licence application 77"})
    response = officer.submit(url, {"reason": REASON, "file_format": "xlsx"})
    assert "OFFICIAL-SENSITIVE" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert cells[0].startswith("OFFICIAL-SENSITIVE")
    text = " ".join(cells)
    assert "Revocation" in text and "Sexual harassment" in text
    assert "Informant X" not in text and "C Smith" not in text and "TVP-SECRET" not in text
    with app.app_context():
        event = _events("export.chronology")[0]
        assert event.reason == REASON and event.subject_id == str(identity_id)


def test_chronology_export_without_police_information_is_not_marked(app, login):
    with arranged(app):
        identity_id = make_person("WDC", surname="Plain").identity_id
    officer = login(Role.LICENSING_OFFICER, "WDC")
    officer.submit(f"/people/{identity_id}/reason", {"reason": "Licence application 78"})
    response = officer.submit(
        f"/exports/people/{identity_id}/chronology", {"reason": REASON, "file_format": "csv"}
    )
    assert "OFFICIAL-SENSITIVE" not in response.headers["Content-Disposition"]
    assert _rows(response)[0] == ["Date", "Authority", "Kind", "What happened"]


def test_printable_chronology_is_marked_when_police_information_shows(app, login):
    identity_id = _person_with_police_record(app)
    officer = login(Role.LICENSING_OFFICER, "WDC")
    assert officer.get(f"/exports/people/{identity_id}/chronology/print").status_code == 302
    officer.submit(f"/people/{identity_id}/reason", {"reason": "Sub-committee hearing 12"})
    page = officer.get(f"/exports/people/{identity_id}/chronology/print").get_data(as_text=True)
    assert 'id="marking"' in page and "print.css" in page and "Informant X" not in page
    assert "Page" not in page or "counter(page)" not in page  # page numbers come from the stylesheet
    with app.app_context():
        assert _events("person.printed")[0].reason == "Sub-committee hearing 12"
    with arranged(app):
        plain = make_person("WDC", surname="Plainer").identity_id
    officer.submit(f"/people/{plain}/reason", {"reason": "Sub-committee hearing 13"})
    assert 'id="marking"' not in officer.get(f"/exports/people/{plain}/chronology/print").get_data(
        as_text=True
    )


def test_print_stylesheet_numbers_pages():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "licensing/static/print.css").read_text()
    assert "counter(page)" in css and "OFFICIAL-SENSITIVE" in css


def test_badge_list_export_is_the_whole_list_as_xlsx(app, login):
    today = dt.date.today()
    with arranged(app):
        for n in range(3):
            holder = make_person("BCC-CT", forenames=f"@Holder{n}")
            make_badge(
                holder, issued_on=today - dt.timedelta(days=700), expires_on=today + dt.timedelta(days=10)
            )
    officer = login(Role.TRANSPORT_OFFICER)
    response = officer.submit(
        "/exports/badges",
        {
            "list": "expiring",
            "operator": "",
            "days": "60",
            "reason": "Operator renewal reminders",
            "file_format": "xlsx",
        },
    )
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Badge", "Holder", "Operator", "Expires"] and len(rows) == 4
    assert all(r[1].startswith("'@Holder") for r in rows[1:])
    with app.app_context():
        event = _events("export.badge_list")[0]
        assert event.reason == "Operator renewal reminders" and len(event.details["badges"]) == 3


def test_intelligence_reviews_export_is_police_only_and_marked(app, login):
    with arranged(app):
        item = make_intelligence(make_person("TVP"))
        item.review_on = dt.date.today()
        db.session.commit()
    police = login(Role.POLICE_SPOC)
    response = police.submit(
        "/exports/intelligence-reviews", {"reason": "Quarterly MoPI review", "file_format": "csv"}
    )
    rows = _rows(response)
    assert rows[0][0].startswith("OFFICIAL-SENSITIVE") and rows[1][0] == "Force reference" and len(rows) == 3
    officer = login(Role.LICENSING_OFFICER)
    assert (
        officer.submit(
            "/exports/intelligence-reviews", {"reason": "x" * 10, "file_format": "csv"}
        ).status_code
        == 403
    )


def test_person_page_export_form_is_not_built_again_on_each_view(app, login, monkeypatch):
    """The export form is always shown empty, so its fields are rendered once per process, not per view."""
    from licensing.exports import views as export_views

    identity_id = _person_with_police_record(app)
    officer = login(Role.LICENSING_OFFICER, "WDC")
    officer.submit(f"/people/{identity_id}/reason", {"reason": "Licence application 77"})
    first = officer.get(f"/people/{identity_id}").get_data(as_text=True)
    built = []

    class CountedExportForm(export_views.ExportForm):
        def __init__(self, *args, **kwargs):
            built.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(export_views, "ExportForm", CountedExportForm)
    again = officer.get(f"/people/{identity_id}").get_data(as_text=True)
    assert built == []
    form = again[again.index('<details class="govuk-details app-no-print" id="export">'):]
    assert 'name="file_format" type="radio" value="csv" checked' in form and 'name="reason"' in form

    def fields(page):
        return page.split('name="file_format"', 1)[1].split("</form>", 1)[0]

    # The same fields as the first view's: the CSRF token before them is the only per-request part.
    assert fields(first) == fields(again)
    exported = officer.submit(
        f"/exports/people/{identity_id}/chronology", {"reason": REASON, "file_format": "csv"}
    )
    assert exported.status_code == 200 and _rows(exported)
