"""A licensing officer imports a file through the page: the dry-run report lists the bad row, then a corrected
file is committed."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from licensing.auth.models import Role
from licensing.db import db
from licensing.people.models import PersonRecord
from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD, arranged, make_user
from tests.imports.helpers import csv_file, person_row

pytestmark = pytest.mark.browser


def test_officer_imports_a_register_through_the_page(app, county, page, request, tmp_path):
    with arranged(app):
        email = make_user(Role.LICENSING_OFFICER, authority="WDC", name="Ina Porter").email
    bad = tmp_path / "wycombe-register.csv"
    bad.write_bytes(csv_file([person_row(1), person_row(2, date_of_birth="31/02/1980"), person_row(3)]))
    good = tmp_path / "wycombe-register-fixed.csv"
    good.write_bytes(csv_file([person_row(1), person_row(2), person_row(3)]))

    sign_in(page, email, PASSWORD)
    page.goto(f"{page.base_url}/imports/")
    page.get_by_label("Register file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file (dry run)").click()
    expect(page.get_by_role("heading", name="Dry-run report")).to_be_visible()
    expect(page.get_by_role("table", name="Invalid rows")).to_contain_text("date_of_birth")
    expect(page.get_by_role("button", name="Import these records")).to_have_count(0)

    page.goto(f"{page.base_url}/imports/")
    page.get_by_label("Register file").set_input_files(str(good))
    page.get_by_role("button", name="Check the file (dry run)").click()
    expect(page.get_by_role("heading", name="Dry-run report")).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Would be created")
    screenshot(page, "import-dry-run-report", request)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PersonRecord)) == 0
    page.get_by_role("button", name="Import these records").click()
    expect(page.get_by_role("heading", name="Import committed")).to_be_visible()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("import: created=3")
    screenshot(page, "import-committed", request)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PersonRecord)) == 3
