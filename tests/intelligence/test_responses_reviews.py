"""What licensing did in response to police information, and which items are due for review."""

import datetime as dt

from sqlalchemy import select

from licensing.alerts.models import Alert
from licensing.alerts.services import acknowledge_alert
from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.db import db
from licensing.intelligence.models import IntelligenceItem
from licensing.people.models import Identity
from licensing.sanctions.models import SanctionType
from tests.factories import arranged, make_intelligence, make_person, make_user
from tests.intelligence.factories import item_form, make_sanction, only_item


def test_acknowledgements_and_decisions_in_response_are_shown(app, login, driver):
    police = login(Role.POLICE_SPOC)
    assert police.submit(f"/intelligence/new?identity_id={driver}", item_form()).status_code == 302
    with arranged(app):
        officer = make_user(Role.LICENSING_OFFICER, "WDC", name="Priya Sharma")
        alert = db.session.scalars(select(Alert)).one()
        acknowledge_alert(
            alert, action_taken="Interim suspension while the police investigate", actor=officer
        )
        wdc_record = db.session.get(Identity, driver).records[0]
        make_sanction(wdc_record, decided_on=dt.date.today())
        make_sanction(wdc_record, decided_on=dt.date.today() - dt.timedelta(days=400),
                      sanction_type=SanctionType.WARNING)
        item_id = only_item(app).id
    page = police.get("/intelligence/responses").get_data(as_text=True)
    assert "TVP/2026/00042" in page and "Wycombe District Council" in page
    assert "Acknowledged" in page and "Priya Sharma" in page
    assert "Interim suspension while the police investigate" in page
    assert "Interim suspension" in page and "Safeguarding" in page
    assert "Warning" not in page  # decided before the item was submitted
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "intelligence.responses_viewed")).one()
        assert event.details == {"items": [item_id]}


def test_an_unacknowledged_alert_is_shown_as_such(app, login, driver):
    police = login(Role.POLICE_SPOC)
    police.submit(f"/intelligence/new?identity_id={driver}", item_form())
    page = police.get("/intelligence/responses").get_data(as_text=True)
    assert "Not acknowledged" in page and "No licensing decision recorded" in page


def test_items_due_for_review_within_30_days_or_overdue(app, login, county):
    today = dt.date.today()
    with arranged(app):
        record = make_person("TVP", forenames="Kamran", surname="Zaidi")
        due = {}
        for label, review_on, status in [("overdue", today - dt.timedelta(days=3), "intelligence"),
                                         ("soon", today + dt.timedelta(days=30), "charged"),
                                         ("later", today + dt.timedelta(days=31), "intelligence"),
                                         ("withdrawn", today - dt.timedelta(days=3), "withdrawn")]:
            item = make_intelligence(record, status=status)
            item.review_on = review_on
            due[label] = item.force_reference
        db.session.commit()
    page = login(Role.POLICE_SPOC).get("/intelligence/reviews").get_data(as_text=True)
    assert due["overdue"] in page and due["soon"] in page
    assert due["later"] not in page and due["withdrawn"] not in page
    assert page.index(due["overdue"]) < page.index(due["soon"]) and "(overdue)" in page
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "intelligence.reviews_listed")
        ).one()
        assert len(event.details["items"]) == 2
        assert db.session.scalar(select(IntelligenceItem.id).where(
            IntelligenceItem.force_reference == due["overdue"])) in event.details["items"]
