from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from licensing.audit import record
from licensing.auth import two_factor as totp
from licensing.auth.forms import (
    ChangePasswordForm,
    EnrolForm,
    SetUpForm,
    SignInForm,
    SignOutForm,
    TwoFactorForm,
)
from licensing.auth.models import User
from licensing.auth.services import authenticate, complete_setup, end_sessions, user_for_setup_token
from licensing.auth.services import change_password as change_own_password
from licensing.db import db, utcnow
from licensing.errors import RuleViolation
from licensing.extensions import account_key, limiter, login_manager

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.sign_in"
login_manager.login_message = "Sign in to use the register"
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"

SIGN_IN_ERROR = ("Enter a correct email address and password. After {n} failed attempts an account is "
                 "locked for {minutes} minutes.")


_USER_WITH_AUTHORITY = select(User).where(User.id == bindparam("id")).options(joinedload(User.authority))


@login_manager.user_loader
def load_user(user_id: str):
    """Sessions carry `id:session_version`, so a bumped version kills every older cookie."""
    ident, _, version = user_id.partition(":")
    if not ident.isdigit() or not version.isdigit():
        return None
    # With the authority in the same query: every page's header names it. The statement is built once.
    user = db.session.scalars(_USER_WITH_AUTHORITY, {"id": int(ident)}).first()
    if user is None or not user.is_enabled or user.session_version != int(version):
        return None
    return user


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_RATE_LIMIT"], methods=["POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_RATE_LIMIT"], methods=["POST"], key_func=account_key)
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm()
    error = None
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        db.session.commit()
        if user is not None:
            # The password is right: the second factor comes next, before any signed-in session exists.
            session.clear()  # a fresh session at sign-in (no fixation)
            session["pending_user"] = user.get_id()
            session["pending_since"] = utcnow().timestamp()
            return redirect(url_for("auth.two_factor" if user.has_two_factor else "auth.enrol"))
        cfg = current_app.config
        error = SIGN_IN_ERROR.format(
            n=cfg["LOGIN_MAX_FAILURES"], minutes=int(cfg["LOGIN_LOCKOUT"].total_seconds() // 60)
        )
    return render_template("auth/sign_in.html", form=form, error=error), (200 if error is None else 401)


@bp.post("/sign-out")
@login_required
def sign_out():
    form = SignOutForm()
    if form.validate_on_submit():
        end_sessions(current_user)
        record(current_user, "auth.signed_out", current_user)
        db.session.commit()
        logout_user()
        session.clear()
        flash("You have signed out", "success")
    return redirect(url_for("auth.sign_in"))


# Endpoints a user who must change their password may still reach.
PASSWORD_CHANGE_EXEMPT = {"auth.change_password", "auth.sign_out", "static", "favicon"}


@bp.before_app_request
def force_password_change():
    """A password someone else chose is changed at first sign-in, before anything else."""
    if (current_user.is_authenticated and current_user.must_change_password
            and request.endpoint not in PASSWORD_CHANGE_EXEMPT):
        return redirect(url_for("auth.change_password"))
    return None


@bp.route("/set-up/<token>", methods=["GET", "POST"])
def set_up(token: str):
    """A new user's one-time link: they choose their own password; nobody else ever knows it."""
    user = user_for_setup_token(token)
    if user is None:
        abort(404)
    form = SetUpForm()
    if form.validate_on_submit():
        try:
            complete_setup(user, password=form.new_password.data)
        except RuleViolation as error:
            db.session.rollback()
            form.new_password.errors.append(str(error))
        else:
            db.session.commit()
            flash("Your password is set: sign in with it", "success")
            return redirect(url_for("auth.sign_in"))
    return render_template("auth/password.html", form=form, title="Set up your account", user=user), (
        400 if form.errors else 200)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_own_password(current_user, current=form.current_password.data, new=form.new_password.data)
        except RuleViolation as error:
            db.session.rollback()
            form.new_password.errors.append(str(error))
        else:
            db.session.commit()
            login_user(current_user)  # this session continues under the new session version; others end
            session["signed_in_at"] = session.get("signed_in_at") or utcnow().timestamp()
            flash("Your password has been changed. Any other sessions have been signed out.", "success")
            return redirect(url_for("main.home"))
    return render_template("auth/password.html", form=form, title="Change your password"), (
        400 if form.errors else 200)


PENDING_LIFETIME = 300  # seconds between the password and the second factor


def _pending_user() -> User | None:
    """The user who gave the right password in this session moments ago, if any."""
    since = session.get("pending_since", 0)
    if not session.get("pending_user") or utcnow().timestamp() - since > PENDING_LIFETIME:
        return None
    return load_user(session["pending_user"])


def _complete_sign_in(user: User):
    session.clear()
    login_user(user)
    session.permanent = True
    session["signed_in_at"] = utcnow().timestamp()
    return redirect(url_for("main.home"))


def _two_factor_key() -> str:
    return f"2fa:{session.get('pending_user', '')}"


@bp.route("/sign-in/two-factor", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["TWO_FACTOR_RATE_LIMIT"], methods=["POST"], key_func=_two_factor_key
)
@limiter.limit(lambda: current_app.config["TWO_FACTOR_RATE_LIMIT"], methods=["POST"])
def two_factor():
    user = _pending_user()
    if user is None or not user.has_two_factor:
        return redirect(url_for("auth.sign_in"))
    form = TwoFactorForm()
    if form.validate_on_submit():
        ok = totp.verify_code(user, form.code.data)
        db.session.commit()
        if ok:
            return _complete_sign_in(user)
        form.code.errors.append("That code is not right, or it has been used already. Wait for a new code.")
    return render_template(
        "auth/two_factor.html", form=form, title="Enter your code"
    ), 400 if form.errors else 200


@bp.route("/sign-in/enrol", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["TWO_FACTOR_RATE_LIMIT"], methods=["POST"], key_func=_two_factor_key
)
def enrol():
    """First sign-in: scan the QR code, confirm with one code, keep the recovery codes."""
    user = _pending_user()
    if user is None or user.has_two_factor:
        return redirect(url_for("auth.sign_in"))
    secret = session.get("enrol_secret") or totp.new_secret()
    session["enrol_secret"] = secret
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            codes = totp.enrol(user, secret=secret, code=form.code.data)
        except RuleViolation as error:
            db.session.rollback()
            form.code.errors.append(str(error))
        else:
            db.session.commit()
            _complete_sign_in(user)
            return render_template("auth/recovery_codes.html", codes=codes, title="Your recovery codes")
    return render_template("auth/enrol.html", form=form, secret=secret, qr=totp.provisioning_qr(user, secret),
                           title="Set up two-factor sign-in"), 400 if form.errors else 200
