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
    # Each chart is drawn by its own request, slowly on a shared CI machine; expect() needs its own timeout.
    page.set_default_timeout(60000)
    sign_in(page, email, PASSWORD)
    page.get_by_role("link", name="Reports", exact=True).first.click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Reports: The county (all authorities)", timeout=60_000)
    charts = page.locator("img.app-chart")
    assert charts.count() >= 10
    # Every chart image arrives and renders (an SVG the browser could not draw has no natural width).
    page.wait_for_function(
        "() => [...document.querySelectorAll('img.app-chart')].every(i => i.complete && i.naturalWidth > 0)"
    )
    widths = charts.evaluate_all("images => images.map(i => i.naturalWidth)")
    assert len(widths) == charts.count() and min(widths) > 0
    # Each chart is an image with a name beside its data, drawn with colours as attributes (the CSP allows no
    # inline styles).
    grounds = page.locator("#decisions_by_grounds").locator("xpath=..")
    image = grounds.get_by_role("img", name="Refusals, suspensions and revocations by grounds")
    expect(image).to_be_visible()
    expect(grounds.get_by_role("table")).to_contain_text("Sexual misconduct")
    chart = page.request.get(page.base_url + image.get_attribute("src"))
    assert chart.ok and chart.headers["content-type"].startswith("image/svg+xml")
    assert 'fill="#1d70b8"' in chart.text() and "style=" not in chart.text()
    expect(page.get_by_role("img", name="Complaint hot spots by postcode district")).to_be_visible()
    # The lead reads figures, never a person: no link leads to a person's record or a search.
    hrefs = page.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert not [h for h in hrefs if h and (h.startswith("/people") or h.startswith("/person"))]
    screenshot(page, "reports-dashboard-safeguarding-lead", request)
    page.get_by_label("Authority").select_option(label="Wycombe District Council")
    page.get_by_role("button", name="Show report").click()
    expect(heading).to_have_text("Reports: Wycombe District Council", timeout=60_000)
    expect(page.get_by_role("img", name="Decisions by type")).to_be_visible()
    page.wait_for_function(
        "() => [...document.querySelectorAll('img.app-chart')].every(i => i.complete && i.naturalWidth > 0)"
    )
