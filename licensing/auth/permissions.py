"""Role checks on the server: every view declares which roles may use it, from the one roles table below."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from licensing.audit import record
from licensing.auth.models import Role
from licensing.db import db

# The roles table: who may do what, named once and used by views, services and menus alike.
SEARCHERS = (Role.LICENSING_OFFICER, Role.TRANSPORT_OFFICER, Role.POLICE_SPOC)
COUNCIL_OFFICERS = (Role.LICENSING_OFFICER, Role.TRANSPORT_OFFICER)  # hold licences and badges, get alerts
LICENSING_OFFICERS = (Role.LICENSING_OFFICER,)
POLICE = (Role.POLICE_SPOC,)
BADGE_CHECKERS = (Role.TRANSPORT_OFFICER, Role.LICENSING_OFFICER, Role.POLICE_SPOC)
BADGE_ISSUERS = (Role.TRANSPORT_OFFICER,)
ADMINISTRATORS = (Role.ADMINISTRATOR,)
AUDIT_READERS = (Role.AUDITOR, Role.ADMINISTRATOR)
REPORT_READERS = (Role.LICENSING_MANAGER, Role.SAFEGUARDING_LEAD, Role.ADMINISTRATOR, Role.AUDITOR)


def roles_required(*roles: Role):
    """Allow only signed-in users holding one of `roles`; others get 403 and an audit row."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                record(current_user, "access.denied", details={"view": view.__name__})
                db.session.commit()
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)
        return wrapped

    return decorator
