"""The customer's products: migration from the old CPS account, registration, green ticks."""
import difflib
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import formatting, identity, parsing
from bot.actions.account import AccountAction
from bot.actions.common import ask_backend
from bot.actions.questions_in_forms import AnswersQuestionsFirst
from bot.backend_client import BackendError, BackendUnavailable, backend, idempotency_key

# Backend diagnosis -> the response that explains it (see domain.yml).
MIGRATE_BUTTON_RESPONSES = {
    "available": "utter_migrate_button_available",
    "no_old_email": "utter_migrate_button_no_old_email",
    "old_email_not_matching": "utter_migrate_button_old_email_not_matching",
    "already_migrated": "utter_migrate_button_already_migrated",
    "no_business_account": "utter_migrate_button_no_account",
}
# Diagnoses whose remedy is "register again or contact CPS Priority Support".
NEEDS_REMEDY = {"no_old_email", "old_email_not_matching"}
DETAIL_SLOTS = ("serial_number", "purchase_date", "country_of_purchase", "dealer")
PRODUCT_SLOTS = ("product",) + DETAIL_SLOTS


async def migration_status(dispatcher, token) -> Optional[Dict]:
    return await ask_backend(dispatcher, backend.request("GET", "/v1/me/migration", token))


def explain_diagnosis(dispatcher: CollectingDispatcher, status: Dict) -> List[EventType]:
    diagnosis = status.get("diagnosis")
    dispatcher.utter_message(response=MIGRATE_BUTTON_RESPONSES.get(diagnosis, "utter_migrate_button_general"),
                             products_to_migrate=status.get("products_to_migrate", 0))
    if diagnosis in NEEDS_REMEDY:
        dispatcher.utter_message(response="utter_offer_remedy")
        return [SlotSet("diagnosis", diagnosis)]
    return []


class ActionExplainMigrateButton(AccountAction):
    """Why the blue MIGRATE PRODUCTS button is (not) there, from the customer's account."""

    general_response = "utter_migrate_button_general"

    def name(self) -> Text:
        return "action_explain_migrate_button"

    async def run_for_customer(self, dispatcher, tracker, token, language):
        status = await migration_status(dispatcher, token)
        return [] if status is None else explain_diagnosis(dispatcher, status)


class ActionMigrateProducts(AccountAction):
    """"How do I move my products?": offer to do it now when the migration is available."""

    general_response = "utter_migrate_products"

    def name(self) -> Text:
        return "action_migrate_products"

    async def run_for_customer(self, dispatcher, tracker, token, language):
        status = await migration_status(dispatcher, token)
        if status is None:
            return []
        if status["diagnosis"] == "available":
            dispatcher.utter_message(response="utter_offer_migration",
                                     products_to_migrate=status["products_to_migrate"])
            return [SlotSet("offer", "migrate")]
        return explain_diagnosis(dispatcher, status)


class ActionDoMigration(Action):
    def name(self) -> Text:
        return "action_do_migration"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        result = await ask_backend(
            dispatcher, backend.request("POST", "/v1/me/migration", identity.customer_token(tracker),
                                        idempotency_key=idempotency_key(tracker.sender_id, "migration")))
        if result is None:
            return []
        if result["diagnosis"] == "already_migrated" and result.get("products_moved"):
            dispatcher.utter_message(response="utter_migration_done", products_moved=result["products_moved"])
            if result.get("old_membership_number"):
                dispatcher.utter_message(response="utter_ask_membership_number")
        else:
            explain_diagnosis(dispatcher, result)
        return []


class ActionRegisterProduct(AccountAction):
    general_response = "utter_register_product"

    def name(self) -> Text:
        return "action_register_product"

    async def run_for_customer(self, dispatcher, tracker, token, language):
        me = await ask_backend(dispatcher, backend.request("GET", "/v1/me", token))
        if me is None:
            return []
        if not me["account_created"]:
            dispatcher.utter_message(response="utter_migrate_button_no_account")
            return []
        dispatcher.utter_message(response="utter_register_in_chat")
        # The form's slots are empty here: submitting or cancelling a form empties them.
        return [FollowupAction("product_form")]


