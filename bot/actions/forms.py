"""Leaving a form: "cancel" empties everything the form collected, so nothing half-filled stays."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher


class ActionCancelForm(Action):
    def name(self) -> Text:
        return "action_cancel_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        form_slots = {slot for form in domain.get("forms", {}).values() for slot in form.get("required_slots", [])}
        form_slots |= {"pending_action", "product_id", "missing_details", "tier_name", "tier_fee"}
        dispatcher.utter_message(response="utter_cancelled")
        return [SlotSet(slot, None) for slot in sorted(form_slots)]
