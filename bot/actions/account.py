"""The customer's application and account: status, password e-mail and "what is my next step"."""
import abc
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import formatting, identity
from bot.actions.common import ask_backend, tier_names
from bot.actions.verification import start_verification
from bot.backend_client import backend


class AccountAction(Action, metaclass=abc.ABCMeta):
    """An action about the customer's own account.

    Verified customers get the real state of their account. Anonymous ones get the general
    answer (`general_response`) and an offer to check their own account; when there is no
    general answer (the question is only about their account), verification starts at once.
    """

    general_response = None

    @abc.abstractmethod
    def name(self) -> Text:
        """Abstract, so that rasa-sdk does not register this base class as an action."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        token = identity.customer_token(tracker)
        if token:
            return await self.run_for_customer(dispatcher, tracker, token, tracker.get_slot("language"))
        if self.general_response:
            dispatcher.utter_message(response=self.general_response)
            dispatcher.utter_message(response="utter_offer_verification")
            return [SlotSet("pending_action", self.name()), SlotSet("offer", "verify")]
        dispatcher.utter_message(response="utter_verify_to_continue")
        return start_verification(self.name())

    async def run_for_customer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, token: str, language: str
    ) -> List[EventType]:
        raise NotImplementedError


def tell_application_state(dispatcher: CollectingDispatcher, me: Dict, language: str) -> bool:
    """Says where the application stands if it is not validated yet; True if it said something."""
    status = me["application_status"]
    if status == "waiting_for_document":
        dispatcher.utter_message(response="utter_application_waiting_for_document")
    elif status == "submitted":
        dispatcher.utter_message(
            response="utter_application_submitted",
            decision_due=formatting.day(me["decision_due"], language),
        )
    elif status == "rejected":
        dispatcher.utter_message(response="utter_application_rejected", reason=me.get("status_reason") or "")
    else:
        return False
    return True


class ActionApplicationStatus(AccountAction):
    general_response = "utter_check_application_status"

    def name(self) -> Text:
        return "action_application_status"

    async def run_for_customer(self, dispatcher, tracker, token, language):
        me = await ask_backend(dispatcher, backend.request("GET", "/v1/me", token))
        if me is None:
            return []
        if not tell_application_state(dispatcher, me, language):
            response = "utter_account_ready" if me["password_set"] else "utter_account_created_set_password"
            dispatcher.utter_message(response=response)
        return []


class ActionPasswordHelp(AccountAction):
    general_response = "utter_password_help"

    def name(self) -> Text:
        return "action_password_help"

    async def run_for_customer(self, dispatcher, tracker, token, language):
        me = await ask_backend(dispatcher, backend.request("GET", "/v1/me", token))
        if me is None:
            return []
        if tell_application_state(dispatcher, me, language):
            dispatcher.utter_message(response="utter_password_not_yet")
        elif me["password_set"]:
            dispatcher.utter_message(response="utter_password_already_set")
        else:
            dispatcher.utter_message(response="utter_account_created_set_password")
        return []


class ActionNextStep(AccountAction):
    """The one thing this customer should do next, from the real state of their account."""

    def name(self) -> Text:
        return "action_next_step"

    async def run_for_customer(self, dispatcher, tracker, token, language):
        me = await ask_backend(dispatcher, backend.request("GET", "/v1/me", token))
        if me is None:
            return []
        if tell_application_state(dispatcher, me, language):
            return []
        if not me["password_set"]:
            dispatcher.utter_message(response="utter_account_created_set_password")
            return []
        migration = await ask_backend(dispatcher, backend.request("GET", "/v1/me/migration", token))
        if migration is None:
            return []
        if migration["diagnosis"] == "available":
            dispatcher.utter_message(response="utter_next_step_migrate",
                                     products_to_migrate=migration["products_to_migrate"])
            return []
        products = await ask_backend(dispatcher, backend.request("GET", "/v1/me/products", token))
        if products is None:
            return []
        if products["incomplete"]:
            dispatcher.utter_message(response="utter_next_step_complete_products",
                                     count=products["incomplete"])
            return []
        if me.get("membership"):
            dispatcher.utter_message(response="utter_next_step_member", tier=me["membership"]["tier_name"],
                                     membership_number=me["membership"]["membership_number"])
            return []
        points = await ask_backend(dispatcher, backend.request("GET", "/v1/me/points", token))
        if points is None:
            return []
        if points["tiers_available"]:
            dispatcher.utter_message(response="utter_next_step_join",
                                     points=formatting.number(points["total"], language),
                                     tiers=tier_names(points["tiers_available"]))
        else:
            dispatcher.utter_message(
                response="utter_next_step_collect_points",
                points=formatting.number(points["total"], language),
                missing=formatting.number(points["points_to_next_threshold"] or 0, language),
            )
        return []
