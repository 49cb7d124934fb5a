"""Shared set-ups for the police point of contact's screens."""

import pytest
from sqlalchemy import func, select

from licensing.db import db
from licensing.intelligence.models import IntelligenceItem
from licensing.licences.models import LicenceStatus
from tests.factories import join_records, make_person
from tests.intelligence.factories import make_licence

FULL = "Source 7 reports the subject offered lifts to pupils outside Wycombe High at 2am."
SUMMARY = "Police hold safeguarding information about this person."
MARKER = "Police hold information: contact the point of contact"


@pytest.fixture
def driver(app, county):
    """A man licensed as a private hire driver by Wycombe, whose Chiltern licence has expired: one identity."""
    with app.app_context():
        wdc = make_person("WDC", forenames="Tariq", surname="Mehmood")
        make_licence(wdc)
        cdc = make_person("CDC", forenames="Tariq", surname="Mehmood")
        make_licence(cdc, status=LicenceStatus.EXPIRED)
        return join_records(wdc, cdc)


def item_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(IntelligenceItem.id)))


def only_item(app) -> IntelligenceItem:
    return db.session.scalars(select(IntelligenceItem)).one()
