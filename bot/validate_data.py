"""Checks of the training data and translations, with the file, the line and the fix.

    python -m bot.validate_data          (make validate also runs `rasa data validate`)

Exit status 1 if any check fails. Each check is a function over paths, so tests can run it on
broken fixtures.
"""
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import yaml

from bot import language_detection, languages

ROOT = Path(__file__).resolve().parent.parent
MIN_EXAMPLES = 30
MIN_SMALL_TALK = 15
SMALL_TALK = {"greet", "goodbye", "thank", "affirm", "deny", "bot_challenge"}
MIN_TEST_EXAMPLES = 10
# [text](entity), [text]{"entity": …}
ANNOTATION = re.compile(r"\[([^\]]*)\](\(([^)]*)\)|\{([^}]*)\})")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass
class Example:
    text: str        # as written, with annotations
    plain: str       # annotations removed
    intent: str
    path: Path
    line: int


@dataclass
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        try:
            where = self.path.relative_to(ROOT)
        except ValueError:
            where = self.path
        return f"{where}:{self.line}: {self.message}"


def read_examples(path: Path) -> List[Example]:
    """Examples with their line numbers (Rasa's loader forgets them)."""
    examples, intent = [], None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("- intent:"):
            intent = stripped.split(":", 1)[1].strip()
        elif stripped.startswith(("- regex:", "- lookup:", "- synonym:")):
            intent = None
        elif intent and stripped.startswith("- ") and line.startswith("    "):
            text = stripped[2:]
            examples.append(Example(text, ANNOTATION.sub(r"\1", text), intent, path, number))
    return examples


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s@]", " ", text.lower()).split())


def check_counts(examples: List[Example], intents: List[str], path: Path, flat_minimum: int = 0) -> Iterator[Problem]:
    """Training data: 30 per intent, 15 for small talk; a test split: `flat_minimum` for every intent."""
    counts: Dict[str, int] = {}
    for example in examples:
        counts[example.intent] = counts.get(example.intent, 0) + 1
    for intent in intents:
        need = flat_minimum or (MIN_SMALL_TALK if intent in SMALL_TALK else MIN_EXAMPLES)
        if counts.get(intent, 0) < need:
            yield Problem(path, 1, f"intent '{intent}' has {counts.get(intent, 0)} examples, needs at least {need}: "
                                   f"add {need - counts.get(intent, 0)} varied examples")


def check_one_intent_per_example(examples: List[Example]) -> Iterator[Problem]:
    seen: Dict[str, Example] = {}
    for example in examples:
        key = normalise(example.plain)
        first = seen.setdefault(key, example)
        if first is not example and first.intent != example.intent:
            yield Problem(example.path, example.line,
                          f"'{example.plain}' is also an example of '{first.intent}' ({first.path.name}:{first.line}): "
                          f"keep it under one intent")


def check_test_not_trained(training: List[Example], test: List[Example]) -> Iterator[Problem]:
    trained = {normalise(e.plain): e for e in training}
    for example in test:
        if normalise(example.plain) in trained:
            other = trained[normalise(example.plain)]
            yield Problem(example.path, example.line,
                          f"test example '{example.plain}' is also in the training data ({other.path.name}:{other.line}): "
                          f"remove it from one of them")


def check_annotations(examples: List[Example], entities: List[str]) -> Iterator[Problem]:
    for example in examples:
        if example.text.count("[") != example.text.count("]"):
            yield Problem(example.path, example.line, "unbalanced [ ]: write entities as [text](entity)")
            continue
        for match in ANNOTATION.finditer(example.text):
            text, simple, braces = match.group(1), match.group(3), match.group(4)
            name = simple
            if braces is not None:
                try:
                    name = yaml.safe_load("{" + braces + "}").get("entity")
                except yaml.YAMLError:
                    yield Problem(example.path, example.line, f"'{match.group(0)}' is not valid: "
                                  "write [text]{\"entity\": \"name\", \"value\": \"v\"}")
                    continue
            if name not in entities:
                yield Problem(example.path, example.line, f"unknown entity '{name}' in '{match.group(0)}': "
                              f"use one of {', '.join(entities)}")
            if text != text.strip() or text[-1:] in ".,!?;:":
                yield Problem(example.path, example.line, f"entity text '{text}' has spaces or punctuation at "
                              "its edge: put them outside the brackets")


