"""Exports and the printable chronology: each view calls the same read service as the page it comes from."""

import datetime as dt
import functools

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from markupsafe import Markup

from licensing.auth.models import Role
from licensing.auth.permissions import SEARCHERS as SEARCHER_ROLES
from licensing.auth.permissions import roles_required
from licensing.badges.services import badges_due
from licensing.db import db
from licensing.exports import services
from licensing.exports.forms import BadgeListExportForm, ExportForm, SearchExportForm
from licensing.intelligence.services import reviews_due
from licensing.people.access import stated_reason, visible_records
from licensing.people.models import Identity
from licensing.register.person_view import build_person_view
from licensing.register.search import SearchCriteria, search_every_page

bp = Blueprint("exports", __name__, url_prefix="/exports")


def _send(export: services.ExportFile) -> Response:
    response = Response(export.content, mimetype=export.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _errors(form) -> str:
    return "; ".join(e for errors in form.errors.values() for e in errors)


@bp.post("/search")
@roles_required(*SEARCHER_ROLES)
def search():
    form = SearchExportForm()
    if not form.validate_on_submit():
        return render_template("people/search.html", form=form, hits=None, title="Search the register"), 400
    criteria = SearchCriteria.from_form(form)
    hits = search_every_page(criteria, viewer=current_user, today=dt.date.today())
    export = services.export_search(
        hits, criteria.as_terms(), form.file_format.data, actor=current_user, reason=form.reason.data
    )
    db.session.commit()
    return _send(export)


def _visible_identity(identity_id: int) -> Identity:
    found = db.session.get(Identity, identity_id)
    if found is None or found.merged_into_id is not None or not visible_records(found, current_user):
        abort(404)
    return found


@bp.post("/people/<int:identity_id>/chronology")
@roles_required(*SEARCHER_ROLES)
def chronology(identity_id: int):
    identity = _visible_identity(identity_id)
    form = ExportForm()
    if stated_reason(current_user, identity.id) is None or not form.validate_on_submit():
        flash(f"Export not made: {_errors(form) or 'give your reason to see this person first'}", "error")
        return redirect(url_for("people.person", identity_id=identity.id))
    view = build_person_view(identity, current_user, dt.date.today())
    export = services.export_chronology(
        view, form.file_format.data, actor=current_user, reason=form.reason.data
    )
    db.session.commit()
    return _send(export)


@bp.get("/people/<int:identity_id>/chronology/print")
@roles_required(*SEARCHER_ROLES)
def print_chronology(identity_id: int):
    identity = _visible_identity(identity_id)
    reason = stated_reason(current_user, identity.id)
    if reason is None:
        return redirect(url_for("people.person", identity_id=identity.id))
    view = build_person_view(identity, current_user, dt.date.today(), reason=reason,
                             audit_as="person.printed")
    db.session.commit()
    return render_template(
        "exports/chronology_print.html",
        view=view,
        reason=reason,
        today=dt.date.today(),
        title=f"Chronology: {view.display_name}",
    )


@bp.post("/badges")
@roles_required(Role.TRANSPORT_OFFICER)
def badge_list():
    form = BadgeListExportForm()
    if not form.validate_on_submit():
        flash(f"Export not made: {_errors(form)}", "error")
        return redirect(url_for("licences.badge_lists"))
    filters = {"operator": form.operator.data or "", "within_days": form.days.data or 60}
    query = badges_due(form.list.data, current_user.authority_id, today=dt.date.today(), **filters)
    export = services.export_badge_list(
        form.list.data,
        query,
        form.file_format.data,
        actor=current_user,
        reason=form.reason.data,
        filters=filters,
    )
    db.session.commit()
    return _send(export)


@bp.post("/intelligence-reviews")
@roles_required(Role.POLICE_SPOC)
def intelligence_reviews():
    form = ExportForm()
    if not form.validate_on_submit():
        flash(f"Export not made: {_errors(form)}", "error")
        return redirect(url_for("intelligence.reviews_due"))
    items = reviews_due(current_user.authority, dt.date.today(), actor=current_user)
    export = services.export_reviews(
        items, form.file_format.data, actor=current_user, reason=form.reason.data
    )
    db.session.commit()
    return _send(export)


@functools.cache
def export_fields() -> Markup:
    """The export form's fields, which the person, list and reviews pages include. The form is always shown
    empty (a refused export is flashed on the page it came from), so its HTML is the same on every page and
    is rendered once per process: building and rendering the form was a twentieth of a person view."""
    form = ExportForm(formdata=None, meta={"csrf": False})
    return Markup(current_app.jinja_env.get_template("exports/_export_fields.html").render(eform=form))  # noqa: S704


@bp.app_context_processor
def export_forms():
    return {"export_fields": export_fields}
