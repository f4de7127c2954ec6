"""Actions about the customer's products: registration and migration."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot import identity
from bot.actions.common import ask_backend
from bot.backend_client import backend

# Backend diagnosis -> the response that explains it (see domain.yml).
MIGRATE_BUTTON_RESPONSES = {
    "available": "utter_migrate_button_available",
    "no_old_email": "utter_migrate_button_no_old_email",
    "old_email_not_matching": "utter_migrate_button_old_email_not_matching",
    "already_migrated": "utter_migrate_button_already_migrated",
    "no_business_account": "utter_migrate_button_no_account",
}


class ActionExplainMigrateButton(Action):
    """Why the blue MIGRATE PRODUCTS button is (not) there, from the customer's account."""

    def name(self) -> Text:
        return "action_explain_migrate_button"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        token = identity.customer_token(tracker)
        if not token:
            dispatcher.utter_message(response="utter_migrate_button_general")
            return []
        status = await ask_backend(dispatcher, backend.migration_status(token))
        if status is None:
            return []
        response = MIGRATE_BUTTON_RESPONSES.get(status.get("diagnosis"), "utter_migrate_button_general")
        dispatcher.utter_message(
            response=response, products_to_migrate=status.get("products_to_migrate", 0)
        )
        return []
