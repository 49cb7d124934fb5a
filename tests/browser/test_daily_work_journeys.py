"""The daily work at 1280 px and 375 px: flags, tags, bands, filters, reveals, error links, task
lists, the audit
trail and the accessibility statement. Every page visited is checked with axe-core and for sideways
scrolling."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from licensing.auth.models import Role
from licensing.db import db
from licensing.people.models import LinkState, RecordLink
from licensing.requests.models import InformationRequest, RequestKind
from licensing.sanctions.models import GroundsCategory, Sanction, SanctionType
from tests.browser.conftest import WIDTHS, audit_page, follow_error_links, sign_in
from tests.browser.test_police_to_licensing_journey import _licensed
from tests.factories import (
    PASSWORD,
    arranged,
    authority,
    clock_date,
    join_records,
    make_intelligence,
    make_person,
    make_user,
)

pytestmark = pytest.mark.browser
TODAY = clock_date(__name__)


def _register(app) -> dict:
    """A Chiltern driver whom Wycombe revoked for safeguarding, with police information Chiltern may not read,
    a pair waiting for review and a request waiting for a reply."""
    with arranged(app):
        force = authority("TVP")
        force.contact_name, force.contact_phone, force.contact_email = (
            "PS Dana Whitfield",
            "01865 555 0199",
            "taxi.spoc@tvp.example.org",
        )
        chiltern = _licensed(
            "CDC", "CDC-PH-5501", forenames="Imran", surname="Hussein", date_of_birth=dt.date(1984, 3, 7)
        )
        wycombe = make_person("WDC", forenames="Imran", surname="Hussein", date_of_birth=dt.date(1984, 3, 7))
        police = make_person("TVP", forenames="Imran", surname="Hussein", date_of_birth=dt.date(1984, 3, 7))
        identity_id = join_records(chiltern, wycombe, police)
        make_intelligence(police, handling="C", recipients=("WDC",), conditions="Licensing use only")
        sanction = Sanction(
            person_record_id=wycombe.id,
            authority_id=wycombe.authority_id,
            sanction_type=SanctionType.REVOCATION,
            grounds=GroundsCategory.SAFEGUARDING,
            decided_on=TODAY - dt.timedelta(days=9),
            effective_on=TODAY - dt.timedelta(days=9),
            decision_maker="Licensing Sub-Committee",
            narrative="Safeguarding concerns on school runs.",
        )
        db.session.add(sanction)
        a = make_person("CDC", forenames="Basit", surname="Qadir", date_of_birth=dt.date(1990, 1, 1))
        b = make_person("SBDC", forenames="Basit", surname="Qadeer", date_of_birth=dt.date(1991, 2, 2))
        db.session.add(
            RecordLink(
                record_a_id=a.id,
                record_b_id=b.id,
                score=0.7,
                evidence=[],
                state=LinkState.PENDING,
                summary="Surname: Qadir and Qadeer are spellings of one name",
            )
        )
        asker = make_user(Role.LICENSING_OFFICER, "WDC")
        db.session.add(
            InformationRequest(
                kind=RequestKind.INFORMATION_REQUEST,
                identity_id=identity_id,
                from_authority_id=authority("WDC").id,
                to_authority_id=authority("CDC").id,
                requested_by_id=asker.id,
                sent_on=TODAY,
                due_on=TODAY + dt.timedelta(days=28),
                details="Please send your licensing file.",
            )
        )
        db.session.commit()
        return {
            "identity": identity_id,
            "record": chiltern.id,
            "sanction": sanction.id,
            "officer": make_user(Role.LICENSING_OFFICER, "CDC", name="Colin Hart").email,
        }


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in**")


@pytest.mark.parametrize("width", WIDTHS)
def test_licensing_officer_daily_work(app, county, page, request, width):
    data = _register(app)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, data["officer"], PASSWORD)
    expect(page.locator("#tasks")).to_contain_text("1 to reply to")
    audit_page(page, "home-licensing", request)

    page.goto(f"{page.base_url}/people/{data['identity']}")
    page.get_by_label("Reason").fill("Renewal CDC/REN/2026/0456")
    page.get_by_role("button", name="Continue").click()
    flag = page.locator('[data-flag="adverse_decision"] a')
    expect(flag).to_contain_text("Revoked by Wycombe District Council on ")
    expect(flag).to_contain_text(": safeguarding")
    expect(page.locator('[data-flag="police_information"]')).to_contain_text(
        "PS Dana Whitfield, 01865 555 0199"
    )
    expect(page.locator('[data-status="granted"]').first).to_have_text("Valid")
    audit_page(page, "person", request)
    flag.click()
    # The person's own page, with the grant that carries the officer's reason (finding 10), at the record.
    expect(page).to_have_url(re.compile(rf"/people/{data['identity']}(\?grant=\d+)?#sanction-{data['sanction']}$"))

    page.goto(f"{page.base_url}/review?mine=yes")
    expect(page.locator('[data-band="possible"]').first).to_be_visible()
    expect(page.locator("#review-queue")).to_contain_text("less than a day")
    audit_page(page, "review-queue", request)

    page.get_by_role("link", name="Basit Qadir / Basit Qadeer").click()
    expect(page.get_by_role("heading", name="Are these the same person?")).to_be_visible()
    audit_page(page, "review-pair", request)

    page.goto(f"{page.base_url}/records/{data['record']}/decision")
    expect(page.locator("#points")).to_be_hidden()
    page.get_by_label("Penalty points", exact=True).check()
    expect(page.locator("#points")).to_be_visible()
    expect(page.locator("#points-tally")).to_contain_text("The threshold is 12")
    expect(page.locator("#new_licence_number")).to_be_hidden()
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    targets = follow_error_links(page)
    assert {"points", "grounds", "decision_maker", "narrative"} <= set(targets)
    audit_page(page, "decision-errors", request)

    page.goto(f"{page.base_url}/accessibility")
    expect(page.get_by_role("heading", name="Accessibility statement")).to_be_visible()
    audit_page(page, "accessibility-statement", request)


@pytest.mark.parametrize("width", WIDTHS)
def test_police_and_transport_forms_reveal_what_each_choice_needs(app, county, page, request, width):
    data = _register(app)
    with arranged(app):
        spoc = make_user(Role.POLICE_SPOC, name="DC Priya Nair").email
        transport = make_user(Role.TRANSPORT_OFFICER, name="Tom Reeve").email
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, spoc, PASSWORD)
    audit_page(page, "home-police", request)
    page.goto(f"{page.base_url}/intelligence/new?identity_id={data['identity']}")
    expect(page.locator("#handling_conditions")).to_be_hidden()
    page.locator('input[name="handling_code"][value="C"]').check()
    expect(page.locator("#handling_conditions")).to_be_visible()
    page.get_by_role("button", name="Submit intelligence").click()
    follow_error_links(page)
    audit_page(page, "intelligence-errors", request)

    _sign_out(page)
    sign_in(page, transport, PASSWORD)
    page.goto(f"{page.base_url}/badges/new")
    expect(page.locator("#new_forenames")).to_be_hidden()
    page.get_by_label("A new person").check()
    expect(page.locator("#new_forenames")).to_be_visible()
    expect(page.locator("#holder_reference")).to_be_hidden()
    page.get_by_role("button", name="Issue badge").click()
    follow_error_links(page)
    audit_page(page, "badge-issue-errors", request)


@pytest.mark.parametrize("width", WIDTHS)
def test_auditor_reads_sentences_and_admin_sets_the_point_of_contact(app, county, page, request, width):
    data = _register(app)
    with arranged(app):
        auditor = make_user(Role.AUDITOR, name="Ada Lovell").email
        admin = make_user(Role.ADMINISTRATOR, name="Sam Admin").email
        force_id = authority("TVP").id
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, data["officer"], PASSWORD)
    page.goto(f"{page.base_url}/people/{data['identity']}")
    page.get_by_label("Reason").fill("Renewal CDC/REN/2026/0456")
    page.get_by_role("button", name="Continue").click()
    _sign_out(page)

    sign_in(page, auditor, PASSWORD)
    page.goto(f"{page.base_url}/audit/?kind=views")
    expect(page.locator("#events")).to_contain_text(
        "Colin Hart (Chiltern District Council) looked at Imran Hussein"
    )
    audit_page(page, "audit-trail", request)
    _sign_out(page)

    sign_in(page, admin, PASSWORD)
    page.goto(f"{page.base_url}/admin/authorities/{force_id}")
    page.get_by_label("Point of contact: phone").fill("not a phone")
    page.get_by_role("button", name="Save").click()
    assert follow_error_links(page) == ["contact_phone"]
    audit_page(page, "authority-settings-errors", request)


@pytest.mark.parametrize("width", WIDTHS)
def test_replies_with_documents_dbs_for_drivers_operators_alerts_and_transport_complaints(
    app, county, page, request, width
):
    """The gaps the daily work filled, on a phone and a desktop: a reply with a document, a licensed driver's
    DBS check, operators, the alerts inbox with the point of contact, and a complaint from the county team."""
    data = _register(app)
    with arranged(app):
        request_id = db.session.scalar(select(InformationRequest.id))
        transport = make_user(Role.TRANSPORT_OFFICER, name="Tom Reeve").email
        badge_holder = make_person("BCC-CT", forenames="Aaliyah", surname="Begum").id
        db.session.commit()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, data["officer"], PASSWORD)

    page.goto(f"{page.base_url}/requests/{request_id}")
    page.get_by_label("Reply").fill("Our licensing file is attached.")
    page.get_by_label("Attach a document (optional)").set_input_files(
        {"name": "licensing-file.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 synthetic file"})
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Reply sent")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("licensing-file"))).to_be_visible()
    audit_page(page, "request-reply-with-document", request)

    page.goto(f"{page.base_url}/records/{data['record']}/dbs")  # a licensed driver, not a badge holder
    expect(page.get_by_role("heading", level=1)).to_contain_text("DBS")
    audit_page(page, "dbs-for-a-licensed-driver", request)

    page.goto(f"{page.base_url}/operators/?q=Cars")
    audit_page(page, "operators-search", request)

    page.goto(f"{page.base_url}/alerts")
    audit_page(page, "alerts-inbox", request)
    _sign_out(page)

    sign_in(page, transport, PASSWORD)
    page.goto(f"{page.base_url}/records/{badge_holder}/complaints/new")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    audit_page(page, "complaint-by-the-county-team", request)
