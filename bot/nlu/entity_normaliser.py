"""Gives entities their normalised value however the customer wrote them.

DIET finds "Ruotsista", "kortelė", "kultatasolle" in the text, but the synonym mapper knows only
the exact forms seen in training. This component maps inflected and misspelt forms to the
values the dialogue uses: ISO country codes, language codes, `card`/`bank_transfer`, tier codes.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import yaml
from babel import Locale
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot import languages, parsing

VALUES_FILE = Path(__file__).with_name("entity_values.yml")


@lru_cache(maxsize=1)
def _word_beginnings() -> Dict[str, Dict[str, List[str]]]:
    with open(VALUES_FILE, encoding="utf-8") as f:
        return yaml.safe_load(f)


@lru_cache(maxsize=1)
def _language_names() -> Dict[str, str]:
    """'suomi', 'finska', 'soome', 'anglų', 'norsk bokmål' … -> our language code."""
    names = {}
    for shown_in in languages.supported():
        for code, name in Locale.parse(shown_in).languages.items():
            target = {"no": "nb", "nn": "nb"}.get(code, code)
            if target in languages.supported():
                names[name.lower()] = target
    return names


def language_code(text: str) -> Optional[str]:
    words = [w for w in text.lower().replace("-", " ").split() if len(w) >= 4]
    for word in words:
        for name, code in _language_names().items():
            # "suomeksi"/"suomi", "angliškai"/"anglų": inflected forms share the first 4 letters.
            if len(os.path.commonprefix([word, name.split()[0]])) >= 4:
                return code
    return languages.normalise(text)


def keyword_value(entity: str, text: str) -> Optional[str]:
    lowered = text.lower()
    for value, beginnings in _word_beginnings()[entity].items():
        if any(b in lowered for b in beginnings):
            return value
    return None


def normalised_value(entity: str, text: str) -> Optional[str]:
    if entity == "country":
        return parsing.parse_country(text)
    if entity == "language":
        return language_code(text)
    if entity in ("payment_method", "tier"):
        return keyword_value(entity, text)
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class EntityNormaliser(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "EntityNormaliser":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            for entity in message.get("entities", []):
                text = message.get("text", "")[entity["start"]:entity["end"]]
                value = normalised_value(entity["entity"], text)
                if value:
                    entity["value"] = value
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
