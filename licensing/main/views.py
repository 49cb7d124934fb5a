from dataclasses import dataclass

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user, login_required

from licensing.auth.models import Role

bp = Blueprint("main", __name__)


@dataclass(frozen=True)
class NavItem:
    href: str
    text: str


def navigation_for(role: Role) -> list[NavItem]:
    """The menu each role sees; the routes check roles again on the server."""
    items = [NavItem(url_for("main.home"), "Home")]
    if role in (Role.LICENSING_OFFICER, Role.TRANSPORT_OFFICER, Role.POLICE_SPOC):
        items.append(NavItem(url_for("people.search"), "Search"))
        items.append(NavItem(url_for("people.new_record"), "Add a person"))
    if role is Role.ADMINISTRATOR:
        items += [NavItem(url_for("admin.users"), "Users"), NavItem(url_for("admin.authorities"), "Authorities")]
    if role in (Role.ADMINISTRATOR, Role.AUDITOR):
        items.append(NavItem(url_for("audit.events"), "Audit trail"))
    return items


@bp.app_context_processor
def inject_navigation():
    def navigation_items():
        return navigation_for(current_user.role) if current_user.is_authenticated else []

    return {"navigation_items": navigation_items}


@bp.get("/")
def index():
    return redirect(url_for("main.home") if current_user.is_authenticated else url_for("auth.sign_in"))


@bp.get("/home")
@login_required
def home():
    return render_template("main/home.html", title="Home", items=navigation_for(current_user.role)[1:],
                           config=current_app.config)
