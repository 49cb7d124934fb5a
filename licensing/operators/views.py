from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from licensing.auth.models import Role
from licensing.auth.permissions import SEARCHERS, roles_required
from licensing.db import db
from licensing.operators.forms import OperatorForm, OperatorSearchForm, WorkingLicenceForm
from licensing.operators.models import Operator
from licensing.operators.services import (
    add_working_licence,
    create_operator,
    operator_search_page,
    view_operator,
)
from licensing.web import run_service

bp = Blueprint("operators", __name__, url_prefix="/operators")
NAV_ITEMS = [("operators.index", "Operators", SEARCHERS)]


@bp.get("/")
@roles_required(*SEARCHERS)
def index():
    form = OperatorSearchForm(request.args)
    page = None
    if request.args and form.validate():
        page = operator_search_page(form.q.data, actor=current_user,
                                    page=request.args.get("page", 1, type=int),
                                    per_page=current_app.config["PAGE_SIZE"])
        db.session.commit()
    return render_template("operators/index.html", form=form, page=page, title="Operators"), (
        400 if form.errors else 200
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.LICENSING_OFFICER)
def new():
    form = OperatorForm()
    if form.validate_on_submit():
        done, operator = run_service(
            lambda: create_operator(name=form.name.data, licence_number=form.licence_number.data or "",
                                    actor=current_user),
            field=lambda message: form.licence_number if "licence" in message.lower() else form.name,
            success=lambda created: f"Operator {created.name} added")
        if done:
            return redirect(url_for("operators.detail", operator_id=operator.id))
    return render_template(
        "operators/new.html", form=form, title="Add an operator"
    ), 400 if form.errors else 200


@bp.route("/<int:operator_id>", methods=["GET", "POST"])
@roles_required(*SEARCHERS)
def detail(operator_id: int):
    operator = db.session.get(Operator, operator_id) or abort(404)
    form = WorkingLicenceForm()
    if request.method == "POST":
        if (
            current_user.role is not Role.LICENSING_OFFICER
            or operator.authority_id != current_user.authority_id
        ):
            abort(403)
        if form.validate_on_submit():
            done, _ = run_service(
                lambda: add_working_licence(operator, form.number.data, actor=current_user),
                field=form.number,
                success=lambda licence: f"Licence {licence.number} added to {operator.name}",
            )
            if done:
                return redirect(url_for("operators.detail", operator_id=operator.id))
    view_operator(operator, actor=current_user)
    db.session.commit()
    return render_template("operators/detail.html", operator=operator, form=form, title=operator.name), (
        400 if form.errors else 200
    )
