from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from licensing.audit import record as audit
from licensing.auth.models import Role
from licensing.auth.permissions import roles_required
from licensing.db import db
from licensing.errors import RuleViolation
from licensing.operators.forms import OperatorForm, OperatorSearchForm, WorkingLicenceForm
from licensing.operators.models import Operator
from licensing.operators.services import add_working_licence, create_operator, search_operators

bp = Blueprint("operators", __name__, url_prefix="/operators")
SEARCHERS = (Role.LICENSING_OFFICER, Role.TRANSPORT_OFFICER, Role.POLICE_SPOC)
NAV_ITEMS = [("operators.index", "Operators", SEARCHERS)]


@bp.get("/")
@roles_required(*SEARCHERS)
def index():
    form = OperatorSearchForm(request.args)
    page = None
    if request.args and form.validate():
        page = db.paginate(
            search_operators(form.q.data),
            page=max(request.args.get("page", 1, type=int), 1),
            per_page=current_app.config["PAGE_SIZE"],
            error_out=False,
        )
        audit(
            current_user,
            "operator.searched",
            details={"term": form.q.data, "results": [o.id for o in page.items]},
        )
        db.session.commit()
    return render_template("operators/index.html", form=form, page=page, title="Operators"), (
        400 if form.errors else 200
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.LICENSING_OFFICER)
def new():
    form = OperatorForm()
    if form.validate_on_submit():
        try:
            operator = create_operator(
                name=form.name.data, licence_number=form.licence_number.data or "", actor=current_user
            )
        except RuleViolation as error:
            db.session.rollback()
            (form.licence_number if "licence" in str(error).lower() else form.name).errors.append(str(error))
        else:
            db.session.commit()
            flash(f"Operator {operator.name} added", "success")
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
            try:
                licence = add_working_licence(operator, form.number.data, actor=current_user)
            except RuleViolation as error:
                db.session.rollback()
                form.number.errors.append(str(error))
            else:
                db.session.commit()
                flash(f"Licence {licence.number} added to {operator.name}", "success")
                return redirect(url_for("operators.detail", operator_id=operator.id))
    audit(current_user, "operator.viewed", operator)
    db.session.commit()
    return render_template("operators/detail.html", operator=operator, form=form, title=operator.name), (
        400 if form.errors else 200
    )