class ProductDetailValidation:
    """Validators shared by the registration form and the form that completes details."""

    async def validate_serial_number(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        serial = parsing.parse_serial(str(value or ""))
        if not serial:
            dispatcher.utter_message(response="utter_invalid_serial")
        return {"serial_number": serial}

    async def validate_purchase_date(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        from datetime import date

        parsed = parsing.parse_date(str(value or ""), tracker.get_slot("language"))
        if parsed is None:
            dispatcher.utter_message(response="utter_invalid_date")
            return {"purchase_date": None}
        if parsed > date.today():
            dispatcher.utter_message(response="utter_purchase_date_in_future")
            return {"purchase_date": None}
        return {"purchase_date": parsed.isoformat()}

    async def validate_country_of_purchase(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        code = parsing.parse_country(str(value or ""))
        if not code:
            dispatcher.utter_message(response="utter_invalid_country")
        return {"country_of_purchase": code}

    async def validate_dealer(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        dealer = " ".join(str(value or "").split())[:200]
        return {"dealer": dealer or None}


class ValidateProductForm(AnswersQuestionsFirst, ProductDetailValidation, FormValidationAction):
    def name(self) -> Text:
        return "validate_product_form"

    async def validate_product(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        catalogue = await ask_backend(dispatcher, backend.request("GET", "/v1/catalogue"))
        if catalogue is None:
            return {"product": None}
        models = {self._key(item["model"]): item["model"] for item in catalogue}
        wanted = self._key(str(value or ""))
        if wanted in models:
            return {"product": models[wanted]}
        close = difflib.get_close_matches(wanted, list(models), n=3, cutoff=0.6)
        buttons = [{"title": models[k], "payload": f'/inform{{"product":"{models[k]}"}}'} for k in close]
        dispatcher.utter_message(response="utter_unknown_product", buttons=buttons)
        return {"product": None}

    @staticmethod
    def _key(model: str) -> str:
        return "".join(ch for ch in model.lower() if ch.isalnum())


class ActionSubmitProduct(Action):
    def name(self) -> Text:
        return "action_submit_product"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        body = {"model": tracker.get_slot("product"), "serial_number": tracker.get_slot("serial_number"),
                "purchase_date": tracker.get_slot("purchase_date"),
                "country_of_purchase": tracker.get_slot("country_of_purchase"), "dealer": tracker.get_slot("dealer")}
        reset = [SlotSet(s, None) for s in PRODUCT_SLOTS]
        try:
            # The same product in the same conversation is registered once, however often sent.
            product = await backend.request("POST", "/v1/me/products", identity.customer_token(tracker), json=body,
                                            idempotency_key=idempotency_key(tracker.sender_id, "product", body))
        except BackendUnavailable:
            dispatcher.utter_message(response="utter_backend_unavailable")
            return reset
        except BackendError as error:
            response = {"serial_taken": "utter_serial_taken", "unknown_model": "utter_unknown_product",
                        "purchase_date_in_future": "utter_purchase_date_in_future"}.get(error.code)
            dispatcher.utter_message(response=response or "utter_backend_unavailable")
            return reset
        dispatcher.utter_message(response="utter_product_registered", product=product["model"],
                                 points=product["points"])
        return reset


class ActionGreenTick(AccountAction):
    """Which product lacks which details; then collect them in chat."""

    general_response = "utter_green_tick_missing"

    def name(self) -> Text:
        return "action_green_tick"

    async def run_for_customer(self, dispatcher, tracker, token, language):
        products = await ask_backend(dispatcher, backend.request("GET", "/v1/me/products", token))
        if products is None:
            return []
        incomplete = [p for p in products["products"] if not p["green_tick"]]
        if not incomplete:
            dispatcher.utter_message(response="utter_all_products_complete",
                                     points=formatting.number(products["total_points"], language))
            return []
        for product in incomplete[:5]:
            dispatcher.utter_message(response="utter_product_missing_details", product=product["model"],
                                     serial=product.get("serial_number") or "—",
                                     missing=formatting.labels(product["missing"], language))
        first = incomplete[0]
        dispatcher.utter_message(response="utter_complete_details_now", product=first["model"])
        return [SlotSet("product_id", str(first["id"])), SlotSet("product", first["model"]),
                SlotSet("missing_details", first["missing"]), FollowupAction("product_details_form")]


class ValidateProductDetailsForm(AnswersQuestionsFirst, ProductDetailValidation, FormValidationAction):
    def name(self) -> Text:
        return "validate_product_details_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> List[Text]:
        missing = tracker.get_slot("missing_details") or []
        return [s for s in DETAIL_SLOTS if s in missing]


class ActionCompleteProduct(Action):
    def name(self) -> Text:
        return "action_complete_product"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        missing = tracker.get_slot("missing_details") or []
        body = {s: tracker.get_slot(s) for s in DETAIL_SLOTS if s in missing and tracker.get_slot(s)}
        reset = [SlotSet(s, None) for s in DETAIL_SLOTS + ("product_id", "product", "missing_details")]
        path = f"/v1/me/products/{tracker.get_slot('product_id')}"
        language = tracker.get_slot("language")
        try:
            product = await backend.request("PATCH", path, identity.customer_token(tracker), json=body,
                                            idempotency_key=idempotency_key(tracker.sender_id, path, body))
            summary = await backend.request("GET", "/v1/me/points", identity.customer_token(tracker))
        except BackendUnavailable:
            dispatcher.utter_message(response="utter_backend_unavailable")
            return reset
        except BackendError as error:
            response = {"serial_taken": "utter_serial_taken",
                        "purchase_date_in_future": "utter_purchase_date_in_future"}.get(error.code)
            dispatcher.utter_message(response=response or "utter_backend_unavailable")
            return reset
        if product["green_tick"]:
            dispatcher.utter_message(response="utter_green_tick_done", product=product["model"],
                                     points=formatting.number(product["points"], language),
                                     total=formatting.number(summary["total"], language))
        else:
            dispatcher.utter_message(response="utter_product_still_missing", product=product["model"],
                                     missing=formatting.labels(product["missing"], language))
        return reset
