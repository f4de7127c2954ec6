"""Business-day arithmetic in a country's calendar: weekends, public holidays (`holidays`), and
the eves that close offices where markets.csv says so (Midsummer, Christmas, New Year's Eve)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays

from .common import local_today
from .markets import get_market


def _midsummer_eve(year: int) -> date:
    # The Friday between 19 and 25 June (Finland and Sweden).
    d = date(year, 6, 19)
    return d + timedelta(days=(4 - d.weekday()) % 7)


_EVES = {
    "midsummer_eve": _midsummer_eve,
    "christmas_eve": lambda y: date(y, 12, 24),
    "new_years_eve": lambda y: date(y, 12, 31),
}


@lru_cache(maxsize=256)
def closed_days(country: str, year: int) -> frozenset[date]:
    market = get_market(country)
    days = set(holidays.country_holidays(market.country, years=year).keys())
    days.update(_EVES[name](year) for name in market.extra_closed_days if name in _EVES)
    return frozenset(days)


def is_business_day(country: str, day: date) -> bool:
    return day.weekday() < 5 and day not in closed_days(country, day.year)


def add_business_days(country: str, start: date, n: int) -> date:
    """The n-th business day after `start` (start itself does not count)."""
    day = start
    while n > 0:
        day += timedelta(days=1)
        if is_business_day(country, day):
            n -= 1
    return day


def decision_due(submitted_at: datetime, country: str, n: int = 2, calendar: str = "applicant") -> date:
    """Expected decision date: n business days after the submission day, counted in the
    applicant's calendar (or a fixed country's, if the operator configured one)."""
    cal_country = country if calendar in ("", "applicant") else calendar
    market = get_market(cal_country)
    return add_business_days(market.country, local_today(market.timezone, submitted_at), n)
