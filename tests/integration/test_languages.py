"""Language handling through the REST channel, for every language: the site's locale, detection,
switching, and messages too short to say anything about the language."""
import pytest

from tests.integration import phrases
from tests.responses import assert_said, said_something_in

LANGUAGES = ["en", "fi", "et", "nb", "lt", "sv"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_conversation_switches_when_the_customer_writes_in_another_language(chat, language):
    start = "fi" if language == "en" else "en"
    conversation = chat(start)
    assert_said(conversation.say(phrases.DOCUMENTS[start]), "utter_ask_required_documents", start)
    assert_said(conversation.say(phrases.HOW_TO_REGISTER[language]), "utter_how_to_register", language)
    # … and stays in the new language for what follows
    assert_said(conversation.say("ok"), "utter_anything_else", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_short_messages_keep_the_language(chat, language):
    conversation = chat(language)
    assert_said(conversation.say(phrases.HOW_TO_REGISTER[language]), "utter_how_to_register", language)
    for short in ("ok", "EOS R5", "CPS?"):
        replies = conversation.say(short)
        assert said_something_in(replies, language), (short, replies)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sites_locale_wins_over_an_ambiguous_first_message(chat, language):
    replies = chat(language).say("hei")   # hello in Finnish and Norwegian alike
    assert_said(replies, "utter_greet", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_customer_can_ask_for_a_language(chat, language):
    start = "lt" if language != "lt" else "sv"
    asks = {"en": "could we continue in English please", "fi": "voisitko vastata suomeksi",
            "et": "palun räägi minuga eesti keeles", "nb": "kan du svare på norsk",
            "lt": "ar galite kalbėti lietuviškai", "sv": "kan du svara på svenska"}
    replies = chat(start).say(asks[language])
    assert_said(replies, "utter_language_changed", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_company_name_from_another_country_keeps_the_language(chat, language):
    # Each name alone would switch the conversation (or, for the German one, get the
    # "we don't speak that" reply); as the answer to the form's question it is only a name.
    names = {"en": "Bildbyrån Skärgården AB", "fi": "Foto Vilniaus Šviesa UAB", "et": "Kuvaamo Revontuli Oy",
             "nb": "Müller Bauunternehmung GmbH", "lt": "Fotostudio Nordlys AS", "sv": "Kuvaamo Revontuli Oy"}
    conversation = chat(language)
    assert_said(conversation.say(phrases.APPLY[language]), "utter_ask_company_name", language)
    assert_said(conversation.say(names[language]), "utter_ask_country", language)
