"""What the bot is expected to say: the response texts of domain.yml / locales/<lang>.yml as
patterns, so tests assert "the customer got utter_x in Finnish" without copying the texts."""
import re
from functools import lru_cache
from typing import List

import yaml

from tests.services import ROOT


@lru_cache(maxsize=None)
def _responses(language: str) -> dict:
    if language == "en":
        return yaml.safe_load(open(ROOT / "domain.yml", encoding="utf-8"))["responses"]
    return yaml.safe_load(open(ROOT / "locales" / f"{language}.yml", encoding="utf-8"))["responses"]


def pattern(response: str, language: str) -> re.Pattern:
    """A regex matching any variation of the response, with {placeholders} as wildcards."""
    alternatives = []
    for variation in _responses(language)[response]:
        parts = re.split(r"\{\w+\}", variation["text"])
        alternatives.append(".+?".join(re.escape(p) for p in parts))
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.DOTALL)


def said(replies: List[dict], response: str, language: str) -> bool:
    text = "\n".join(r.get("text") or "" for r in replies)
    return bool(pattern(response, language).search(text))


def assert_said(replies: List[dict], response: str, language: str) -> None:
    text = "\n".join(r.get("text") or "" for r in replies)
    assert said(replies, response, language), f"expected {response} in {language}, got:\n{text}"


def said_something_in(replies: List[dict], language: str) -> bool:
    """True if every reply is one of the language's responses."""
    names = list(_responses(language))
    return bool(replies) and all(any(said([reply], name, language) for name in names) for reply in replies)
