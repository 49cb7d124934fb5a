import datetime as dt
from dataclasses import dataclass

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from govuk_frontend_wtf.main import wtforms_errors
from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from markupsafe import Markup

from licensing.auth.models import Role
from licensing.main.dashboard import build_dashboard

bp = Blueprint("main", __name__)


@dataclass(frozen=True)
class NavItem:
    href: str
    text: str
    endpoint: str = "main.home"

    @property
    def group(self) -> str:
        return group_of(self.endpoint)


# The menu shows groups, so it fits one line for every role; a group's pages appear beneath it.
GROUPS = {
    "people": "People",
    "operators": "People",
    "licences": "Badges",
    "intelligence": "Police information",
    "requests": "Requests and alerts",
    "alerts": "Requests and alerts",
    "admin": "Administration",
    "audit": "Administration",
    "imports": "People",  # officers import their own records
    "exports": "Administration",
    "api_tokens": "Administration",
    "reports": "Reports",
    "main": "Home",
}


def group_of(endpoint: str) -> str:
    return GROUPS.get(endpoint.partition(".")[0], "Home")


def navigation_for(role: Role) -> list[NavItem]:
    """The menu each role sees, from the entries each area's blueprint declares (NAV_ITEMS) and the factory
    collects; the routes check roles again on the server. Built once per role (and mount point): every page
    draws the menu, and building it took some thirty url_for calls."""
    cache = current_app.extensions.setdefault("navigation_by_role", {})
    key = (role, request.script_root)
    if key not in cache:
        cache[key] = [NavItem(url_for("main.home"), "Home")] + [
            NavItem(url_for(endpoint), text, endpoint)
            for endpoint, text, roles in current_app.extensions["navigation"]
            if role in roles
        ]
    return cache[key]


@dataclass(frozen=True)
class NavGroup:
    text: str
    href: str
    items: list[NavItem]


def navigation_groups(role: Role) -> list[NavGroup]:
    """The role's menu items gathered into groups, in first-seen order; each group links to its first page."""
    cache = current_app.extensions.setdefault("navigation_groups_by_role", {})
    key = (role, request.script_root)
    if key not in cache:
        groups: dict[str, list[NavItem]] = {}
        for item in navigation_for(role):
            groups.setdefault(item.group, []).append(item)
        cache[key] = [NavGroup(name, items[0].href, items) for name, items in groups.items()]
    return cache[key]


def navigation_html(role: Role, group: str, path: str) -> Markup:
    """The menu's HTML (templates/_service_navigation.html) for a role, the current page's group and the page,
    rendered once per process for each: it is drawn from code (the areas' NAV_ITEMS), so it cannot go stale,
    and drawing it on every page was a tenth of a plain page's CPU."""
    menu = navigation_groups(role)
    current = next((g for g in menu if g.text == group), None)
    # Only a page the submenu links to changes the HTML (it is marked current): the key stays bounded.
    active = path if current is not None and any(item.href == path for item in current.items) else None
    cache = current_app.extensions.setdefault("navigation_html", {})
    key = (role, request.script_root, group, active)
    if key not in cache:
        template = current_app.jinja_env.get_template("_service_navigation.html")
        cache[key] = Markup(template.render(menu=menu, current_group=group, active_path=active))  # noqa: S704
    return cache[key]


def back_link_for(role: Role, endpoint: str | None) -> dict | None:
    """Pages below the top level go back to their group's first page (or home); menu pages need no back
    link."""
    if (
        endpoint is None
        or endpoint.startswith(("auth.", "static"))
        or endpoint in ("main.index", "main.home")
    ):
        return None
    items = navigation_for(role)
    if any(item.endpoint == endpoint for item in items):
        return None
    group = next(
        (g for g in navigation_groups(role) if g.text == group_of(endpoint) and g.text != "Home"), None
    )
    if group is None:
        return {"href": url_for("main.home"), "text": "Back to home"}
    return {"href": group.href, "text": f"Back to {group.items[0].text.lower()}"}


@bp.app_template_global()
def error_summary(form) -> dict:
    """The GOV.UK error summary for a form; a date's error links to its day box, so the link lands on a
    field."""
    params = wtforms_errors(form)
    for item in params["errorList"]:
        field = form._fields.get(item["href"].lstrip("#"))
        if isinstance(getattr(field, "widget", None), GovDateInput):
            item["href"] += "-day"
    return params


@bp.app_context_processor
def inject_navigation():
    def navigation_items():
        return navigation_for(current_user.role) if current_user.is_authenticated else []

    def navigation_menu():
        return navigation_groups(current_user.role) if current_user.is_authenticated else []

    def service_navigation():
        return navigation_html(current_user.role, group_of(request.endpoint or ""), request.path)

    def default_back_link():
        return back_link_for(current_user.role, request.endpoint) if current_user.is_authenticated else None

    return {
        "navigation_items": navigation_items,
        "navigation_menu": navigation_menu,
        "service_navigation": service_navigation,
        "default_back_link": default_back_link,
        "current_group": group_of(request.endpoint or ""),
        "today": dt.date.today(),
    }


@bp.get("/")
def index():
    return redirect(url_for("main.home") if current_user.is_authenticated else url_for("auth.sign_in"))


@bp.get("/accessibility")
def accessibility():
    """The accessibility statement: open to anyone, signed in or not."""
    return render_template("main/accessibility.html", title="Accessibility statement")


@bp.get("/home")
@login_required
def home():
    board = build_dashboard(current_user, dt.date.today())
    return render_template(
        "main/home.html",
        title="Home",
        items=navigation_for(current_user.role)[1:],
        board=board,
        today=dt.date.today(),
    )
