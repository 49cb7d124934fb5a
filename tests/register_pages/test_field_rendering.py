"""Form fields render the same HTML as the GOV.UK macros whether or not their rendering is reused, and nothing
an officer typed, nor text loaded from a record, is kept between requests (licensing/rendering.py)."""

import datetime as dt

from licensing import rendering
from licensing.auth.models import Role
from tests.factories import arranged, make_person


def _kept_text() -> str:
    return " ".join(list(rendering._kept) + [str(html) for html in rendering._kept.values()])


def test_the_search_form_shows_what_was_typed_and_keeps_none_of_it(app, login):
    officer = login(Role.LICENSING_OFFICER, "WDC")
    empty = officer.get("/search").get_data(as_text=True)
    assert officer.get("/search").get_data(as_text=True).count('name="surname"') == 1
    page = officer.submit("/search", {"surname": "Quenbyworth", "reason": "Renewal check WDC/2026/88"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'value="Quenbyworth"' in html and "Renewal check WDC/2026/88" in html
    # The empty fields on the results page are the same HTML as on the empty form.
    assert 'id="forenames" name="forenames" type="text"' in empty
    assert 'id="forenames" name="forenames" type="text"' in html
    kept = _kept_text()
    assert "Quenbyworth" not in kept and "WDC/2026/88" not in kept


def test_an_error_is_shown_on_the_field_and_the_next_empty_form_has_none(app, login):
    officer = login(Role.LICENSING_OFFICER, "WDC")
    refused = officer.submit("/search", {"surname": "Quenbyworth", "reason": ""})
    assert refused.status_code in (200, 400)
    assert "govuk-error-message" in refused.get_data(as_text=True)
    assert "govuk-error-message" not in officer.get("/search").get_data(as_text=True)


def test_a_records_details_on_its_edit_form_are_rendered_afresh_and_not_kept(app, login):
    with arranged(app):
        record = make_person("WDC", forenames="Ottoline", surname="Marchbanks",
                             date_of_birth=dt.date(1971, 5, 9))
        record_id = record.id
    officer = login(Role.LICENSING_OFFICER, "WDC")
    html = officer.get(f"/records/{record_id}/edit").get_data(as_text=True)
    assert 'value="Ottoline"' in html and 'value="Marchbanks"' in html
    kept = _kept_text()
    assert "Ottoline" not in kept and "Marchbanks" not in kept


TRICKY = ("O'Brien & \"Sons\" <b>x</b>", "Zoë  Ünal-Ødegård", "a{{ 1 }}%s\\n")


def _search_form(html: str) -> str:
    """The search form's fields, without its CSRF token (a new one on every page)."""
    form = html[html.index('name="csrf_token"'):]
    return form[form.index(">") + 1:form.index("</form>")]


def test_typed_values_are_shown_as_the_macros_render_them_and_none_is_kept(app, login, monkeypatch):
    officer = login(Role.LICENSING_OFFICER, "WDC")
    reused = [officer.submit("/search", {"surname": value, "reason": f"Check {value}"}).get_data(as_text=True)
              for value in TRICKY]
    monkeypatch.setattr(rendering, "_with_value", lambda self, params: self.render(params))
    afresh = [officer.submit("/search", {"surname": value, "reason": f"Check {value}"}).get_data(as_text=True)
              for value in TRICKY]
    assert [_search_form(page) for page in reused] == [_search_form(page) for page in afresh]
    assert 'value="O&#39;Brien &amp; &#34;Sons&#34; &lt;b&gt;x&lt;/b&gt;"' in reused[0]
    assert "Check O&#39;Brien &amp; &#34;Sons&#34; &lt;b&gt;x&lt;/b&gt;</textarea>" in reused[0]
    kept = _kept_text()
    assert not any(value in kept or value.split()[0] in kept for value in TRICKY)


def test_a_second_search_renders_no_field_template(app, login, monkeypatch):
    """The typed surname and reason reuse their fields' HTML as the empty fields do: the GOV.UK macros were a
    tenth of a results page's time."""
    officer = login(Role.LICENSING_OFFICER, "WDC")
    officer.submit("/search", {"surname": "Quenbyworth", "reason": "Renewal check WDC/2026/88"})
    rendered: list[str] = []
    original = rendering._render_field
    monkeypatch.setattr(rendering.GovFormBase, "render",
                        lambda self, params: rendered.append(self.template) or original(self, params))
    page = officer.submit("/search", {"surname": "Quillfeather", "reason": "Renewal check WDC/2026/89"})
    assert 'value="Quillfeather"' in page.get_data(as_text=True)
    assert rendered == []
