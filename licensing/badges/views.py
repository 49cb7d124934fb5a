import datetime as dt

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from licensing.auth.models import Role
from licensing.auth.permissions import BADGE_CHECKERS, BADGE_ISSUERS, roles_required
from licensing.badges import services
from licensing.badges.dbs import record_dbs_certificate
from licensing.badges.forms import (
    LIST_KINDS,
    BadgeCheckForm,
    BadgeListFilterForm,
    BadgeStatusForm,
    DbsCertificateForm,
    IssueBadgeForm,
    RenewBadgeForm,
    checks_form_data,
)
from licensing.db import db
from licensing.errors import RuleViolation
from licensing.extensions import account_key, limiter
from licensing.forms import check_version
from licensing.licences.models import BadgeType
from licensing.people.models import PersonRecord
from licensing.web import run_service

# Named "licences", as before badges had their own area, so URLs, endpoint names and templates stay stable.
bp = Blueprint("licences", __name__)

# (endpoint, menu text, roles that see it) for the service navigation.
NAV_ITEMS: list = [
    ("licences.check_badge", "Check a badge", BADGE_CHECKERS),
    ("licences.issue_badge", "Issue a badge", BADGE_ISSUERS),
    ("licences.badge_lists", "Badges due", BADGE_ISSUERS),
]


@bp.route("/badges/check", methods=["GET", "POST"])
@roles_required(*BADGE_CHECKERS)
@limiter.limit(lambda: current_app.config["BADGE_CHECK_RATE_LIMIT"], methods=["POST"])
@limiter.limit(lambda: current_app.config["BADGE_CHECK_RATE_LIMIT"], methods=["POST"], key_func=account_key)
def check_badge():
    form = BadgeCheckForm()
    result = None
    if form.validate_on_submit():
        _, result = run_service(lambda: services.check_badge(
            form.number.data, actor=current_user, today=dt.date.today(), reason=form.reason.data))
    return render_template(
        "licences/check.html", form=form, result=result, today=dt.date.today(), title="Check a badge"
    ), 400 if form.errors else 200


@bp.route("/badges/new", methods=["GET", "POST"])
@roles_required(*BADGE_ISSUERS)
def issue_badge():
    form = IssueBadgeForm()
    flags = []
    if form.validate_on_submit():
        done, outcome = run_service(
            lambda: services.issue_badge(
                holder=form.holder_choice(),
                badge_type=BadgeType(form.badge_type.data),
                operator_name=form.operator_name.data,
                checks=form.checks(),
                reason=form.reason.data,
                register_rationale=form.register_rationale.data or "",
                actor=current_user,
                today=dt.date.today(),
            ),
            on_error=lambda error: _show_rule_error(
                form, error,
                default_field="holder_reference" if form.holder.data == "existing" else "new_reference"),
            once=form.form_token,  # a form sent twice issues one badge
            success=lambda badge: (f"Badge {badge.number} issued to {badge.person.full_name}, valid until "
                                   f"{badge.expires_on:%d %B %Y}"),
        )
        if done:
            return redirect(url_for("licences.badge", badge_id=outcome.id))
        flags = outcome
    return render_template("licences/issue.html", form=form, flags=flags, title="Issue a badge"), (
        400 if form.errors else 200
    )


def _load_own_badge(badge_id: int):
    """404 for a badge that does not exist or belongs to another authority."""
    badge = services.own_badge(badge_id, current_user)
    if badge is None:
        abort(404)
    return badge


@bp.get("/badges/<int:badge_id>")
@roles_required(*BADGE_ISSUERS)
def badge(badge_id: int):
    badge = _load_own_badge(badge_id)
    history = services.view_badge(badge, current_user)
    db.session.commit()
    return render_template(
        "licences/badge.html",
        badge=badge,
        history=history,
        status=services.effective_status(badge, dt.date.today()),
        title=f"Badge {badge.number}",
    )


