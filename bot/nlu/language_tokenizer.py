"""Tokenises each message with spaCy's rules for its own language, in one multilingual model.

spaCy's blank pipelines (`spacy.blank("fi")`, …) carry each language's tokenizer exceptions
(e.g. Norwegian "mva.", Swedish "kl.", Finnish "e-mail") and need no model download. The
language of each message, training example or live message alike, is guessed with the same
detector the dialogue uses; short or unclear messages use spaCy's multi-language rules.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, List, Optional, Text

import spacy
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from bot import language_detection, languages

GENERIC = "xx"   # spaCy's multi-language tokenizer


@lru_cache(maxsize=None)
def _tokenizer(code: str):
    return spacy.blank(code).tokenizer


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class LanguageAwareTokenizer(Tokenizer):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"intent_tokenization_flag": False, "intent_split_symbol": "_", "token_pattern": None,
                "prefix_separator_symbol": None}

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "LanguageAwareTokenizer":
        return cls(config)

    @staticmethod
    def language_of(text: str) -> str:
        detected: Optional[str] = language_detection.detect(text).language
        return detected if detected in languages.supported() else GENERIC

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        text = message.get(attribute) or ""
        doc = _tokenizer(self.language_of(text))(text)
        # Punctuation carries no meaning for intents or entities (as in WhitespaceTokenizer).
        tokens = [Token(t.text, t.idx) for t in doc if not (t.is_punct or t.is_space)]
        if not tokens:
            tokens = [Token(text, 0)]
        return self._apply_token_pattern(tokens)
