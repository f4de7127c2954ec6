"""Inflected and misspelt entity values get the value the dialogue works with."""
import pytest

from bot.nlu.entity_normaliser import EntityNormaliser, normalised_value
from rasa.shared.nlu.training_data.message import Message


@pytest.mark.parametrize("entity,text,value", [
    ("country", "Ruotsista", "SE"), ("country", "Lietuvoje", "LT"), ("country", "Norge", "NO"),
    ("language", "suomeksi", "fi"), ("language", "angliškai", "en"), ("language", "eesti keeles", "et"),
    ("language", "på norsk", "nb"), ("language", "ruotsiksi", "sv"), ("language", "lietuviškai", "lt"),
    ("payment_method", "pankkikortilla", "card"), ("payment_method", "pankkisiirrolla", "bank_transfer"),
    ("payment_method", "banko pavedimu", "bank_transfer"), ("payment_method", "kaardiga", "card"),
    ("tier", "kultatasolle", "gold"), ("tier", "hõbe", "silver"), ("tier", "platinanivået", "platinum"),
    ("tier", "verslo pakopą", "business"),
])
def test_values(entity, text, value):
    assert normalised_value(entity, text) == value


def test_the_component_rewrites_entity_values_in_messages():
    message = Message(data={"text": "maksan pankkisiirrolla", "entities": [
        {"entity": "payment_method", "start": 7, "end": 22, "value": "pankkisiirrolla"}]})
    EntityNormaliser().process([message])
    assert message.get("entities")[0]["value"] == "bank_transfer"


def test_unknown_words_keep_their_value():
    message = Message(data={"text": "by PayPal", "entities": [
        {"entity": "payment_method", "start": 3, "end": 9, "value": "PayPal"}]})
    EntityNormaliser().process([message])
    assert message.get("entities")[0]["value"] == "PayPal"


def test_informal_country_names_from_the_trainers_list():
    from bot.parsing import parse_country

    assert parse_country("England") == "GB"
    assert parse_country("UK") == "GB"
    assert parse_country("Ukraina") == "UA"          # 'uk' matches whole words only
    assert parse_country("Jenkeistä") == "US"
    assert parse_country("USA-st") == "US"
    assert parse_country("Jungtinėje Karalystėje") == "GB"
    assert parse_country("the usual") is None
