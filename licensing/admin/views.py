from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from licensing.admin.forms import AuthorityForm, AuthoritySettingsForm, EditUserForm, NewUserForm, UnlockForm
from licensing.auth.models import Role, User
from licensing.auth.permissions import ADMINISTRATORS, roles_required
from licensing.auth.services import create_user, is_locked, unlock_user, update_user
from licensing.authorities.models import Authority, AuthorityKind
from licensing.authorities.services import (
    SETTINGS,
    all_authorities,
    create_authority,
    update_authority_settings,
)
from licensing.db import db
from licensing.errors import RuleViolation

bp = Blueprint("admin", __name__, url_prefix="/admin")

NAV_ITEMS: list = [
    ("admin.users", "Users", ADMINISTRATORS),
    ("admin.authorities", "Authorities", ADMINISTRATORS),
]


def _authority_choices(form) -> None:
    form.authority_id.choices = [SelectChoice(a.id, a.name) for a in all_authorities()]


@bp.get("/users")
@roles_required(*ADMINISTRATORS)
def users():
    page = db.paginate(
        select(User).order_by(User.email),
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template("admin/users.html", page=page, is_locked=is_locked, title="Users")


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(*ADMINISTRATORS)
def new_user():
    form = NewUserForm()
    _authority_choices(form)
    if form.validate_on_submit():
        try:
            create_user(
                email=form.email.data,
                name=form.name.data,
                authority=db.session.get(Authority, form.authority_id.data),
                role=Role(form.role.data),
                password=form.password.data,
                actor=current_user,
            )
        except RuleViolation as error:
            db.session.rollback()
            form.email.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"User {form.email.data} created", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, title="Add a user"), 400 if form.errors else 200


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(*ADMINISTRATORS)
def edit_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = EditUserForm(obj=user)
    _authority_choices(form)
    if form.validate_on_submit():
        try:
            update_user(
                user,
                name=form.name.data,
                authority=db.session.get(Authority, form.authority_id.data),
                role=Role(form.role.data),
                is_enabled=form.is_enabled.data,
                actor=current_user,
            )
        except RuleViolation as error:
            db.session.rollback()
            form.role.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"User {user.email} updated", "success")
            return redirect(url_for("admin.users"))
    return render_template(
        "admin/user_form.html",
        form=form,
        user=user,
        unlock_form=UnlockForm(),
        locked=is_locked(user),
        title=f"Edit {user.email}",
    ), 400 if form.errors else 200


@bp.post("/users/<int:user_id>/unlock")
@roles_required(*ADMINISTRATORS)
def unlock(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    if UnlockForm().validate_on_submit():
        unlock_user(user, actor=current_user)
        db.session.commit()
        flash(f"User {user.email} unlocked", "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.get("/authorities")
@roles_required(*ADMINISTRATORS)
def authorities():
    return render_template("admin/authorities.html", authorities=all_authorities(), title="Authorities")


@bp.route("/authorities/new", methods=["GET", "POST"])
@roles_required(*ADMINISTRATORS)
def new_authority():
    form = AuthorityForm()
    if form.validate_on_submit():
        try:
            create_authority(
                code=form.code.data,
                name=form.name.data,
                kind=AuthorityKind(form.kind.data),
                actor=current_user,
            )
        except RuleViolation as error:
            db.session.rollback()
            form.code.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"Authority {form.name.data} added", "success")
            return redirect(url_for("admin.authorities"))
    return render_template(
        "admin/authority_form.html", form=form, title="Add an authority"
    ), 400 if form.errors else 200


@bp.route("/authorities/<int:authority_id>", methods=["GET", "POST"])
@roles_required(Role.ADMINISTRATOR)
def edit_authority(authority_id: int):
    authority = db.session.get(Authority, authority_id) or abort(404)
    form = AuthoritySettingsForm(obj=authority)
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in SETTINGS}
        update_authority_settings(
            authority, actor=current_user, **{k: v if v is not None else "" for k, v in values.items()}
        )
        db.session.commit()
        flash(f"{authority.name} updated", "success")
        return redirect(url_for("admin.authorities"))
    return render_template(
        "admin/authority_settings.html", form=form, authority=authority, title=f"Change {authority.name}"
    ), 400 if form.errors else 200
