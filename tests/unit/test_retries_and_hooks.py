"""Writes with an Idempotency-Key are retried, others never (bot/backend_client.py); when Rasa cannot
reach the action server the customer is told so, once per turn (bot/rasa_hooks.py)."""
import asyncio
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.backend_client import BackendClient, BackendUnavailable, idempotency_key
from tests.services import free_port


class DropsFirstRequest(BaseHTTPRequestHandler):
    """Closes the connection without an answer on the first request, like a backend killed mid-request."""
    seen = []

    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length") or 0))
        DropsFirstRequest.seen.append(self.headers.get("Idempotency-Key"))
        if len(DropsFirstRequest.seen) == 1:
            self.close_connection = True
            return
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def flaky_backend():
    DropsFirstRequest.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), DropsFirstRequest)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield BackendClient(f"http://127.0.0.1:{server.server_port}", "key")
    server.shutdown()


def test_a_keyed_write_is_retried(flaky_backend):
    key = idempotency_key("conversation-1", "product", {"serial_number": "AB1234"})
    assert asyncio.run(flaky_backend.request("POST", "/v1/me/products", json={}, idempotency_key=key)) == {}
    assert DropsFirstRequest.seen == [key, key]


def test_a_write_without_key_is_not_retried(flaky_backend):
    with pytest.raises(BackendUnavailable):
        asyncio.run(flaky_backend.request("POST", "/v1/things", json={}))
    assert DropsFirstRequest.seen == [None]


def test_keys_are_stable_and_distinct():
    assert idempotency_key("c1", "product", {"a": 1, "b": 2}) == idempotency_key("c1", "product", {"b": 2, "a": 1})
    assert idempotency_key("c1", "product", {"a": 1}) != idempotency_key("c2", "product", {"a": 1})


# --- the action server is down ------------------------------------------------------------------

def run_remote(action_name, tracker_events=()):
    from rasa.core.actions.action import RemoteAction
    from rasa.core.channels import CollectingOutputChannel
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    from bot.nlg import LocalisedNLG  # installs the hook

    domain = Domain.from_dict({
        "slots": {"language": {"type": "text", "mappings": [{"type": "custom"}]}},
        "actions": [action_name],
        "responses": {"utter_service_unavailable": [{"text": "Sorry, part of our service is down."}]},
    })
    tracker = DialogueStateTracker.from_events("t", list(tracker_events), slots=domain.slots)
    action = RemoteAction(action_name, EndpointConfig(f"http://127.0.0.1:{free_port()}/webhook"))
    channel = CollectingOutputChannel()
    return asyncio.run(action.run(channel, LocalisedNLG(domain=domain), tracker, domain))


def test_an_unreachable_action_is_answered_and_the_bot_listens():
    from rasa.shared.core.events import BotUttered, FollowupAction, SlotSet, UserUttered

    events = run_remote("action_check_points", [UserUttered("how many points", metadata={}),
                                                 SlotSet("language", "fi")])
    assert isinstance(events[0], BotUttered) and events[0].metadata["utter_action"] == "utter_service_unavailable"
    assert "palvelustamme" in events[0].text          # in the conversation's language (locales/fi.yml)
    assert events[1:] == [FollowupAction("action_listen")]


def test_the_message_comes_once_per_turn():
    from rasa.shared.core.events import BotUttered, UserUttered

    said = BotUttered("…", metadata={"utter_action": "utter_service_unavailable"})
    assert not any(isinstance(e, BotUttered) for e in run_remote("action_check_points", [UserUttered("x"), said]))


def test_a_form_validator_rejects_the_unchecked_values():
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

    events = run_remote("validate_product_form", [UserUttered("AB1234"), ActionExecuted("product_form"),
                                                  SlotSet("serial_number", "AB1234")])
    assert isinstance(events[0], BotUttered) and events[1:] == [SlotSet("serial_number", None)]


def test_language_detection_stays_silent():
    from rasa.shared.exceptions import RasaException

    with pytest.raises(RasaException):   # which action_extract_slots catches and goes on
        run_remote("action_validate_slot_mappings")


def test_the_reconnect_banner_speaks_every_language():
    """While Rasa is down the widget shows labels.offline (web/static/chat.js) in the site's language."""
    from web.serve import site_config

    languages = site_config()["languages"]
    english = languages["en"]["labels"]["offline"]
    for code in ("fi", "et", "nb", "lt", "sv"):
        assert languages[code]["labels"]["offline"] not in ("", english), code


def test_without_our_session_start_rasa_starts_the_session_itself():
    from rasa.shared.core.events import ActionExecuted, SessionStarted

    events = run_remote("action_session_start")
    assert isinstance(events[0], SessionStarted) and events[-1] == ActionExecuted("action_listen")


def test_rasa_waits_seconds_not_minutes_for_a_hung_action_server(monkeypatch):
    from rasa.core.actions import action as rasa_action_module

    from bot import rasa_hooks

    monkeypatch.setenv("ACTION_TIMEOUT_SECONDS", "7")
    monkeypatch.setattr(rasa_action_module, "DEFAULT_REQUEST_TIMEOUT", 300)
    rasa_hooks.install()
    assert rasa_action_module.DEFAULT_REQUEST_TIMEOUT == 7


def test_a_tracker_store_that_cannot_be_loaded_stops_rasa_instead_of_forgetting_conversations(tmp_path):
    from rasa.core.tracker_store import TrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.exceptions import RasaException
    from rasa.utils.endpoints import EndpointConfig

    from bot import rasa_hooks
    from bot.tracker_store import PlainSQLTrackerStore

    rasa_hooks.install()
    domain = Domain.empty()
    with pytest.raises(RasaException, match="bot.no_such_module.Store"):
        TrackerStore.create(EndpointConfig(type="bot.no_such_module.Store"), domain)
    with pytest.raises(RasaException, match="NoSuchStore"):
        TrackerStore.create(EndpointConfig(type="bot.tracker_store.NoSuchStore"), domain)
    store = TrackerStore.create(EndpointConfig(type="bot.tracker_store.PlainSQLTrackerStore", dialect="sqlite",
                                               db=str(tmp_path / "trackers.db")), domain)
    assert isinstance(store, PlainSQLTrackerStore)
