"""The intelligence screens are for the police point of contact only; nobody else learns an item's text."""

import pytest

from licensing.auth.models import Role
from licensing.db import db
from tests.factories import arranged, make_intelligence, make_person
from tests.intelligence.factories import item_count, item_form

OTHERS = [(Role.LICENSING_OFFICER, "WDC"), (Role.TRANSPORT_OFFICER, None), (Role.ADMINISTRATOR, None),
          (Role.AUDITOR, None)]
SECRET = "Informant X saw the subject with a 14-year-old at 2am."


@pytest.fixture
def item_id(app, county):
    with arranged(app):
        record = make_person("TVP", forenames="Kamran", surname="Zaidi")
        return make_intelligence(record, full_text=SECRET).id


@pytest.mark.parametrize("role, authority", OTHERS)
def test_non_police_users_cannot_open_change_or_submit_items(app, login, item_id, role, authority):
    client = login(role, authority)
    for url in (
        f"/intelligence/{item_id}",
        f"/intelligence/{item_id}/edit",
        f"/intelligence/{item_id}/withdraw",
        "/intelligence/new",
        "/intelligence/search",
        "/intelligence/responses",
        "/intelligence/reviews",
        f"/intelligence/{item_id + 1}",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert SECRET not in response.get_data(as_text=True)
    posted = client.submit("/intelligence/new", item_form())
    assert posted.status_code == 403
    assert (
        client.submit(f"/intelligence/{item_id}/withdraw", {"reason": "Trying to withdraw"}).status_code
        == 403
    )
    assert item_count(app) == 1
    with app.app_context():
        from licensing.intelligence.models import IntelligenceItem, IntelligenceStatus

        assert db.session.get(IntelligenceItem, item_id).status is IntelligenceStatus.INTELLIGENCE


@pytest.mark.parametrize(
    "url",
    [
        "/intelligence/999999",
        "/intelligence/999999/edit",
        "/intelligence/999999/withdraw",
        "/intelligence/new?identity_id=999999",
        "/intelligence/new?identity_id=abc",
    ],
)
def test_police_get_404_for_what_does_not_exist(login, county, url):
    assert login(Role.POLICE_SPOC).get(url).status_code == 404


def test_opening_an_item_needs_a_reason_and_is_audited(app, login, item_id):
    from sqlalchemy import select

    from licensing.audit.models import AuditEvent

    police = login(Role.POLICE_SPOC)
    first = police.get(f"/intelligence/{item_id}").get_data(as_text=True)
    assert "Why do you need to open this item?" in first and SECRET not in first
    assert police.submit(f"/intelligence/{item_id}", {"reason": " "}).status_code == 400
    assert police.submit(f"/intelligence/{item_id}", {"reason": "Operation Larch review"}).status_code == 302
    assert SECRET in police.get(f"/intelligence/{item_id}").get_data(as_text=True)
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "intelligence.viewed")).one()
        assert event.subject_id == str(item_id) and event.reason == "Operation Larch review"
        assert event.details == {"level": "full"}


def test_menu_shows_the_police_screens_to_police_only(login, county):
    police = login(Role.POLICE_SPOC)
    assert "Police information" in police.get("/home").get_data(as_text=True)  # the menu group
    group_page = police.get("/intelligence/search").get_data(as_text=True)  # its pages, beneath the menu
    for text in ("Licensed or badged?", "Submit intelligence", "Responses", "Reviews due"):
        assert text in group_page
    officer_home = login(Role.LICENSING_OFFICER).get("/home").get_data(as_text=True)
    assert "Submit intelligence" not in officer_home and "Reviews due" not in officer_home
