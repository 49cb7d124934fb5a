"""Operators are records in their own right, with drivers and vehicles, found by name, licence number and
vehicle registration."""

import re

from sqlalchemy import select

from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.db import db
from licensing.licences.models import LicenceStatus, LicenceType
from licensing.operators.models import Operator
from tests.factories import arranged, make_person
from tests.intelligence.factories import make_licence


def _found(client, term: str) -> list[str]:
    page = client.get("/operators/", query_string={"q": term}).get_data(as_text=True)
    table = page.split('id="operators"')[1].split("</table>")[0] if 'id="operators"' in page else ""
    return re.findall(r'href="/operators/\d+">([^<]+)</a>', table)


def test_an_officer_adds_an_operator_with_drivers_and_vehicles_and_anyone_finds_it(app, login):
    with arranged(app):
        owner = make_person("WDC", forenames="Tahir", surname="Malik")
        operator_licence = make_licence(owner, licence_type=LicenceType.PRIVATE_HIRE_OPERATOR).number
        driver = make_person("WDC", forenames="Usman", surname="Raza")
        driver_licence = make_licence(driver).number
        vehicle_licence = make_licence(
            owner, licence_type=LicenceType.VEHICLE, vehicle_registration="AB12 CDE"
        ).number
        revoked = make_licence(
            make_person("WDC", forenames="Zain", surname="Iqbal"), status=LicenceStatus.REVOKED
        ).number
        other = make_licence(make_person("CDC")).number
    officer = login(Role.LICENSING_OFFICER, "WDC")
    response = officer.submit(
        "/operators/new", {"name": "Castle Cars", "licence_number": operator_licence.lower()}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    url = response.headers["Location"]
    for number in (driver_licence, vehicle_licence, revoked):
        assert officer.submit(url, {"number": number}).status_code == 302
    response = officer.submit(url, {"number": other})
    assert response.status_code == 400 and "holds no licence numbered" in response.get_data(as_text=True)
    assert officer.submit(url, {"number": driver_licence}).status_code == 400
    page = officer.get(url).get_data(as_text=True)
    assert "Drivers (2)" in page and "Vehicles (1)" in page and "Usman Raza" in page and "AB12CDE" in page
    assert 'data-status="revoked"' in page
    transport = login(Role.TRANSPORT_OFFICER)
    for term in ("castle", operator_licence, driver_licence, "ab12 cde"):
        assert _found(transport, term) == ["Castle Cars"], term
    assert _found(transport, "Nowhere Taxis") == []
    assert transport.submit(url, {"number": driver_licence}).status_code == 403
    with app.app_context():
        operator = db.session.scalar(select(Operator))
        assert operator.licence.number == operator_licence and len(operator.licences) == 3
        actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
        assert actions.count("operator.licence_added") == 3 and "operator.searched" in actions


def test_operator_form_errors_sit_on_their_fields(app, login):
    with arranged(app):
        driver_licence = make_licence(make_person("WDC")).number
    officer = login(Role.LICENSING_OFFICER, "WDC")
    response = officer.submit("/operators/new", {"name": "", "licence_number": "x!"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'href="#name"' in page and 'href="#licence_number"' in page
    response = officer.submit("/operators/new", {"name": "Castle Cars", "licence_number": driver_licence})
    assert response.status_code == 400 and "private hire driver licence" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Operator)) is None
