"""The cheap half of the language check, without lingua, so that the Rasa process can use it.

Rasa calls `action_validate_slot_mappings` (bot/actions/language.py) after every message. For
many messages its answer is known before the call: a button payload or a message of fewer than
MIN_LETTERS letters has no language to detect, and without a pending offer or a request for
another language there is nothing else for it to change. The Rasa process then skips the call
(bot/rasa_speedups.py); tests/unit/test_language_check.py runs the real action on the test
splits to show that the skipped calls would have changed nothing.
"""
import re
from typing import Optional

MIN_LETTERS = 12        # below this, detections are mostly noise

_WORD = re.compile(r"[^\W\d_]+")
# Things that look the same in every language and only add noise.
_NOISE = re.compile(r"\S+@\S+|https?://\S+|\b[A-Z]{2,}[\w-]*\b|\b\w*\d\w*\b")


def without_noise(text: Optional[str]) -> str:
    return _NOISE.sub(" ", text or "")


def letter_count(cleaned: str) -> int:
    return sum(len(word) for word in _WORD.findall(cleaned))


def may_change_anything(text: Optional[str], intent: Optional[str], offer: Optional[str]) -> bool:
    """False when `action_validate_slot_mappings` would return nothing new for this message."""
    if intent == "change_language":
        return True                        # sets the language the customer asked for
    if offer and intent not in ("affirm", "deny"):
        return True                        # forgets the offer nobody answered
    text = text or ""
    if text.startswith("/"):
        return False                       # a button payload has no language
    return letter_count(without_noise(text)) >= MIN_LETTERS
