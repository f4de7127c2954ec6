"""Points, tiers, joining CPS and paying: answered from the customer's account."""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import formatting, identity
from bot.actions.account import AccountAction
from bot.actions.common import ask_backend, tier_names
from bot.actions.questions_in_forms import AnswersQuestionsFirst
from bot.backend_client import BackendError, BackendUnavailable, backend, idempotency_key

PAYMENT_METHODS = ("card", "bank_transfer")


def tier_buttons(tiers) -> List[Dict[str, str]]:
    return [{"title": f'{t["name"]} ({t["annual_fee_eur"]} €)', "payload": f'/inform{{"tier":"{t["code"]}"}}'}
            for t in tiers]


async def points_summary(dispatcher, token) -> Optional[Dict]:
    return await ask_backend(dispatcher, backend.request("GET", "/v1/me/points", token))


class ActionCheckPoints(AccountAction):
    general_response = "utter_check_points"

    def name(self) -> Text:
        return "action_check_points"

    async def run_for_customer(self, dispatcher, tracker, token, language):
        products = await ask_backend(dispatcher, backend.request("GET", "/v1/me/products", token))
        if products is None:
            return []
        summary = await points_summary(dispatcher, token)
        if summary is None:
            return []
        dispatcher.utter_message(response="utter_points_balance",
                                 points=formatting.number(summary["total"], language),
                                 products=len(products["products"]) - products["incomplete"])
        if products["incomplete"]:
            dispatcher.utter_message(response="utter_points_incomplete_products", count=products["incomplete"])
        if summary["next_threshold"] is not None:
            dispatcher.utter_message(response="utter_points_to_next_level",
                                     missing=formatting.number(summary["points_to_next_threshold"], language),
                                     threshold=formatting.number(summary["next_threshold"], language))
        return []


class ActionTiers(AccountAction):
    general_response = "utter_ask_tiers"

    def name(self) -> Text:
        return "action_tiers"

    async def run_for_customer(self, dispatcher, tracker, token, language):
        summary = await points_summary(dispatcher, token)
        if summary is None:
            return []
        points = formatting.number(summary["total"], language)
        if summary["tiers_available"]:
            response = "utter_tiers_available_with_business" if summary["business_tiers_available"] \
                else "utter_tiers_available"
            dispatcher.utter_message(response=response, points=points,
                                     tiers=tier_names(summary["tiers_available"]))
        else:
            dispatcher.utter_message(response="utter_tiers_none_yet", points=points,
                                     missing=formatting.number(summary["points_to_next_threshold"] or 0, language))
        return []


class ActionJoinCps(AccountAction):
    general_response = "utter_join_cps"

    def name(self) -> Text:
        return "action_join_cps"

    async def run_for_customer(self, dispatcher, tracker, token, language):
        me = await ask_backend(dispatcher, backend.request("GET", "/v1/me", token))
        if me is None:
            return []
        if me.get("membership"):
            dispatcher.utter_message(response="utter_already_member", tier=me["membership"]["tier_name"],
                                     membership_number=me["membership"]["membership_number"])
            return []
        if not me["account_created"]:
            dispatcher.utter_message(response="utter_join_account_first")
            return []
        summary = await points_summary(dispatcher, token)
        if summary is None:
            return []
        points = formatting.number(summary["total"], language)
        if not summary["tiers_available"]:
            dispatcher.utter_message(response="utter_join_not_yet", points=points,
                                     missing=formatting.number(summary["points_to_next_threshold"] or 0, language))
            return []
        dispatcher.utter_message(response="utter_join_invited", points=points,
                                 tiers=tier_names(summary["tiers_available"]))
        return [SlotSet("offer", "enrol")]


class ActionAskTier(Action):
    """Asks for the tier with one button per tier this customer can choose."""

    def name(self) -> Text:
        return "action_ask_tier"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        summary = await points_summary(dispatcher, identity.customer_token(tracker))
        if summary is None:
            return [SlotSet("requested_slot", None)]
        dispatcher.utter_message(response="utter_ask_tier", buttons=tier_buttons(summary["tiers_available"]))
        return []


