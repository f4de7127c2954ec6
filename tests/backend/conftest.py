"""Backend test fixtures. Every DB-backed test runs on SQLite and on Postgres (127.0.0.1:5432,
database `test`, trust auth) — the Postgres variant is skipped only when it is not reachable.
Each run works in its own Postgres schema, dropped afterwards, so reruns start clean."""
from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from backend.config import Settings
from backend.db import make_engine, make_sessionmaker
from backend.migrate import upgrade
from backend.models import metadata

REPO = Path(__file__).resolve().parents[2]
PG_HOST, PG_PORT, PG_DB = "127.0.0.1", 5432, "test"


def pytest_configure(config):
    # The development defaults use short HMAC secrets on purpose; production sets LOGIN_TOKEN_SECRET.
    config.addinivalue_line("filterwarnings", "ignore::jwt.warnings.InsecureKeyLengthWarning")


def _pg_user() -> str | None:
    """The first user that can connect to the test database, or None when Postgres is not there."""
    import psycopg2
    for user in ("postgres", "root"):
        try:
            psycopg2.connect(host=PG_HOST, port=PG_PORT, dbname=PG_DB, user=user, connect_timeout=3).close()
            return user
        except psycopg2.Error:
            continue
    return None


class Database:
    """A fresh, migrated database: a SQLite file, or a new schema in the Postgres test database."""

    def __init__(self, kind: str, tmp: Path):
        self.kind = kind
        if kind == "sqlite":
            self.url = f"sqlite:///{tmp / 'backend.db'}"
            self._admin_url = None
        else:
            user = _pg_user()
            if user is None:
                pytest.skip("Postgres at 127.0.0.1:5432 (database test) is not reachable")
            self.schema = f"cps_test_{secrets.token_hex(4)}"
            self._admin_url = f"postgresql+psycopg2://{user}@{PG_HOST}:{PG_PORT}/{PG_DB}"
            admin = make_engine(self._admin_url)
            with admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{self.schema}"'))
            admin.dispose()
            self.url = f"{self._admin_url}?options=-csearch_path%3D{self.schema}"
        upgrade(self.url)

    def drop(self) -> None:
        if self._admin_url:
            admin = make_engine(self._admin_url)
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))
            admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def db_kind(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def database(db_kind, tmp_path_factory):
    db = Database(db_kind, tmp_path_factory.mktemp(f"db-{db_kind}"))
    yield db
    db.drop()


@pytest.fixture(scope="session")
def engine(database):
    eng = make_engine(database.url)
    yield eng
    eng.dispose()


def _wipe(engine) -> None:
    tables = [t.name for t in reversed(metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))


@pytest.fixture
def settings(database, tmp_path) -> Settings:
    return Settings(database_url=database.url, upload_dir=tmp_path / "uploads", public_url="http://backend.test",
                    max_upload_bytes=200_000)


@pytest.fixture
def session(engine):
    """A session on an empty database (all tables wiped before the test)."""
    _wipe(engine)
    s = make_sessionmaker(engine)()
    yield s
    s.close()


@pytest.fixture
def session_factory(engine, session):
    """For tests with threads: one session per thread, same (wiped) database."""
    return make_sessionmaker(engine)


# --- a real server ------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, base_url: str, settings: Settings, env: dict):
        self.base_url, self.settings, self.env = base_url, settings, env

    def client(self, **kw) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=30, **kw)

    @property
    def api(self) -> dict:
        return {"X-API-Key": self.settings.api_key}

    @property
    def staff(self) -> dict:
        return {"X-Staff-Key": self.settings.staff_key}

    def customer(self, token: str) -> dict:
        return {"X-API-Key": self.settings.api_key, "Authorization": f"Bearer {token}"}


@pytest.fixture(scope="session")
def server(db_kind, tmp_path_factory):
    """`cps-backend serve` in a subprocess on a free port, with its own database holding the demo data."""
    tmp = tmp_path_factory.mktemp(f"server-{db_kind}")
    db = Database(db_kind, tmp)
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": db.url, "UPLOAD_DIR": str(tmp / "uploads"),
           "BACKEND_API_KEY": "test-action-key", "BACKEND_STAFF_KEY": "test-staff-key",
           "LOGIN_TOKEN_SECRET": "test-login-secret", "BACKEND_PUBLIC_URL": f"http://127.0.0.1:{port}",
           "DEMO_MODE": "1", "MAX_UPLOAD_BYTES": "200000"}
    env.pop("SMTP_HOST", None)
    subprocess.run([sys.executable, "-m", "backend.cli", "demo-data"], env=env, cwd=REPO, check=True,
                   capture_output=True)
    log = open(tmp / "server.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "backend.cli", "serve", "--port", str(port), "--no-migrate",
                             "--log-level", "warning"], env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 30
        while True:
            try:
                if httpx.get(base + "/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("backend did not start: " + (tmp / "server.log").read_text()[-2000:])
            time.sleep(0.2)
        settings = Settings(database_url=db.url, api_key="test-action-key", staff_key="test-staff-key",
                            login_token_secret="test-login-secret", upload_dir=tmp / "uploads", public_url=base,
                            max_upload_bytes=200_000)
        yield Server(base, settings, env)
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()
        db.drop()
