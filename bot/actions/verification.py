"""Verifying who the customer is before anything about their own account.

The site's login token is the normal way in. Without it, `verify_form` asks for the
account's e-mail, the backend e-mails a one-time code, and the code is exchanged for the
same kind of token. Whatever the customer wanted (`pending_action`) then continues.
"""
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import identity
from bot.actions.common import continue_with
from bot.actions.questions_in_forms import AnswersQuestionsFirst
from bot.backend_client import BackendError, BackendUnavailable, backend, idempotency_key

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
CODE = re.compile(r"\b(\d{6})\b")


def message_id(tracker: Tracker) -> str:
    """The customer's message this turn answers (Rasa gives every message an id)."""
    return tracker.latest_message.get("message_id") or str(len(tracker.events))


def start_verification(action_name: str) -> List[EventType]:
    """Events that ask the customer to verify, then come back to `action_name`."""
    return [SlotSet("pending_action", action_name), FollowupAction("verify_form")]


def find_email(text: Optional[str]) -> Optional[str]:
    match = EMAIL.search(text or "")
    return match.group(0) if match else None


class ValidateVerifyForm(AnswersQuestionsFirst, FormValidationAction):
    def name(self) -> Text:
        return "validate_verify_form"

    async def validate_verify_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict
    ) -> Dict[Text, Any]:
        email = find_email(value)
        if not email:
            dispatcher.utter_message(response="utter_invalid_email")
            return {"verify_email": None}
        try:
            # The backend answers the same whether or not the address has an account.
            # Keyed per message: a retry sends one e-mail, asking again later sends a new code.
            await backend.request("POST", "/v1/auth/code", json={"email": email},
                                  idempotency_key=idempotency_key(tracker.sender_id, message_id(tracker), email))
        except BackendUnavailable:
            dispatcher.utter_message(response="utter_backend_unavailable")
            return {"verify_email": None}
        except BackendError as error:
            response = "utter_code_locked" if error.code == "too_many_attempts" else "utter_invalid_email"
            dispatcher.utter_message(response=response)
            return {"verify_email": None}
        dispatcher.utter_message(response="utter_code_sent", email=email)
        return {"verify_email": email}

    async def validate_verify_code(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict
    ) -> Dict[Text, Any]:
        match = CODE.search(str(value or ""))
        if not match:
            dispatcher.utter_message(response="utter_invalid_code")
            return {"verify_code": None}
        body = {"email": tracker.get_slot("verify_email"), "code": match.group(1)}
        try:
            answer = await backend.request("POST", "/v1/auth/verify", json=body,
                                           idempotency_key=idempotency_key(tracker.sender_id, message_id(tracker), body))
        except BackendUnavailable:
            dispatcher.utter_message(response="utter_backend_unavailable")
            return {"verify_code": None}
        except BackendError as error:
            if error.code == "too_many_attempts":
                dispatcher.utter_message(response="utter_code_locked")
                return {"verify_code": "failed", "customer_token": None}
            dispatcher.utter_message(response="utter_invalid_code")
            return {"verify_code": None}
        return {"verify_code": "ok", "customer_token": answer["token"]}


class ActionVerificationDone(Action):
    """After verify_form: continue with what the customer asked for, now with their account."""

    def name(self) -> Text:
        return "action_verification_done"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        events: List[EventType] = [SlotSet("verify_email", None), SlotSet("verify_code", None)]
        pending = tracker.get_slot("pending_action")
        if not identity.customer_token(tracker):
            return events + [SlotSet("pending_action", None)]
        dispatcher.utter_message(response="utter_verified")
        events.append(SlotSet("pending_action", None))
        if pending:
            events += await continue_with(pending, dispatcher, tracker, domain)
        return events
