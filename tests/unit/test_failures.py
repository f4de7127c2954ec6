"""When the backend is down or slow, every account action apologises in the customer's language
(a response, never a crash) and writes nothing half-done."""
import asyncio
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions import account, application, membership, products
from bot.backend_client import backend


def tracker(text="", slots=None):
    return Tracker(
        sender_id="t", slots={"language": "fi", "customer_token": "some-token", **(slots or {})},
        latest_message={"text": text, "intent": {"name": "x"}, "entities": [], "metadata": {}},
        events=[], paused=False, followup_action=None, active_loop={}, latest_action_name="action_listen",
    )


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SlowHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        time.sleep(2)

    do_POST = do_PATCH = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture(params=["down", "slow"])
def broken_backend(request, monkeypatch):
    monkeypatch.setattr(backend, "timeout", 0.5)
    monkeypatch.setattr(backend, "_client", None)
    monkeypatch.setattr(backend, "_failures", 0)        # each test meets the backend fresh,
    monkeypatch.setattr(backend, "_paused_until", 0.0)  # not a client already failing fast
    if request.param == "down":
        monkeypatch.setattr(backend, "base_url", f"http://127.0.0.1:{closed_port()}")
        yield
        return
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setattr(backend, "base_url", f"http://127.0.0.1:{server.server_port}")
    yield
    server.shutdown()


ACCOUNT_ACTIONS = [
    products.ActionExplainMigrateButton(), products.ActionMigrateProducts(), products.ActionGreenTick(),
    account.ActionNextStep(), account.ActionApplicationStatus(), membership.ActionCheckPoints(),
    membership.ActionTiers(), membership.ActionJoinCps(),
]


@pytest.mark.parametrize("action", ACCOUNT_ACTIONS, ids=lambda a: a.name())
def test_account_actions_apologise_when_the_backend_fails(broken_backend, action):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker(), {}))
    assert [m["response"] for m in dispatcher.messages] == ["utter_backend_unavailable"]
    assert events == []


def test_enrolment_keeps_nothing_half_done_when_the_backend_fails(broken_backend):
    dispatcher = CollectingDispatcher()
    slots = {"enrolment_confirmed": True, "tier": "gold", "payment_method": "card"}
    events = asyncio.run(membership.ActionEnrol().run(dispatcher, tracker(slots=slots), {}))
    assert [m["response"] for m in dispatcher.messages] == ["utter_backend_unavailable"]
    assert {e["name"] for e in events if e["event"] == "slot"} >= {"tier", "payment_method", "enrolment_confirmed"}


def test_application_answers_are_kept_when_the_backend_is_down(broken_backend):
    dispatcher = CollectingDispatcher()
    slots = {"application_confirmed": True, "company_name": "Valo Oy", "country": "FI", "vat_registered": False,
             "contact_email": "info@valo.example.com"}
    events = asyncio.run(application.ActionSubmitApplication().run(dispatcher, tracker(slots=slots), {}))
    assert [m["response"] for m in dispatcher.messages] == ["utter_backend_unavailable"]
    assert events == []   # nothing reset: the customer can try again without retyping


def test_a_crashing_action_answers_with_an_apology(monkeypatch):
    import bot.actions  # noqa: F401  (installs the guard on every action)

    async def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(backend, "request", broken)
    dispatcher = CollectingDispatcher()
    events = asyncio.run(products.ActionExplainMigrateButton().run(dispatcher, tracker(), {}))
    assert [m["response"] for m in dispatcher.messages] == ["utter_action_failed"]
    assert events == []


def test_after_repeated_failures_the_client_fails_fast(monkeypatch):
    monkeypatch.setattr(backend, "base_url", f"http://127.0.0.1:{closed_port()}")
    monkeypatch.setattr(backend, "_client", None)
    monkeypatch.setattr(backend, "_failures", 0)
    monkeypatch.setattr(backend, "_paused_until", 0.0)
    calls = []
    original = backend._http

    def counting_http():
        calls.append(1)
        return original()

    monkeypatch.setattr(backend, "_http", counting_http)
    for _ in range(5):
        dispatcher = CollectingDispatcher()
        asyncio.run(products.ActionExplainMigrateButton().run(dispatcher, tracker(), {}))
        assert [m["response"] for m in dispatcher.messages] == ["utter_backend_unavailable"]
    assert len(calls) == 3 * 2   # three failed calls (each with one retry), then no more attempts
