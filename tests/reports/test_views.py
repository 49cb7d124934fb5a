"""The reports through the browser's path: who may see which report, suppression on the page and in exports,
the printable page, links to the lists behind figures, and the audit trail."""

import csv
import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from licensing.audit.models import AuditEvent
from licensing.auth.models import Role, User
from licensing.authorities.models import Authority, AuthorityKind
from licensing.db import db
from licensing.sanctions.models import AppealOutcome, GroundsCategory, Sanction, SanctionType
from tests.factories import arranged, authority, make_person

# 1 May to 31 October 2026, in the form's day/month/year parts.
PERIOD_ARGS = "start=1&start=5&start=2026&end=31&end=10&end=2026"
LEAD, MANAGER, ADMIN, AUDITOR = (
    Role.SAFEGUARDING_LEAD,
    Role.LICENSING_MANAGER,
    Role.ADMINISTRATOR,
    Role.AUDITOR,
)


def _decisions(app, code="WDC"):
    """20 revocations at one authority in the period: 3 for sexual misconduct, 10 for violence, 7 harassment.
    Showing 10, 7 and the total 20 would give away the 3, so a second cell must be withheld."""
    with arranged(app):
        where = authority(code)
        for index, grounds in enumerate(
            [GroundsCategory.SEXUAL_MISCONDUCT] * 3
            + [GroundsCategory.VIOLENCE] * 10
            + [GroundsCategory.HARASSMENT] * 7
        ):
            record = make_person(code, forenames=f"Driver{index}", date_of_birth=dt.date(1970, 1, 1 + index))
            db.session.add(
                Sanction(
                    person_record_id=record.id,
                    authority_id=where.id,
                    sanction_type=SanctionType.REVOCATION,
                    grounds=grounds,
                    decided_on=dt.date(2026, 6, 1) + dt.timedelta(days=index),
                    effective_on=dt.date(2026, 6, 1),
                    decision_maker="Sub-Committee",
                    appeal_outcome=AppealOutcome.NONE,
                )
            )
        db.session.commit()


