import datetime as dt

import pytest
from playwright.sync_api import expect

from licensing.auth.models import Role
from licensing.db import db
from licensing.licences.models import Badge, BadgeStatus, BadgeType
from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_police_to_licensing_journey import _licensed
from tests.factories import PASSWORD, arranged, authority, clock_date, make_person, make_user

pytestmark = pytest.mark.browser
TODAY = clock_date(__name__)
DVLA = "AKHTA802205N99XY"


def test_transport_officer_checks_a_badge_whose_holder_was_just_revoked_elsewhere(
    app, county, chromium, live_server, request
):
    with arranged(app):
        wycombe_officer = make_user(Role.LICENSING_OFFICER, authority="WDC", name="Wendy Carter").email
        transport_officer = make_user(Role.TRANSPORT_OFFICER, name="Tom Reeve").email
        driver = _licensed(
            "WDC",
            "WDC-PH-0303",
            forenames="Naveed",
            surname="Akhtar",
            date_of_birth=dt.date(1980, 2, 20),
            driving_licence_number=DVLA,
        )
        holder = make_person(
            "BCC-CT",
            forenames="Naveed",
            surname="Akhtar",
            date_of_birth=dt.date(1980, 2, 20),
            driving_licence_number=DVLA,
        )
        db.session.add(
            Badge(
                person=holder,
                authority=authority("BCC-CT"),
                badge_type=BadgeType.DRIVER,
                number="BCC-004512",
                operator_name="Castle Cars",
                status=BadgeStatus.VALID,
                issued_on=TODAY - dt.timedelta(days=200),
                expires_on=TODAY + dt.timedelta(days=800),
            )
        )
        db.session.commit()
        assert holder.identity_id == driver.identity_id
        identity_id = driver.identity_id

    errors: list[str] = []
    officer = chromium.new_context().new_page()
    officer.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    officer.base_url = live_server
    sign_in(officer, wycombe_officer, PASSWORD)
    officer.goto(f"{live_server}/people/{identity_id}")
    officer.get_by_label("Reason").fill("Sub-committee decision WDC/LSC/2026/14")
    officer.get_by_role("button", name="Continue").click()
    officer.get_by_role("link", name="Record a decision").click()
    officer.get_by_label("Revoke").check()
    officer.get_by_label("Licence it concerns").select_option(
        label="Private hire driver WDC-PH-0303 (granted)"
    )
    officer.get_by_label("Sexual misconduct").check()
    for prefix in ("decided_on", "effective_on"):
        officer.locator(f"#{prefix}-day").fill(str(TODAY.day))
        officer.locator(f"#{prefix}-month").fill(str(TODAY.month))
        officer.locator(f"#{prefix}-year").fill(str(TODAY.year))
    officer.get_by_label("Decision-maker").fill("Licensing Sub-Committee")
    officer.get_by_label("Reasons").fill("Three similar complaints of sexual comments to lone passengers.")
    officer.get_by_role("button", name="Record decision").click()
    expect(officer.locator('[data-flag="adverse_decision"]')).to_be_visible()
    officer.context.close()

    page = chromium.new_context().new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.base_url = live_server
    sign_in(page, transport_officer, PASSWORD)
    expect(page.get_by_text("1 unacknowledged alert")).to_be_visible()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Badges").click()
    page.get_by_label("Badge number").fill("bcc-004512")
    page.get_by_label("Why are you checking this badge?").fill("Driver of school route 14 this morning")
    page.get_by_role("button", name="Check badge").click()
    main = page.locator("#main-content")
    expect(main).to_contain_text("Naveed Akhtar")
    expect(main).to_contain_text("Castle Cars")
    expect(main.locator('[data-flag="adverse_decision"]')).to_contain_text(
        "Revoked by Wycombe District Council on "
    )
    expect(main).to_contain_text("Valid")
    screenshot(page, "badge-check-holder-revoked", request)
    page.context.close()
    assert not errors, errors
