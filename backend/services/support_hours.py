"""When CPS Priority Support answers, per market (backend/data/support_hours.csv, weekdays 0 = Monday;
public holidays of the market are closed)."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays

DATA = Path(__file__).resolve().parent.parent / "data" / "support_hours.csv"
# The market whose support team serves a language when the customer's country is not known.
LANGUAGE_MARKETS = {"en": "GB", "fi": "FI", "et": "EE", "nb": "NO", "lt": "LT", "sv": "SE"}


@dataclass(frozen=True)
class Hours:
    market: str
    timezone: str
    weekdays: range
    opens: time
    closes: time


@lru_cache(maxsize=1)
def _hours() -> dict[str, Hours]:
    table = {}
    with open(DATA, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            first, last = (int(x) for x in row["weekdays"].split("-"))
            table[row["market"]] = Hours(row["market"], row["timezone"], range(first, last + 1),
                                         time.fromisoformat(row["opens"]), time.fromisoformat(row["closes"]))
    return table


def hours_for(country: str | None, language: str) -> Hours:
    table = _hours()
    return table.get((country or "").upper()) or table[LANGUAGE_MARKETS.get(language, "GB")]


def _is_open_day(hours: Hours, day) -> bool:
    return day.weekday() in hours.weekdays and day not in holidays.country_holidays(hours.market, years=day.year)


def next_opening(hours: Hours, now: datetime | None = None) -> tuple[bool, datetime]:
    """(open right now?, when it next opens or opened today) in UTC."""
    zone = ZoneInfo(hours.timezone)
    local = (now or datetime.now(timezone.utc)).astimezone(zone)
    if _is_open_day(hours, local.date()) and hours.opens <= local.time() < hours.closes:
        return True, local.astimezone(timezone.utc)
    day = local.date() if local.time() < hours.opens else local.date() + timedelta(days=1)
    while not _is_open_day(hours, day):
        day += timedelta(days=1)
    return False, datetime.combine(day, hours.opens, tzinfo=zone).astimezone(timezone.utc)
