import datetime as dt

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from licensing.auth.models import Role
from licensing.db import db
from licensing.people.models import LinkState, RecordLink
from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD, arranged, make_person, make_user

pytestmark = pytest.mark.browser


def test_officer_confirms_a_review_queue_pair_and_the_person_view_merges(app, county, page, request):
    with arranged(app):
        email = make_user(Role.LICENSING_OFFICER, authority="CDC").email
        make_person(
            "WDC",
            forenames="Shahid",
            surname="Rafiq",
            date_of_birth=dt.date(1975, 6, 12),
            postcode="HP13 6AA",
        )
        make_person("CDC", forenames="Shahid", surname="Rafique", date_of_birth=dt.date(1975, 6, 12),
                    postcode="HP5 1AB")
        assert db.session.scalar(select(RecordLink).where(RecordLink.state == LinkState.PENDING))
    sign_in(page, email, PASSWORD)
    task = page.locator("#tasks").get_by_role("link", name="Review proposed links involving Chiltern")
    expect(page.locator("#tasks")).to_contain_text("1 to review")
    task.click()
    page.get_by_role("link", name="Shahid Rafiq / Shahid Rafique").click()
    expect(page.get_by_role("heading", name="Are these the same person?")).to_be_visible()
    expect(page.get_by_text("are spellings of one name").first).to_be_visible()
    page.get_by_label("Yes, the same person: link them").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("Records linked")).to_be_visible()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="People").click()
    page.get_by_role("navigation", name="People").get_by_role("link", name="Search").click()
    page.get_by_label("Surname").fill("Rafiq")
    page.locator("#date_of_birth-day").fill("12")
    page.locator("#date_of_birth-month").fill("6")
    page.get_by_label("Year", exact=True).fill("1975")
    page.get_by_label("Reason").fill("Confirming merged record after review")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 person found")).to_be_visible()
    page.get_by_role("link", name="Shahid Rafiq").first.click()
    expect(page.get_by_role("heading", name="Records held (2)")).to_be_visible()
    expect(page.get_by_role("cell", name="Wycombe District Council")).to_be_visible()
    expect(page.get_by_role("cell", name="Chiltern District Council")).to_be_visible()
    screenshot(page, "review-confirmed-person-merged", request)
