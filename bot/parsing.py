"""Reading dates, countries and serial numbers the way customers type them, in six languages."""
import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import dateparser
import yaml
from babel import Locale

from bot import languages

ENTITY_VALUES = Path(__file__).parent / "nlu" / "entity_values.yml"
SERIAL = re.compile(r"^[A-Za-z0-9-]{4,40}$")
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_LT_DATE_WORDS = re.compile(r"\b(m|d)\.", re.IGNORECASE)   # "2023 m. kovo 12 d."


def parse_date(text: str, language: Optional[str]) -> Optional[date]:
    """A purchase date from '12.3.2024', 'maaliskuussa 2023', '15 mars 2023', '2023-05-14'…"""
    cleaned = _LT_DATE_WORDS.sub(" ", text or "").strip()
    if not cleaned or len(cleaned) > 60:
        return None
    iso = _ISO_DATE.search(cleaned)
    if iso:
        try:
            return date.fromisoformat(iso.group(0))
        except ValueError:
            return None
    candidates = [language] if language in languages.supported() else []
    settings = {"PREFER_DAY_OF_MONTH": "first", "DATE_ORDER": "DMY", "PREFER_DATES_FROM": "past",
                "RETURN_AS_TIMEZONE_AWARE": False}
    for langs in (candidates, list(languages.supported())):
        try:
            parsed = dateparser.parse(cleaned, languages=[l for l in langs if l] or None, settings=settings)
        except Exception:  # dateparser raises on some odd inputs; treat them as "not a date"
            parsed = None
        if parsed:
            return parsed.date()
    return None


@lru_cache(maxsize=None)
def _country_names() -> Dict[str, str]:
    """Lower-case country name in any of our languages -> ISO code."""
    names = {}
    for language in languages.supported():
        for code, name in Locale.parse(language).territories.items():
            if len(code) == 2 and code.isalpha():
                names[name.lower()] = code
    return names


@lru_cache(maxsize=1)
def _informal_country_patterns() -> List[Tuple[re.Pattern, str]]:
    """'england', 'jenkeistä', 'USA-st' …: bot/nlu/entity_values.yml `country`; short entries
    ('uk', 'jav', 'the us') as whole words, longer ones as word beginnings."""
    with open(ENTITY_VALUES, encoding="utf-8") as f:
        countries = (yaml.safe_load(f) or {}).get("country", {})
    patterns = []
    for code, beginnings in countries.items():
        for beginning in beginnings:
            end = r"(?!\w)" if len(beginning.split()[-1]) <= 3 else ""
            patterns.append((re.compile(r"(?<!\w)" + re.escape(beginning) + end), code))
    return patterns


def informal_country(value: str) -> Optional[str]:
    return next((code for pattern, code in _informal_country_patterns() if pattern.search(value)), None)


def parse_country(text: str) -> Optional[str]:
    """'FI', 'Suomi', 'Suomesta', 'Lietuvoje', 'Norway' -> ISO code; inflected forms by prefix."""
    value = (text or "").strip().strip(".!?").lower()
    if not value:
        return None
    if len(value) == 2 and value.upper() in {c for c in _country_names().values()}:
        return value.upper()
    names = _country_names()
    if value in names:
        return names[value]
    informal = informal_country(value)
    if informal:
        return informal
    # Finnish, Estonian and Lithuanian inflect names ("Suomesta", "Eestis", "Lietuvoje"): match a
    # shared stem of at least 4 letters, and only if it points to a single country.
    for length in range(min(len(value), 8), 3, -1):
        stem = value[:length]
        found = {code for name, code in names.items() if name.startswith(stem) and len(name) - length <= 4}
        if len(found) == 1:
            return found.pop()
    return None


def parse_serial(text: str) -> Optional[str]:
    value = (text or "").strip().strip(".").replace(" ", "")
    return value if SERIAL.match(value) else None
