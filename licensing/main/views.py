import datetime as dt
from dataclasses import dataclass

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user, login_required

from licensing.auth.models import Role
from licensing.main.dashboard import build_dashboard

bp = Blueprint("main", __name__)


@dataclass(frozen=True)
class NavItem:
    href: str
    text: str


def navigation_for(role: Role) -> list[NavItem]:
    """The menu each role sees, from the entries each area's blueprint declares (NAV_ITEMS) and the factory
    collects; the routes check roles again on the server."""
    return [NavItem(url_for("main.home"), "Home")] + [
        NavItem(url_for(endpoint), text)
        for endpoint, text, roles in current_app.extensions["navigation"]
        if role in roles
    ]


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
    board = build_dashboard(current_user, dt.date.today())
    return render_template(
        "main/home.html",
        title="Home",
        items=navigation_for(current_user.role)[1:],
        board=board,
        today=dt.date.today(),
    )
