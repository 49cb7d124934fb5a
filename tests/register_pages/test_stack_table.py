"""Tables that stack on a phone are written by licensing/rendering.stack_table: the same HTML, byte for byte,
as the Jinja macro it replaced (kept here as the reference), with every value escaped; and the person page's
tables carry a record's text escaped, each cell labelled by its column."""

import datetime as dt

import pytest
from markupsafe import Markup

from licensing.auth.models import Role
from licensing.rendering import stack_table
from tests.factories import arranged, make_person
from tests.licences.factories import make_licence

# The macro as it was in _macros.html before it moved to Python (the app renders with trim and lstrip blocks).
REFERENCE = "\n".join((
    '{% macro stack_table(head, rows, id=None, caption=None) -%}',
    '<table class="govuk-table app-table--stack"{% if id %} id="{{ id }}"{% endif %}>',
    '  {% if caption %}<caption class="govuk-table__caption govuk-table__caption--s">'
    '{{ caption }}</caption>{% endif %}',
    '  <thead class="govuk-table__head"><tr class="govuk-table__row">',
    '    {% for h in head %}<th scope="col" class="govuk-table__header">{{ h }}</th>'
    '{% endfor %}',
    '  </tr></thead>',
    '  <tbody class="govuk-table__body">',
    '    {% for row in rows %}',
    '      <tr class="govuk-table__row"{% if row[0].id %} id="{{ row[0].id }}"{% endif %}>',
    '        {% for cell in row %}',
    '          <td class="govuk-table__cell" data-label="{{ head[loop.index0] }}">'
    '{% if cell.html is defined %}{{ cell.html }}'
    '{% elif cell.href %}<a class="govuk-link" href="{{ cell.href }}">{{ cell.text }}</a>'
    '{% else %}{{ cell.text }}{% endif %}</td>',
    '        {% endfor %}',
    '      </tr>',
    '    {% endfor %}',
    '  </tbody>',
    '</table>',
    '{%- endmacro %}{{ stack_table(head, rows, id=id, caption=caption) }}',
))


class Cell:
    """A cell given as an object rather than a dict: Jinja reads its attributes."""

    def __init__(self, text, href=""):
        self.text, self.href = text, href


HOSTILE = '<script>alert("x")</script> & \'quoted\''
CASES = [
    (["Name", "Link <b>"], [
        [{"text": HOSTILE, "id": "r-1"}, {"html": Markup("<strong>ok</strong>"), "href": "/"}],
        [{"text": "Ann", "href": '/people/1?a=1&b="2"'}, {}],
        [{"text": None}, {"html": None}]], None, None),
    (["Only"], [], "empty", HOSTILE),
    (["One"], [[{"text": 3, "id": ""}, {"text": "beyond the head"}]], "", ""),
    ([], [[{"href": "", "text": 0}]], None, "caption"),
    (["A", "B"], [[Cell("object <cell>", "/x?y=<z>"), Cell("plain")]], 'quote"d', None),
]


@pytest.mark.parametrize(("head", "rows", "table_id", "caption"), CASES)
def test_the_python_table_is_the_macros_html_byte_for_byte(app, head, rows, table_id, caption):
    with app.test_request_context():
        expected = app.jinja_env.from_string(REFERENCE).render(
            head=head, rows=rows, id=table_id, caption=caption)
        through_macro = app.jinja_env.from_string(
            '{% from "_macros.html" import stack_table %}'
            "{{ stack_table(head, rows, id=id, caption=caption) }}"
        ).render(head=head, rows=rows, id=table_id, caption=caption)
    assert str(stack_table(head, rows, id=table_id, caption=caption)) == expected
    assert through_macro == expected
    assert "<script>" not in expected


def test_the_person_pages_tables_escape_a_records_text(app, login):
    with arranged(app):
        record = make_person("WDC", forenames="<b>Ivo</b>", surname="Quarrendon",
                             date_of_birth=dt.date(1971, 2, 3))
        make_licence(record, status="granted")
        identity_id = record.identity_id
    officer = login(Role.LICENSING_OFFICER, "WDC")
    granted = officer.submit(f"/people/{identity_id}/reason", {"reason": "Renewal WDC/2026/19"})
    page = officer.get(granted.headers["Location"])
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<table class="govuk-table app-table--stack" id="records">' in html
    assert '<table class="govuk-table app-table--stack" id="licences">' in html
    assert 'data-label="Name">&lt;b&gt;Ivo&lt;/b&gt; Quarrendon</td>' in html
    assert "<b>Ivo</b>" not in html
