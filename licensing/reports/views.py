import datetime as dt

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from licensing.auth.permissions import REPORT_READERS, roles_required
from licensing.db import db
from licensing.errors import RuleViolation
from licensing.exports.tabular import csv_bytes, xlsx_bytes
from licensing.reports.forms import ReportForm
from licensing.reports.presentation import EXPORT_HEADERS, chart_for, export_rows, present
from licensing.reports.services import (
    build_report,
    choose_report,
    record_report_viewed,
    report_table,
    scope_value_of,
    scopes_for,
)

bp = Blueprint("reports", __name__, url_prefix="/reports")
NAV_ITEMS = [("reports.dashboard", "Reports", REPORT_READERS)]
# Lists that show only the signed-in user's own authority: linked only from that authority's figures.
OWN_AUTHORITY_LISTS = {"alerts.inbox", "requests.index", "licences.badge_lists"}
CHART_MAX_AGE = 300  # seconds a browser may reuse a chart it has drawn


def _form() -> ReportForm:
    form = ReportForm(request.args)
    form.scope.choices = [SelectChoice(scope_value_of(s), s.name) for s in scopes_for(current_user)]
    return form


def _asked(form: ReportForm, today: dt.date):
    """The scope and period the form asks for; RuleViolation when the user may not have them."""
    return choose_report(
        current_user, scope_value=form.scope.data or "", start=form.start.data, end=form.end.data, today=today
    )


def _chosen():
    """The form and the scope and period it asks for (the default report when the form is empty or wrong)."""
    today = dt.date.today()
    form = _form()
    try:
        if request.args and not form.validate():
            raise RuleViolation("")
        scope, period = _asked(form, today)
    except RuleViolation as error:
        if str(error):
            form.end.errors = [*form.end.errors, str(error)]
        scope, period = choose_report(current_user, scope_value="", start=None, end=None, today=today)
    if not request.args or form.errors:
        form.scope.data = scope_value_of(scope)
        form.start.data, form.end.data = period.start, period.end
    return form, scope, period, today


def _link_for(table, scope) -> str:
    """The list behind a table, for users who could open that list anyway."""
    if table.link is None:
        return ""
    endpoint, args = table.link
    view = current_app.view_functions.get(endpoint)
    if current_user.role not in getattr(view, "allowed_roles", ()):
        return ""
    if endpoint in OWN_AUTHORITY_LISTS and scope.authority_id != current_user.authority_id:
        return ""
    return url_for(endpoint, **args)


def _query(scope, period) -> dict:
    return {
        "scope": scope_value_of(scope),
        "start": [str(period.start.day), str(period.start.month), str(period.start.year)],
        "end": [str(period.end.day), str(period.end.month), str(period.end.year)],
    }


def _shown_sections(scope, period, today, *, links: bool = True):
    """The report's tables, each with the URL of its chart and (on screen) the list behind it."""
    query = _query(scope, period)
    sections = present(build_report(scope, period, today=today))
    for _section, tables in sections:
        for shown in tables:
            if links:
                shown.link = _link_for(shown.table, scope)
            if shown.has_chart:
                shown.chart_url = url_for("reports.chart", key=shown.table.key, **query)
    return sections, query


@bp.get("/")
@roles_required(*REPORT_READERS)
def dashboard():
    form, scope, period, today = _chosen()
    sections, query = _shown_sections(scope, period, today)
    record_report_viewed(current_user, scope, period)
    db.session.commit()
    return render_template(
        "reports/dashboard.html",
        form=form,
        scope=scope,
        period=period,
        sections=sections,
        query=query,
        title="Reports",
    )


@bp.get("/print")
@roles_required(*REPORT_READERS)
def printable():
    _form, scope, period, today = _chosen()
    sections, _query_args = _shown_sections(scope, period, today, links=False)
    record_report_viewed(current_user, scope, period, action="report.printed")
    db.session.commit()
    return render_template(
        "reports/print.html",
        scope=scope,
        period=period,
        sections=sections,
        today=today,
        title=f"Oversight report: {scope.name}",
    )


# A chart is its own request, so the page and its data tables answer without waiting for drawing (about 70 ms
# a chart). Not audited: the page view that links to it is (report.viewed), and a chart holds only that view's
# aggregate, suppressed figures; the role check still applies and a refusal is audited (access.denied).
@bp.get("/chart/<key>.svg")
@roles_required(*REPORT_READERS)
def chart(key: str):
    today = dt.date.today()
    form = _form()
    if request.args and not form.validate():
        abort(400)
    try:
        scope, period = _asked(form, today)
    except RuleViolation:
        abort(400)
    table = report_table(key, scope, period, today=today)
    svg = chart_for(table, table.suppressed()) if table else ""
    if not svg:
        abort(404)
    response = Response(svg, mimetype="image/svg+xml")
    # Private: figures depend on the user's role; a few minutes, as new records change them.
    response.cache_control.private = True
    response.cache_control.max_age = CHART_MAX_AGE
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/export")
@roles_required(*REPORT_READERS)
def export():
    file_format = "xlsx" if request.args.get("file_format") == "xlsx" else "csv"
    _form, scope, period, today = _chosen()
    rows = export_rows(build_report(scope, period, today=today))
    record_report_viewed(
        current_user, scope, period, action="report.exported", details={"format": file_format}
    )
    db.session.commit()
    name = f"oversight-report-{scope_value_of(scope)}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{file_format}"
    if file_format == "csv":
        body, mimetype = csv_bytes(EXPORT_HEADERS, rows), "text/csv"
    else:
        body = xlsx_bytes(EXPORT_HEADERS, rows, sheet_title="Oversight report")
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
