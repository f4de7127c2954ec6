"""The conversation's language: detected from every message, or asked for explicitly.

Runs as Rasa's `action_validate_slot_mappings` after each user message, before the next
response is chosen, so the bot's answer to this very message is already in the new language.
"""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction

from bot import language_detection, languages
from bot.actions.questions_in_forms import answer_for
from bot.language_check import OFFER_ANSWERS, is_payload


# Form questions answered with a name or a code. "Kuvaamo Revontuli Oy" or "Müller Bau GmbH"
# says nothing about the customer's language, so such answers never switch it or get the
# "we don't speak that" reply. A message the form does not take as the value (a cancel, a
# request for a person, a "no" where domain.yml excludes it) or a general question that the form
# answers first (questions_in_forms) is checked as usual.
NAME_OR_CODE_SLOTS = {
    "company_name", "dealer", "product", "serial_number", "vat_number",
    "contact_email", "old_cps_email", "verify_email", "verify_code",
}


def language_list() -> str:
    return ", ".join(languages.supported().values())


def answers_a_name_or_code(tracker: Tracker) -> bool:
    requested = tracker.get_slot("requested_slot")
    # slots_to_validate: what Rasa's slot mappings took from this very message
    return (requested in NAME_OR_CODE_SLOTS and requested in tracker.slots_to_validate()
            and answer_for(tracker) is None)


class ValidateSlotMappings(ValidationAction):
    """Rasa allows one slot-mapping validator: it sets the language and forgets stale offers."""

    def name(self) -> Text:
        return "action_validate_slot_mappings"

    async def extract_language(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> Dict[Text, Any]:
        message = tracker.latest_message
        if (message.get("intent") or {}).get("name") == "change_language":
            asked = next(tracker.get_latest_entity_values("language"), None)
            asked = languages.normalise(asked)
            if asked:
                return {"language": asked}
        if is_payload(message.get("text")):  # a button payload has no language
            return {}
        if answers_a_name_or_code(tracker):
            return {}
        current = tracker.get_slot("language")
        understood = (message.get("intent") or {}).get("name") != "nlu_fallback"
        switched = language_detection.choose_language(message.get("text") or "", current, understood)
        return {"language": switched} if switched else {}

    async def extract_offer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> Dict[Text, Any]:
        """An offer is answered by the very next message; anything else forgets it."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if tracker.get_slot("offer") and intent not in OFFER_ANSWERS:
            return {"offer": None}
        return {}

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        events = await super().run(dispatcher, tracker, domain)
        text = tracker.latest_message.get("text") or ""
        if (not is_payload(text) and not answers_a_name_or_code(tracker)
                and language_detection.detect(text).unsupported):
            # Answer in the current language, list ours, and skip the (meaningless) intent.
            dispatcher.utter_message(response="utter_unsupported_language", languages=language_list())
            events.append(FollowupAction("action_listen"))
        return events


class ActionConfirmLanguage(Action):
    """After "can we speak Finnish?": confirm in the new language, or ask which one."""

    def name(self) -> Text:
        return "action_confirm_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        asked = languages.normalise(next(tracker.get_latest_entity_values("language"), None))
        if asked and asked == tracker.get_slot("language"):
            dispatcher.utter_message(response="utter_language_changed")
        else:
            buttons = [
                {"title": name, "payload": f'/change_language{{"language":"{code}"}}'}
                for code, name in languages.supported().items()
            ]
            dispatcher.utter_message(response="utter_ask_language", buttons=buttons)
        return []
