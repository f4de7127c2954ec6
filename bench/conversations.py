"""Realistic conversations for the load test, built from the per-language test splits
(tests/nlu/<lang>.yml): real customer wording the model has never been trained on.

Each conversation: a greeting, a general question about the process, a question about the
customer's own account (a custom action that calls the backend), thanks and goodbye.
"""
import random
from typing import Dict, List

from bot import languages
from bot.evaluate import TEST_DIR
from bot.validate_data import read_examples


GENERAL = ["how_to_register", "ask_required_documents", "ask_tiers", "ask_payment", "ask_old_email"]
ACCOUNT = ["check_points", "check_application_status", "ask_next_step", "migrate_button_missing",
           "green_tick_missing", "ask_membership_number"]
TURNS = [("greet", ["greet"]), ("general", GENERAL), ("account", ACCOUNT), ("thank", ["thank"]),
         ("goodbye", ["goodbye"])]


def messages_by_intent(language: str) -> Dict[str, List[str]]:
    by_intent: Dict[str, List[str]] = {}
    for example in read_examples(TEST_DIR / f"{language}.yml"):
        by_intent.setdefault(example.intent, []).append(example.plain)
    return by_intent


def build(count: int, tokens: Dict[str, str], seed: int = 7) -> List[dict]:
    """`count` conversations spread over the languages; `tokens` maps a language to the login
    token of a demo customer of that market, so that account questions reach the backend."""
    rng = random.Random(seed)
    pool = {lang: messages_by_intent(lang) for lang in languages.supported()}
    conversations = []
    for i in range(count):
        language = list(pool)[i % len(pool)]
        turns = []
        for kind, intents in TURNS:
            intent = rng.choice([name for name in intents if pool[language].get(name)])
            turns.append({"kind": kind, "text": rng.choice(pool[language][intent])})
        conversations.append({"language": language, "login_token": tokens.get(language), "turns": turns})
    return conversations
