"""A handling code C item that would not reach a current licence holder warns before it is saved; the form
reveals conditions, recipients and the other legal basis only when chosen."""

import re

from sqlalchemy import select

from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.db import db
from tests.factories import authority
from tests.intelligence.factories import item_count, item_form, only_item


def test_code_c_without_the_current_holder_warns_and_saves_only_when_confirmed(app, login, driver):
    with app.app_context():
        cdc = authority("CDC").id
    police = login(Role.POLICE_SPOC)
    url = f"/intelligence/new?identity_id={driver}"
    form = item_form(
        handling_code="C", handling_conditions="Not to be disclosed to the subject", recipients=[str(cdc)]
    )
    response = police.submit(url, form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and item_count(app) == 0
    assert 'id="unshared-holders"' in page and "Wycombe District Council holds a current licence" in page
    assert 'href="#save_without_holders"' in page
    response = police.submit(url, {**form, "save_without_holders": "y"})
    assert response.status_code == 302 and item_count(app) == 1
    with app.app_context():
        assert [a.id for a in only_item(app).recipients] == [cdc]
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "intelligence.submitted"))


def test_code_c_shared_with_the_holder_or_code_p_saves_without_a_warning(app, login, driver):
    with app.app_context():
        wdc = authority("WDC").id
    police = login(Role.POLICE_SPOC)
    url = f"/intelligence/new?identity_id={driver}"
    shared = item_form(handling_code="C", handling_conditions="Licensing use only", recipients=[str(wdc)])
    assert police.submit(url, shared).status_code == 302
    assert police.submit(url, item_form(force_reference="TVP/2026/00043")).status_code == 302
    assert item_count(app) == 2


def test_the_item_form_reveals_fields_only_for_their_choice(app, login, driver):
    page = login(Role.POLICE_SPOC).get(f"/intelligence/new?identity_id={driver}").get_data(as_text=True)
    reveals = dict(re.findall(r'value="(\w+)" data-aria-controls="(conditional-[\w-]+)"', page))
    assert set(reveals) == {"C", "other"}
    for value, field in (("C", "handling_conditions"), ("C", "recipients"), ("other", "legal_basis_other")):
        block = page.split(f'id="{reveals[value]}"', 1)[1].split('<div class="govuk-radios__item">', 1)[0]
        assert f'id="{field}' in block, (value, field)
