"""The trainers' checks: each one fails on a broken fixture with a message naming file, line and fix,
and the real data passes them all."""
import shutil
from pathlib import Path

import pytest

from bot import validate_data
from tests.services import ROOT


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project's data, domain and locales to break."""
    for part in ("domain.yml", "bot/data/nlu", "tests/nlu", "locales", "bot/nlu/entity_values.yml"):
        source, target = ROOT / part, tmp_path / part
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target)
    return tmp_path


def messages(root, codes=("en", "fi")):
    return [str(p) for p in validate_data.all_problems(root, list(codes))]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_real_data_passes(project):
    assert messages(project, ("en", "fi", "et", "nb", "lt", "sv")) == []


def test_too_few_examples(project):
    path = project / "bot/data/nlu/fi.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("- intent: ask_payment")
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("- "))
    path.write_text("\n".join(lines[:start + 2] + lines[end - 3:]) + "\n", encoding="utf-8")
    found = messages(project)
    assert any("bot/data/nlu/fi.yml:1: intent 'ask_payment' has 3 examples, needs at least 30" in m for m in found)


def test_an_example_under_two_intents(project):
    edit(project / "bot/data/nlu/en.yml", "- intent: greet\n  examples: |\n",
         "- intent: greet\n  examples: |\n    - how do I register my products please\n")
    edit(project / "bot/data/nlu/en.yml", "- intent: register_product\n  examples: |\n",
         "- intent: register_product\n  examples: |\n    - how do I register my products please\n")
    assert any("is also an example of 'greet'" in m and "keep it under one intent" in m for m in messages(project))


def test_a_test_example_in_the_training_data(project):
    test_example = validate_data.read_examples(project / "tests/nlu/en.yml")[5]
    edit(project / "bot/data/nlu/en.yml", f"- intent: {test_example.intent}\n  examples: |\n",
         f"- intent: {test_example.intent}\n  examples: |\n    - {test_example.text}\n")
    found = messages(project)
    assert any(f"tests/nlu/en.yml:{test_example.line}:" in m and "is also in the training data" in m
               for m in found), found


def test_a_response_without_translation_or_with_other_placeholders(project):
    edit(project / "locales/fi.yml", "  utter_greet:\n", "  utter_greet_old:\n")
    edit(project / "locales/fi.yml", "{products_to_migrate}", "{count}")
    found = messages(project)
    assert any("locales/fi.yml:1: response 'utter_greet' is not translated" in m for m in found)
    assert any("placeholders ['count']" in m and "use the same {names}" in m for m in found)


def test_an_example_in_another_language(project):
    edit(project / "bot/data/nlu/fi.yml", "- intent: ask_payment\n  examples: |\n",
         "- intent: ask_payment\n  examples: |\n    - can I pay for the membership with my company credit card please\n")
    assert any("looks like en, not fi" in m for m in messages(project))


def test_malformed_or_unknown_entities(project):
    edit(project / "bot/data/nlu/en.yml", "- intent: inform\n  examples: |\n",
         "- intent: inform\n  examples: |\n    - my camera is [EOS R5](camera_model)\n    - bought at [Jessops ](dealer)\n"
         "    - serial [1234 is here\n")
    found = messages(project)
    assert any("unknown entity 'camera_model'" in m for m in found)
    assert any("entity text 'Jessops ' has spaces or punctuation" in m for m in found)
    assert any("unbalanced [ ]" in m for m in found)


def test_rasa_data_validate_finds_no_conflicts_or_errors():
    """`make validate` runs in CI through this test (CI runs only `make test`)."""
    import subprocess
    import sys

    result = subprocess.run([str(Path(sys.executable).parent / "rasa"), "data", "validate", "--domain", "domain.yml",
                             "--data", "bot/data", "--config", "config.yml"], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "story structure conflicts" not in result.stdout.lower() or "No story structure conflicts" in result.stdout
