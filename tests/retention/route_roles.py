"""Routes of the retention area (issue 12), for the role x route matrix."""

from licensing.auth.models import Role

REVIEWERS = frozenset({Role.ADMINISTRATOR, Role.LICENSING_MANAGER, Role.POLICE_SPOC})

ROUTE_ROLES = {
    "retention.review": REVIEWERS,
    "retention.decide": REVIEWERS,
}
ROUTE_ROLES["retention.subject_access_request"] = frozenset({Role.ADMINISTRATOR})
