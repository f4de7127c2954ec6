"""The Rasa process skips the language check when bot/language_check.py says it would change
nothing. Here the real action runs on every test-split message, in several states of a
conversation, and wherever the call would be skipped it must indeed change nothing."""
import asyncio

import pytest
from rasa.core.actions.action import ActionExtractSlots
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot import languages, rasa_speedups
from bot.actions.language import ValidateSlotMappings
from bot.evaluate import TEST_DIR
from bot.language_check import may_change_anything
from bot.validate_data import read_examples

DOMAIN = {"slots": {"language": {"type": "text", "mappings": [{"type": "custom"}]},
                    "offer": {"type": "text", "mappings": [{"type": "custom"}]}}}
PAYLOADS = [("/affirm", "affirm"), ("/deny", "deny"), ("/request_human", "request_human"),
            ('/change_language{"language":"fi"}', "change_language"), ("/migrate_products", "migrate_products")]


def _messages():
    for language in languages.supported():
        for example in read_examples(TEST_DIR / f"{language}.yml"):
            yield language, example.plain, example.intent
    for text, intent in PAYLOADS:
        yield "en", text, intent
    for text in ("", "👍", "<b>hi</b>", "ok", "EOS R5 083021004567", "matti.virtanen@kuvaamo.fi"):
        yield "en", text, "nlu_fallback"


