"""Applying for a Canon Digital Business account in the chat (application_form)."""
import re
from typing import Any, Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import formatting, parsing
from bot.actions.questions_in_forms import AnswersQuestionsFirst
from bot.actions.verification import find_email
from bot.backend_client import BackendError, BackendUnavailable, backend, idempotency_key

FIELDS = ("company_name", "country", "vat_registered", "vat_number", "contact_email", "old_cps_email")
SKIPPED = "-"   # old_cps_email when the customer had no CPS account or skips it


class ValidateApplicationForm(AnswersQuestionsFirst, FormValidationAction):
    def name(self) -> Text:
        return "validate_application_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> List[Text]:
        slots = list(domain_slots)
        if tracker.get_slot("vat_registered") is False:
            slots.remove("vat_number")
        return slots

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        # "Change the e-mail": a field button (or entity) empties that field so the form asks again.
        field = next(tracker.get_latest_entity_values("field"), None)
        if field in FIELDS:
            events = [SlotSet(field, None), SlotSet("application_confirmed", None)]
            if field == "vat_registered":
                events.append(SlotSet("vat_number", None))
            return events
        return await super().run(dispatcher, tracker, domain)

    async def validate_company_name(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        name = " ".join(str(value or "").split())
        if not 2 <= len(name) <= 200:
            dispatcher.utter_message(response="utter_invalid_company_name")
            return {"company_name": None}
        return {"company_name": name}

    async def validate_country(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        code = parsing.parse_country(str(value or ""))
        if not code:
            dispatcher.utter_message(response="utter_invalid_country")
        return {"country": code}

    async def validate_vat_number(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        body = {"country": tracker.get_slot("country"), "vat_number": str(value or "")[:64]}
        try:
            check = await backend.request("POST", "/v1/vat/check", json=body, idempotency_key=idempotency_key("vat", body))
        except BackendUnavailable:
            dispatcher.utter_message(response="utter_backend_unavailable")
            return {"vat_number": None}
        except BackendError:
            check = {"valid": False, "expected_format": "", "example": ""}
        if not check["valid"]:
            dispatcher.utter_message(response="utter_vat_invalid", expected_format=check["expected_format"],
                                     example=check["example"])
            return {"vat_number": None}
        return {"vat_number": check["normalized"]}

    async def validate_contact_email(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        email = find_email(str(value or ""))
        if not email:
            dispatcher.utter_message(response="utter_invalid_email")
        return {"contact_email": email}

    async def validate_old_cps_email(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if value == SKIPPED:
            return {"old_cps_email": SKIPPED}
        email = find_email(str(value or ""))
        if not email:
            dispatcher.utter_message(response="utter_invalid_email")
        return {"old_cps_email": email}


class ActionAskApplicationConfirmed(Action):
    """The summary to confirm, with buttons to change any field."""

    def name(self) -> Text:
        return "action_ask_application_confirmed"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        language = tracker.get_slot("language")
        yes_no = formatting.label("yes" if tracker.get_slot("vat_registered") else "no", language)
        old = tracker.get_slot("old_cps_email")
        dispatcher.utter_message(
            response="utter_application_summary",
            company_name=tracker.get_slot("company_name"), country=tracker.get_slot("country"),
            vat_registered=yes_no, vat_number=tracker.get_slot("vat_number") or "—",
            contact_email=tracker.get_slot("contact_email"), old_cps_email=old if old != SKIPPED else "—",
        )
        fields = [f for f in FIELDS if f != "vat_number" or tracker.get_slot("vat_registered")]
        dispatcher.utter_message(response="utter_ask_application_confirmed", buttons=[
            {"title": formatting.label(f"change_{f}", language), "payload": f'/inform{{"field":"{f}"}}'}
            for f in fields
        ])
        return []


class ActionSubmitApplication(Action):
    def name(self) -> Text:
        return "action_submit_application"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        reset = [SlotSet(s, None) for s in FIELDS + ("application_confirmed",)]
        if not tracker.get_slot("application_confirmed"):
            dispatcher.utter_message(response="utter_application_cancelled")
            return reset
        old = tracker.get_slot("old_cps_email")
        body = {
            "company_name": tracker.get_slot("company_name"), "country": tracker.get_slot("country"),
            "vat_registered": bool(tracker.get_slot("vat_registered")),
            "vat_number": tracker.get_slot("vat_number") if tracker.get_slot("vat_registered") else None,
            "contact_email": tracker.get_slot("contact_email"),
            "old_cps_email": None if old in (None, SKIPPED) else old,
            "language": tracker.get_slot("language") or "en",
        }
        try:
            # The same answers in the same conversation are the same application, however often sent.
            created = await backend.request("POST", "/v1/applications", json=body,
                                            idempotency_key=idempotency_key(tracker.sender_id, "application", body))
        except BackendUnavailable:
            dispatcher.utter_message(response="utter_backend_unavailable")
            return []   # keep the answers: the customer can try again without retyping
        except BackendError as error:
            response = {"vat_invalid": "utter_vat_invalid_short", "email_invalid": "utter_invalid_email",
                        "country_not_served": "utter_invalid_country"}.get(error.code, "utter_application_refused")
            dispatcher.utter_message(response=response)
            return reset
        language = tracker.get_slot("language")
        documents = formatting.labels([f"document_{d}" for d in created["allowed_document_types"]], language)
        dispatcher.utter_message(response="utter_application_created", upload_url=created["upload_url"],
                                 documents=documents, decision_due=formatting.day(created["decision_due"], language))
        return reset
