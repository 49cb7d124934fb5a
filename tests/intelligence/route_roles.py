"""The intelligence area's routes for the role x route matrix: every one is for the police point of contact
only."""

from licensing.auth.models import Role

POLICE_ONLY = frozenset({Role.POLICE_SPOC})

ROUTE_ROLES = {
    "intelligence.police_search": POLICE_ONLY,
    "intelligence.new_item": POLICE_ONLY,
    "intelligence.item": POLICE_ONLY,
    "intelligence.edit_item": POLICE_ONLY,
    "intelligence.withdraw_item": POLICE_ONLY,
    "intelligence.responses": POLICE_ONLY,
    "intelligence.reviews_due": POLICE_ONLY,
}
