"""The NLG answers in the conversation's language and falls back to English."""
import asyncio

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.events import SlotSet

from bot.nlg import LocalisedNLG

DOMAIN = Domain.load("domain.yml")


def generate(response: str, language: str, **kwargs):
    nlg = LocalisedNLG(domain=DOMAIN)
    tracker = DialogueStateTracker.from_events("t", [SlotSet("language", language)], slots=DOMAIN.slots)
    return asyncio.run(nlg.generate(response, tracker, "rest", **kwargs))


def test_english_comes_from_the_domain():
    assert generate("utter_greet", "en")["text"].startswith("Hello!")


@pytest.mark.parametrize("language,label", [
    ("fi", "SIIRRÄ TUOTTEITA"), ("et", "MIGREERI TOOTED"), ("nb", "MIGRER PRODUKTER"),
    ("lt", "MIGRUOTI PRODUKTUS"), ("sv", "MIGRERA PRODUKTER"),
])
def test_translation_quotes_the_guides_ui_label(language, label):
    text = generate("utter_migrate_button_no_old_email", language)["text"]
    assert label in text


def test_placeholders_are_filled_in_every_language():
    for language in ["en", "fi", "et", "nb", "lt", "sv"]:
        text = generate("utter_migrate_button_available", language, products_to_migrate=7)["text"]
        assert "7" in text and "{" not in text


def test_unknown_language_falls_back_to_english():
    assert generate("utter_greet", "xx")["text"].startswith("Hello!")
