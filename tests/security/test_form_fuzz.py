"""Hypothesis fuzzes every field of the main forms, as each role would post them: no input gives a 500.

In testing an unhandled exception is raised rather than turned into a 500, so any crash fails the test."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from licensing.auth.models import Role

HOSTILE = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "<script>alert(1)</script>",
        "{{7*7}}",
        "' OR 1=1 --",
        "%",
        "_",
        "\\",
        "Zoe\u0308",
        "\u202eevil",
        "\u200b",
        '=HYPERLINK("x")',
        "9" * 40,
        "-1",
        "99999999999999999999",
        "31",
        "12",
        "9999",
        "0",
        "x" * 10_000,
    ]
)
VALUE = st.one_of(HOSTILE, st.text(max_size=60), st.integers(min_value=-(2**70), max_value=2**70).map(str))

FORMS = [
    (Role.LICENSING_OFFICER, "/search"),
    (Role.LICENSING_OFFICER, "/records/new"),
    (Role.LICENSING_OFFICER, "/check"),
    (Role.TRANSPORT_OFFICER, "/badges/check"),
    (Role.TRANSPORT_OFFICER, "/badges/new"),
    (Role.POLICE_SPOC, "/intelligence/search"),
    (Role.POLICE_SPOC, "/intelligence/new"),
    (Role.ADMINISTRATOR, "/admin/users/new"),
    (Role.ADMINISTRATOR, "/admin/authorities/new"),
    (Role.LICENSING_OFFICER, "/account/password"),
]
FIELD = re.compile(r'<(?:input|textarea|select)[^>]*\bname="([^"]+)"')


def _fields(client, url):
    page = client.get(url).get_data(as_text=True)
    return sorted({name for name in FIELD.findall(page) if name != "csrf_token"})


def test_no_form_input_gives_a_server_error(app, login):
    clients = {role: login(role) for role in {role for role, _ in FORMS}}
    targets = [(clients[role], url, _fields(clients[role], url)) for role, url in FORMS]
    assert all(fields for _, _, fields in targets)

    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def post_anything(data):
        client, url, fields = data.draw(st.sampled_from(targets))
        form = {
            name: data.draw(st.lists(VALUE, min_size=1, max_size=4) if data.draw(st.booleans()) else VALUE)
            for name in fields
            if data.draw(st.booleans())
        }
        form["csrf_token"] = client.csrf
        response = client.post(url, data=form)
        assert response.status_code < 500, (url, form)

    post_anything()


def test_no_query_string_gives_a_server_error(app, login):
    auditor, officer = login(Role.AUDITOR), login(Role.LICENSING_OFFICER)

    @settings(
        max_examples=40,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        params=st.dictionaries(
            st.sampled_from(["page", "date_from", "date_to", "action", "user_email", "subject_id", "grant"]),
            st.lists(VALUE, min_size=1, max_size=3),
            max_size=4,
        )
    )
    def get_anything(params):
        for client, url in ((auditor, "/audit/"), (officer, "/review"), (officer, "/people/1")):
            query = [(key, value) for key, values in params.items() for value in values]
            assert client.get(url, query_string=query).status_code < 500

    get_anything()
