"""When the language check cannot change anything, decided in the Rasa process.

Rasa calls `action_validate_slot_mappings` (bot/actions/language.py) on the action server after
every message. For most messages its answer is known before the call: a button payload or a
message of fewer than 12 letters has no language to detect, and neither has a message that the
quick check finds clearly in the conversation's language; without a pending offer or a request
for another language there is nothing else for the action to change. The Rasa process then skips
the call (bot/rasa_speedups.py). tests/unit/test_language_check.py runs the real action on the
test splits to show that the skipped calls would have changed nothing.
"""
from typing import Optional

from bot import language_detection


def may_change_anything(text: Optional[str], intent: Optional[str], offer: Optional[str],
                        language: Optional[str]) -> bool:
    """False when `action_validate_slot_mappings` would return nothing new for this message."""
    if intent == "change_language":
        return True                        # sets the language the customer asked for
    if offer and intent not in ("affirm", "deny"):
        return True                        # forgets the offer nobody answered
    text = text or ""
    if text.startswith("/") or language_detection.too_short(text):
        return False                       # a button payload or "ok" has no language
    return not language_detection.clearly_in(text, language)
