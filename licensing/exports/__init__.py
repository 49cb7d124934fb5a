"""Exports: search results, chronologies and the admin lists as CSV and .xlsx, through one shared writer."""
