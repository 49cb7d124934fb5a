"""The engine's bounded caches: one rule for every table that remembers work it could always redo.

A ``BoundedCache`` is a dict that empties itself when it is full and a new entry goes in. Its entries can
always be worked out again, so emptying costs only cache misses, never a different answer. A hit is a plain
``dict.get`` (no Python call: the per-pair hot path reads these); a miss goes through ``put``::

    found = cache.get(key)
    if found is None:
        found = cache.put(key, compute(...))
"""

from __future__ import annotations

from typing import TypeVar

__all__ = ["BoundedCache"]

K = TypeVar("K")
V = TypeVar("V")


class BoundedCache(dict[K, V]):
    """A dict of at most ``cap`` entries: ``put`` empties it first when it is full."""

    __slots__ = ("cap",)

    def __init__(self, cap: int) -> None:
        super().__init__()
        if cap < 1:
            raise ValueError("a bounded cache needs room for one entry")
        self.cap = cap

    def put(self, key: K, value: V) -> V:
        """Remember ``value`` for ``key`` (emptying the table first when it is full); return the value."""
        if len(self) >= self.cap:
            self.clear()
        self[key] = value
        return value

    def get_or_compute(self, key: K, compute, *args) -> V:
        """The value for ``key``, worked out by ``compute(*args)`` and remembered on a miss. Values are never
        None (None marks a miss)."""
        found = self.get(key)
        if found is None:
            found = self.put(key, compute(*args))
        return found
