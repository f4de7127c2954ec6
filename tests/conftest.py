"""Shared fixtures: a trained model (once per run, reused by fingerprint) and the live services."""
import uuid
from pathlib import Path

import pytest
import requests

from tests import services


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The model for the current data (trained once, then reused by fingerprint).
    CPS_TEST_MODEL=<path> tests another model, e.g. while iterating on actions only."""
    import os

    from bot.training import ensure_model

    return Path(os.environ["CPS_TEST_MODEL"]) if os.environ.get("CPS_TEST_MODEL") else ensure_model()


@pytest.fixture(scope="session")
def live_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("live")


@pytest.fixture(scope="session")
def rasa_port() -> int:
    """Chosen first: the backend needs Rasa's address for handoffs, Rasa needs the action server."""
    return services.free_port()


@pytest.fixture(scope="session")
def backend_service(live_dir, rasa_port):
    service = services.start_backend(live_dir, f"http://127.0.0.1:{rasa_port}")
    yield service
    service.stop()


@pytest.fixture(scope="session")
def action_service(live_dir, backend_service):
    service = services.start_action_server(live_dir, backend_service.url)
    yield service
    service.stop()


@pytest.fixture(scope="session")
def rasa_service(live_dir, model_path, action_service, rasa_port):
    service = services.start_rasa(live_dir, model_path, action_service.url, rasa_port)
    yield service
    service.stop()


class Chat:
    """One customer's conversation through Rasa's REST channel."""

    def __init__(self, rasa_url: str, language: str = "en", login_token: str = None) -> None:
        self.url = f"{rasa_url}/webhooks/rest/webhook"
        self.sender = f"test-{uuid.uuid4().hex[:12]}"
        self.metadata = {"language": language}
        if login_token:
            self.metadata["login_token"] = login_token

    def say(self, text: str) -> list:
        response = requests.post(
            self.url, json={"sender": self.sender, "message": text, "metadata": self.metadata},
            timeout=60,
        )
        response.raise_for_status()
        return response.json()

    def texts(self, text: str) -> str:
        """All the bot's reply texts to one message, joined."""
        return "\n".join(m.get("text", "") for m in self.say(text))


@pytest.fixture
def chat(rasa_service):
    def open_chat(language: str = "en", login_token: str = None) -> Chat:
        return Chat(rasa_service.url, language, login_token)

    return open_chat
