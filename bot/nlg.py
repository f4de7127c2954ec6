"""In-process NLG that answers in the conversation's language.

English texts live in domain.yml, translations in locales/<lang>.yml keyed by response
name. Rasa refreshes `self.responses` from the model's domain only for subclasses of
TemplatedNaturalLanguageGenerator (rasa/core/agent.py, load_model), hence the base class.
"""
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import yaml
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.core.nlg.generator import ResponseVariationFilter

from bot import languages, rasa_hooks, rasa_speedups

rasa_hooks.install()  # the customer hears from us when the action server is down
rasa_speedups.install()  # measured hot spots of Rasa 3.6 (see the module)

Responses = Dict[Text, List[Dict[Text, Any]]]


def load_translations(locales_dir: Path = languages.LOCALES_DIR) -> Dict[str, Responses]:
    """Reads every locales/<lang>.yml of a supported language into {lang: responses}."""
    translations = {}
    for lang in languages.supported():
        path = locales_dir / f"{lang}.yml"
        if path.exists():
            with open(path, encoding="utf-8") as f:
                translations[lang] = (yaml.safe_load(f) or {}).get("responses", {})
    return translations


class LocalisedNLG(TemplatedNaturalLanguageGenerator):
    def __init__(self, endpoint_config: Any = None, domain: Any = None, **_: Any) -> None:
        super().__init__(domain.responses if domain else {})
        self.translations = load_translations()

    def _random_response_for(
        self, utter_action: Text, output_channel: Text, filled_slots: Dict[Text, Any]
    ) -> Optional[Dict[Text, Any]]:
        # Without the slot (e.g. action_session_start could not run), the site's locale.
        metadata = filled_slots.get("session_started_metadata") or {}
        language = filled_slots.get("language") or languages.normalise(metadata.get("language")) or languages.default()
        translated = self.translations.get(language, {})
        if utter_action in translated:
            variations = ResponseVariationFilter(translated).responses_for_utter_action(
                utter_action, output_channel, filled_slots
            )
            if variations:
                import random

                return random.choice(variations)
        # No translation: the English source from the domain is better than nothing.
        return super()._random_response_for(utter_action, output_channel, filled_slots)
