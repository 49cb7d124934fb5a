"""Extensions created unbound and bound in create_app()."""

from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
from flask_migrate import Migrate
from flask_wtf import CSRFProtect

migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
# Limits are counted in RATELIMIT_STORAGE_URI (Redis in production and tests), shared by every worker.
# Every RATELIMIT_* key is set in each config class: a module-level Limiter keeps some from the first app.
limiter = Limiter(get_remote_address)


def account_key() -> str:
    """Per-account limits: the signed-in user, else the email being signed in with, else the address."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    email = (request.form.get("email") or "").strip().lower()[:254]
    return f"email:{email}" if email else f"ip:{get_remote_address()}"
