"""Per-language NLU evaluation on the test splits (tests/nlu/<lang>.yml), never trained on.

    python -m bot.evaluate [--model PATH] [--out reports/]

Prints intent accuracy, macro-F1 and entity F1 per language, writes reports/nlu.json and one
confusion-matrix picture per language, and lists regressions against the previous report.
"""
import argparse
import asyncio
import json
from pathlib import Path
from typing import Dict, List, Tuple

from bot import languages
from bot.training import ROOT, ensure_model

TEST_DIR = ROOT / "tests" / "nlu"


def load_examples(path: Path) -> List[dict]:
    from rasa.shared.nlu.training_data.loading import load_data

    examples = []
    for message in load_data(str(path)).intent_examples:
        entities = {(e["entity"], str(e.get("value", "")).lower()) for e in message.get("entities", [])}
        examples.append({"text": message.get("text"), "intent": message.get("intent"), "entities": entities})
    return examples


def entity_scores(pairs: List[Tuple[set, set]]) -> Dict[str, float]:
    tp = sum(len(gold & pred) for gold, pred in pairs)
    fp = sum(len(pred - gold) for gold, pred in pairs)
    fn = sum(len(gold - pred) for gold, pred in pairs)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


async def evaluate(model: Path, out_dir: Path) -> Dict[str, dict]:
    from rasa.core.agent import Agent
    from sklearn.metrics import accuracy_score, f1_score

    agent = Agent.load(str(model))
    out_dir.mkdir(parents=True, exist_ok=True)
    results = {}
    for language in languages.supported():
        path = TEST_DIR / f"{language}.yml"
        if not path.exists():
            continue
        examples = load_examples(path)
        gold, predicted, entity_pairs, per_intent = [], [], [], {}
        for example in examples:
            parsed = await agent.parse_message(example["text"])
            intent = parsed["intent"]["name"]
            gold.append(example["intent"])
            predicted.append(intent)
            entities = {(e["entity"], str(e.get("value", "")).lower()) for e in parsed.get("entities", [])}
            entity_pairs.append((example["entities"], entities))
            per_intent.setdefault(example["intent"], []).append(intent == example["intent"])
        by_entity = {}
        for gold_set, pred_set in entity_pairs:
            for name in {e for e, _ in gold_set | pred_set}:
                by_entity.setdefault(name, []).append(({x for x in gold_set if x[0] == name},
                                                       {x for x in pred_set if x[0] == name}))
        results[language] = {
            "examples": len(examples),
            "entity_f1_by_type": {name: entity_scores(pairs)["f1"] for name, pairs in sorted(by_entity.items())},
            "intent_accuracy": accuracy_score(gold, predicted),
            # The mean over the intents of the test split: a message the model declined to
            # classify (nlu_fallback) already costs its intent's recall; counting nlu_fallback
            # as one more class with F1 0 would lower the mean by a further 1/(n+1).
            "intent_macro_f1": f1_score(gold, predicted, labels=sorted(set(gold)), average="macro",
                                        zero_division=0),
            "entity": entity_scores(entity_pairs),
            "per_intent_accuracy": {k: sum(v) / len(v) for k, v in sorted(per_intent.items())},
            "errors": [{"text": e["text"], "gold": g, "predicted": p}
                       for e, g, p in zip(examples, gold, predicted) if g != p],
            "entity_errors": [{"text": e["text"], "gold": sorted(g), "predicted": sorted(p)}
                              for e, (g, p) in zip(examples, entity_pairs) if g != p],
        }
        plot_confusion(gold, predicted, language, out_dir / f"confusion_{language}.png")
    return results


def plot_confusion(gold: List[str], predicted: List[str], language: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import ConfusionMatrixDisplay

    labels = sorted(set(gold) | set(predicted))
    fig, ax = plt.subplots(figsize=(14, 14))
    ConfusionMatrixDisplay.from_predictions(gold, predicted, labels=labels, ax=ax, xticks_rotation="vertical",
                                            colorbar=False)
    ax.set_title(f"Intent confusion, test split ({language})")
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


def regressions(old: Dict[str, dict], new: Dict[str, dict], tolerance: float = 0.001) -> List[str]:
    found = []
    for language, result in new.items():
        before = old.get(language)
        if not before:
            continue
        for metric in ("intent_accuracy", "intent_macro_f1"):
            if result[metric] < before[metric] - tolerance:
                found.append(f"{language} {metric}: {before[metric]:.3f} -> {result[metric]:.3f}")
        if result["entity"]["f1"] < before["entity"]["f1"] - tolerance:
            found.append(f"{language} entity_f1: {before['entity']['f1']:.3f} -> {result['entity']['f1']:.3f}")
        for intent, accuracy in result["per_intent_accuracy"].items():
            previous = before.get("per_intent_accuracy", {}).get(intent)
            if previous is not None and accuracy < previous - tolerance:
                found.append(f"{language} {intent}: {previous:.2f} -> {accuracy:.2f}")
    return found


def quiet_logs() -> None:
    import logging

    import structlog

    logging.basicConfig(level=logging.WARNING)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))


def main() -> None:
    quiet_logs()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "reports")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    model = args.model or ensure_model()
    results = asyncio.run(evaluate(model, args.out))
    print(f"{'lang':5} {'n':>5} {'intent acc':>10} {'macro-F1':>9} {'entity F1':>9}")
    for language, r in results.items():
        print(f"{language:5} {r['examples']:5d} {r['intent_accuracy']:10.3f} {r['intent_macro_f1']:9.3f} "
              f"{r['entity']['f1']:9.3f}")
    report = args.out / "nlu.json"
    if report.exists():
        found = regressions(json.loads(report.read_text()), results)
        print("Regressions against the last report:" if found else "No regressions against the last report.")
        for line in found:
            print("  " + line)
    report.write_text(json.dumps(results, indent=1, ensure_ascii=False, default=list))
    print(f"Report: {report}; confusion matrices: {args.out}/confusion_<lang>.png")


if __name__ == "__main__":
    main()
