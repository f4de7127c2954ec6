"""Session start: carry slots over and take the site's locale and login from the metadata."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import identity, languages


class ActionSessionStart(Action):
    def name(self) -> Text:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        events: List[EventType] = [SessionStarted()]
        carried = {
            name: value
            for name, value in tracker.current_slot_values().items()
            if value is not None and name != "session_started_metadata"
        }
        events += [SlotSet(name, value) for name, value in carried.items()]

        metadata = tracker.get_slot("session_started_metadata") or {}
        site_language = languages.normalise(metadata.get("language"))
        if site_language:
            events.append(SlotSet("language", site_language))
        # Without a locale the language stays unset (answers in the default language) until
        # the first message whose language is clear sets it (bot/actions/language.py).
        token = identity.metadata_token(metadata)
        if token:
            events.append(SlotSet("customer_token", token))

        events.append(ActionExecuted("action_listen"))
        return events
