"""When the language check cannot change anything, decided in the Rasa process.

Rasa calls `action_validate_slot_mappings` (bot/actions/language.py) on the action server after
every message. For most messages its answer is known before the call, and the Rasa process then
skips it (bot/rasa_speedups.py):
- for certain: a button payload or a message of fewer than 12 letters has no language to detect,
  and without a pending offer or a request for another language nothing else can change;
- measured: a message that lingua's low-accuracy models find clearly in the conversation's
  language (bot/language_detection.py, `clearly_in`). Of the test splits' 11 772 pairs of a
  message and a conversation language, the full check would have switched one skipped this way.
tests/unit/test_language_check.py runs the real action on the test splits to check both.
"""
from typing import Optional

from bot import language_detection

OFFER_ANSWERS = ("affirm", "deny")   # the answers to an offer; any other message forgets it


def is_payload(text: Optional[str]) -> bool:
    return (text or "").startswith("/")


def may_change_anything(text: Optional[str], intent: Optional[str], offer: Optional[str],
                        language: Optional[str]) -> bool:
    """False when `action_validate_slot_mappings` would return nothing new for this message."""
    if intent == "change_language":
        return True                        # sets the language the customer asked for
    if offer and intent not in OFFER_ANSWERS:
        return True                        # forgets the offer nobody answered
    if is_payload(text) or language_detection.too_short(text):
        return False                       # a button payload or "ok" has no language
    return not language_detection.clearly_in(text, language)
