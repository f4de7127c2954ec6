"""The test split and the conversation-test phrases are never trained on."""
import re

import pytest
import yaml

from bot import languages
from tests.integration import phrases
from tests.services import ROOT

ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s@]", " ", ANNOTATION.sub(r"\1", text).lower()).split())


def examples(path):
    found = []
    for block in yaml.safe_load(open(path, encoding="utf-8"))["nlu"]:
        for line in (block.get("examples") or "").splitlines():
            if line.strip().startswith("- "):
                found.append(normalise(line.strip()[2:]))
    return found


TRAINING = {code: set(examples(ROOT / "bot" / "data" / "nlu" / f"{code}.yml")) for code in languages.supported()}


@pytest.mark.parametrize("language", list(languages.supported()))
def test_no_test_example_is_in_the_training_data(language):
    overlap = [e for e in examples(ROOT / "tests" / "nlu" / f"{language}.yml") if e in TRAINING[language]]
    assert not overlap, overlap


def test_no_conversation_phrase_is_in_the_training_data():
    """Sentences only: "yes please", "cancel" or "hej då" are everyone's words and may be anywhere."""
    trained = set().union(*TRAINING.values())
    texts = [t for name in dir(phrases) if name.isupper() for t in
             (getattr(phrases, name).values() if isinstance(getattr(phrases, name), dict) else [getattr(phrases, name)])]
    overlap = [t for t in texts if len(normalise(t).split()) >= 4 and normalise(t) in trained]
    assert not overlap, overlap
