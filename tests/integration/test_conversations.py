"""Conversations through Rasa's REST channel with the backend and action server running,
in all six languages: what the customer reads, in their language, from their real account."""
import re

import pytest
import requests

from tests.integration import phrases
from tests.responses import assert_said, pattern, said

LANGUAGES = ["en", "fi", "et", "nb", "lt", "sv"]


def login_token(backend, ref):
    response = requests.post(f"{backend.url}/v1/demo/login-token", json={"customer_ref": ref}, timeout=10)
    response.raise_for_status()
    return response.json()["token"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_guidance_is_answered_in_the_sites_language(chat, language):
    replies = chat(language).say(phrases.HOW_TO_REGISTER[language])
    assert_said(replies, "utter_how_to_register", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_without_a_locale_the_bot_answers_in_the_customers_language(rasa_service, language):
    from tests.conftest import Chat

    conversation = Chat(rasa_service.url, language=None)
    conversation.metadata = {}
    assert_said(conversation.say(phrases.HOW_TO_REGISTER[language]), "utter_how_to_register", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_missing_migrate_button_is_diagnosed_from_the_account(chat, backend_service, language):
    conversation = chat(language, login_token(backend_service, f"demo-{language}-no-old-email"))
    replies = conversation.say(phrases.MIGRATE_BUTTON_MISSING[language])
    assert_said(replies, "utter_migrate_button_no_old_email", language)
    assert_said(replies, "utter_offer_remedy", language)
    payloads = [b["payload"] for r in replies for b in r.get("buttons", [])]
    assert payloads == ["/register_product", "/request_human"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_message_in_an_unsupported_language_lists_our_languages(chat, language):
    replies = chat(language).say(phrases.UNSUPPORTED)
    assert_said(replies, "utter_unsupported_language", language)
    assert "suomi" in replies[0]["text"] and "lietuvių" in replies[0]["text"]


def answer_for(question_replies, language):
    """A valid answer to whichever product detail the bot asked for."""
    answers = {"utter_ask_serial_number": "ZX4471902", "utter_ask_purchase_date": "14.2.2022",
               "utter_ask_country_of_purchase": {"en": "Ireland", "fi": "Suomi", "et": "Eesti", "nb": "Norge",
                                                 "lt": "Lietuva", "sv": "Sverige"}[language],
               "utter_ask_dealer": "Foto Exclusive"}
    for response, answer in answers.items():
        if said(question_replies, response, language):
            return answer
    return None


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_green_tick_details_are_collected_and_the_tick_confirmed(chat, backend_service, language):
    conversation = chat(language, login_token(backend_service, f"demo-{language}-missing-details"))
    replies = conversation.say(phrases.GREEN_TICK_MISSING[language])
    assert_said(replies, "utter_product_missing_details", language)
    for _ in range(4):
        answer = answer_for(replies, language)
        if answer == "ZX4471902":
            answer = f"ZX447190{LANGUAGES.index(language)}"  # serials are unique across accounts
        if answer is None:
            break
        replies = conversation.say(answer)
    assert_said(replies, "utter_green_tick_done", language)


@pytest.mark.parametrize("language,ref,tier", [
    ("fi", "demo-fi-points-2100", "gold"), ("lt", "demo-lt-points-2100", "platinum"),
])
def test_enrolment_creates_a_membership_and_explains_the_invoice(chat, backend_service, language, ref, tier):
    conversation = chat(language, login_token(backend_service, ref))
    replies = conversation.say(phrases.JOIN_CPS[language])
    assert_said(replies, "utter_join_invited", language)
    replies = conversation.say(phrases.YES[language])
    assert_said(replies, "utter_ask_tier", language)
    offered = [b["payload"] for r in replies for b in r.get("buttons", [])]
    assert f'/inform{{"tier":"{tier}"}}' in offered
    replies = conversation.say(f'/inform{{"tier":"{tier}"}}')
    assert_said(replies, "utter_ask_payment_method", language)
    replies = conversation.say('/inform{"payment_method":"card"}')
    assert_said(replies, "utter_confirm_enrolment_card", language)
    replies = conversation.say("/affirm")
    assert_said(replies, "utter_enrolled", language)
    assert_said(replies, "utter_invoice_card", language)
    # The membership really exists in the backend, once.
    again = conversation.say(phrases.JOIN_CPS[language])
    assert_said(again, "utter_already_member", language)


@pytest.mark.parametrize("language", ["sv", "nb"])   # demo-en-migrate stays unmigrated for the slice test
def test_products_are_migrated_on_request(chat, backend_service, language):
    conversation = chat(language, login_token(backend_service, f"demo-{language}-migrate"))
    replies = conversation.say(phrases.MIGRATE_PRODUCTS[language])
    assert_said(replies, "utter_offer_migration", language)
    replies = conversation.say(phrases.YES[language])
    assert_said(replies, "utter_migration_done", language)
    assert not said(replies, "utter_offer_handoff", language)
    replies = conversation.say(phrases.MIGRATE_BUTTON_MISSING[language])
    assert_said(replies, "utter_migrate_button_already_migrated", language)


def latest_code(backend, email):
    """Read the one-time code from the e-mail the backend sent (its outbox, staff API)."""
    outbox = requests.get(f"{backend.url}/v1/staff/outbox", params={"to": email},
                          headers={"X-Staff-Key": "test-staff-key"}, timeout=10).json()
    latest = max(outbox, key=lambda m: m["id"])
    return re.search(r"\b(\d{6})\b", latest["body"]).group(1)


@pytest.mark.parametrize("language,ref", [("en", "demo-en-points-480"), ("et", "demo-et-points-2700")])
def test_an_anonymous_customer_verifies_by_code_and_continues(chat, backend_service, language, ref):
    conversation = chat(language)
    replies = conversation.say(phrases.NEXT_STEP[language])
    assert_said(replies, "utter_ask_verify_email", language)
    email = f"{ref}@demo.example.com"
    replies = conversation.say(email)
    assert_said(replies, "utter_ask_verify_code", language)
    replies = conversation.say(latest_code(backend_service, email))
    assert_said(replies, "utter_verified", language)
    expected = "utter_next_step_collect_points" if ref.endswith("480") else "utter_next_step_join"
    assert_said(replies, expected, language)
    assert not said(replies, "utter_offer_handoff", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_question_asked_inside_a_form_is_answered_and_the_form_asks_again(chat, language):
    conversation = chat(language)
    assert_said(conversation.say(phrases.NEXT_STEP[language]), "utter_ask_verify_email", language)
    replies = conversation.say(phrases.HOW_TO_REGISTER[language])
    assert_said(replies, "utter_how_to_register", language)
    assert_said(replies, "utter_ask_verify_email", language)
    assert not said(replies, "utter_invalid_email", language)
    # The form still takes the answer it asked for.
    assert_said(conversation.say("someone@example.com"), "utter_ask_verify_code", language)


def test_a_wrong_code_is_refused_and_nothing_is_revealed(chat):
    conversation = chat("en")
    conversation.say("what is my next step")
    conversation.say("demo-en-migrate@demo.example.com")
    replies = conversation.say("000000")
    assert_said(replies, "utter_invalid_code", "en")
    assert not said(replies, "utter_verified", "en")


@pytest.mark.parametrize("language,country,vat", [("en", "Ireland", "IE6388047V"), ("lt", "Lietuva", "LT119511515")])
def test_applying_in_the_chat_creates_the_application_with_an_upload_link(chat, backend_service, language,
                                                                          country, vat):
    conversation = chat(language)
    assert_said(conversation.say(phrases.APPLY[language]), "utter_ask_company_name", language)
    assert_said(conversation.say("Lumen Kadras Ltd"), "utter_ask_country", language)
    assert_said(conversation.say(country), "utter_ask_vat_registered", language)
    assert_said(conversation.say("/affirm"), "utter_ask_vat_number", language)
    replies = conversation.say("12345")
    assert_said(replies, "utter_vat_invalid", language)        # re-asked with the expected format
    assert_said(conversation.say(vat), "utter_ask_contact_email", language)
    email = f"apply-{language}@lumen.example.com"
    assert_said(conversation.say(email), "utter_ask_old_cps_email", language)
    replies = conversation.say("/deny")
    assert_said(replies, "utter_application_summary", language)
    assert email in replies[0]["text"] and vat in replies[0]["text"]
    replies = conversation.say("/affirm")
    assert_said(replies, "utter_application_created", language)
    upload_url = re.search(r"https?://\S+/v1/uploads/\S+", replies[0]["text"]).group(0)
    page = requests.get(upload_url, timeout=10)
    assert page.status_code == 200 and "Lumen Kadras Ltd" in page.text


@pytest.mark.parametrize("language,ref", [("sv", "demo-sv-points-2700"), ("et", "demo-et-no-old-email")])
def test_registering_a_product_in_the_chat(chat, backend_service, language, ref):
    conversation = chat(language, login_token(backend_service, ref))
    replies = conversation.say(phrases.REGISTER_PRODUCT[language])
    assert_said(replies, "utter_ask_product", language)
    assert_said(conversation.say("EOS R6 Mark II"), "utter_ask_serial_number", language)
    assert_said(conversation.say(f"QX55{LANGUAGES.index(language)}1208"), "utter_ask_purchase_date", language)
    assert_said(conversation.say("2099-01-01"), "utter_purchase_date_in_future", language)
    assert_said(conversation.say("2024-03-12"), "utter_ask_country_of_purchase", language)
    assert_said(conversation.say({"sv": "Sverige", "et": "Eesti"}[language]), "utter_ask_dealer", language)
    replies = conversation.say("Photopoint")
    assert_said(replies, "utter_product_registered", language)
    products = requests.get(f"{backend_service.url}/v1/me/products", timeout=10, headers={
        "X-API-Key": "test-action-key", "Authorization": f"Bearer {login_token(backend_service, ref)}"}).json()
    assert any(p["model"] == "EOS R6 Mark II" and p["green_tick"] for p in products["products"])


def test_cancelling_a_form_keeps_nothing(chat, backend_service):
    conversation = chat("fi", login_token(backend_service, "demo-fi-no-old-email"))
    assert_said(conversation.say(phrases.REGISTER_PRODUCT["fi"]), "utter_ask_product", "fi")
    assert_said(conversation.say("EOS R8"), "utter_ask_serial_number", "fi")
    assert_said(conversation.say(phrases.CANCEL["fi"]), "utter_cancelled", "fi")
    assert_said(conversation.say(phrases.HOW_TO_REGISTER["fi"]), "utter_how_to_register", "fi")


@pytest.mark.parametrize("language", ["fi", "nb"])
def test_a_pending_application_gets_its_decision_date(chat, backend_service, language):
    conversation = chat(language, login_token(backend_service, f"demo-{language}-pending"))
    replies = conversation.say(phrases.STATUS[language])
    assert_said(replies, "utter_application_submitted", language)
    due = requests.get(f"{backend_service.url}/v1/me", timeout=10, headers={
        "X-API-Key": "test-action-key",
        "Authorization": f"Bearer {login_token(backend_service, f'demo-{language}-pending')}"}).json()["decision_due"]
    from bot.formatting import day

    assert day(due, language) in replies[0]["text"]


@pytest.mark.parametrize("language", ["lt", "en"])
def test_asking_for_a_person_opens_a_ticket_and_pauses_the_bot(chat, backend_service, language):
    conversation = chat(language, login_token(backend_service, f"demo-{language}-no-old-email"))
    conversation.say(phrases.MIGRATE_BUTTON_MISSING[language])
    replies = conversation.say("/request_human")
    tickets = requests.get(f"{backend_service.url}/v1/staff/handoff/tickets",
                           params={"conversation_id": conversation.sender},
                           headers={"X-Staff-Key": "test-staff-key"}, timeout=10).json()
    assert len(tickets) == 1
    ticket = tickets[0]
    if ticket["within_support_hours"]:
        assert_said(replies, "utter_handoff", language)
        assert_said(replies, "utter_queue_position", language)
    else:   # told when support opens, in the market's time
        assert_said(replies, "utter_handoff_outside_hours", language)
    assert ticket["language"] == language and ticket["customer_ref"] == f"demo-{language}-no-old-email"
    assert "diagnosis: no_old_email" in ticket["summary"]
    assert phrases.MIGRATE_BUTTON_MISSING[language] in ticket["summary"]
    assert conversation.say(phrases.HOW_TO_REGISTER[language]) == []   # paused: a person answers now


def test_repeated_misunderstanding_offers_a_person(chat):
    """Two misunderstandings in a row (forced with /nlu_fallback, so the NLU's guesses about any
    particular gibberish don't matter): did you mean …?, none of these, rephrase, again none, then a person."""
    conversation = chat("en")
    replies = conversation.say("/nlu_fallback")
    assert_said(replies, "utter_did_you_mean", "en")
    assert replies[-1]["buttons"][-1]["payload"] == "/out_of_scope"
    replies = conversation.say("/out_of_scope")
    assert_said(replies, "utter_ask_rephrase", "en")
    replies = conversation.say("/nlu_fallback")           # the rephrased message is not understood either
    assert_said(replies, "utter_did_you_mean", "en")
    replies = conversation.say("/out_of_scope")
    assert_said(replies, "utter_offer_handoff", "en")
    replies = conversation.say("/affirm")
    assert said(replies, "utter_handoff", "en") or said(replies, "utter_handoff_outside_hours", "en")
