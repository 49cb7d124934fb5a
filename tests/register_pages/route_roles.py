"""Routes added by the daily-work pass, and the roles allowed on each (merged into
tests/auth/test_route_matrix.py)."""

from licensing.auth.models import Role

ROUTE_ROLES = {
    "admin.edit_authority": frozenset({Role.ADMINISTRATOR}),
}
ROUTE_ROLES["audit.export"] = frozenset({Role.ADMINISTRATOR, Role.AUDITOR})
ROUTE_ROLES["licences.record_dbs"] = frozenset({Role.LICENSING_OFFICER, Role.TRANSPORT_OFFICER})
ROUTE_ROLES["requests.document"] = frozenset({Role.LICENSING_OFFICER, Role.TRANSPORT_OFFICER})
SEARCHERS = frozenset({Role.LICENSING_OFFICER, Role.TRANSPORT_OFFICER, Role.POLICE_SPOC})
ROUTE_ROLES["operators.index"] = SEARCHERS
ROUTE_ROLES["operators.detail"] = SEARCHERS
ROUTE_ROLES["operators.new"] = frozenset({Role.LICENSING_OFFICER})
