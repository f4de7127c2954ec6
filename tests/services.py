"""Start the real services as processes for tests, and stop them again by their pid."""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Service:
    """One process started in its own process group, with its output in a log file."""

    def __init__(self, name: str, command: List[str], env: Dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.command = command
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), **env}
        self.log_path = log_dir / f"{name}.log"
        self.process: Optional[subprocess.Popen] = None
        self.ready: Optional[Callable[[], bool]] = None   # set by start_*; used by restart()
        self.ready_timeout = 180.0

    def start(self) -> "Service":
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            self.command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def wait_until(self, ready: Callable[[], bool], timeout: float = 180) -> "Service":
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early:\n{self.log_tail()}")
            try:
                if ready():
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{self.name} not ready after {timeout}s:\n{self.log_tail()}")

    def wait_for_url(self, url: str, timeout: float = 180) -> "Service":
        return self.wait_until(lambda: requests.get(url, timeout=2).status_code == 200, timeout)

    def serve(self, ready: Callable[[], bool], timeout: float) -> "Service":
        """Start and wait until ready; remembers how, for restart()."""
        self.ready, self.ready_timeout = ready, timeout
        return self.start().wait_until(ready, timeout)

    def restart(self) -> "Service":
        return self.start().wait_until(self.ready, self.ready_timeout)

    def kill(self) -> None:
        """SIGKILL, as a crash: no clean shutdown."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def pause(self) -> None:
        """SIGSTOP: the process keeps its port and takes connections, but answers nothing."""
        os.killpg(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.killpg(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


RASA_TOKEN = "test-rasa-token"


def backend_env(tmp: Path, database_url: Optional[str] = None) -> Dict[str, str]:
    return {
        "DATABASE_URL": database_url or f"sqlite:///{tmp / 'backend.db'}",
        "UPLOAD_DIR": str(tmp / "uploads"),
        "BACKEND_API_KEY": "test-action-key",
        "BACKEND_STAFF_KEY": "test-staff-key",
        "LOGIN_TOKEN_SECRET": "test-login-secret",
        "DEMO_MODE": "1",
    }


def start_backend(tmp: Path, rasa_url: str = "http://127.0.0.1:9", database_url: Optional[str] = None) -> Service:
    env = {**backend_env(tmp, database_url), "RASA_URL": rasa_url, "RASA_TOKEN": RASA_TOKEN}
    port = free_port()
    env["BACKEND_PUBLIC_URL"] = f"http://127.0.0.1:{port}"
    for step in (["migrate"], ["demo-data"]):
        subprocess.run([str(BIN / "cps-backend"), *step], cwd=ROOT, check=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT), **env})
    service = Service("backend", [str(BIN / "cps-backend"), "serve", "--host", "127.0.0.1",
                                  "--port", str(port)], env, tmp)
    service.url = f"http://127.0.0.1:{port}"
    return service.serve(lambda: requests.get(f"{service.url}/v1/health", timeout=2).status_code == 200, 60)


def start_action_server(tmp: Path, backend_url: str, name: str = "actions") -> Service:
    port = free_port()
    env = {"BACKEND_URL": backend_url, "BACKEND_API_KEY": "test-action-key"}
    service = Service(name, [str(BIN / "rasa"), "run", "actions", "--actions", "bot.actions",
                                  "--port", str(port)], env, tmp)
    service.url = f"http://127.0.0.1:{port}"
    return service.serve(lambda: requests.get(f"{service.url}/health", timeout=2).status_code == 200, 120)


# How the Procfiles start a Rasa server: one thread per TensorFlow op, and TensorFlow's own
# kernels instead of oneDNN's. The server predicts one message at a time on its event loop, and
# TF's thread pools only cost CPU there (5-9 % of Rasa's CPU per turn in alternating bench runs);
# for DIET's small matrices oneDNN's kernels cost more than they save (a DIET call: 2.6 ms of CPU
# instead of 3.3 ms; the 2 328 test-split messages get the same intents and entities, confidences
# within 5e-7). See docs/performance.md. Training keeps TF's defaults.
RASA_SERVER_ENV = {"TF_INTRA_OP_PARALLELISM_THREADS": "1", "TF_INTER_OP_PARALLELISM_THREADS": "1",
                   "TF_ENABLE_ONEDNN_OPTS": "0"}


def start_rasa(tmp: Path, model: Path, action_url: str, port: int, name: str = "rasa",
               endpoints: str = "endpoints.yml", env: Optional[Dict[str, str]] = None, wait: bool = True) -> Service:
    """Rasa on the SQLite tracker store in tmp; `endpoints` and `env` choose other stores
    (endpoints.production.yml: Postgres tracker store and Redis lock store). wait=False only starts
    the process; then wait with `service.wait_until(service.ready, service.ready_timeout)`."""
    env = {
        **RASA_SERVER_ENV,
        "ACTION_ENDPOINT_URL": f"{action_url}/webhook",
        "TRACKER_DIALECT": "sqlite",
        "TRACKER_DB": str(tmp / "tracker.db"),
        **(env or {}),
    }
    service = Service(name, [str(BIN / "rasa"), "run", "--enable-api", "--auth-token", RASA_TOKEN, "--cors", "*",
                               "--port", str(port),
                               "--model", str(model), "--endpoints", endpoints,
                               "--credentials", "credentials.yml"], env, tmp)
    service.url = f"http://127.0.0.1:{port}"

    def model_loaded() -> bool:
        status = requests.get(f"{service.url}/status", params={"token": RASA_TOKEN}, timeout=2)
        return status.status_code == 200 and bool(status.json().get("model_id"))

    if not wait:
        service.ready, service.ready_timeout = model_loaded, 240
        return service.start()
    return service.serve(model_loaded, 240)


# --- Postgres and Redis on this machine (127.0.0.1), for the production topology -----------------

PG_HOST, PG_PORT, REDIS_HOST, REDIS_PORT = "127.0.0.1", 5432, "127.0.0.1", 6379


def postgres_user() -> Optional[str]:
    """The first of postgres/root that can connect (trust auth), or None when Postgres is not there."""
    import psycopg2

    for user in ("postgres", "root"):
        try:
            psycopg2.connect(host=PG_HOST, port=PG_PORT, dbname="postgres", user=user, connect_timeout=3).close()
            return user
        except psycopg2.Error:
            continue
    return None


def _postgres_admin(user: str, statement: str) -> None:
    import psycopg2

    connection = psycopg2.connect(host=PG_HOST, port=PG_PORT, dbname="postgres", user=user)
    connection.autocommit = True
    try:
        connection.cursor().execute(statement)
    finally:
        connection.close()


def create_postgres_database(user: str, prefix: str = "cps_it") -> str:
    """A fresh database named <prefix>_<random>; drop it with drop_postgres_database."""
    import secrets

    name = f"{prefix}_{secrets.token_hex(4)}"
    _postgres_admin(user, f'CREATE DATABASE "{name}"')
    return name


def drop_postgres_database(user: str, name: str) -> None:
    _postgres_admin(user, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def delete_redis_keys(prefix: str, db: int) -> None:
    import redis

    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=db)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
