from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from licensing.admin.forms import (
    ApproveForm,
    AuthorityForm,
    AuthoritySettingsForm,
    EditUserForm,
    NewUserForm,
    SetUpLinkForm,
    UnlockForm,
)
from licensing.auth import two_factor as totp
from licensing.auth.forms import ResetTwoFactorForm
from licensing.auth.models import Role, User
from licensing.auth.permissions import ADMINISTRATORS, roles_required
from licensing.auth.services import (
    approve_police_access,
    create_user,
    is_locked,
    issue_setup_link,
    pending_police_approvals,
    unlock_user,
    update_user,
)
from licensing.authorities.models import Authority, AuthorityKind
from licensing.authorities.services import (
    SETTINGS,
    all_authorities,
    create_authority,
    update_authority_settings,
)
from licensing.db import db
from licensing.forms import check_version
from licensing.people.rekey import keys_are_stale
from licensing.web import run_service

bp = Blueprint("admin", __name__, url_prefix="/admin")

NAV_ITEMS: list = [
    ("admin.users", "Users", ADMINISTRATORS),
    ("admin.authorities", "Authorities", ADMINISTRATORS),
    ("admin.approvals", "Police access approvals", (Role.ADMINISTRATOR, Role.POLICE_SPOC)),
    ("auth.change_password", "Change password", tuple(Role)),
]


@bp.app_context_processor
def inject_police_approvals():
    """The police contact hears of every police account waiting for approval on their home page."""
    def police_approvals_waiting() -> int:
        return len(pending_police_approvals(current_user)) if current_user.is_authenticated else 0

    return {"police_approvals_waiting": police_approvals_waiting}


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
        def add_user():
            user = create_user(email=form.email.data, name=form.name.data,
                               authority=db.session.get(Authority, form.authority_id.data),
                               role=Role(form.role.data), actor=current_user)
            return user, issue_setup_link(user, actor=current_user)

        done, result = run_service(add_user, field=form.email)
        if done:
            return _show_setup_link(*result)
    return render_template("admin/user_form.html", form=form, title="Add a user"), 400 if form.errors else 200


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(*ADMINISTRATORS)
def edit_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = EditUserForm(obj=user)
    _authority_choices(form)
    if form.validate_on_submit():
        def update():
            check_version(user, form.version)
            return update_user(user, name=form.name.data,
                               authority=db.session.get(Authority, form.authority_id.data),
                               role=Role(form.role.data), is_enabled=form.is_enabled.data, actor=current_user)

        done, _ = run_service(update, field=form.role, success=f"User {user.email} updated")
        if done:
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user, unlock_form=UnlockForm(),
                           setup_form=SetUpLinkForm(), reset_form=ResetTwoFactorForm(),
                           locked=is_locked(user), title=f"Edit {user.email}"), 400 if form.errors else 200


def _show_setup_link(user: User, token: str):
    """The link is shown once, to be sent to the user; only its hash is kept."""
    link = url_for("auth.set_up", token=token, _external=True)
    return render_template("admin/setup_link.html", user=user, link=link,
                           title=f"Set-up link for {user.email}")


@bp.post("/users/<int:user_id>/setup-link")
@roles_required(Role.ADMINISTRATOR)
def setup_link(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    if not SetUpLinkForm().validate_on_submit():
        return redirect(url_for("admin.edit_user", user_id=user.id))
    token = issue_setup_link(user, actor=current_user)
    db.session.commit()
    return _show_setup_link(user, token)


@bp.get("/approvals")
@roles_required(Role.ADMINISTRATOR, Role.POLICE_SPOC)
def approvals():
    return render_template("admin/approvals.html", waiting=pending_police_approvals(current_user),
                           form=ApproveForm(), title="Police access approvals")


@bp.post("/users/<int:user_id>/approve")
@roles_required(Role.ADMINISTRATOR, Role.POLICE_SPOC)
def approve(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    if ApproveForm().validate_on_submit():
        run_service(lambda: approve_police_access(user, actor=current_user),
                    success=f"Police access approved for {user.email}")
    return redirect(url_for("admin.approvals"))


@bp.post("/users/<int:user_id>/reset-two-factor")
@roles_required(Role.ADMINISTRATOR)
def reset_two_factor(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    if ResetTwoFactorForm().validate_on_submit():
        run_service(lambda: totp.reset(user, actor=current_user),
                    success=f"Two-factor sign-in reset for {user.email}: they set it up again at their next "
                            "sign-in")
    return redirect(url_for("admin.edit_user", user_id=user.id))


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
    return render_template("admin/authorities.html", authorities=all_authorities(), title="Authorities",
                           keys_stale=keys_are_stale())


@bp.route("/authorities/new", methods=["GET", "POST"])
@roles_required(*ADMINISTRATORS)
def new_authority():
    form = AuthorityForm()
    if form.validate_on_submit():
        done, _ = run_service(
            lambda: create_authority(code=form.code.data, name=form.name.data,
                                     kind=AuthorityKind(form.kind.data), actor=current_user),
            field=form.code, success=f"Authority {form.name.data} added")
        if done:
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
