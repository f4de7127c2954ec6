"""The bench report: reports/bench.json (all figures), bench.md (tables, targets, profile) and
bench.png (throughput and latency per level, assistant against the stock baseline)."""
import json
import platform
import time
from pathlib import Path
from typing import List, Optional

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import psutil  # noqa: E402


def _level(setup: dict, users: int) -> Optional[dict]:
    return next((level for level in setup["levels"] if level["users"] == users), None)


def targets(ours: dict, stock: Optional[dict]) -> List[str]:
    """The issue's targets, each with the measured figure and whether it is met."""
    lines = []

    def check(label: str, met: bool, figure: str) -> None:
        lines.append(f"- [{'x' if met else ' '}] {label}: {figure}")

    at10, at50 = _level(ours, 10), _level(ours, 50)
    base10 = _level(stock, 10) if stock else None
    if at10 and base10:
        ratio = at10["throughput"] / max(base10["throughput"], 1e-9)
        check("10 conversations: throughput ≥ 4× the stock baseline", ratio >= 4,
              f"{at10['throughput']:.1f} vs {base10['throughput']:.1f} turns/s = {ratio:.1f}×")
    if at10:
        check("10 conversations: p95 ≤ 150 ms", at10["p95_ms"] <= 150, f"{at10['p95_ms']:.0f} ms")
    if at50:
        check("50 conversations: no errors", at50["failures"] == 0, f"{at50['failures']} of {at50['turns']} turns")
        check("50 conversations: p99 ≤ 1 s", at50["p99_ms"] <= 1000, f"{at50['p99_ms']:.0f} ms")
    check("Rasa server memory ≤ 1.2 GB", ours["peak_memory_mb"] <= 1200, f"{ours['peak_memory_mb']:.0f} MB peak RSS of all its processes")
    check("process start to first answer ≤ 30 s", ours["startup_seconds"] <= 30, f"{ours['startup_seconds']:.1f} s")
    return lines


def _table(setup: dict) -> List[str]:
    processes = list(setup["levels"][0]["cpu_ms_per_turn"])
    lines = [f"| conversations | turns/s | p50 ms | p95 ms | p99 ms | failures | silent turns | "
             + " | ".join(f"CPU ms/turn {p}" for p in processes) + " |",
             "|---|---|---|---|---|---|---|" + "---|" * len(processes)]
    for level in setup["levels"]:
        cpu = " | ".join(f"{level['cpu_ms_per_turn'][p]:.1f}" for p in processes)
        lines.append(f"| {level['users']} | {level['throughput']:.1f} | {level['p50_ms']:.0f} | {level['p95_ms']:.0f} "
                     f"| {level['p99_ms']:.0f} | {level['failures']}/{level['turns']} | {level['silent_turns']} | {cpu} |")
    reasons = {f"{level['users']} conversations, {reason}": n
               for level in setup["levels"] for reason, n in level.get("failure_reasons", {}).items()}
    if reasons:
        lines += ["", "Failed turns:", *(f"- {reason}: {n}" for reason, n in reasons.items())]
    return lines


def plot(results: List[dict], path: Path) -> None:
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for setup in results:
        users = [level["users"] for level in setup["levels"]]
        left.plot(users, [level["throughput"] for level in setup["levels"]], marker="o", label=setup["name"])
        right.plot(users, [level["p95_ms"] for level in setup["levels"]], marker="o", label=f"{setup['name']} p95")
        right.plot(users, [level["p99_ms"] for level in setup["levels"]], marker="x", linestyle="--",
                   label=f"{setup['name']} p99")
    left.set(title="Throughput", xlabel="concurrent conversations", ylabel="turns/s")
    right.set(title="Latency", xlabel="concurrent conversations", ylabel="ms", yscale="log")
    for axis in (left, right):
        axis.set_xscale("log")
        axis.grid(True, alpha=0.3)
        axis.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write(results: List[dict], reports: Path) -> str:
    stock = next((r for r in results if r["name"] == "stock"), None)
    lines = [f"# Bench {time.strftime('%Y-%m-%d %H:%M')}",
             f"Machine: {psutil.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GB, "
             f"{platform.platform()}. Locust runs on the same machine."]
    for ours in (r for r in results if r["name"].startswith("assistant")):
        lines += ["", f"## Targets: {ours['name']}", *targets(ours, stock)]
    for setup in results:
        lines += ["", f"## {setup['name']} (`{setup['model']}`)",
                  f"First answer {setup['startup_seconds']:.1f} s after process start; "
                  f"peak Rasa memory {setup['peak_memory_mb']:.0f} MB.", "", *_table(setup), "",
                  "Where Rasa's CPU time went at 10 conversations (py-spy samples):", ""]
        lines += [f"- {share:5.1%} {name}" for name, share in setup["profile"].items()]
    lines += ["", "![throughput and latency](bench.png)"]
    text = "\n".join(lines) + "\n"
    (reports / "bench.md").write_text(text)
    (reports / "bench.json").write_text(json.dumps(results, indent=2))
    plot(results, reports / "bench.png")
    return text
