"""Working days in England: weekends and England's bank holidays (from the maintained `holidays` library)."""

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (the day of sending does not count)."""
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day
