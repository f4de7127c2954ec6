"""Misunderstandings: a localised "did you mean …?" and, after the second miss, a person.

These override Rasa's default actions used by the two-stage fallback loop, whose own
texts are English only.
"""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from bot import formatting

# Small talk and bare data make poor "did you mean" suggestions.
NOT_SUGGESTED = {"nlu_fallback", "out_of_scope", "inform", "affirm", "deny", "greet", "goodbye", "thank", "cancel",
                 "bot_challenge", "change_language"}


class ActionAskAffirmation(Action):
    def name(self) -> Text:
        return "action_default_ask_affirmation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        ranking = tracker.latest_message.get("intent_ranking") or []
        guesses = [i["name"] for i in ranking if i.get("name") not in NOT_SUGGESTED][:3]
        language = tracker.get_slot("language")
        buttons = [{"title": formatting.label(f"intent_{name}", language), "payload": f"/{name}"}
                   for name in guesses]
        # Rasa's two-stage fallback treats /out_of_scope as "none of these".
        buttons.append({"title": formatting.label("none_of_these", language), "payload": "/out_of_scope"})
        dispatcher.utter_message(response="utter_did_you_mean", buttons=buttons)
        return []


class ActionDefaultFallback(Action):
    """Second miss in a row: say so, and offer a person from CPS Priority Support."""

    def name(self) -> Text:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(response="utter_offer_handoff")
        return [UserUtteranceReverted(), SlotSet("offer", "handoff")]
