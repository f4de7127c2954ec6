"""Adding a seventh language takes data files, a locale file and one line of configuration — no code.

The project is copied, Danish is added the way README describes (without touching any .py or .js
file), and the copy's own code then serves Danish everywhere: configuration, the page, language
detection, the bot's answers and the trainers' checks.
"""
import shutil
import subprocess
import sys
import textwrap

from tests.services import ROOT

CODE_AND_DATA = ["bot", "web", "locales", "tests/nlu", "domain.yml", "config.yml"]


def test_danish_needs_no_code_change(tmp_path):
    project = tmp_path / "project"
    for part in CODE_AND_DATA:
        source = ROOT / part
        (project / part).parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, project / part, ignore=shutil.ignore_patterns("models", "__pycache__"))
        else:
            shutil.copy(source, project / part)
    code_before = {p: p.read_bytes() for p in project.rglob("*") if p.suffix in (".py", ".js")}

    # The steps of README "Adding a language" (the texts here are borrowed from Norwegian for brevity).
    with open(project / "locales/languages.yml", "a", encoding="utf-8") as f:
        f.write("  da: dansk\n")
    shutil.copy(project / "locales/nb.yml", project / "locales/da.yml")
    shutil.copy(project / "bot/data/nlu/nb.yml", project / "bot/data/nlu/da.yml")
    shutil.copy(project / "tests/nlu/nb.yml", project / "tests/nlu/da.yml")
    with open(project / "locales/da.yml", "r+", encoding="utf-8") as f:
        text = f.read().replace('send: "Send"', 'send: "Send besked"')
        f.seek(0), f.write(text), f.truncate()

    script = textwrap.dedent("""
        import asyncio, json
        from bot import languages, language_detection
        from bot.nlg import LocalisedNLG
        from rasa.shared.core.domain import Domain
        from rasa.shared.core.events import SlotSet
        from rasa.shared.core.trackers import DialogueStateTracker
        from web.serve import site_config
        from bot.validate_data import check_translations, read_examples, ROOT
        domain = Domain.load("domain.yml")
        tracker = DialogueStateTracker.from_events("t", [SlotSet("language", "da")], slots=domain.slots)
        answer = asyncio.run(LocalisedNLG(domain=domain).generate("utter_greet", tracker, "rest"))["text"]
        print(json.dumps({
            "supported": list(languages.supported()),
            "locale": languages.normalise("da-DK"),
            "detected": language_detection.detect("Kan I hjælpe mig med at registrere mit nye kamera, som jeg købte sidste år?").language,
            "page": site_config()["languages"]["da"]["labels"]["send"],
            "answer": answer,
            "translation_problems": [str(p) for p in check_translations(ROOT / "domain.yml", ROOT / "locales", ["da"])],
            "examples": len(read_examples(ROOT / "bot/data/nlu/da.yml")),
        }))
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=project, capture_output=True, text=True,
                            env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"}, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = __import__("json").loads(result.stdout.strip().splitlines()[-1])
    assert seen["supported"][-1] == "da" and seen["locale"] == "da" and seen["detected"] == "da"
    assert seen["page"] == "Send besked"
    assert seen["answer"].startswith("Hei")          # the Danish locale file answers (text borrowed from nb)
    assert seen["translation_problems"] == [] and seen["examples"] > 1000
    assert {p: p.read_bytes() for p in project.rglob("*") if p.suffix in (".py", ".js")} == code_before