class ValidateEnrolmentForm(AnswersQuestionsFirst, FormValidationAction):
    def name(self) -> Text:
        return "validate_enrolment_form"

    async def validate_tier(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        summary = await points_summary(dispatcher, identity.customer_token(tracker))
        if summary is None:
            return {"tier": None}
        available = summary["tiers_available"]
        wanted = str(value or "").strip().lower()
        chosen = [t for t in available if t["code"] == wanted or t["name"].lower() == wanted]
        if not chosen and wanted == "business":
            business = [t for t in available if t["kind"] == "business"]
            if business:  # "business" names a group: let them pick one of its tiers
                dispatcher.utter_message(response="utter_ask_business_tier", buttons=tier_buttons(business))
                return {"tier": None}
        if not chosen:
            dispatcher.utter_message(response="utter_tier_not_available", tiers=tier_names(available))
            return {"tier": None}
        return {"tier": chosen[0]["code"], "tier_name": chosen[0]["name"], "tier_fee": chosen[0]["annual_fee_eur"]}

    async def validate_payment_method(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if value in PAYMENT_METHODS:
            return {"payment_method": value}
        dispatcher.utter_message(response="utter_payment_method_unknown")
        return {"payment_method": None}

    async def validate_enrolment_confirmed(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return {"enrolment_confirmed": value}


class ActionAskEnrolmentConfirmed(Action):
    def name(self) -> Text:
        return "action_ask_enrolment_confirmed"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        method = tracker.get_slot("payment_method")
        dispatcher.utter_message(
            response=f"utter_confirm_enrolment_{method}",
            tier=tracker.get_slot("tier_name"), fee=tracker.get_slot("tier_fee"),
        )
        return []


class ActionEnrol(Action):
    """Creates the membership once: the idempotency key makes a repeated submit harmless."""

    def name(self) -> Text:
        return "action_enrol"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        reset = [SlotSet(s, None) for s in ("tier", "tier_name", "tier_fee", "payment_method", "enrolment_confirmed")]
        if not tracker.get_slot("enrolment_confirmed"):
            dispatcher.utter_message(response="utter_enrolment_cancelled")
            return reset
        tier, method = tracker.get_slot("tier"), tracker.get_slot("payment_method")
        language = tracker.get_slot("language")
        try:
            result = await backend.request(
                "POST", "/v1/me/enrolment", identity.customer_token(tracker),
                json={"tier": tier, "payment_method": method},
                idempotency_key=idempotency_key(tracker.sender_id, "enrolment", tier, method),
            )
        except BackendUnavailable:
            dispatcher.utter_message(response="utter_backend_unavailable")
            return reset
        except BackendError as error:
            response = {"already_enrolled": "utter_already_member_short", "not_eligible": "utter_join_not_yet_short",
                        "tier_not_available": "utter_tier_not_available_short"}.get(error.code, "utter_backend_unavailable")
            dispatcher.utter_message(response=response)
            return reset
        membership, invoice = result["membership"], result["invoice"]
        dispatcher.utter_message(response="utter_enrolled", tier=membership["tier_name"],
                                 membership_number=membership["membership_number"])
        dispatcher.utter_message(response=f"utter_invoice_{invoice['payment_method']}",
                                 due_date=formatting.day(invoice["due_date"], language, "short_date"))
        if membership.get("replaced_number"):
            dispatcher.utter_message(response="utter_membership_number_replaced",
                                     old_number=membership["replaced_number"],
                                     membership_number=membership["membership_number"])
        return reset


class ActionInvoiceInfo(Action):
    """When the invoice comes and the card is charged: the real dates for members."""

    def name(self) -> Text:
        return "action_invoice_info"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        token = identity.customer_token(tracker)
        invoices = None
        if token:
            try:
                invoices = await backend.request("GET", "/v1/me/invoices", token)
            except BackendError:
                invoices = None  # the general answer is still right
        if not invoices:
            dispatcher.utter_message(response="utter_ask_invoice_charge")
            return []
        invoice = invoices[-1]
        language = tracker.get_slot("language")
        dispatcher.utter_message(response=f"utter_invoice_{invoice['payment_method']}",
                                 due_date=formatting.day(invoice["due_date"], language, "short_date"))
        return []