def check_language(examples: List[Example], language: str, allow: List[str]) -> Iterator[Problem]:
    """Flags examples that are clearly in another of our languages (product names don't count)."""
    allowed = re.compile("|".join(re.escape(a) for a in allow), re.IGNORECASE) if allow else None
    for example in examples:
        text = allowed.sub(" ", example.plain) if allowed else example.plain
        detection = language_detection.detect(text)
        if detection.language and detection.language != language and detection.confidence >= 0.95 \
                and len(text.split()) >= 4:
            yield Problem(example.path, example.line, f"'{example.plain}' looks like {detection.language}, not "
                          f"{language}: move it to bot/data/nlu/{detection.language}.yml or reword it")


def check_translations(domain: Path, locales: Path, codes: List[str]) -> Iterator[Problem]:
    english = yaml.safe_load(domain.read_text(encoding="utf-8"))["responses"]
    for code in codes:
        path = locales / f"{code}.yml"
        if not path.exists():
            yield Problem(path, 1, f"missing: copy the responses of domain.yml and translate them into {code}")
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        translated = (yaml.safe_load("\n".join(lines)) or {}).get("responses", {})

        def line_of(name: str) -> int:
            return next((i for i, l in enumerate(lines, 1) if l.strip() == f"{name}:"), 1)

        for name, variations in english.items():
            if name not in translated:
                yield Problem(path, 1, f"response '{name}' is not translated: add it (see domain.yml)")
                continue
            want = sorted({p for v in variations for p in PLACEHOLDER.findall(v.get("text", ""))})
            got = sorted({p for v in translated[name] for p in PLACEHOLDER.findall(v.get("text", ""))})
            if want != got:
                yield Problem(path, line_of(name), f"'{name}' has placeholders {got}, domain.yml has {want}: "
                                                   "use the same {names}")
            want_buttons = [[b["payload"] for b in v.get("buttons", [])] for v in variations]
            got_buttons = [[b["payload"] for b in v.get("buttons", [])] for v in translated[name]]
            if want_buttons != got_buttons:
                yield Problem(path, line_of(name), f"'{name}' buttons differ from domain.yml: keep the same "
                                                   "payloads in the same order, translate only the titles")


def all_problems(root: Path = ROOT, codes: Optional[List[str]] = None) -> List[Problem]:
    codes = codes or list(languages.supported())
    domain = yaml.safe_load((root / "domain.yml").read_text(encoding="utf-8"))
    intents = [i for i in domain["intents"] if not i.startswith("EXTERNAL_")]   # told by the backend, never typed
    config = yaml.safe_load((root / "bot" / "nlu" / "entity_values.yml").read_text(encoding="utf-8")) \
        if (root / "bot" / "nlu" / "entity_values.yml").exists() else {}
    allow = config.get("language_check_allow", [])
    problems: List[Problem] = []
    everything: List[Example] = []
    for code in codes:
        train_path = root / "bot" / "data" / "nlu" / f"{code}.yml"
        test_path = root / "tests" / "nlu" / f"{code}.yml"
        if not train_path.exists():
            problems.append(Problem(train_path, 1, f"missing: write the {code} training examples"))
            continue
        training = read_examples(train_path)
        test = read_examples(test_path) if test_path.exists() else []
        everything += training
        problems += check_counts(training, intents, train_path)
        problems += check_counts(test, intents, test_path, MIN_TEST_EXAMPLES)
        problems += check_test_not_trained(training, test)
        problems += check_annotations(training + test, domain["entities"])
        problems += check_language(training, code, allow)
    problems += check_one_intent_per_example(everything)
    problems += check_translations(root / "domain.yml", root / "locales", [c for c in codes if c != "en"])
    return problems


def main() -> None:
    problems = all_problems()
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s)" if problems else "Training data and translations: all checks passed.")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
