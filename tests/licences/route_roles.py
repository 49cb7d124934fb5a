"""The badge routes and the roles allowed on each, merged into tests/auth/test_route_matrix.py."""

from licensing.auth.models import Role

CHECKERS = frozenset({Role.TRANSPORT_OFFICER, Role.LICENSING_OFFICER, Role.POLICE_SPOC})
TRANSPORT = frozenset({Role.TRANSPORT_OFFICER})

ROUTE_ROLES = {
    "licences.check_badge": CHECKERS,
    "licences.issue_badge": TRANSPORT,
    "licences.badge": TRANSPORT,
    "licences.renew_badge": TRANSPORT,
    "licences.change_badge_status": TRANSPORT,
    "licences.badge_lists": TRANSPORT,
}
