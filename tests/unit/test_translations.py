"""Every response exists in every language, with the same placeholders and buttons."""
import re

import pytest
import yaml

from bot import languages
from tests.services import ROOT

DOMAIN = yaml.safe_load(open(ROOT / "domain.yml", encoding="utf-8"))
ENGLISH = yaml.safe_load(open(ROOT / "locales" / "en.yml", encoding="utf-8"))
ENGLISH_LABELS = ENGLISH["labels"]
TRANSLATED = [code for code in languages.supported() if code != "en"]


def placeholders(variations):
    return sorted({p for v in variations for p in re.findall(r"\{(\w+)\}", v.get("text", ""))})


def payloads(variations):
    return [[b["payload"] for b in v.get("buttons", [])] for v in variations]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_response_is_translated_with_the_same_placeholders_and_buttons(language):
    locale = yaml.safe_load(open(ROOT / "locales" / f"{language}.yml", encoding="utf-8"))
    responses = locale["responses"]
    assert sorted(responses) == sorted(DOMAIN["responses"])
    for name, english in DOMAIN["responses"].items():
        assert placeholders(responses[name]) == placeholders(english), name
        assert payloads(responses[name]) == payloads(english), name
    assert sorted(locale["labels"]) == sorted(ENGLISH_LABELS)
    assert sorted(locale["site"]) == sorted(ENGLISH["site"])
    assert {"date", "short_date"} <= set(locale["formats"])


@pytest.mark.parametrize("language,label", [
    ("fi", "SIIRRÄ TUOTTEITA"), ("et", "MIGREERI TOOTED"), ("nb", "MIGRER PRODUKTER"),
    ("lt", "MIGRUOTI PRODUKTUS"), ("sv", "MIGRERA PRODUKTER"),
])
def test_the_migrate_button_is_named_with_the_guides_label(language, label):
    responses = yaml.safe_load(open(ROOT / "locales" / f"{language}.yml", encoding="utf-8"))["responses"]
    for name in [n for n in DOMAIN["responses"] if "MIGRATE PRODUCTS" in DOMAIN["responses"][n][0]["text"]]:
        assert label in responses[name][0]["text"], name
