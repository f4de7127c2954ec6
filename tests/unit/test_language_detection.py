"""Language detection switches only on clear messages and never on short or foreign ones."""
import pytest

from bot.language_detection import choose_language, detect

CLEAR = {
    "en": "Why can't I see the blue button to move my old products?",
    "fi": "Miksi en näe sinistä painiketta vanhojen tuotteideni siirtämiseen?",
    "et": "Miks ma ei näe sinist nuppu, et oma vanad tooted üle viia?",
    "nb": "Hvorfor ser jeg ikke den blå knappen for å flytte de gamle produktene mine?",
    "lt": "Kodėl nematau mėlyno mygtuko, kad perkelčiau senus savo gaminius?",
    "sv": "Varför ser jag inte den blå knappen för att flytta mina gamla produkter?",
}


@pytest.mark.parametrize("language,text", CLEAR.items())
def test_a_clear_message_switches_to_its_language(language, text):
    other = "fi" if language != "fi" else "sv"
    assert choose_language(text, current=other) == language


@pytest.mark.parametrize("text", ["ok", "CPS?", "EOS R5", "kiitos", "tack", "👍", "", "<b>hi</b>"])
def test_short_or_ambiguous_messages_keep_the_language(text):
    assert choose_language(text, current="lt") is None


@pytest.mark.parametrize("text", [
    "Wie kann ich meine alten Produkte in das neue Konto übertragen?",
    "Comment puis-je transférer mes anciens produits vers le nouveau compte ?",
    "Как перенести мои старые продукты на новый аккаунт?",
])
def test_unsupported_languages_are_recognised_and_never_switched_to(text):
    assert detect(text).unsupported
    assert choose_language(text, current="en") is None


def test_emails_serials_and_vat_numbers_do_not_count_as_words():
    assert detect("matti.virtanen@kuvaamo.fi FI20774740 083021004567").language is None
