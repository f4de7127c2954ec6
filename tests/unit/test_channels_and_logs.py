"""The chat channels' limits (bot/channels.py) and the log redaction (bot/log_redaction.py),
without a running server. Through the real Rasa: tests/integration/test_bad_input.py."""
import asyncio
import logging

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot import channels, log_redaction, rate_limit
from bot.log_redaction import redact


class FakeTrackerStore:
    def __init__(self, language=None):
        self.language = language

    async def retrieve(self, sender_id):
        if self.language is None:
            return None

        class Tracker:
            def get_slot(_, name):
                return self.language if name == "language" else None

        return Tracker()


class FakeApp:
    def __init__(self, language=None):
        class Ctx:
            pass

        self.ctx = Ctx()
        self.ctx.agent = type("Agent", (), {"tracker_store": FakeTrackerStore(language)})()


@pytest.fixture
def guard(monkeypatch):
    monkeypatch.setenv("CHAT_MAX_MESSAGE_CHARS", "50")
    monkeypatch.setenv("CHAT_MESSAGES_PER_MINUTE", "3")
    return channels.MessageGuard()


def run(guard, text, sender="s1", metadata=None, app=None):
    """Sends one message through the guard; returns (texts answered by the guard, passed on)."""
    passed = []

    async def rasa(message):
        passed.append(message.text)

    guard.app = app
    out = CollectingOutputChannel()
    asyncio.run(guard.wrap(rasa)(UserMessage(text, out, sender, metadata=metadata)))
    return [m["text"] for m in out.messages], passed


def test_a_normal_message_reaches_rasa_untouched(guard):
    assert run(guard, "how do I join CPS?") == ([], ["how do I join CPS?"])


def test_too_long_and_empty_messages_are_answered_in_the_conversations_language(guard):
    answered, passed = run(guard, "x" * 51, app=FakeApp("fi"), metadata={"language": "sv"})
    assert passed == [] and answered == [guard.texts["fi"]["utter_message_too_long"].replace(
        "{max_characters}", "50")]
    assert "50" in answered[0]
    # No tracker yet: the site's locale; no locale either: the default language.
    assert run(guard, " \n\t", sender="s2", app=FakeApp(), metadata={"language": "nb-NO"})[0] == \
        [guard.texts["nb"]["utter_message_empty"]]
    assert run(guard, None, sender="s3", metadata="not a dict")[0] == [guard.texts["en"]["utter_message_empty"]]
    assert run(guard, "x" * 50, sender="s4")[1] == ["x" * 50]


