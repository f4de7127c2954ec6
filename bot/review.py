"""Learning from real conversations: export what customers wrote when the bot struggled, import
what a trainer annotated.

    python -m bot.review export [--tracker-db URL] [--out reviews/]
    python -m bot.review import [--reviews reviews/]

Export reads Rasa's SQL tracker store and writes reviews/<lang>.yml with the customer messages
that ended in a fallback, had a low confidence, were followed by a correction ("no, I meant …")
or led to a handoff, with the predicted intent. The trainer fills in `intent:` (and may fix the
text or add entity annotations); import appends those examples to bot/data/nlu/<lang>.yml under
their intent, skipping duplicates and anything in the test split.
"""
import argparse
import json
import os
from pathlib import Path
from typing import Dict, List, Optional

import sqlalchemy as sa
import yaml

from bot import languages
from bot.validate_data import ANNOTATION, ROOT, normalise, read_examples

LOW_CONFIDENCE = 0.6
HANDOFF_ACTIONS = {"action_handoff"}


def default_tracker_url() -> str:
    db = os.environ.get("TRACKER_DB", str(ROOT / "var" / "rasa_tracker.db"))
    return db if "://" in db else f"sqlite:///{db}"


def flagged_messages(tracker_url: str) -> Dict[str, List[dict]]:
    """{language: [{text, predicted, confidence, reason, conversation}]} from the tracker store."""
    engine = sa.create_engine(tracker_url)
    found: Dict[str, List[dict]] = {}
    query = sa.text("SELECT sender_id, type_name, data FROM events ORDER BY sender_id, id")
    with engine.connect() as connection:
        conversations: Dict[str, List[dict]] = {}
        for sender, kind, data in connection.execute(query):
            if kind in ("user", "slot", "action"):
                conversations.setdefault(sender, []).append(json.loads(data))
    for sender, events in conversations.items():
        language, previous = languages.default(), None
        for index, event in enumerate(events):
            if event["event"] == "slot" and event.get("name") == "language" and event.get("value"):
                language = event["value"]
            if event["event"] != "user" or (event.get("text") or "").startswith("/"):
                continue
            intent = (event.get("parse_data") or {}).get("intent") or {}
            reason = None
            if intent.get("name") == "nlu_fallback":
                reason = "fallback"
            elif (intent.get("confidence") or 0) < LOW_CONFIDENCE:
                reason = "low confidence"
            later = events[index + 1:]
            next_user = next((e for e in later if e["event"] == "user"), None)
            if next_user and ((next_user.get("parse_data") or {}).get("intent") or {}).get("name") == "deny":
                reason = reason or "corrected by the customer"
            actions = [e.get("name") for e in later[: later.index(next_user)] if e["event"] == "action"] \
                if next_user else [e.get("name") for e in later if e["event"] == "action"]
            if HANDOFF_ACTIONS & set(actions):
                reason = reason or "led to a handoff"
            if reason:
                found.setdefault(language, []).append({
                    "text": event["text"], "predicted": intent.get("name"),
                    "confidence": round(intent.get("confidence") or 0, 3), "reason": reason,
                    "conversation": sender, "intent": None})
    return found


def export(tracker_url: str, out_dir: Path) -> Dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for language, items in flagged_messages(tracker_url).items():
        path = out_dir / f"{language}.yml"
        seen = {normalise(i["text"]) for i in (yaml.safe_load(path.read_text()) or {}).get("messages", [])} \
            if path.exists() else set()
        existing = (yaml.safe_load(path.read_text()) or {}).get("messages", []) if path.exists() else []
        new = [i for i in items if normalise(i["text"]) not in seen]
        header = (f"# Customer messages in '{language}' the bot struggled with. Fill in `intent:` with the right\n"
                  "# intent (or leave it empty to skip); you may correct the text or annotate entities.\n"
                  "# Then run `make review-import`.\n")
        path.write_text(header + yaml.safe_dump({"messages": existing + new}, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        written[language] = path
    return written


def add_example(data_file: Path, intent: str, text: str) -> None:
    """Inserts `text` as the first example of `intent` (a new block at the end if needed)."""
    lines = data_file.read_text(encoding="utf-8").splitlines()
    header = f"- intent: {intent}"
    if header in lines:
        at = lines.index(header) + 2   # after "  examples: |"
        lines.insert(at, f"    - {text}")
    else:
        lines += [header, "  examples: |", f"    - {text}"]
    data_file.write_text("\n".join(lines) + "\n", encoding="utf-8")


def import_reviews(reviews_dir: Path, root: Path = ROOT) -> Dict[str, int]:
    intents = set(yaml.safe_load((root / "domain.yml").read_text(encoding="utf-8"))["intents"])
    added: Dict[str, int] = {}
    for path in sorted(reviews_dir.glob("*.yml")):
        language = path.stem
        data_file = root / "bot" / "data" / "nlu" / f"{language}.yml"
        test_file = root / "tests" / "nlu" / f"{language}.yml"
        known = {normalise(e.plain) for e in read_examples(data_file)}
        known |= {normalise(e.plain) for e in read_examples(test_file)} if test_file.exists() else set()
        remaining = []
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("messages", []):
            intent: Optional[str] = item.get("intent")
            if not intent:
                remaining.append(item)
                continue
            if intent not in intents:
                raise SystemExit(f"{path}: unknown intent '{intent}' for '{item['text']}'")
            key = normalise(ANNOTATION.sub(r"\1", item["text"]))
            if key not in known:
                add_example(data_file, intent, " ".join(str(item["text"]).split()))
                known.add(key)
                added[language] = added.get(language, 0) + 1
        path.write_text(yaml.safe_dump({"messages": remaining}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return added


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    e = sub.add_parser("export")
    e.add_argument("--tracker-db", default=default_tracker_url())
    e.add_argument("--out", type=Path, default=ROOT / "reviews")
    i = sub.add_parser("import")
    i.add_argument("--reviews", type=Path, default=ROOT / "reviews")
    args = parser.parse_args()
    if args.command == "export":
        for language, path in export(args.tracker_db, args.out).items():
            print(f"{language}: {path}")
    else:
        for language, count in import_reviews(args.reviews).items():
            print(f"{language}: {count} example(s) added to bot/data/nlu/{language}.yml")


if __name__ == "__main__":
    main()
