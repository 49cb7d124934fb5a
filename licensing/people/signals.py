"""What linking announces to the areas above people/, so people/ need not import them (alerts listen)."""

from blinker import Namespace

_signals = Namespace()

# Sent with the kept Identity when a link joins two identities; keyword arguments: left, right (each side's
# records before the join) and today.
identities_joined = _signals.signal("identities-joined")

# Sent with the old Identity when an approved unlink separates adverse decisions from it; keyword arguments:
# adverse (those decisions), record (the record taken out) and actor.
adverse_unlinked = _signals.signal("adverse-unlinked")