def _run_action(text, intent, language, offer):
    tracker = Tracker(
        sender_id="t", slots={"language": language, "offer": offer, "requested_slot": None},
        latest_message={"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": [],
                        "metadata": {}},
        events=[], paused=False, followup_action=None, active_loop={}, latest_action_name="action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ValidateSlotMappings().run(dispatcher, tracker, DOMAIN))
    return dispatcher.messages, events


def test_a_skipped_language_check_would_have_changed_nothing():
    in_own_language = skipped_in_own_language = 0
    changed = set()
    for language, text, intent in _messages():
        for current in languages.supported():
            for offer in (None, "migrate"):
                skip = not may_change_anything(text, intent, offer, current)
                if current == language and offer is None:
                    in_own_language += 1
                    skipped_in_own_language += skip
                if skip and _run_action(text, intent, current, offer) != ([], []):
                    changed.add((text, current))
    # The customer's usual message, in the conversation's language, needs no call ...
    assert skipped_in_own_language > 0.8 * in_own_language, (skipped_in_own_language, in_own_language)
    # ... and of ~14 000 (message, conversation language) pairs, the quick check skips one that the
    # full check would switch: "nerandu mėlyno MIGRUOTI PRODUKTUS mygtuko" in Estonian.
    assert len(changed) <= 1, changed


def test_the_language_action_changes_only_what_the_rasa_side_check_knows_about():
    # If the action learns to extract or validate another slot, may_change_anything must learn it too.
    methods = {name for name in dir(ValidateSlotMappings) if name.startswith(("extract_", "validate_"))}
    assert methods == {"extract_language", "extract_offer"}


@pytest.mark.parametrize("text,intent,offer,language,expected", [
    ("ok", "affirm", None, "fi", False),
    ("/affirm", "affirm", "migrate", "fi", False),
    ("Miten saan vanhat tuotteeni siirrettyä?", "migrate_products", None, "fi", False),
    ("Miten saan vanhat tuotteeni siirrettyä?", "migrate_products", None, "et", True),
    ("Miten saan vanhat tuotteeni siirrettyä?", "migrate_products", None, None, True),
    ("Wie übertrage ich meine alten Produkte?", "migrate_products", None, "fi", True),
    ("ok", "thank", "migrate", "fi", True),           # an unanswered offer is forgotten
    ("suomeksi", "change_language", None, "en", True),
])
def test_which_messages_need_the_language_check(text, intent, offer, language, expected):
    assert may_change_anything(text, intent, offer, language) is expected


def _calls_the_action(monkeypatch, text, intent, offer=None, language="fi"):
    """Runs Rasa's slot extraction and says whether it called the language check."""
    rasa_speedups.install()
    calls = []

    async def run_custom_action(self, name, *args):
        calls.append(name)
        return []

    monkeypatch.setattr(ActionExtractSlots, "_run_custom_action", run_custom_action)
    domain = Domain.from_dict({
        "intents": [intent], "actions": ["action_validate_slot_mappings"],
        "slots": {name: {"type": "text", "influence_conversation": False, "mappings": [{"type": "custom"}]}
                  for name in ("offer", "language")},
    })
    tracker = DialogueStateTracker.from_events("t", [
        ActionExecuted("action_listen"), SlotSet("offer", offer), SlotSet("language", language),
        UserUttered(text, {"name": intent, "confidence": 0.9})], slots=domain.slots)
    asyncio.run(ActionExtractSlots(None).run(None, None, tracker, domain))
    return calls == ["action_validate_slot_mappings"]


def test_rasa_skips_the_call_only_when_it_would_change_nothing(monkeypatch):
    assert not _calls_the_action(monkeypatch, "kiitos", "thank")
    question = "Miten saan vanhat tuotteeni siirrettyä uudelle tilille?"
    assert not _calls_the_action(monkeypatch, question, "migrate_products", language="fi")
    assert _calls_the_action(monkeypatch, question, "migrate_products", language="sv")
    assert _calls_the_action(monkeypatch, "kiitos", "thank", offer="migrate")


def _extraction(text, intent, offer, language, patched):
    """Rasa's validation step after slot extraction, with the real action run in process."""
    from rasa.shared.core.events import Event
    from rasa.shared.core.trackers import EventVerbosity

    async def run_custom_action(self, name, output_channel, nlg, tracker, domain):
        sdk_tracker = Tracker.from_dict(tracker.current_state(EventVerbosity.ALL))
        dispatcher = CollectingDispatcher()
        events = await ValidateSlotMappings().run(dispatcher, sdk_tracker, domain.as_dict())
        return [Event.from_parameters(e) for e in events] + [f"said {m['response']}" for m in dispatcher.messages]

    domain = Domain.from_dict({
        "intents": [intent], "actions": ["action_validate_slot_mappings"],
        "forms": {"application_form": {"required_slots": ["company_name"]}},
        "slots": {**{name: {"type": "text", "influence_conversation": False, "mappings": [{"type": "custom"}]}
                     for name in ("offer", "language")},
                  "company_name": {"type": "text", "influence_conversation": False, "mappings": [{
                      "type": "from_text", "conditions": [{"active_loop": "application_form",
                                                           "requested_slot": "company_name"}]}]}},
    })
    tracker = DialogueStateTracker.from_events("t", [
        ActionExecuted("action_listen"), SlotSet("offer", offer), SlotSet("language", language),
        ActiveLoop("application_form"), SlotSet("requested_slot", "company_name"),
        UserUttered(text, {"name": intent, "confidence": 0.9})], slots=domain.slots)
    extracted = [SlotSet("company_name", text)]
    action = ActionExtractSlots(None)
    original = ActionExtractSlots._run_custom_action
    try:
        ActionExtractSlots._run_custom_action = run_custom_action
        run = rasa_speedups._validate_only_when_it_may_change_something if patched \
            else rasa_speedups._run_validation_action
        return asyncio.run(run(action, extracted, None, None, tracker, domain))
    finally:
        ActionExtractSlots._run_custom_action = original


@pytest.mark.parametrize("text,intent,offer,language", [
    ("kiitos", "thank", None, "fi"),
    ("Kuvaamo Revontuli Oy", "inform", None, "fi"),
    ("Kuvaamo Revontuli Oy", "inform", None, "et"),
    ("Miten saan vanhat tuotteeni siirrettyä uudelle tilille?", "migrate_products", None, "fi"),
    ("Miten saan vanhat tuotteeni siirrettyä uudelle tilille?", "migrate_products", None, "sv"),
    ("Miten rekisteröidyn ja mitä asiakirjoja tarvitsen?", "how_to_register", None, "sv"),  # switches
    ("kiitos", "thank", "migrate", "fi"),
    ("/affirm", "affirm", "migrate", "fi"),
])
def test_skipping_gives_rasa_the_same_events_as_calling(text, intent, offer, language):
    assert _extraction(text, intent, offer, language, patched=True) == \
        _extraction(text, intent, offer, language, patched=False)


def test_the_quick_check_is_not_loaded_before_the_server_forks_its_workers():
    # A lingua detector built in the parent process hangs in Sanic's forked workers (SANIC_WORKERS=2):
    # installing the hooks must leave it unbuilt; the first longer message builds it.
    import subprocess
    import sys

    from tests.services import ROOT

    script = ("from bot import rasa_speedups, language_detection as ld; rasa_speedups.install(); "
              "print(ld._detector.cache_info().currsize); "
              "from bot.language_check import may_change_anything; "
              "may_change_anything('Miten saan vanhat tuotteeni siirrettyä?', 'migrate_products', None, 'fi'); "
              "print(ld._detector.cache_info().currsize)")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.stdout.split() == ["0", "1"], result.stderr[-2000:]
