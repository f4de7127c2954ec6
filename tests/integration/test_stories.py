"""Rasa test stories in all six languages: real customer messages through the trained model's
NLU and dialogue policies (`rasa test core`), failing on any wrong intent or action."""
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.integration import phrases
from tests.services import ROOT

LANGUAGES = ["en", "fi", "et", "nb", "lt", "sv"]


def user(text, intent):
    return {"user": text, "intent": intent}


def stories_for(language):
    p = {name: getattr(phrases, name)[language] for name in
         ("GREET", "HOW_TO_REGISTER", "DOCUMENTS", "PAYMENT", "MIGRATE_BUTTON_MISSING", "JOIN_CPS",
          "GREEN_TICK_MISSING", "YES", "NO", "THANKS", "BYE", "STATUS", "PASSWORD", "POINTS", "TIERS", "INVOICE",
          "NUMBER", "START", "NEXT_STEP", "REGISTER_PRODUCT", "APPLY", "CANCEL", "HUMAN")}
    return [
        {"story": f"{language}: guidance from greeting to goodbye", "steps": [
            user(p["GREET"], "greet"), {"action": "utter_greet"},
            user(p["HOW_TO_REGISTER"], "how_to_register"), {"action": "utter_how_to_register"},
            user(p["DOCUMENTS"], "ask_required_documents"), {"action": "utter_ask_required_documents"},
            user(p["PAYMENT"], "ask_payment"), {"action": "utter_ask_payment"},
            user(p["THANKS"], "thank"), {"action": "utter_you_are_welcome"},
            user(p["BYE"], "goodbye"), {"action": "utter_goodbye"},
        ]},
        {"story": f"{language}: missing migrate button, then the customer accepts to verify", "steps": [
            user(p["MIGRATE_BUTTON_MISSING"], "migrate_button_missing"),
            {"action": "action_explain_migrate_button"}, {"slot_was_set": [{"offer": "verify"}]},
            user(p["YES"], "affirm"), {"action": "action_accept_offer"},
        ]},
        {"story": f"{language}: invited to join, the customer declines for now", "steps": [
            user(p["JOIN_CPS"], "join_cps"), {"action": "action_join_cps"},
            {"slot_was_set": [{"offer": "enrol"}]},
            user(p["NO"], "deny"), {"action": "action_decline_offer"},
        ]},
        {"story": f"{language}: a product without a green tick", "steps": [
            user(p["GREEN_TICK_MISSING"], "green_tick_missing"), {"action": "action_green_tick"},
        ]},
        {"story": f"{language}: the account questions, one after the other", "steps": [
            user(p["STATUS"], "check_application_status"), {"action": "action_application_status"},
            user(p["PASSWORD"], "password_help"), {"action": "action_password_help"},
            user(p["POINTS"], "check_points"), {"action": "action_check_points"},
            user(p["TIERS"], "ask_tiers"), {"action": "action_tiers"},
            user(p["INVOICE"], "ask_invoice_charge"), {"action": "action_invoice_info"},
            user(p["NUMBER"], "ask_membership_number"), {"action": "utter_ask_membership_number"},
            user(p["START"], "ask_membership_start"), {"action": "utter_ask_membership_start"},
            user(p["NEXT_STEP"], "ask_next_step"), {"action": "action_next_step"},
        ]},
        {"story": f"{language}: registering a product in the chat", "steps": [
            user(p["REGISTER_PRODUCT"], "register_product"), {"action": "action_register_product"},
        ]},
        {"story": f"{language}: applying in the chat, then cancelling", "steps": [
            user(p["APPLY"], "apply_business_account"), {"action": "utter_apply_business_account"},
            {"action": "application_form"}, {"active_loop": "application_form"},
            {"slot_was_set": [{"requested_slot": "company_name"}]},
            user(p["CANCEL"], "cancel"), {"action": "action_deactivate_loop"}, {"active_loop": None},
            {"slot_was_set": [{"requested_slot": None}]}, {"action": "action_cancel_form"},
        ]},
        {"story": f"{language}: asking for a person", "steps": [
            user(p["HUMAN"], "request_human"), {"action": "action_handoff"},
        ]},
    ]


@pytest.fixture(scope="module")
def failed_stories(model_path, tmp_path_factory):
    """Runs `rasa test core` once over the stories of all languages; returns the failed ones."""
    work = tmp_path_factory.mktemp("stories")
    stories = [story for language in LANGUAGES for story in stories_for(language)]
    path = work / "test_stories.yml"
    path.write_text(yaml.safe_dump({"version": "3.1", "stories": stories}, allow_unicode=True, sort_keys=False))
    result = subprocess.run(
        [str(Path(sys.executable).parent / "rasa"), "test", "core", "--model", str(model_path), "--stories",
         str(path), "--out", str(work / "results"), "--no-plot"],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    failed = work / "results" / "failed_test_stories.yml"
    text = failed.read_text() if failed.exists() else ""
    return text if "story:" in text else ""


@pytest.mark.parametrize("language", LANGUAGES)
def test_conversation_stories(language, failed_stories):
    mine = [block for block in failed_stories.split("- story:") if block.strip().startswith(f"{language}:")]
    assert not mine, "failed stories:\n" + "\n- story:".join(mine)
