"""Each chart is an image of its own (reports.chart): drawn from the same figures as the table beside it on
the page, for the same roles and scopes, with the scope and period checked as on the page, kept only by the
user's own browser, and not audited (the page view that shows it is)."""

import datetime as dt
import html as htmllib
import re

import pytest
from sqlalchemy import select

from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.authorities.models import Authority
from licensing.db import db
from licensing.reports.services import AREAS, Period, Scope, build_report, report_table
from seed.demo import load_demo
from tests.conftest import sign_in_fully
from tests.factories import PASSWORD, arranged, make_user

# 1 May to 31 October 2026, in the form's day/month/year parts.
PERIOD_ARGS = "start=1&start=5&start=2026&end=31&end=10&end=2026"
CHART = "/reports/chart/decisions_by_grounds.svg"
PERIOD, TODAY = Period(dt.date(2026, 5, 1), dt.date(2026, 10, 31)), dt.date(2026, 11, 1)


def _tables(html: str) -> dict[str, tuple[str, dict[str, list[str]]]]:
    """Each table on the page that has a chart: {key: (chart URL, {row label: [cell texts]})}."""
    found = {}
    for block in html.split('<div class="app-report-table')[1:]:
        key = re.search(r'<h3 class="govuk-heading-m" id="([^"]+)"', block).group(1)
        image = re.search(r'<img class="app-chart" src="([^"]+)" alt="([^"]*)"', block)
        if not image:
            continue
        columns = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', block, re.S)[1:]
        rows = {}
        for row in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', block, re.S):
            label = re.search(r'<th scope="row"[^>]*>(.*?)</th>', row, re.S)
            if label:
                cells = [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
                # Without the total column: charts draw the parts.
                rows[htmllib.unescape(label.group(1).strip())] = [
                    cell for column, cell in zip(columns, cells, strict=True) if column != "Total"
                ]
        found[key] = (htmllib.unescape(image.group(1)), rows)
    return found


def _texts(svg: str) -> list[str]:
    return [htmllib.unescape(t).strip() for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)]


def _events(app, prefix: str):
    with app.app_context():
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action.startswith(prefix))).all()


@pytest.mark.parametrize(
    ("role", "authority", "heading"),
    [
        (Role.SAFEGUARDING_LEAD, None, "The county (all authorities)"),
        (Role.LICENSING_MANAGER, "WDC", "Wycombe District Council"),
    ],
)
def test_every_chart_draws_the_figures_of_the_table_beside_it(app, client, role, authority, heading):
    with arranged(app):
        load_demo(n_records=300, echo=lambda _: None)  # the demo county, with its own authorities
        email = make_user(role, authority=authority).email
        db.session.commit()
    reader = client
    assert sign_in_fully(reader, email, PASSWORD).status_code == 302
    page = reader.get(f"/reports/?{PERIOD_ARGS}").get_data(as_text=True)
    assert f"Reports: {heading}" in page
    tables = _tables(page)
    assert len(tables) >= 10 and ("by_authority" in tables) == (role is Role.SAFEGUARDING_LEAD)
    for key, (url, rows) in tables.items():
        response = reader.get(url)
        assert response.status_code == 200 and response.mimetype == "image/svg+xml", key
        svg = response.get_data(as_text=True)
        assert svg.startswith("<svg ") and 'xmlns="http://www.w3.org/2000/svg"' in svg, key
        assert " style=" not in svg and "<style" not in svg, key  # CSP: no inline styles
        texts = _texts(svg)
        drawn = " ".join(texts)  # a long label is wrapped over several lines of text
        title = re.search(r"<title>(.*?)</title>", svg).group(1)
        assert f'alt="{title}"' in page, key
        if key == "complaint_hot_spots":
            # The map labels each district with this period's count, or how the table suppresses it.
            districts = {label: cells[0] for label, cells in rows.items() if label[:1].isalpha()}
            districts.pop("No address", None)
            districts.pop("Total", None)
            assert districts, "the demo county has complaints with addresses"
            for district, cell in districts.items():
                if cell == "0":
                    continue
                at = texts.index(district)
                marks = {"fewer than 5": "<5", "withheld": "withheld"}
                assert texts[at + 1] == marks.get(cell, cell.replace(",", "")), district
            assert "Total" not in texts
            continue
        for label in rows:
            if label != "Total":
                assert label in drawn, (key, label)
        assert "Total" not in texts, key  # drawn without the totals
        # Each suppressed cell is marked on its bar (a gap in a line), never drawn at its value.
        cells = [cell for label, cells in rows.items() if label != "Total" for cell in cells]
        if key != "monthly_trend":
            assert texts.count("<5") == cells.count("fewer than 5"), key
            assert texts.count("withheld") == cells.count("withheld"), key
    assert not _events(app, "report.chart")
    assert len(_events(app, "report.")) == 1  # the page view only


