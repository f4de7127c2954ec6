"""The language actions, run with rasa-sdk's dispatcher and trackers as the action server would."""
import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.language import ActionConfirmLanguage, ValidateSlotMappings

DOMAIN = {"slots": {"language": {"type": "text", "mappings": [{"type": "custom"}]}}}


def tracker(text, language=None, intent="how_to_register", entities=(), form=None, requested_slot=None,
            filled=False):
    """`filled`: Rasa's slot mappings took this message as the requested slot's value."""
    events = [{"event": "user", "text": text}]
    if filled:
        events.append({"event": "slot", "name": requested_slot, "value": text})
    return Tracker(
        sender_id="t", slots={"language": language, "requested_slot": requested_slot},
        latest_message={"text": text, "intent": {"name": intent, "confidence": 0.9},
                        "entities": list(entities), "metadata": {}},
        events=events, paused=False, followup_action=None, active_loop={"name": form} if form else {},
        latest_action_name="action_listen",
    )


def run(action, tr):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tr, DOMAIN))
    return dispatcher.messages, events


def slot_value(events, name="language"):
    return [e["value"] for e in events if e.get("event") == "slot" and e.get("name") == name]


def test_a_clear_finnish_message_switches_an_english_conversation():
    _, events = run(ValidateSlotMappings(), tracker("Miten saan vanhat tuotteeni siirrettyä uudelle tilille?", "en"))
    assert slot_value(events) == ["fi"]


def test_a_short_message_keeps_the_language():
    _, events = run(ValidateSlotMappings(), tracker("ok", "lt"))
    assert slot_value(events) == []


def test_an_explicit_request_wins_over_the_text():
    entities = [{"entity": "language", "value": "sv", "start": 0, "end": 1}]
    _, events = run(ValidateSlotMappings(), tracker("can we speak swedish please", "en", "change_language", entities))
    assert slot_value(events) == ["sv"]


def test_an_unsupported_language_is_answered_in_the_current_language_with_our_list():
    messages, events = run(ValidateSlotMappings(),
                           tracker("Wie kann ich meine alten Produkte übertragen, bitte?", "et"))
    assert messages[0]["response"] == "utter_unsupported_language"
    assert "eesti" in messages[0]["languages"] and "suomi" in messages[0]["languages"]
    assert {"event": "followup", "name": "action_listen"} in [
        {k: e.get(k) for k in ("event", "name")} for e in events]
    assert slot_value(events) == []


def test_confirm_language_offers_buttons_when_no_language_was_named():
    messages, _ = run(ActionConfirmLanguage(), tracker("other language please", "en", "change_language"))
    assert messages[0]["response"] == "utter_ask_language"
    assert len(messages[0]["buttons"]) == 6


def test_gibberish_the_nlu_did_not_understand_keeps_the_language():
    _, events = run(ValidateSlotMappings(), tracker("asdkjh qwe zzz blorp", "en", intent="nlu_fallback"))
    assert slot_value(events) == []


def test_a_company_name_is_not_a_language_signal():
    # Outside a form these names switch the language or get the "we don't speak that" reply ...
    _, events = run(ValidateSlotMappings(), tracker("Kuvaamo Revontuli Oy", "et", intent="inform"))
    assert slot_value(events) == ["fi"]
    messages, _ = run(ValidateSlotMappings(), tracker("Müller Bauunternehmung GmbH", "et", intent="inform"))
    assert messages[0]["response"] == "utter_unsupported_language"
    # ... but as the answer to "what is your company's name?" they are only a name.
    for name in ("Kuvaamo Revontuli Oy", "Müller Bauunternehmung GmbH", "Kadrioru Spqmsbph OÜ"):
        messages, events = run(ValidateSlotMappings(), tracker(
            name, "et", intent="inform", form="application_form", requested_slot="company_name", filled=True))
        assert (messages, slot_value(events)) == ([], []), name


def test_a_dealer_name_keeps_the_language_but_a_request_the_form_does_not_take_may_switch_it():
    _, events = run(ValidateSlotMappings(), tracker(
        "Fotostudio Nordlys AS", "lt", intent="inform", form="product_form", requested_slot="dealer", filled=True))
    assert slot_value(events) == []
    # domain.yml: request_human never fills a slot from text
    _, events = run(ValidateSlotMappings(), tracker(
        "Jeg vil heller snakke med en person, takk", "lt", intent="request_human",
        form="product_form", requested_slot="dealer"))
    assert slot_value(events) == ["nb"]


def test_a_no_where_the_code_is_asked_for_is_not_a_code():
    # domain.yml: a deny never fills verify_code, so "I didn't get the code" is checked as usual.
    _, events = run(ValidateSlotMappings(), tracker(
        "En ole saanut mitään koodia sähköpostiini", "en", intent="deny",
        form="verify_form", requested_slot="verify_code"))
    assert slot_value(events) == ["fi"]


def test_a_general_question_asked_instead_of_a_name_switches_the_language():
    # The form answers the question first (questions_in_forms), so it is not the company's name.
    _, events = run(ValidateSlotMappings(), tracker(
        "Miten rekisteröidyn ja mitä asiakirjoja tarvitsen?", "en", intent="how_to_register",
        form="verify_form", requested_slot="verify_email", filled=True))
    assert slot_value(events) == ["fi"]
