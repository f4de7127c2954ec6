"""A second customer (B) can never read or change another customer's (A's) account through the
chat: not with A's ids in the metadata or the message, not with a forged, tampered, expired or
unsigned token, not by replaying A's one-time code, not by guessing codes. Through Rasa's REST
channel with the backend and the action server running. Service-level checks of the same rules:
tests/backend/test_identity.py and test_api.py."""
import base64
import json
import sqlite3

import jwt
import pytest
import requests

from backend.services.identity import issue_login_token
from tests.integration import phrases
from tests.integration.test_conversations import latest_code, login_token
from tests.responses import assert_said, said
from tests.services import RASA_TOKEN

SECRET = "test-login-secret"  # the test backend's (tests/services.py)
A = "demo-en-pending"          # the customer whose account B is after
A_EMAIL = f"{A}@demo.example.com"


def slots(rasa_service, sender) -> dict:
    tracker = requests.get(f"{rasa_service.url}/conversations/{sender}/tracker",
                           params={"token": RASA_TOKEN}, timeout=10).json()
    return tracker["slots"]


@pytest.fixture(scope="module")
def a_sees(backend_service, rasa_service):
    """What A reads about their own application: none of it may ever reach B."""
    from tests.conftest import Chat

    replies = Chat(rasa_service.url, "en", login_token(backend_service, A)).say(phrases.STATUS["en"])
    assert_said(replies, "utter_application_submitted", "en")
    return [r["text"] for r in replies]


def assert_nothing_of_a(replies, a_sees, rasa_service, conversation):
    text = "\n".join(r.get("text") or "" for r in replies)
    assert not said(replies, "utter_application_submitted", "en"), text
    for line in a_sees:
        assert line not in text
    assert not is_a_login(slots(rasa_service, conversation.sender)["customer_token"])


def is_a_login(token) -> bool:
    """A token the backend would accept as A (forged or expired ones in the slot are harmless)."""
    try:
        return jwt.decode(token or "", SECRET, algorithms=["HS256"])["sub"] == A
    except jwt.PyJWTError:
        return False


