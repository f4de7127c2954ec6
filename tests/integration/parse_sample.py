"""Parses a sample of the test splits with a model and prints the results as JSON lines; run in
a fresh process so that TensorFlow reads the environment's settings at import.

    python -m tests.integration.parse_sample MODEL
"""
import asyncio
import json
import sys

from rasa.core.agent import Agent

from bench.conversations import messages_by_intent
from bot import languages, rasa_speedups


def sample_messages():
    """The first two test-split messages of every intent in every language."""
    return [text for language in languages.supported()
            for texts in messages_by_intent(language).values() for text in texts[:2]]


async def main(model: str) -> None:
    rasa_speedups.install()  # as in the server (bot/nlg.py installs them there)
    agent = Agent.load(model)
    for text in sample_messages():
        parsed = await agent.parse_message(text)
        print(json.dumps({"text": text, "intent": parsed["intent"]["name"], "confidence": parsed["intent"]["confidence"],
                          "entities": [[e["entity"], e.get("value")] for e in parsed["entities"]]}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
