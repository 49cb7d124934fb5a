"""Administrators issue and revoke API tokens; a new token is shown once, on the page that created it."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from licensing.api.forms import RevokeForm, TokenForm
from licensing.api.models import ApiToken
from licensing.api.tokens import all_tokens, create_token, revoke_token
from licensing.auth.models import Role, User
from licensing.auth.permissions import roles_required
from licensing.db import db, utcnow
from licensing.errors import RuleViolation

bp = Blueprint("api_tokens", __name__, url_prefix="/admin/api-tokens")
NAV_ITEMS = [("api_tokens.tokens", "API tokens", (Role.ADMINISTRATOR,))]


@bp.route("/", methods=["GET", "POST"])
@roles_required(Role.ADMINISTRATOR)
def tokens():
    form = TokenForm()
    form.user_id.choices = [
        SelectChoice(u.id, f"{u.email} ({u.role.label})")
        for u in db.session.scalars(select(User).where(User.is_enabled).order_by(User.email))
    ]
    shown = None
    if form.validate_on_submit():
        try:
            shown, _ = create_token(
                db.session.get(User, form.user_id.data),
                form.label.data,
                actor=current_user,
                days=form.days.data,
            )
        except RuleViolation as error:
            db.session.rollback()
            form.label.errors.append(str(error))
        else:
            db.session.commit()
    response = render_template(
        "api/tokens.html",
        form=form,
        tokens=all_tokens(),
        shown=shown,
        now=utcnow(),
        revoke_form=RevokeForm(),
        title="API tokens",
    )
    return response, 400 if form.errors else 200, {"Cache-Control": "no-store"}


@bp.post("/<int:token_id>/revoke")
@roles_required(Role.ADMINISTRATOR)
def revoke(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None:
        abort(404)
    if RevokeForm().validate_on_submit():
        try:
            revoke_token(token, actor=current_user)
        except RuleViolation as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(f"Token {token.label} revoked", "success")
    return redirect(url_for("api_tokens.tokens"))