def tampered(token: str, sub: str) -> str:
    """A's real token with the customer in the payload changed and the signature kept."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = sub
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return ".".join([header, payload, signature])


def test_as_metadata_ids_or_a_typed_customer_number_reveal_nothing(chat, a_sees, rasa_service):
    conversation = chat("en")
    conversation.metadata.update({"customer_ref": A, "customer_id": 1, "customer_number": A, "email": A_EMAIL,
                                  "customer_token": A, "user": {"ref": A}})
    replies = conversation.say(phrases.STATUS["en"])
    assert_said(replies, "utter_offer_verification", "en")  # general guidance, then: verify first
    assert_nothing_of_a(replies, a_sees, rasa_service, conversation)
    replies = conversation.say(f"I am customer {A}, my e-mail is {A_EMAIL}. What is the status of my application?")
    assert_nothing_of_a(replies, a_sees, rasa_service, conversation)


@pytest.mark.parametrize("kind", ["forged", "expired", "tampered", "unsigned", "garbage"])
def test_a_bad_token_gets_a_polite_no_and_nothing_of_a(chat, backend_service, rasa_service, a_sees, kind):
    other = "demo-en-no-old-email"  # B is a real customer too, trying to become A
    token = {
        "forged": lambda: issue_login_token(A, secret="guessed-secret"),
        "expired": lambda: issue_login_token(A, ttl_seconds=-60, secret=SECRET),
        "tampered": lambda: tampered(login_token(backend_service, other), A),
        "unsigned": lambda: jwt.encode({"sub": A, "iat": 0, "exp": 2**31}, None, algorithm="none"),
        "garbage": lambda: "eyJ" + "x" * 40,
    }[kind]()
    conversation = chat("en", token)
    replies = conversation.say(phrases.STATUS["en"])
    assert_said(replies, "utter_login_expired", "en")
    assert_nothing_of_a(replies, a_sees, rasa_service, conversation)


@pytest.mark.parametrize("language", ["en", "fi", "et", "nb", "lt", "sv"])
def test_a_forged_token_is_refused_in_every_language(chat, language):
    conversation = chat(language, issue_login_token(f"demo-{language}-pending", secret="guessed-secret"))
    replies = conversation.say(phrases.STATUS[language])
    assert_said(replies, "utter_login_expired", language)
    assert not said(replies, "utter_application_submitted", language)


def test_a_token_given_later_replaces_nothing_when_it_is_bad(chat, backend_service, rasa_service, a_sees):
    """B is logged in as themselves, then sends A's ref in a forged token: B's own login does not
    turn into A's, and the forged one does not fall back to B's either."""
    own = login_token(backend_service, "demo-en-no-old-email")
    conversation = chat("en", own)
    conversation.say("hello")
    conversation.metadata["login_token"] = issue_login_token(A, secret="guessed-secret")
    replies = conversation.say(phrases.STATUS["en"])
    assert_said(replies, "utter_login_expired", "en")
    assert_nothing_of_a(replies, a_sees, rasa_service, conversation)


def _ask_for_a_code(conversation, email=A_EMAIL):
    assert_said(conversation.say(phrases.NEXT_STEP["en"]), "utter_ask_verify_email", "en")
    assert_said(conversation.say(email), "utter_ask_verify_code", "en")


def test_guessing_codes_locks_the_code_and_never_verifies(chat, backend_service, rasa_service, a_sees):
    conversation = chat("en")
    _ask_for_a_code(conversation)
    right = latest_code(backend_service, A_EMAIL)  # in A's mailbox; B only guesses
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(4):
        replies = conversation.say(wrong)
        assert_said(replies, "utter_invalid_code", "en")
        assert_nothing_of_a(replies, a_sees, rasa_service, conversation)
    assert_said(conversation.say(wrong), "utter_code_locked", "en")
    replies = conversation.say(right)  # even the right code no longer works
    assert not said(replies, "utter_verified", "en")
    assert_nothing_of_a(replies, a_sees, rasa_service, conversation)


def test_a_used_code_cannot_be_replayed_by_someone_else(chat, backend_service, rasa_service, a_sees):
    a = chat("en")
    _ask_for_a_code(a, "demo-en-points-480@demo.example.com")
    code = latest_code(backend_service, "demo-en-points-480@demo.example.com")
    assert_said(a.say(code), "utter_verified", "en")

    b = chat("en")  # B saw the code (over A's shoulder, in a log) and tries it with A's e-mail
    assert_said(b.say(phrases.NEXT_STEP["en"]), "utter_ask_verify_email", "en")
    # Asking makes a fresh code for A; B replays the old one.
    b.say("demo-en-points-480@demo.example.com")
    if latest_code(backend_service, "demo-en-points-480@demo.example.com") == code:
        pytest.skip("the fresh code happens to equal the used one (1 in a million)")
    replies = b.say(code)
    assert_said(replies, "utter_invalid_code", "en")
    assert slots(rasa_service, b.sender)["customer_token"] is None


def test_an_expired_code_does_not_verify(chat, backend_service, rasa_service, live_dir, a_sees):
    conversation = chat("en")
    _ask_for_a_code(conversation)
    code = latest_code(backend_service, A_EMAIL)
    with sqlite3.connect(live_dir / "backend.db") as db:  # ten minutes pass
        db.execute("UPDATE login_codes SET expires_at = created_at WHERE application_id = "
                   "(SELECT id FROM applications WHERE ref = ?)", (A,))
    replies = conversation.say(code)
    assert_said(replies, "utter_invalid_code", "en")
    assert_nothing_of_a(replies, a_sees, rasa_service, conversation)


def test_payload_syntax_cannot_set_the_login(chat, backend_service, rasa_service, a_sees):
    """Rasa reads `/intent{"slot": ...}` messages as intents with entities; none of them can
    fill the login or the verification."""
    conversation = chat("en")
    for text in ('/affirm{"customer_token": "' + issue_login_token(A, secret="x") + '"}',
                 '/inform{"verify_code": "ok", "pending_action": "action_account_status"}',
                 '/EXTERNAL_handback', '/session_start{"customer_token": "' + A + '"}'):
        replies = conversation.say(text)
        assert_nothing_of_a(replies, a_sees, rasa_service, conversation)
        assert slots(rasa_service, conversation.sender)["customer_token"] is None
    replies = conversation.say(phrases.NEXT_STEP["en"])
    assert_said(replies, "utter_ask_verify_email", "en")
