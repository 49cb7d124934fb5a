"""Home pages are task lists; the menu is grouped so it fits one line; pages below the top level
have back links."""

import datetime as dt
import re

from licensing.auth.models import Role
from licensing.db import db
from licensing.requests.models import InformationRequest, RequestKind
from tests.factories import arranged, authority, clock_date, make_person, make_user

TODAY = clock_date(__name__)


def _menu(page: str) -> list[str]:
    nav = page.split('aria-label="Menu"', 1)[1].split("</nav>", 1)[0]
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", t)).strip()
        for t in re.findall(r'class="govuk-service-navigation__link"[^>]*>(.*?)</a>', nav, re.S)
    ]


def test_every_incoming_request_is_on_the_home_page_with_its_due_date(app, login):
    with arranged(app):
        record = make_person("WDC", forenames="Faisal", surname="Rana")
        asker = make_user(Role.LICENSING_OFFICER, "CDC")
        dues = [TODAY + dt.timedelta(days=d) for d in (-2, 4, 19)]
        for due in dues:
            db.session.add(
                InformationRequest(
                    kind=RequestKind.INFORMATION_REQUEST,
                    identity_id=record.identity_id,
                    from_authority_id=authority("CDC").id,
                    to_authority_id=authority("WDC").id,
                    requested_by_id=asker.id,
                    sent_on=TODAY - dt.timedelta(days=5),
                    due_on=due,
                )
            )
        db.session.commit()
    page = login(Role.LICENSING_OFFICER, "WDC").get("/home").get_data(as_text=True)
    listed = page.split('id="requests-due"', 1)[1].split("</ul>", 1)[0]
    for due in dues:
        assert f"reply due {due:%d %B %Y}" in listed
    assert listed.count("Overdue") == 1
    assert 'id="tasks"' in page and "3 to reply to" in page


def test_the_menu_is_grouped_for_every_role_and_shows_the_groups_pages(app, login):
    expected = {
        Role.TRANSPORT_OFFICER: ["Home", "People", "Requests and alerts", "Badges"],
        # the police contact approves new police accounts (issue 12), under Administration
        Role.POLICE_SPOC: ["Home", "People", "Police information", "Badges", "Administration"],
        Role.LICENSING_OFFICER: ["Home", "People", "Requests and alerts", "Badges"],
    }
    for role, groups in expected.items():
        client = login(role)
        assert sorted(_menu(client.get("/home").get_data(as_text=True))) == sorted(groups), role
        search = client.get("/search").get_data(as_text=True)
        subnav = search.split('class="app-subnav', 1)[1].split("</nav>", 1)[0]
        assert "Search" in subnav and "Review links" in subnav


def test_pages_below_the_top_level_have_a_back_link(app, login):
    with arranged(app):
        record = make_person("WDC", forenames="Nadia", surname="Bashir")
        identity_id, record_id = record.identity_id, record.id
    officer = login(Role.LICENSING_OFFICER, "WDC")
    assert "govuk-back-link" not in officer.get("/home").get_data(as_text=True)
    assert "govuk-back-link" not in officer.get("/search").get_data(as_text=True)
    for url in (
        f"/people/{identity_id}",
        f"/records/{record_id}/edit",
        f"/requests/new?identity_id={identity_id}",
    ):
        assert "govuk-back-link" in officer.get(url).get_data(as_text=True), url
