"""Yes/no offers: the bot offers something ("Shall I migrate your 3 products now?"), the
`offer` slot remembers what, and the customer's yes or no is routed here by two rules."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.common import continue_with

# What each accepted offer starts.
ON_ACCEPT = {
    "verify": "verify_form",
    "migrate": "action_do_migration",
    "enrol": "enrolment_form",
    "register": "action_register_product",
    "handoff": "action_handoff",
}


class ActionAcceptOffer(Action):
    def name(self) -> Text:
        return "action_accept_offer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        next_action = ON_ACCEPT.get(tracker.get_slot("offer"))
        events: List[EventType] = [SlotSet("offer", None)]
        if next_action:
            events += await continue_with(next_action, dispatcher, tracker, domain)
        else:
            dispatcher.utter_message(response="utter_anything_else")
        return events


class ActionDeclineOffer(Action):
    def name(self) -> Text:
        return "action_decline_offer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(response="utter_anything_else")
        return [SlotSet("offer", None), SlotSet("pending_action", None)]
