"""The report routes and the roles allowed on each, merged into tests/auth/test_route_matrix.py."""

from licensing.auth.models import Role

READERS = frozenset({Role.LICENSING_MANAGER, Role.SAFEGUARDING_LEAD, Role.ADMINISTRATOR, Role.AUDITOR})

ROUTE_ROLES = {
    "reports.dashboard": READERS,
    "reports.printable": READERS,
    "reports.export": READERS,
    "reports.chart": READERS,
}
