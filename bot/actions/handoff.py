"""Handing the conversation to a person of CPS Priority Support.

Opens a ticket in the backend with what the agent needs (language, reason, the diagnosis,
the slots, the transcript) and pauses the bot; an agent hands it back later (issue 6).
"""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType
from rasa_sdk.executor import CollectingDispatcher

from bot import formatting, identity, languages
from bot.backend_client import BackendError, backend, idempotency_key

SUMMARY_SLOTS = ("diagnosis", "company_name", "country", "product", "serial_number", "tier", "payment_method")
TRANSCRIPT_TURNS = 30


def summary(tracker: Tracker) -> str:
    lines = [f"intent before handoff: {(tracker.latest_message.get('intent') or {}).get('name')}"]
    lines += [f"{slot}: {tracker.get_slot(slot)}" for slot in SUMMARY_SLOTS if tracker.get_slot(slot)]
    lines.append("verified customer: " + ("yes" if identity.customer_token(tracker) else "no"))
    lines.append("--- transcript ---")
    turns = [e for e in tracker.events if e.get("event") in ("user", "bot") and e.get("text")]
    for event in turns[-TRANSCRIPT_TURNS:]:
        who = "customer" if event["event"] == "user" else "bot"
        lines.append(f"{who}: {event['text'][:500]}")
    return "\n".join(lines)[:5000]


class ActionHandoff(Action):
    def name(self) -> Text:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        language = tracker.get_slot("language") or languages.default()
        reason = tracker.get_slot("diagnosis") or (tracker.latest_message.get("intent") or {}).get("name") or "request_human"
        ticket = {"conversation_id": tracker.sender_id, "language": language,
                  "reason": reason, "summary": summary(tracker)}
        try:
            opened = await backend.request("POST", "/v1/handoff/tickets", identity.customer_token(tracker),
                                           json=ticket, idempotency_key=idempotency_key("handoff", ticket))
        except BackendError:
            dispatcher.utter_message(response="utter_handoff_unavailable")
            return []
        if opened.get("within_support_hours") is False:
            dispatcher.utter_message(response="utter_handoff_outside_hours",
                                     next_opening=formatting.moment(opened["next_opening_local"], language))
        else:
            dispatcher.utter_message(response="utter_handoff")
            dispatcher.utter_message(response="utter_queue_position", position=opened.get("queue_position") or 1)
        return [ConversationPaused()]
