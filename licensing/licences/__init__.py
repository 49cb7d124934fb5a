"""Licences issued by the licensing authorities (and the badge and DBS records they share a home with)."""

from licensing.licences.models import is_current

__all__ = ["is_current"]
