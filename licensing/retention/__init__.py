"""Retention review and disposal (MoPI; NR3S 11 years; licensing files 7 years), and subject access."""
