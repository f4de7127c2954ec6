"""VAT number checks per country with python-stdnum (offline; no VIES)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum import vatin
from stdnum.no import orgnr

from ..errors import DomainError
from .markets import get_market

# VAT prefixes that differ from the ISO country code.
_PREFIX = {"GR": "EL"}


@dataclass(frozen=True)
class VatCheck:
    valid: bool
    normalized: str | None
    expected_format: str
    example: str
    reason: str | None = None


def _compact(value: str) -> str:
    return re.sub(r"[\s.\-/]", "", value or "").upper()


def check_vat(country: str, number: str) -> VatCheck:
    """Is `number` a valid VAT number of `country`? Accepts it with or without the country prefix,
    and a bare Norwegian org.nr (the `MVA` suffix is added). Never raises for bad input."""
    market = get_market(country)
    prefix = _PREFIX.get(market.country, market.country)
    fmt, example = market.vat_format, market.vat_example
    raw = _compact(number)
    if not raw or len(raw) > 30 or not raw.isascii():
        return VatCheck(False, None, fmt, example, "empty or not a VAT number")
    if raw[:2].isalpha() and raw[:2] != prefix:
        return VatCheck(False, None, fmt, example, f"prefix {raw[:2]} is not {prefix}")
    candidate = raw if raw.startswith(prefix) else prefix + raw
    if market.country == "NO" and not candidate.endswith("MVA"):
        # People often give the org.nr without MVA; it is the same number.
        if orgnr.is_valid(candidate[2:]):
            candidate += "MVA"
    try:
        if vatin.is_valid(candidate):
            return VatCheck(True, vatin.compact(candidate), fmt, example)
    except Exception:  # stdnum raises only ValidationError, but input here is untrusted
        pass
    return VatCheck(False, None, fmt, example, "check digits or length do not match")


def require_valid_vat(country: str, number: str) -> str:
    result = check_vat(country, number)
    if not result.valid:
        raise DomainError(
            "vat_invalid",
            f"Not a valid VAT number for {country.upper()}; expected format {result.expected_format}",
            expected_format=result.expected_format, example=result.example,
        )
    return result.normalized