def test_a_chart_asks_for_its_scope_and_period_as_the_page_does(app, login, county):
    lead = login(Role.SAFEGUARDING_LEAD)
    assert lead.get(f"{CHART}?{PERIOD_ARGS}").status_code == 200
    assert lead.get(CHART).status_code == 200  # no query: the default report, as on the page
    assert lead.get(f"{CHART}?scope={county['CDC']}&{PERIOD_ARGS}").status_code == 200
    for bad in (
        "start=31&start=2&start=2026&end=1&end=5&end=2026",  # not a real date
        "start=1&start=11&start=2026&end=1&end=5&end=2026",  # starts after it ends
        "start=1&start=1&start=2020&end=1&end=5&end=2026",  # longer than 3 years
        "start=1&start=1&start=2026",  # only one date
        f"scope=999999&{PERIOD_ARGS}",  # no such authority
        f"scope={county['TVP']}&{PERIOD_ARGS}",  # the police force has no reports
        "scope=county&start=x&start=5&start=2026&end=31&end=10&end=2026",
    ):
        assert lead.get(f"{CHART}?{bad}").status_code == 400, bad
    assert lead.get(f"/reports/chart/no_such_table.svg?{PERIOD_ARGS}").status_code == 404
    assert lead.get(f"/reports/chart/review_queue.svg?{PERIOD_ARGS}").status_code == 404  # a table, no chart
    assert lead.get(f"/reports/chart/by_authority.svg?{PERIOD_ARGS}").status_code == 200
    # By authority is a countywide table: an authority's report has none.
    by_authority = f"/reports/chart/by_authority.svg?scope={county['WDC']}&{PERIOD_ARGS}"
    assert lead.get(by_authority).status_code == 404
    manager = login(Role.LICENSING_MANAGER, authority="WDC")
    assert manager.get(f"{CHART}?scope={county['WDC']}&{PERIOD_ARGS}").status_code == 200
    for scope in ("county", str(county["CDC"])):  # the page falls back to their own; a chart refuses
        assert manager.get(f"{CHART}?scope={scope}&{PERIOD_ARGS}").status_code == 400, scope
    assert manager.get(f"/reports/chart/by_authority.svg?{PERIOD_ARGS}").status_code == 404
    assert not _events(app, "report.")


@pytest.mark.parametrize("role", [Role.LICENSING_OFFICER, Role.TRANSPORT_OFFICER, Role.POLICE_SPOC])
def test_only_report_readers_get_a_chart_and_a_refusal_is_audited(app, login, role):
    user = login(role)
    assert user.get(f"{CHART}?{PERIOD_ARGS}").status_code == 403
    [event] = _events(app, "access.denied")
    assert event.user_email == user.user_email and event.details == {"view": "chart"}
    anonymous = app.test_client().get(f"{CHART}?{PERIOD_ARGS}")
    assert anonymous.status_code == 302 and "/sign-in" in anonymous.headers["Location"]


def test_a_chart_is_kept_only_by_the_users_browser_and_revalidated(app, login):
    lead = login(Role.SAFEGUARDING_LEAD)
    response = lead.get(f"{CHART}?{PERIOD_ARGS}")
    assert response.status_code == 200
    assert response.cache_control.private and response.cache_control.max_age == 300
    assert not response.cache_control.no_store and not response.cache_control.public
    assert "img-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    again = lead.get(f"{CHART}?{PERIOD_ARGS}", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and not again.get_data()
    # Pages themselves are still never stored.
    assert lead.get(f"/reports/?{PERIOD_ARGS}").headers["Cache-Control"] == "no-store"


def test_one_table_is_computed_by_its_own_area_with_the_figures_of_the_whole_report(app):
    with arranged(app):
        load_demo(n_records=300, echo=lambda _: None)
        wycombe = db.session.scalar(select(Authority.id).where(Authority.code == "WDC"))
        for scope in (Scope(None, "County"), Scope(wycombe, "Wycombe")):
            sections = build_report(scope, PERIOD, today=TODAY)
            report = {table.key: table for section in sections for table in section.tables}
            # Every table belongs to exactly one area, and that area alone gives the same table.
            keys = [key for area in AREAS for key in area.keys]
            assert len(keys) == len(set(keys)) and set(report) <= set(keys)
            for key, table in report.items():
                alone = report_table(key, scope, PERIOD, today=TODAY)
                assert (alone.title, alone.rows, alone.measures) == (table.title, table.rows, table.measures)
            assert report_table("no_such_table", scope, PERIOD, today=TODAY) is None
        assert report_table("by_authority", Scope(wycombe, "Wycombe"), PERIOD, today=TODAY) is None
