"""Updating and withdrawing items as the case changes: police only, every change audited with what changed."""

import datetime as dt

import pytest
from sqlalchemy import select

from licensing.alerts.models import Alert
from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.db import db
from licensing.intelligence.models import IntelligenceItem, IntelligenceStatus
from licensing.licences.rules import add_months
from tests.intelligence.factories import FULL, MARKER, SUMMARY, item_form, only_item


@pytest.fixture
def submitted(app, login, driver):
    """A police client and the id of the item it submitted on the Wycombe driver (handling P)."""
    police = login(Role.POLICE_SPOC)
    response = police.submit(f"/intelligence/new?identity_id={driver}", item_form())
    assert response.status_code == 302
    with app.app_context():
        return police, only_item(app).id


def _events(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_status_and_summary_change_is_audited_with_what_changed(app, submitted):
    police, item_id = submitted
    page = police.get(f"/intelligence/{item_id}/edit").get_data(as_text=True)
    assert "TVP/2026/00042" in page and FULL in page  # prefilled
    new_review = add_months(dt.date.today(), 3)
    response = police.submit(f"/intelligence/{item_id}/edit", {
        **item_form(status="charged", sanitised_summary="Police hold information: charged with an offence.",
                    review_on=[str(new_review.day), str(new_review.month), str(new_review.year)]),
        "change_reason": "Charged 20 November; review brought forward"})
    assert response.status_code == 302
    with app.app_context():
        item = db.session.get(IntelligenceItem, item_id)
        assert item.status is IntelligenceStatus.CHARGED and item.review_on == new_review
        assert item.sanitised_summary == "Police hold information: charged with an offence."
        alerts = db.session.scalars(select(Alert).order_by(Alert.id)).all()
        assert [a.authority.code for a in alerts] == [
            "WDC",
            "WDC",
        ]  # the status change alerts the holder again
        assert alerts[1].summary == f"Updated: {MARKER}"
    (event,) = _events(app, "intelligence.updated")
    assert event.reason == "Charged 20 November; review brought forward"
    assert event.details["changes"] == {"status": ["arrested", "charged"], "sanitised_summary": "changed",
                                        "review_on": [add_months(dt.date.today(), 6).isoformat(),
                                                      new_review.isoformat()]}
    assert "charged with an offence" not in str(event.details)  # no police text in the audit trail


def test_bad_updates_change_nothing(app, submitted):
    police, item_id = submitted
    cases = [
        ({"handling_code": "C", "handling_conditions": ""}, "handling code C needs them"),
        ({"sanitised_summary": ""}, "Enter the sanitised summary"),
        ({"source_evaluation": "4"}, "Not a valid choice"),
        ({"review_on": ["1", "1", "2020"]}, "Review date must be after today"),
        ({"full_text": "\x00"}, "must not contain control characters"),
        ({}, "Nothing has changed"),
    ]
    for change, message in cases:
        response = police.submit(f"/intelligence/{item_id}/edit", {**item_form(**change),
                                                                   "change_reason": "Quarterly review"})
        assert response.status_code == 400 and message in response.get_data(as_text=True), change
    missing_reason = police.submit(f"/intelligence/{item_id}/edit", item_form(status="convicted"))
    assert missing_reason.status_code == 400 and "Enter the reason" in missing_reason.get_data(as_text=True)
    with app.app_context():
        item = db.session.get(IntelligenceItem, item_id)
        assert item.status is IntelligenceStatus.ARRESTED and item.sanitised_summary == SUMMARY
    assert _events(app, "intelligence.updated") == []


def test_withdrawing_hides_the_item_from_everyone_but_the_police(app, login, driver, submitted):
    police, item_id = submitted
    assert police.submit(f"/intelligence/{item_id}/withdraw", {"reason": ""}).status_code == 400
    response = police.submit(f"/intelligence/{item_id}/withdraw", {"reason": "Source found to be unreliable"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(IntelligenceItem, item_id).status is IntelligenceStatus.WITHDRAWN
    (event,) = _events(app, "intelligence.withdrawn")
    assert event.reason == "Source found to be unreliable"
    assert event.details == {"changes": {"status": ["arrested", "withdrawn"]}}

    officer = login(Role.LICENSING_OFFICER, "WDC")
    officer.submit(f"/people/{driver}/reason", {"reason": "Alert follow-up WDC/77"})
    page = officer.get(f"/people/{driver}").get_data(as_text=True)
    assert SUMMARY not in page and FULL not in page and "police_information" not in page
    assert "Withdrawn" in police.get(f"/intelligence/{item_id}").get_data(as_text=True)

    again = police.submit(f"/intelligence/{item_id}/withdraw", {"reason": "Second attempt"})
    assert again.status_code == 400 and "has been withdrawn" in again.get_data(as_text=True)
    edit = police.submit(
        f"/intelligence/{item_id}/edit", {**item_form(status="charged"), "change_reason": "Reopen"}
    )
    assert edit.status_code == 400 and "has been withdrawn" in edit.get_data(as_text=True)
    assert len(_events(app, "intelligence.withdrawn")) == 1 and _events(app, "intelligence.updated") == []


def test_changing_an_item_needs_a_stated_reason_for_the_person(app, login, submitted):
    _, item_id = submitted
    other_spoc = login(Role.POLICE_SPOC)
    for url in (f"/intelligence/{item_id}/edit", f"/intelligence/{item_id}/withdraw"):
        response = other_spoc.get(url)
        assert response.status_code == 302 and response.headers["Location"].endswith(
            f"/intelligence/{item_id}"
        )
    other_spoc.submit(f"/intelligence/{item_id}/withdraw", {"reason": "No reason given first"})
    with app.app_context():
        assert db.session.get(IntelligenceItem, item_id).status is IntelligenceStatus.ARRESTED