@bp.route("/badges/<int:badge_id>/renew", methods=["GET", "POST"])
@roles_required(*BADGE_ISSUERS)
def renew_badge(badge_id: int):
    badge = _load_own_badge(badge_id)
    form = RenewBadgeForm() if request.method == "POST" else RenewBadgeForm(data=checks_form_data(badge))
    flags = services.register_flags(badge.person.identity, dt.date.today())
    if form.validate_on_submit():
        def renew():
            check_version(badge, form.version)
            return services.renew_badge(
                badge,
                checks=form.checks(),
                reason=form.reason.data,
                register_rationale=form.register_rationale.data or "",
                actor=current_user,
                today=dt.date.today(),
            )

        done, outcome = run_service(
            renew,
            on_error=lambda error: _show_rule_error(form, error, default_field="reason"),
            success=lambda _: f"Badge {badge.number} renewed until {badge.expires_on:%d %B %Y}",
        )
        if done:
            return redirect(url_for("licences.badge", badge_id=badge.id))
        flags = outcome or flags
    return render_template(
        "licences/renew.html", form=form, badge=badge, flags=flags, title=f"Renew badge {badge.number}"
    ), 400 if form.errors else 200


@bp.route("/badges/<int:badge_id>/status", methods=["GET", "POST"])
@roles_required(*BADGE_ISSUERS)
def change_badge_status(badge_id: int):
    badge = _load_own_badge(badge_id)
    form = BadgeStatusForm()
    if form.validate_on_submit():
        def change_status():
            check_version(badge, form.version)
            return services.change_badge_status(
                badge,
                action=form.action.data,
                reason=form.reason.data,
                actor=current_user,
                today=dt.date.today(),
            )

        done, _ = run_service(
            change_status,
            on_error=lambda error: _show_rule_error(form, error, default_field="action"),
            success=lambda _: f"Badge {badge.number} is now {badge.status.value}",
        )
        if done:
            return redirect(url_for("licences.badge", badge_id=badge.id))
    return render_template(
        "licences/status.html",
        form=form,
        badge=badge,
        status=services.effective_status(badge, dt.date.today()),
        title=f"Suspend or withdraw badge {badge.number}",
    ), 400 if form.errors else 200


@bp.get("/badges/due")
@roles_required(*BADGE_ISSUERS)
def badge_lists():
    form = BadgeListFilterForm(request.args)
    form.operator.choices = [SelectChoice("", "Any operator")] + [
        SelectChoice(name, name) for name in services.operators(current_user.authority_id)
    ]
    kind, operator, days = "expiring", "", 60
    if request.args and form.validate():
        kind, operator, days = form.list.data or "expiring", form.operator.data or "", form.days.data or 60
    page = services.badge_list_page(kind, actor=current_user, operator=operator, within_days=days,
                                    today=dt.date.today(), page=request.args.get("page", 1, type=int),
                                    per_page=current_app.config["PAGE_SIZE"])
    db.session.commit()
    return render_template(
        "licences/lists.html",
        form=form,
        page=page,
        kind=kind,
        days=days,
        operator=operator,
        kinds=LIST_KINDS,
        today=dt.date.today(),
        title=LIST_KINDS[kind],
    ), 400 if form.errors else 200


def _show_rule_error(form, error: RuleViolation, *, default_field: str) -> list:
    """Put a rule break next to the fields it concerns; returns the register's flags when that was the
    reason."""
    if isinstance(error, services.ChecksIncomplete):
        for name, message in error.problems:
            field = getattr(form, name)
            field.errors = [*field.errors, message]
        return []
    if isinstance(error, services.RegisterInformation):
        form.register_rationale.errors = [*form.register_rationale.errors, str(error)]
        return error.flags
    field = getattr(form, default_field)
    field.errors = [*field.errors, str(error)]
    return []


@bp.route("/records/<int:record_id>/dbs", methods=["GET", "POST"])
@roles_required(Role.LICENSING_OFFICER, Role.TRANSPORT_OFFICER)
def record_dbs(record_id: int):
    record = db.session.get(PersonRecord, record_id)
    if record is None or record.authority_id != current_user.authority_id:
        abort(404)
    form = DbsCertificateForm()
    if form.validate_on_submit():
        done, _ = run_service(
            lambda: record_dbs_certificate(record, form.dbs(), actor=current_user, today=dt.date.today()),
            field=form.dbs_certificate_number, success=f"DBS check recorded for {record.full_name}")
        if done:
            return redirect(url_for("people.person", identity_id=record.identity_id, _anchor="dbs"))
    return render_template("licences/dbs.html", form=form, record=record, title="Record a DBS check"), (
        400 if form.errors else 200
    )
