import datetime as dt

import pytest
from playwright.sync_api import expect

from licensing.auth.models import Role
from licensing.db import db
from licensing.licences.models import Licence, LicenceStatus, LicenceType
from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD, arranged, authority, clock_date, make_person, make_user

pytestmark = pytest.mark.browser
TODAY = clock_date(__name__)
DVLA = "KHAN9703049MA9AB"


def _licensed(code, number, **person):
    record = make_person(code, **person)
    db.session.add(
        Licence(
            person=record,
            authority=authority(code),
            licence_type=LicenceType.PRIVATE_HIRE_DRIVER,
            number=number,
            status=LicenceStatus.GRANTED,
            issued_on=TODAY - dt.timedelta(days=300),
            expires_on=TODAY + dt.timedelta(days=60),
        )
    )
    db.session.commit()
    return record


def test_spoc_submits_intelligence_and_another_district_sees_the_flag_and_the_alert(app, county, chromium,
                                                                                     live_server, request):
    with arranged(app):
        spoc = make_user(Role.POLICE_SPOC, name="DC Priya Nair").email
        chiltern_officer = make_user(Role.LICENSING_OFFICER, authority="CDC", name="Colin Hart").email
        _licensed(
            "WDC",
            "WDC-PH-0101",
            forenames="Muhammad Asif",
            surname="Khan",
            date_of_birth=dt.date(1979, 3, 4),
            driving_licence_number=DVLA,
            national_insurance="JT402917C",
        )
        renewal = _licensed(
            "CDC",
            "CDC-PH-0202",
            forenames="Mohd Asif",
            surname="Khan",
            date_of_birth=dt.date(1979, 4, 3),
            driving_licence_number=DVLA,
            postcode="HP5 2JU",
        )
        identity_id = renewal.identity_id

    errors: list[str] = []
    police = chromium.new_context().new_page()
    police.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    police.base_url = live_server
    sign_in(police, spoc, PASSWORD)
    police.get_by_role("navigation", name="Menu").get_by_role("link", name="People").click()
    police.get_by_label("National Insurance number").fill("JT402917C")
    police.get_by_label("Reason").fill("Operation Larch: is the subject licensed?")
    police.get_by_role("button", name="Search").click()
    police.get_by_role("link", name="Muhammad Asif Khan").first.click()
    expect(police.get_by_role("heading", name="Records held (2)")).to_be_visible()
    police.get_by_role("link", name="Submit intelligence about this person").click()
    police.get_by_label("2: untested").check()
    police.get_by_label("B: known indirectly but corroborated").check()
    police.get_by_label("P: lawful sharing permitted").check()
    police.get_by_label("Child exploitation").check()
    police.get_by_label("Intelligence", exact=True).check()
    police.get_by_label("Force reference").fill("TVP/2026/04417")
    police.get_by_label("Common Law Police Disclosure").check()
    police.get_by_label("Full intelligence text").fill(
        "Source saw the subject giving a 14-year-old lifts at night."
    )
    police.get_by_label("Sanitised summary for sharing").fill("Police hold safeguarding information relevant "
                                                              "to carrying children.")
    review = TODAY + dt.timedelta(days=90)
    police.get_by_label("Day").fill(str(review.day))
    police.get_by_label("Month").fill(str(review.month))
    police.get_by_label("Year").fill(str(review.year))
    police.get_by_role("button", name="Submit intelligence").click()
    expect(police.locator(".govuk-notification-banner")).to_be_visible()
    police.context.close()

    page = chromium.new_context().new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.base_url = live_server
    sign_in(page, chiltern_officer, PASSWORD)
    expect(page.get_by_text("1 unacknowledged alert")).to_be_visible()
    expect(page.locator("#open-alerts")).to_contain_text("Police hold information")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="People").click()
    page.get_by_role("link", name="Check an applicant").first.click()
    page.get_by_label("Application reference").fill("CDC/PH/2026/0202-R")
    page.get_by_label("Forenames").fill("Mohammed Asif")
    page.get_by_label("Surname").fill("Khan")
    page.locator("#date_of_birth-day").fill("3")
    page.locator("#date_of_birth-month").fill("4")
    page.get_by_label("Year", exact=True).fill("1979")
    page.get_by_role("button", name="Check the register").click()
    expect(page.get_by_role("link", name="Muhammad Asif Khan")).to_be_visible()
    expect(page.locator('[data-flag="police_information"]')).to_be_visible()
    page.get_by_role("link", name="Muhammad Asif Khan").click()
    expect(
        page.get_by_text("Police hold safeguarding information relevant to carrying children.")
    ).to_be_visible()
    expect(page.get_by_text("giving a 14-year-old lifts")).to_have_count(0)
    page.goto(f"{live_server}/alerts")
    expect(page.locator(".govuk-summary-card").first).to_contain_text("Police information")
    page.goto(f"{live_server}/checks/1")
    screenshot(page, "police-intel-flag-and-alert", request)
    page.context.close()
    assert identity_id
    assert not errors, errors
