"""Dates and numbers written the way each language writes them (Babel's CLDR data).

The date patterns are configuration in locales/<lang>.yml (`formats:`), so a new language
needs no code.
"""
from datetime import date, datetime
from functools import lru_cache
from typing import Optional, Union

import yaml
from babel.dates import format_date
from babel.numbers import format_decimal

from bot import languages

DEFAULT_FORMATS = {"date": "EEEE d MMMM", "short_date": "d MMMM y", "day_and_time": "EEEE d MMMM HH:mm"}


@lru_cache(maxsize=None)
def _formats(language: str) -> dict:
    path = languages.LOCALES_DIR / f"{language}.yml"
    formats = {}
    if path.exists():
        with open(path, encoding="utf-8") as f:
            formats = (yaml.safe_load(f) or {}).get("formats") or {}
    return {**DEFAULT_FORMATS, **formats}


def _locale(language: Optional[str]) -> str:
    return language if language in languages.supported() else languages.default()


def day(value: Union[str, date, datetime, None], language: Optional[str], kind: str = "date") -> str:
    """'Tuesday 24 November' / 'tiistaina 24.11.' … from an ISO string or a date."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if isinstance(value, datetime):
        value = value.date()
    language = _locale(language)
    return format_date(value, _formats(language)[kind], locale=language)


def moment(value: str, language: Optional[str]) -> str:
    """A local date and time given as ISO with its offset, e.g. support opening hours."""
    from babel.dates import format_datetime

    when = datetime.fromisoformat(value)
    language = _locale(language)
    return format_datetime(when, _formats(language)["day_and_time"], tzinfo=when.tzinfo, locale=language)


def number(value: Union[int, float], language: Optional[str]) -> str:
    return format_decimal(value, locale=_locale(language))


@lru_cache(maxsize=None)
def _labels(language: str) -> dict:
    path = languages.LOCALES_DIR / f"{language}.yml"
    if not path.exists():
        return {}
    with open(path, encoding="utf-8") as f:
        return (yaml.safe_load(f) or {}).get("labels") or {}


def label(key: str, language: Optional[str]) -> str:
    """A UI term such as a product detail's name, in the language (English if missing)."""
    return _labels(_locale(language)).get(key) or _labels("en").get(key) or key


def labels(keys, language: Optional[str]) -> str:
    return ", ".join(label(k, language) for k in keys)
