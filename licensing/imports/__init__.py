"""Bulk import: read, check every row, then apply all or nothing through one service."""
