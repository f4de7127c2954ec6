"""The test split and the conversation-test phrases are never trained on."""
import pytest

from bot import languages
from bot.validate_data import normalise, read_examples
from tests.integration import phrases
from tests.services import ROOT

TRAINING = {code: {normalise(e.plain) for e in read_examples(ROOT / "bot" / "data" / "nlu" / f"{code}.yml")}
            for code in languages.supported()}


@pytest.mark.parametrize("language", list(languages.supported()))
def test_no_test_example_is_in_the_training_data(language):
    test = [normalise(e.plain) for e in read_examples(ROOT / "tests" / "nlu" / f"{language}.yml")]
    overlap = [e for e in test if e in TRAINING[language]]
    assert not overlap, overlap


def test_no_conversation_phrase_is_in_the_training_data():
    """Sentences only: "yes please", "cancel" or "hej då" are everyone's words and may be anywhere."""
    trained = set().union(*TRAINING.values())
    texts = [t for name in dir(phrases) if name.isupper() for t in
             (getattr(phrases, name).values() if isinstance(getattr(phrases, name), dict) else [getattr(phrases, name)])]
    overlap = [t for t in texts if len(normalise(t).split()) >= 4 and normalise(t) in trained]
    assert not overlap, overlap