def _table(html: str, key: str) -> dict[str, list[str]]:
    """The data table beside one chart, as {row label: [cell texts]}."""
    body = html.split(f'id="{key}-data"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", body, re.S):
        label = re.search(r'<th scope="row"[^>]*>(.*?)</th>', row, re.S)
        if label:
            rows[label.group(1).strip()] = [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    return rows


def _chart(client, html: str, key: str) -> str:
    """The chart beside one table, fetched from the image URL the page gives it (checked to be our SVG)."""
    block = html.split(f'id="{key}"', 1)[1].split('class="app-report-table', 1)[0]
    [src] = re.findall(r'<img class="app-chart" src="([^"]+)"', block)
    response = client.get(src.replace("&amp;", "&"))
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert svg.startswith("<svg ") and 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert " style=" not in svg and "<style" not in svg  # CSP: no inline styles
    return svg


def _events(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_safeguarding_lead_sees_the_county_with_small_counts_suppressed_and_totals_protected(app, login):
    _decisions(app)
    lead = login(LEAD)
    response = lead.get(f"/reports/?{PERIOD_ARGS}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Reports: The county (all authorities)" in html
    grounds = _table(html, "decisions_by_grounds")
    assert grounds["Sexual misconduct"][0] == "fewer than 5"
    assert grounds["Violence"][0] == "10" and grounds["Total"][0] == "20"
    assert grounds["Harassment"][0] == "withheld"  # else 20 - 10 - 7 = 3
    # Each chart is an image of its own, named by its table's title; the page holds no inline SVG or styles.
    assert html.count('<img class="app-chart" src="/reports/chart/') >= 10 and "<svg" not in html
    assert 'alt="Refusals, suspensions and revocations by grounds"' in html
    assert ' style="' not in html.split("<main", 1)[1] and "<style" not in html  # CSP: no inline styles
    svg = _chart(lead, html, "decisions_by_grounds")
    assert "<title>Refusals, suspensions and revocations by grounds</title>" in svg
    for label in ("Sexual misconduct", "Violence", "Harassment"):
        assert f">{label}</text>" in svg
    assert ">Total</text>" not in svg  # drawn without the totals
    assert svg.count("&lt;5</text>") == 1 and svg.count("withheld</text>") == 1  # marked, not drawn
    [event] = _events(app, "report.viewed")
    assert event.user_email == lead.user_email and event.details["scope"] == "The county (all authorities)"
    assert (event.details["start"], event.details["end"]) == ("2026-05-01", "2026-10-31")


def test_licensing_manager_sees_only_their_own_authority(app, login, county):
    _decisions(app, "CDC")
    manager = login(MANAGER, authority="WDC")
    html = manager.get(f"/reports/?{PERIOD_ARGS}").get_data(as_text=True)
    assert "Reports: Wycombe District Council" in html
    assert "Chiltern District Council" not in html and "The county (all authorities)" not in html
    for scope in ("county", str(county["CDC"])):
        html = manager.get(f"/reports/?scope={scope}&{PERIOD_ARGS}").get_data(as_text=True)
        assert "Choose an authority you may report on" in html and "Reports: Wycombe District Council" in html
        assert _table(html, "decisions_by_grounds")["Total"] == ["0", "0"]
    csv_text = manager.get(f"/reports/export?scope=county&{PERIOD_ARGS}").get_data().decode("utf-8-sig")
    assert "Chiltern" not in csv_text
    assert {e.details["scope"] for e in _events(app, "report.exported")} == {"Wycombe District Council"}


@pytest.mark.parametrize("role", [MANAGER, LEAD])
def test_report_readers_never_reach_a_person_or_a_search(app, login, role):
    with arranged(app):
        record = make_person("WDC", forenames="Hidden", surname="Person")
        identity_id, record_id = record.identity_id, record.id
    reader = login(role)
    for url in (
        "/search",
        f"/people/{identity_id}",
        "/review",
        "/check",
        "/records/new",
        f"/records/{record_id}/edit",
        "/intelligence/search",
        "/alerts",
        "/requests",
    ):
        assert reader.get(url).status_code == 403, url
    assert reader.submit(f"/people/{identity_id}/reason", {"reason": "curious"}).status_code == 403
    html = reader.get(f"/reports/?{PERIOD_ARGS}").get_data(as_text=True)
    assert "Hidden Person" not in html and not re.search(r'href="/(people|search|records)', html)
    assert len(_events(app, "access.denied")) == 10


@pytest.mark.parametrize("role", [Role.LICENSING_OFFICER, Role.TRANSPORT_OFFICER, Role.POLICE_SPOC])
def test_officers_and_police_cannot_open_reports(app, login, role):
    user = login(role)
    for url in ("/reports/", "/reports/print", "/reports/export?file_format=xlsx"):
        assert user.get(url).status_code == 403
    assert not _events(app, "report.viewed")


def test_figures_link_to_their_lists_only_for_users_who_could_open_them(app, login):
    admin_html = login(ADMIN).get(f"/reports/?{PERIOD_ARGS}").get_data(as_text=True)
    assert 'href="/audit/?action=applicant.checked"' in admin_html  # administrators can open the audit trail
    assert 'href="/review"' not in admin_html and 'href="/alerts"' not in admin_html
    auditor_html = login(AUDITOR).get(f"/reports/?{PERIOD_ARGS}").get_data(as_text=True)
    assert 'href="/audit/?action=applicant.checked"' in auditor_html
    lead_html = login(LEAD).get(f"/reports/?{PERIOD_ARGS}").get_data(as_text=True)
    assert "See the list behind these figures" not in lead_html


def test_csv_and_xlsx_exports_are_suppressed_neutralised_and_audited(app, login):
    _decisions(app)
    with app.app_context():
        db.session.add(Authority(code="EVIL", name='=HYPERLINK("http://x")', kind=AuthorityKind.LICENSING))
        db.session.commit()
    lead = login(LEAD)
    response = lead.get(f"/reports/export?file_format=csv&{PERIOD_ARGS}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0] == ["Section", "Table", "Row", "Column", "Value"]
    grounds = {(r[2], r[3]): r[4] for r in rows if r[1] == "Refusals, suspensions and revocations by grounds"}
    assert grounds[("Sexual misconduct", "This period")] == "fewer than 5"
    assert grounds[("Harassment", "This period")] == "withheld" and grounds[("Total", "This period")] == "20"
    assert any(r[2] == '\'=HYPERLINK("http://x")' for r in rows)
    assert not any(cell.startswith("=") for r in rows for cell in r)

    response = lead.get(f"/reports/export?file_format=xlsx&{PERIOD_ARGS}")
    sheet = load_workbook(io.BytesIO(response.get_data()))["Oversight report"]
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)}
    assert cells['\'=HYPERLINK("http://x")'].data_type == "s"  # text, never a formula
    values = [[c.value for c in row] for row in sheet.iter_rows(values_only=False)]
    assert [
        "Decisions",
        "Refusals, suspensions and revocations by grounds",
        "Sexual misconduct",
        "This period",
        "fewer than 5",
    ] in values
    assert [e.details["format"] for e in _events(app, "report.exported")] == ["csv", "xlsx"]


def test_printable_page_for_board_papers_is_audited(app, login):
    _decisions(app)
    auditor = login(AUDITOR)
    html = auditor.get(f"/reports/print?{PERIOD_ARGS}").get_data(as_text=True)
    assert "Licensing oversight report: The county (all authorities)" in html
    assert "01 May 2026 to 31 Oct 2026" in html and "Use your browser's print command" in html
    for title in (
        "Applicant checks",
        "Decisions",
        "Complaints",
        "Police information and alerts",
        "Requests between authorities",
        "DBS and safeguarding training",
        "Identity matching",
    ):
        assert f">{title}</h2>" in html
    assert _table(html, "decisions_by_grounds")["Sexual misconduct"][0] == "fewer than 5"
    # The same charts as the dashboard, as images (loaded with the page, so they print), and no links.
    assert "&lt;5</text>" in _chart(auditor, html, "decisions_by_grounds")
    assert "See the list behind these figures" not in html
    [event] = _events(app, "report.printed")
    assert event.role == "auditor"


def test_a_bad_period_is_explained_and_the_default_report_shown(app, login):
    lead = login(LEAD)
    html = lead.get("/reports/?start=1&start=11&start=2026&end=1&end=5&end=2026").get_data(as_text=True)
    assert "The period must start before it ends" in html
    html = lead.get("/reports/?start=31&start=2&start=2026&end=1&end=5&end=2026").get_data(as_text=True)
    assert "From must be a real date" in html
    assert len(_events(app, "report.viewed")) == 2


def test_admin_gives_the_new_roles_only_to_fitting_authorities(app, login, county):
    admin = login(ADMIN)
    response = admin.submit(
        "/admin/users/new",
        {
            "email": "manager@example.org",
            "name": "New Manager",
            "authority_id": county["CDC"],
            "role": "licensing_manager",
        },
    )
    assert response.status_code == 200 and 'id="setup-link"' in response.get_data(as_text=True)  # set-up link
    response = admin.submit(
        "/admin/users/new",
        {
            "email": "lead@example.org",
            "name": "Wrong Lead",
            "authority_id": county["TVP"],
            "role": "county_safeguarding_lead",
        },
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "manager@example.org")).role is MANAGER
        assert db.session.scalar(select(User).where(User.email == "lead@example.org")) is None


@pytest.mark.parametrize("role", [ADMIN, AUDITOR])
def test_administrators_and_auditors_see_every_report(app, login, county, role):
    _decisions(app, "CDC")
    reader = login(role)
    html = reader.get(f"/reports/?{PERIOD_ARGS}").get_data(as_text=True)
    assert "Reports: The county (all authorities)" in html
    assert _table(html, "decisions_by_grounds")["Total"][0] == "20"
    with app.app_context():
        scopes = db.session.execute(
            select(Authority.id, Authority.name).where(Authority.kind != AuthorityKind.POLICE)
        ).all()
    for authority_id, name in scopes:
        html = reader.get(f"/reports/?scope={authority_id}&{PERIOD_ARGS}").get_data(as_text=True)
        assert f"Reports: {name}" in html and "Choose an authority you may report on" not in html
        total = _table(html, "decisions_by_grounds")["Total"][0]
        assert total == ("20" if authority_id == county["CDC"] else "0")
    viewed = _events(app, "report.viewed")
    assert len(viewed) == len(scopes) + 1 and {e.user_email for e in viewed} == {reader.user_email}
