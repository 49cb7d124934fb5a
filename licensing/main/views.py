import datetime as dt
import sys
from dataclasses import dataclass

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from licensing.auth.models import Role
from licensing.main.dashboard import build_dashboard

bp = Blueprint("main", __name__)


@dataclass(frozen=True)
class NavItem:
    href: str
    text: str


SEARCHERS = (Role.LICENSING_OFFICER, Role.TRANSPORT_OFFICER, Role.POLICE_SPOC)
# (endpoint, menu text, roles); each area adds its own entries in its views module's NAV_ITEMS.
NAV_ITEMS = [
    ("people.check_applicant", "Check an applicant", (Role.LICENSING_OFFICER,)),
    ("people.search", "Search", SEARCHERS),
    ("people.new_record", "Add a person", SEARCHERS),
    ("people.review_queue", "Review links", SEARCHERS),
    ("admin.users", "Users", (Role.ADMINISTRATOR,)),
    ("admin.authorities", "Authorities", (Role.ADMINISTRATOR,)),
    ("audit.events", "Audit trail", (Role.ADMINISTRATOR, Role.AUDITOR)),
]


def navigation_for(role: Role) -> list[NavItem]:
    """The menu each role sees; the routes check roles again on the server."""
    from licensing import blueprints

    entries = list(NAV_ITEMS)
    for blueprint in blueprints():
        entries += getattr(sys.modules[blueprint.import_name], "NAV_ITEMS", []) if blueprint.name != "main" else []
    return [NavItem(url_for("main.home"), "Home")] + [
        NavItem(url_for(endpoint), text) for endpoint, text, roles in entries if role in roles]


@bp.app_context_processor
def inject_navigation():
    def navigation_items():
        return navigation_for(current_user.role) if current_user.is_authenticated else []

    return {"navigation_items": navigation_items, "today": dt.date.today()}


@bp.get("/")
def index():
    return redirect(url_for("main.home") if current_user.is_authenticated else url_for("auth.sign_in"))


@bp.get("/home")
@login_required
def home():
    board = build_dashboard(current_user, dt.date.today())
    return render_template("main/home.html", title="Home", items=navigation_for(current_user.role)[1:], board=board,
                           today=dt.date.today())
