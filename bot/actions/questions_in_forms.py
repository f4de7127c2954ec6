"""A general question asked while a form waits for an answer is answered, then the form asks again.

Without this, "how do I register?" typed where the form expects an e-mail address would be
validated as the e-mail and refused. Only confident, general questions with a fixed answer count;
anything else is the customer's answer and goes to the form's own validation.
"""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

ANSWERS = {
    "how_to_register": "utter_how_to_register",
    "ask_required_documents": "utter_ask_required_documents",
    "ask_old_email": "utter_ask_old_email",
    "ask_payment": "utter_ask_payment",
    "ask_membership_number": "utter_ask_membership_number",
    "ask_membership_start": "utter_ask_membership_start",
    "bot_challenge": "utter_iamabot",
    "help": "utter_help",
}
CONFIDENT = 0.8


def answer_for(tracker: Tracker) -> Optional[Text]:
    intent = tracker.latest_message.get("intent") or {}
    if (intent.get("confidence") or 0.0) < CONFIDENT:
        return None
    return ANSWERS.get(intent.get("name"))


class AnswersQuestionsFirst:
    """Mixin for a FormValidationAction (put it first among the bases)."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        requested = tracker.get_slot("requested_slot")
        response = answer_for(tracker)
        # Only the slot the customer was just asked for, filled from this very message.
        if requested and response and requested in tracker.slots_to_validate():
            dispatcher.utter_message(response=response)
            return [SlotSet(requested, None)]
        return await super().run(dispatcher, tracker, domain)
