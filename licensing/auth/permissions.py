"""Role checks on the server: every view declares which roles may use it."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from licensing.auth.models import Role

SEARCHERS = (Role.LICENSING_OFFICER, Role.TRANSPORT_OFFICER, Role.POLICE_SPOC)
AUDIT_READERS = (Role.AUDITOR, Role.ADMINISTRATOR)
REPORT_READERS = (Role.LICENSING_MANAGER, Role.SAFEGUARDING_LEAD, Role.ADMINISTRATOR, Role.AUDITOR)


def roles_required(*roles: Role):
    """Allow only signed-in users holding one of `roles`; others get 403 and an audit row."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                from licensing.audit import record
                from licensing.db import db

                record(current_user, "access.denied", details={"view": view.__name__})
                db.session.commit()
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)
        return wrapped

    return decorator
