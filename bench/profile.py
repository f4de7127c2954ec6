"""Where the Rasa server's CPU time goes: py-spy samples, grouped by what Rasa was doing.

py-spy's raw format is one line per distinct stack, "frame;frame;...;frame count", outermost
frame first, each frame "function (path:line)". A sample counts for the first category, in the
order below, that any of its frames belongs to.
"""
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Dict

CATEGORIES = [
    ("dialogue policies", ("rasa/core/policies/", "rasa/core/featurizers/")),
    ("NLU (tokens, features, DIET, fallback)", ("rasa/nlu/", "bot/nlu/")),
    ("custom action calls", ("rasa/core/actions/action.py", "rasa/core/actions/forms.py")),
    ("tracker store", ("tracker_store.py",)),
    ("lock store", ("lock_store.py",)),
    ("responses (NLG)", ("rasa/core/nlg/", "bot/nlg.py")),
    ("tracker events and slots", ("rasa/shared/core/trackers.py", "rasa/shared/core/events.py")),
    ("HTTP server and channel", ("sanic/", "rasa/core/channels/", "bot/channels.py")),
]
OTHER = "other (processor, event loop, logging)"


def record(pid: int, seconds: int, out: Path) -> subprocess.Popen:
    """Starts py-spy on a running process; returns at once (wait() on the result)."""
    py_spy = Path(sys.executable).parent / "py-spy"
    return subprocess.Popen([str(py_spy), "record", "--pid", str(pid), "--duration", str(seconds),
                             "--rate", "100", "--format", "raw", "--subprocesses", "--output", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def categorise(raw: str) -> Dict[str, float]:
    """Share of samples per category (0..1), largest first."""
    counts: Counter = Counter()
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        category = next((name for name, markers in CATEGORIES
                         if any(marker in frame for frame in frames for marker in markers)), OTHER)
        counts[category] += int(count)
    total = sum(counts.values()) or 1
    return {name: n / total for name, n in counts.most_common()}
