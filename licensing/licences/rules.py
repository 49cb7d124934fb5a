"""Date rules for licences, badges and DBS checks."""

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's end (31 Aug + 6 months is 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def normalise_reference(value: str) -> str:
    """Licence and badge numbers and vehicle registrations are stored and searched in capitals without
    spaces."""
    return "".join((value or "").split()).upper()


# Vehicle registrations compare in upper case with no spaces (HN19 ABC == hn19abc), as they are stored.
normalise_vrm = normalise_reference