def test_messages_per_sender_per_minute_are_limited(guard, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(rate_limit.time, "monotonic", lambda: now[0])
    for i in range(3):
        assert run(guard, f"message {i}")[1] == [f"message {i}"]
    answered, passed = run(guard, "one too many", app=FakeApp("lt"))
    assert passed == [] and answered == [guard.texts["lt"]["utter_too_many_messages"]]
    assert run(guard, "another sender", sender="other")[1] == ["another sender"]
    now[0] += 61
    assert run(guard, "a minute later")[1] == ["a minute later"]


def test_every_language_has_the_channels_texts(guard):
    for language, texts in guard.texts.items():
        assert set(texts) == set(channels.RESPONSES)
        assert "{max_characters}" in texts["utter_message_too_long"], language
    assert set(guard.texts) == {"en", "fi", "et", "nb", "lt", "sv"}
    assert guard.texts["fi"]["utter_too_many_messages"] != guard.texts["en"]["utter_too_many_messages"]


@pytest.mark.parametrize("secret", [
    "anna.virtanen+cps@saimaankuva.fi", "anna%40saimaankuva.fi", "123456", "004211",
    "FI12345678", "NO995525828MVA", "995 525 828", "NO 995 525 828 MVA", "BE0123.456.789", "123 456", "LT119511515", "IE6388047V", "SE556677889901",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJkZW1vLWVuIn0.c2lnbmF0dXJlX2hlcmU",
])
def test_personal_data_is_masked(secret):
    for line in (f"value {secret}", f"{{'text': '{secret}'}}", f'"verify_email": "{secret}",'):
        assert secret not in redact(line)


def test_secrets_from_the_environment_and_in_headers_are_masked(monkeypatch):
    monkeypatch.setenv("BACKEND_API_KEY", "k3y-from-env")
    assert "k3y-from-env" not in redact("calling with k3y-from-env")
    assert redact("Authorization: Bearer abc.def") == "Authorization: Bearer <secret>"
    assert redact("GET /conversations/x/tracker?token=t0ken&x=1") == "GET /conversations/x/tracker?token=<secret>&x=1"
    assert redact("POST /v1/uploads/AbC123xyz HTTP/1.1") == "POST /v1/uploads/<link> HTTP/1.1"


def test_ordinary_log_lines_stay_readable():
    for line in ("port 5005, 12 products, 480 points", "sender test-1a2b3c4d5e6f", "took 0.123 s",
                 "action_session_start", "2026-11-22 03:19:13", "Sun, 22 Nov 2026 04:08:09 GMT", "127.0.0.1:5005"):
        assert redact(line) == line


def test_the_filter_masks_arguments_tracebacks_and_keeps_formats_working(caplog):
    logger = logging.getLogger("test.redaction")
    handler = logging.Handler()
    records = []
    handler.emit = lambda record: records.append(handler.format(record))
    logger.addHandler(handler)
    try:
        log_redaction.install()
        assert log_redaction._FILTER in handler.filters
        logger.warning("code %s for %s, status %d", "123456", "a@b.fi", 200)
        logger.warning('%s - "%s %s HTTP/%s" %d', "127.0.0.1:1", "GET", "/v1/uploads/Tok123", "1.1", 201)
        try:
            raise ValueError("FI12345678 is wrong")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    assert records[0] == "code <number> for <email>, status 200"
    assert records[1] == '127.0.0.1:1 - "GET /v1/uploads/<link> HTTP/1.1" 201'
    assert "FI12345678" not in records[2] and "<number> is wrong" in records[2]


def test_the_widget_stops_typing_at_the_channels_limit(monkeypatch):
    from tests.services import ROOT
    from web.serve import site_config

    assert 'maxlength="2000"' in (ROOT / "web/static/index.html").read_text()  # before config.json loads
    assert site_config()["maxMessageChars"] == channels.MessageGuard().max_chars == 2000
    monkeypatch.setenv("CHAT_MAX_MESSAGE_CHARS", "500")
    assert site_config()["maxMessageChars"] == channels.MessageGuard().max_chars == 500


def test_a_customer_cannot_trigger_the_backends_external_intents(guard):
    assert run(guard, " /EXTERNAL_conversation_closed") == ([], ["EXTERNAL_conversation_closed"])
    assert run(guard, "/affirm") == ([], ["/affirm"])  # button payloads still reach Rasa


def _socketio_process(url, channel):
    """A socket.io server as one Rasa process has it, with LocalFirstRedisManager; records what
    it sends to its clients instead of sending it."""
    import socketio

    manager = channels.LocalFirstRedisManager(url, channel=channel)
    server = socketio.AsyncServer(async_mode="asgi", client_manager=manager)
    sent = []

    async def send(eio_sid, eio_packet):
        sent.append((eio_sid, eio_packet.data))

    server._send_eio_packet = send
    return manager, sent


def _widget(manager, eio_sid, session):
    """A widget connected to this process, in its session's room (Rasa's session_persistence)."""
    manager.enter_room(manager.connect(eio_sid, "/"), "/", session)


def test_socketio_messages_reach_the_widget_on_another_process_once():
    import redis
    import uuid

    url, channel = "redis://127.0.0.1:6379/1", f"test-socketio-{uuid.uuid4().hex}"
    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError:
        pytest.skip("Redis at 127.0.0.1:6379 is not reachable")

    async def main():
        a, sent_a = _socketio_process(url, channel)
        b, sent_b = _socketio_process(url, channel)
        _widget(a, "eio-1", "session-1")
        a.initialize(), b.initialize()   # the servers do this at their first connection
        for _ in range(100):   # both subscribed
            if (await a.redis.pubsub_numsub(channel))[0][1] == 2:
                break
            await asyncio.sleep(0.05)
        await b.emit("bot_uttered", {"text": "Anna: Hei!"}, room="session-1")   # an agent's reply via B
        await a.emit("bot_uttered", {"text": "Kiitos!"}, room="session-1")      # the bot's answer on A
        await asyncio.sleep(0.5)   # time for Redis to bring A's own message back, to be skipped
        for manager in (a, b):
            manager.thread.cancel()
        return sent_a, sent_b

    sent_a, sent_b = asyncio.run(main())
    # each once, in whichever order: B's went through Redis, A's straight to the widget
    assert sorted((sid, "Anna: Hei!" in data, "Kiitos!" in data) for sid, data in sent_a) == \
           [("eio-1", False, True), ("eio-1", True, False)]
    assert sent_b == []


def test_socketio_messages_reach_a_widget_on_the_same_process_while_redis_is_down():
    async def main():
        manager, sent = _socketio_process("redis://127.0.0.1:1/0", "socketio")   # nothing listens there
        _widget(manager, "eio-1", "session-1")
        await manager.emit("bot_uttered", {"text": "Tere!"}, room="session-1")
        return sent

    assert [(sid, "Tere!" in data) for sid, data in asyncio.run(main())] == [("eio-1", True)]
