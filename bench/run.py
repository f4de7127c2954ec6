"""make bench: the assistant under load, against a stock Rasa 3.6 setup measured in the same run.

    python -m bench.run [--seconds 45] [--levels 1,10,50] [--workers 1,2] [--no-baseline]
                        [--baseline-model PATH]

For each setup it starts the real services (backend on SQLite with demo data, action server,
Rasa), measures the time from starting Rasa to its first answer, runs Locust headless at each
level of concurrent conversations, samples Rasa's memory and every process's CPU time, and
profiles Rasa with py-spy in an extra pass at 10 conversations. Writes reports/bench.{md,json,png}.

Setups:
  assistant  our config.yml model, endpoints.yml and credentials.yml, as `make run` starts it;
             "assistant, 2 workers" adds a Redis lock store and SANIC_WORKERS=2
  stock      configs/rasa-stock.yml (Rasa's default pipeline and policies) trained on the same
             data and domain; default server settings (in-memory tracker store, templated NLG)
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Dict, List

import psutil
import requests

from bench import conversations, profile, report
from bot.training import ROOT, ensure_model
from tests import services

BIN = Path(sys.executable).parent
REPORTS = ROOT / "reports"
PROFILE_USERS = 10


class Setup:
    def __init__(self, name: str, model: Path, endpoints: Path, credentials: Path, env: Dict[str, str]):
        self.name, self.model, self.endpoints, self.credentials, self.env = name, model, endpoints, credentials, env


def slug(name: str) -> str:
    return name.replace(", ", "-").replace(" ", "-")


def setups(tmp: Path, action_url: str, baseline: bool, baseline_model: Path = None,
           workers: List[int] = (1,)) -> List[Setup]:
    ours = [our_setup(tmp, action_url, n) for n in workers]
    if not baseline:
        return ours
    (tmp / "stock-endpoints.yml").write_text(f"action_endpoint:\n  url: {action_url}/webhook\n")
    (tmp / "stock-credentials.yml").write_text("rest:\n")
    stock = Setup("stock", baseline_model or ensure_model(ROOT / "configs" / "rasa-stock.yml"),
                  tmp / "stock-endpoints.yml", tmp / "stock-credentials.yml", {})
    return [*ours, stock]


def our_setup(tmp: Path, action_url: str, workers: int) -> Setup:
    env = {**services.RASA_SERVER_ENV, "ACTION_ENDPOINT_URL": f"{action_url}/webhook", "TRACKER_DIALECT": "sqlite",
           "TRACKER_DB": str(tmp / "tracker.db")}
    endpoints = ROOT / "endpoints.yml"
    if workers > 1:
        # Several Sanic workers need a lock store they share: Redis, as in production.
        endpoints = tmp / "endpoints-workers.yml"
        endpoints.write_text((ROOT / "endpoints.yml").read_text() + (
            f"\nlock_store:\n  type: bot.lock_store.AtomicRedisLockStore\n  url: 127.0.0.1\n  port: 6379\n  key_prefix: bench{os.getpid()}\n"))
        env["SANIC_WORKERS"] = str(workers)
    name = "assistant" if workers == 1 else f"assistant, {workers} workers"
    return Setup(name, ensure_model(), endpoints, ROOT / "credentials.yml", env)


def start_rasa(setup: Setup, tmp: Path) -> services.Service:
    """Starts Rasa and waits for its first answer; sets .url and .startup_seconds."""
    port = services.free_port()
    service = services.Service(f"rasa-{slug(setup.name)}", [
        str(BIN / "rasa"), "run", "--port", str(port), "--model", str(setup.model),
        "--endpoints", str(setup.endpoints), "--credentials", str(setup.credentials)], setup.env, tmp)
    service.url = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    service.start()

    def answered() -> bool:
        reply = requests.post(f"{service.url}/webhooks/rest/webhook",
                              json={"sender": "bench-startup", "message": "hello"}, timeout=30)
        return reply.status_code == 200 and bool(reply.json())

    service.wait_until(answered, timeout=300)
    service.startup_seconds = time.monotonic() - started
    return service


def process_tree(pid: int) -> List[psutil.Process]:
    """A process and its children (Sanic's workers are children of the main process)."""
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


class MemorySampler(threading.Thread):
    """Peak resident memory of a process with its children, sampled twice a second."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.process, self.peak, self.running = psutil.Process(pid), 0, True

    def run(self) -> None:
        while self.running:
            try:
                self.peak = max(self.peak, sum(p.memory_info().rss for p in process_tree(self.process.pid)))
            except psutil.Error:
                return
            time.sleep(0.5)


def cpu_seconds(pids: Dict[str, int]) -> Dict[str, float]:
    seconds = {}
    for name, pid in pids.items():
        try:
            seconds[name] = sum(t.user + t.system for t in (p.cpu_times() for p in process_tree(pid)))
        except psutil.Error:
            seconds[name] = 0.0
    return seconds


def run_locust(url: str, users: int, seconds: int, conversations_file: Path, prefix: Path,
               pids: Dict[str, int]) -> dict:
    before = cpu_seconds(pids)
    command = [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
               "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", url,
               "--csv", str(prefix), "--only-summary", "--stop-timeout", "30", "--loglevel", "WARNING"]
    subprocess.run(command, cwd=ROOT, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "BENCH_CONVERSATIONS": str(conversations_file), "PYTHONPATH": str(ROOT),
                        "BENCH_SILENT_FILE": f"{prefix}_silent.json"})
    after = cpu_seconds(pids)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        rows = {row["Name"]: row for row in csv.DictReader(f)}
    total = rows["Aggregated"]
    with open(f"{prefix}_failures.csv", encoding="utf-8") as f:
        failures = {f"{row['Name']}: {row['Error']}": int(row["Occurrences"]) for row in csv.DictReader(f)}
    turns = int(total["Request Count"])
    return {
        "users": users,
        "turns": turns,
        "failures": int(total["Failure Count"]),
        "failure_reasons": failures,
        "silent_turns": _silent_turns(Path(f"{prefix}_silent.json")),
        "throughput": float(total["Requests/s"]),
        "p50_ms": float(total["50%"]), "p95_ms": float(total["95%"]), "p99_ms": float(total["99%"]),
        "p95_ms_by_turn": {name: float(row["95%"]) for name, row in rows.items() if name != "Aggregated"},
        "cpu_ms_per_turn": {name: 1000 * (after[name] - before[name]) / max(turns, 1) for name in pids},
    }


def _silent_turns(path: Path) -> int:
    return sum(json.loads(path.read_text()).values()) if path.exists() else 0


def demo_tokens(backend_url: str) -> Dict[str, str]:
    """A demo customer's login token per language, so account questions reach the backend."""
    tokens = {}
    for customer in requests.get(f"{backend_url}/v1/demo/customers", timeout=10).json():
        if customer["language"] not in tokens:
            reply = requests.post(f"{backend_url}/v1/demo/login-token",
                                  json={"customer_ref": customer["ref"]}, timeout=10)
            tokens[customer["language"]] = reply.json()["token"]
    return tokens


def measure(setup: Setup, tmp: Path, levels: List[int], seconds: int, conversations_file: Path,
            base_pids: Dict[str, int]) -> dict:
    print(f"[{setup.name}] starting Rasa with {setup.model.name}", flush=True)
    rasa = start_rasa(setup, tmp)
    print(f"[{setup.name}] first answer {rasa.startup_seconds:.1f} s after start", flush=True)
    pids = {"rasa": rasa.process.pid, **base_pids}
    memory = MemorySampler(rasa.process.pid)
    memory.start()
    try:
        run_locust(rasa.url, 2, 10, conversations_file, tmp / f"{slug(setup.name)}-warmup", pids)
        results = []
        for users in levels:
            result = run_locust(rasa.url, users, seconds, conversations_file, tmp / f"{slug(setup.name)}-{users}", pids)
            results.append(result)
            print(f"[{setup.name}] {users:>3} conversations: {result['throughput']:6.1f} turns/s  "
                  f"p50 {result['p50_ms']:.0f} ms  p95 {result['p95_ms']:.0f} ms  p99 {result['p99_ms']:.0f} ms  "
                  f"failures {result['failures']}/{result['turns']}", flush=True)
        spy_output = tmp / f"{slug(setup.name)}-profile.txt"
        spy = profile.record(rasa.process.pid, 20, spy_output)
        run_locust(rasa.url, PROFILE_USERS, 20, conversations_file, tmp / f"{slug(setup.name)}-profiled", pids)
        spy.wait(timeout=60)
        raw = spy_output.read_text() if spy_output.exists() else ""
        (REPORTS / f"bench-profile-{slug(setup.name)}.txt").write_text(raw)  # raw stacks, for a closer look
        shares = profile.categorise(raw)
    finally:
        memory.running = False
        rasa.stop()
    return {"name": setup.name, "model": setup.model.name, "startup_seconds": rasa.startup_seconds,
            "peak_memory_mb": memory.peak / 2**20, "levels": results, "profile": shares}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=45, help="duration of each level")
    parser.add_argument("--levels", default="1,10,50", help="concurrent conversations per level")
    parser.add_argument("--no-baseline", action="store_true", help="skip the stock Rasa setup")
    parser.add_argument("--workers", default="1,2",
                        help="Sanic workers of our Rasa server, one setup each (more than 1 adds a Redis lock store)")
    parser.add_argument("--baseline-model", type=Path,
                        help="a stock model trained earlier (its speed does not depend on the exact data)")
    args = parser.parse_args()
    levels = [int(n) for n in args.levels.split(",")]
    REPORTS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cps-bench-") as name:
        tmp = Path(name)
        backend = services.start_backend(tmp)
        actions = services.start_action_server(tmp, backend.url)
        try:
            conversations_file = tmp / "conversations.json"
            conversations_file.write_text(json.dumps(conversations.build(600, demo_tokens(backend.url))))
            base_pids = {"actions": actions.process.pid, "backend": backend.process.pid}
            results = [measure(setup, tmp, levels, args.seconds, conversations_file, base_pids)
                       for setup in setups(tmp, actions.url, not args.no_baseline, args.baseline_model,
                                         [int(n) for n in args.workers.split(",")])]
        finally:
            actions.stop()
            backend.stop()
    summary = report.write(results, REPORTS)
    print(summary)


if __name__ == "__main__":
    main()
