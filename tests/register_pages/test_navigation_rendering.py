"""Every page's menu (templates/_service_navigation.html) is rendered once per process for each role, group
and page it marks, then reused: it is drawn from code. It still marks the page and group the user is on."""

import re

from licensing.auth.models import Role


def _marked(page: str) -> tuple[list[str], list[str]]:
    """(the menu groups marked current, the submenu links marked as the current page)."""
    groups = re.findall(r'aria-current="true">\s*<strong[^>]*>([^<]+)</strong>', page)
    links = re.findall(r'href="([^"]+)" aria-current="page"', page)
    return groups, links


def test_the_menu_marks_the_group_and_the_page_the_user_is_on(app, login):
    officer = login(Role.LICENSING_OFFICER, "WDC")
    assert _marked(officer.get("/search").get_data(as_text=True)) == (["People"], ["/search"])
    assert _marked(officer.get("/records/new").get_data(as_text=True)) == (["People"], ["/records/new"])
    assert _marked(officer.get("/home").get_data(as_text=True)) == (["Home"], ["/home"])
    police = login(Role.POLICE_SPOC, "TVP")
    page = police.get("/search").get_data(as_text=True)
    assert _marked(page) == (["People"], ["/search"])
    assert "Check an applicant" in officer.get("/search").get_data(as_text=True)
    assert "Check an applicant" not in page  # licensing officers only


def test_the_menu_is_rendered_once_per_role_and_page_and_then_reused(app, login, monkeypatch):
    rendered: list[str] = []
    original = app.jinja_env.get_template

    def counting(name, *args, **kwargs):
        if name == "_service_navigation.html":
            rendered.append(name)
        return original(name, *args, **kwargs)

    monkeypatch.setattr(app.jinja_env, "get_template", counting)
    first, second = login(Role.LICENSING_OFFICER, "WDC"), login(Role.LICENSING_OFFICER, "CDC")
    rendered.clear()
    pages = [first.get("/search"), first.get("/search"), second.get("/search")]
    assert [page.status_code for page in pages] == [200, 200, 200]
    assert len({page.get_data(as_text=True).split("</header>")[0].split("<header")[1] for page in pages}) == 1
    assert len(rendered) == 1  # the first search page of the role drew it; the others reused it
    first.get("/records/new")  # another page of the same group (its own submenu mark): drawn once
    first.get("/records/new")
    assert len(rendered) == 2
