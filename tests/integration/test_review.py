"""The review round trip on a real tracker store: conversations where the bot struggled are
exported per language, a trainer annotates one, and the import changes exactly that data file."""
import shutil

import yaml

from bot import review
from bot.validate_data import read_examples
from tests.services import ROOT

STRUGGLE = "mano fotoaparato registracija kažkaip strigo vakar vakare"


def test_export_annotate_import(chat, live_dir, tmp_path):
    conversation = chat("lt")
    conversation.say(STRUGGLE)
    conversation.say("ne, aš ne tai turėjau omenyje")   # a correction makes it worth reviewing in any case

    reviews = tmp_path / "reviews"
    written = review.export(f"sqlite:///{live_dir / 'tracker.db'}", reviews)
    assert "lt" in written
    exported = yaml.safe_load(written["lt"].read_text())["messages"]
    item = next(m for m in exported if m["text"] == STRUGGLE)
    assert item["reason"] in ("fallback", "low confidence", "corrected by the customer") and item["predicted"]

    item["intent"] = "register_product"
    written["lt"].write_text(yaml.safe_dump({"messages": exported}, allow_unicode=True))
    project = tmp_path / "project"
    for part in ("domain.yml", "bot/data/nlu", "tests/nlu"):
        (project / part).parent.mkdir(parents=True, exist_ok=True)
        copy = shutil.copytree if (ROOT / part).is_dir() else shutil.copy
        copy(ROOT / part, project / part)
    before = {p.name: p.read_text() for p in (project / "bot/data/nlu").glob("*.yml")}

    assert review.import_reviews(reviews, project) == {"lt": 1}
    after = {p.name: p.read_text() for p in (project / "bot/data/nlu").glob("*.yml")}
    assert [name for name in before if before[name] != after[name]] == ["lt.yml"]
    added = [e for e in read_examples(project / "bot/data/nlu/lt.yml") if e.plain == STRUGGLE]
    assert [e.intent for e in added] == ["register_product"]
    # importing the same review again adds nothing
    written["lt"].write_text(yaml.safe_dump({"messages": [item]}, allow_unicode=True))
    assert review.import_reviews(reviews, project) == {}
