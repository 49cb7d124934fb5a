"""Shared set-ups for the police point of contact's screens."""

import pytest

from licensing.licences.models import LicenceStatus
from tests.factories import arranged, join_records, make_person
from tests.intelligence.factories import make_licence


@pytest.fixture
def driver(app, county):
    """A man licensed as a private hire driver by Wycombe, whose Chiltern licence has expired: one
    identity."""
    with arranged(app):
        wdc = make_person("WDC", forenames="Tariq", surname="Mehmood")
        make_licence(wdc)
        cdc = make_person("CDC", forenames="Tariq", surname="Mehmood")
        make_licence(cdc, status=LicenceStatus.EXPIRED)
        return join_records(wdc, cdc)
