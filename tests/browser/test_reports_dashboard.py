import pytest
from playwright.sync_api import expect

from licensing.auth.models import Role
from licensing.db import db
from seed.demo import load_demo
from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD, arranged, make_user

pytestmark = pytest.mark.browser


def test_safeguarding_lead_opens_the_dashboard_with_its_charts(app, page, request):
    with arranged(app):
        load_demo(n_records=300, echo=lambda _: None)
        email = make_user(Role.SAFEGUARDING_LEAD).email
        db.session.commit()
    page.set_default_timeout(
        60000
    )  # the server draws a dozen charts per report, slowly on a shared CI machine
    sign_in(page, email, PASSWORD)
    page.get_by_role("link", name="Reports", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports: The county (all authorities)")
    charts = page.locator("svg.app-chart")
    assert charts.count() >= 8
    # Each chart is an image with a name, drawn with colours (so its styles survived the CSP), beside its
    # data.
    grounds = page.locator("#decisions_by_grounds").locator("xpath=..")
    expect(
        grounds.get_by_role("img", name="Refusals, suspensions and revocations by grounds")
    ).to_be_visible()
    expect(grounds.get_by_role("table")).to_contain_text("Sexual misconduct")
    assert page.locator("svg.app-chart [fill='#1d70b8']").count() > 0
    expect(page.get_by_role("img", name="Complaint hot spots by postcode district")).to_be_visible()
    # The lead reads figures, never a person: no link leads to a person's record or a search.
    hrefs = page.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert not [h for h in hrefs if h and (h.startswith("/people") or h.startswith("/person"))]
    screenshot(page, "reports-dashboard-safeguarding-lead", request)
    page.get_by_label("Authority").select_option(label="Wycombe District Council")
    page.get_by_role("button", name="Show report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports: Wycombe District Council")
    expect(page.get_by_role("img", name="Decisions by type")).to_be_visible()
