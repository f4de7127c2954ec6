"""Markets (countries) the service accepts, read from data/markets.csv."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from ..data import DATA_DIR
from ..errors import DomainError

LANGUAGES = ("en", "fi", "et", "nb", "lt", "sv")


@dataclass(frozen=True)
class Market:
    country: str
    name: str
    timezone: str
    default_language: str
    vat_format: str
    vat_example: str
    extra_closed_days: tuple[str, ...]  # midsummer_eve, christmas_eve, new_years_eve


@lru_cache(maxsize=1)
def load_markets() -> dict[str, Market]:
    with open(DATA_DIR / "markets.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {
        r["country"].strip().upper(): Market(
            country=r["country"].strip().upper(),
            name=r["name"].strip(),
            timezone=r["timezone"].strip(),
            default_language=r["default_language"].strip(),
            vat_format=r["vat_format"].strip(),
            vat_example=r["vat_example"].strip(),
            extra_closed_days=tuple(x.strip() for x in (r["extra_closed_days"] or "").split(";") if x.strip()),
        )
        for r in rows
    }


def get_market(country: str) -> Market:
    market = load_markets().get((country or "").strip().upper())
    if market is None:
        raise DomainError("country_not_supported", f"Country {country!r} is not a CPS market here",
                          supported=sorted(load_markets()))
    return market


def check_language(language: str | None, market: Market) -> str:
    if not language:
        return market.default_language
    if language not in LANGUAGES:
        raise DomainError("language_not_supported", "language must be one of " + ", ".join(LANGUAGES))
    return language
