"""The fingerprint of the rules a record's stored keys and name counts are derived from.

A register stores each record's blocking keys and its name and birth-date counts; when the rules that derive
them change (a name table, a parsing or key rule), keys built before are stale and the records are no longer
found, or linked, under the new ones. The fingerprint is stored with the keys, so a changed one is noticed."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources

__all__ = ["KEYING_RULES_VERSION", "keying_fingerprint"]

# Raise by one whenever a change to the code (normalise, blocking, the search-only keys, frequency terms)
# changes the keys or counts of some record: stored databases then need `flask people rebuild-keys`.
# The name tables' text is hashed, so a change to them needs no bump.
KEYING_RULES_VERSION = 1

_TABLES = ("diminutives.txt", "honorifics.txt", "titles.txt", "variant_families.txt")


@cache
def keying_fingerprint() -> str:
    """"v<version>:<first 16 hex digits of the name tables' SHA-256>"."""
    digest = hashlib.sha256()
    for name in _TABLES:
        digest.update(name.encode() + b"\0")
        digest.update(resources.files(__package__).joinpath("data", name).read_bytes())
    return f"v{KEYING_RULES_VERSION}:{digest.hexdigest()[:16]}"
