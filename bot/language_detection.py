"""Which of our languages a message is written in, if the detector is confident.

Lingua (bundled models, no downloads) decides between our six languages and a few
frequent others, so that a German or Russian message is recognised as unsupported instead
of being forced into the nearest supported language. Short or ambiguous messages ("ok",
"CPS?", "EOS R5") give no answer, and the conversation keeps its language.

`clearly_in` is a quick check with lingua's low-accuracy models (24 MB instead of 500, a tenth
of a millisecond): the Rasa process uses it to skip the full check (bot/language_check.py).
"""
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, Optional

from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

from bot import languages

# ISO 639-1 codes as lingua names them; Nynorsk counts as Norwegian.
LINGUA_CODES = {"nb": "BOKMAL", "nn": "NYNORSK"}
OTHER_LANGUAGES = ["de", "fr", "es", "it", "pl", "ru", "nl", "lv", "pt", "uk", "nn"]

# Measured on the test splits (tests/nlu): at 0.7, 0.4 % of messages would switch to a
# wrong language; at 0.4 about 1.5 %, acceptable only while no language is established.
SWITCH_CONFIDENCE = 0.7
FIRST_MESSAGE_CONFIDENCE = 0.4
# Gibberish also gets a "language": when the NLU did not understand the message either,
# only an almost certain detection may switch.
NOT_UNDERSTOOD_CONFIDENCE = 0.95
UNSUPPORTED_CONFIDENCE = 0.5   # 1 false alarm in the 2 268 test-split messages
# The quick check's share among all seventeen languages for "clearly this language". On the
# test splits' 1 962 messages of 12+ letters, each against all six conversation languages, it
# says so for 85 % of the messages in the conversation's language; of everything it says so for,
# the full check would have switched 2 pairs: a Lithuanian message in an Estonian conversation
# and a request for Norwegian, whose change_language intent is always checked. At 0.7: 6 pairs.
CLEARLY = 0.9

MIN_LETTERS = 12        # below this, detections are mostly noise
_WORD = re.compile(r"[^\W\d_]+")
# Things that look the same in every language and only add noise.
_NOISE = re.compile(r"\S+@\S+|https?://\S+|\b[A-Z]{2,}[\w-]*\b|\b\w*\d\w*\b")


def without_noise(text: Optional[str]) -> str:
    return _NOISE.sub(" ", text or "")


def letter_count(cleaned: str) -> int:
    return sum(len(word) for word in _WORD.findall(cleaned))


def too_short(text: Optional[str]) -> bool:
    return letter_count(without_noise(text)) < MIN_LETTERS


@dataclass(frozen=True)
class Detection:
    language: Optional[str]   # the most likely supported language, or None if too short
    confidence: float         # its share among the supported languages
    unsupported: bool         # confidently a language we do not speak


def _lingua_language(code: str) -> Language:
    if code in LINGUA_CODES:
        return getattr(Language, LINGUA_CODES[code])
    return Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))


# Built on first use, never when Rasa starts: with SANIC_WORKERS=2 the server forks its workers
# after our hooks are installed, and a lingua detector built before the fork hangs in the forked
# workers. Each worker builds its own on its first longer message (the quick one in about 0.1 s).
@lru_cache(maxsize=2)
def _detector(low_accuracy: bool = False):
    codes = list(languages.supported()) + [c for c in OTHER_LANGUAGES if c not in languages.supported()]
    by_language = {}
    for code in codes:
        by_language[_lingua_language(code)] = "nb" if code == "nn" else code
    builder = LanguageDetectorBuilder.from_languages(*by_language)
    if low_accuracy:
        builder = builder.with_low_accuracy_mode()
    return builder.with_preloaded_language_models().build(), by_language


def _scores(cleaned: str, low_accuracy: bool = False) -> Dict[str, float]:
    detector, by_language = _detector(low_accuracy)
    scores: Dict[str, float] = {}
    for value in detector.compute_language_confidence_values(cleaned):
        code = by_language[value.language]   # Bokmål and Nynorsk both count as nb
        scores[code] = scores.get(code, 0.0) + value.value
    return scores


def clearly_in(text: str, language: Optional[str]) -> bool:
    """True when the quick check is sure that the text is in `language`."""
    if not language:
        return False
    scores = _scores(without_noise(text), low_accuracy=True)
    return bool(scores) and max(scores, key=scores.get) == language and scores[language] >= CLEARLY


def detect(text: str) -> Detection:
    cleaned = without_noise(text)
    if letter_count(cleaned) < MIN_LETTERS:
        return Detection(None, 0.0, False)
    scores = _scores(cleaned)
    if not scores:
        return Detection(None, 0.0, False)
    best_overall = max(scores, key=scores.get)
    if best_overall not in languages.supported():
        # Most likely a language we don't speak: never switch on it, and say so when sure.
        return Detection(None, 0.0, scores[best_overall] >= UNSUPPORTED_CONFIDENCE)
    ours = {code: score for code, score in scores.items() if code in languages.supported()}
    total = sum(ours.values())
    if not total:
        return Detection(None, 0.0, False)
    best = max(ours, key=ours.get)
    return Detection(best, ours[best] / total, False)


def choose_language(text: str, current: Optional[str], understood: bool = True) -> Optional[str]:
    """The conversation's language after this message, or None if it stays as it is."""
    detection = detect(text)
    if detection.language is None or detection.language == current:
        return None
    threshold = SWITCH_CONFIDENCE if current else FIRST_MESSAGE_CONFIDENCE
    if not understood:
        threshold = max(threshold, NOT_UNDERSTOOD_CONFIDENCE)
    return detection.language if detection.confidence >= threshold else None
