import pytest
from playwright.sync_api import expect

from licensing.auth.models import Role
from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD, arranged, make_person, make_user

pytestmark = pytest.mark.browser


def test_officer_signs_in_searches_and_opens_a_person(app, county, page, request):
    with arranged(app):
        email = make_user(Role.LICENSING_OFFICER, authority="CDC").email
        make_person("WDC", forenames="Mohammed Asif", surname="Khan", national_insurance="JT123456A")
    sign_in(page, email, PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="People").click()
    page.get_by_role("navigation", name="People").get_by_role("link", name="Search").click()
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()  # GOV.UK Frontend JS ran under the CSP
    page.get_by_label("Surname").fill("Khan")
    page.get_by_label("National Insurance number").fill("jt123456a")
    page.get_by_label("Reason").fill("Application CDC/2026/0311")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Mohammed Asif Khan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mohammed Asif Khan")
    expect(page.get_by_text("Viewed for: Application CDC/2026/0311")).to_be_visible()
    screenshot(page, "officer-person-view", request)
