"""Trains an NLU model per pipeline variant and compares them on the test splits.

    python -m bot.compare_pipelines config.yml configs/pipeline-*.yml

Prints a markdown table (also written to reports/pipelines.md) of per-language intent accuracy,
macro-F1 and entity F1, and the training time of each variant.
"""
import asyncio
import subprocess
import sys
import time
from pathlib import Path

from bot.evaluate import evaluate, quiet_logs
from bot.training import DATA_DIR, ROOT


def train_nlu(config: Path, out: Path) -> Path:
    name = config.stem
    subprocess.run([str(Path(sys.executable).parent / "rasa"), "train", "nlu", "--config", str(config),
                    "--nlu", str(DATA_DIR / "nlu"), "--out", str(out), "--fixed-model-name", name],
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return out / f"{name}.tar.gz"


def main() -> None:
    quiet_logs()
    configs = [Path(p) for p in sys.argv[1:]]
    out = ROOT / "reports" / "pipelines"
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for config in configs:
        started = time.monotonic()
        model = train_nlu(config, out)
        minutes = (time.monotonic() - started) / 60
        results = asyncio.run(evaluate(model, out / config.stem))
        rows.append((config, minutes, results))
        print(f"{config}: trained in {minutes:.1f} min", flush=True)
    languages = list(rows[0][2])
    lines = ["| pipeline | train (min) | " + " | ".join(f"{l} acc / F1 / ent" for l in languages) + " |",
             "|---|---|" + "---|" * len(languages)]
    for config, minutes, results in rows:
        cells = [f"{r['intent_accuracy']:.3f} / {r['intent_macro_f1']:.3f} / {r['entity']['f1']:.3f}"
                 for r in results.values()]
        lines.append(f"| `{config}` | {minutes:.1f} | " + " | ".join(cells) + " |")
    table = "\n".join(lines)
    (ROOT / "reports" / "pipelines.md").write_text(table + "\n")
    print(table)


if __name__ == "__main__":
    main()
