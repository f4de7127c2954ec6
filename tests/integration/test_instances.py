"""The production topology (endpoints.production.yml, README "Production topology"): two Rasa
instances sharing a Postgres tracker store and a Redis lock store, each with its own action server,
the backend on Postgres. Instance B runs two Sanic workers (SANIC_WORKERS=2), each with its own
turn queue (bot/turn_queue.py). The same conversations alternate between the instances, and also hit
both at the same moment; every tracker is complete and in order, with nothing lost or doubled. A
sender's messages count against one rate limit whichever instance or worker gets them. An agent's
reply posted through one instance reaches the customer's widget connected to the other."""
import asyncio
import copy
import secrets
import uuid
import threading
from collections import Counter

import psutil
import pytest
import requests

from tests import services
from tests.conftest import Chat
from tests.integration import phrases
from tests.responses import assert_said, said, said_something_in

LANGUAGES = ["en", "fi", "et", "nb", "lt", "sv"]
# Guidance (responses only) and account questions (custom actions calling the backend).
SEQUENTIAL = [phrases.GREET, phrases.MIGRATE_BUTTON_MISSING, phrases.HOW_TO_REGISTER, phrases.POINTS,
              phrases.DOCUMENTS, phrases.TIERS]
AT_ONCE = [phrases.PAYMENT, phrases.THANKS]   # sent to A and B at the same moment
PER_MINUTE = 10   # CHAT_MESSAGES_PER_MINUTE of both instances; a conversation above sends 8


@pytest.fixture(scope="module")
def topology(model_path, tmp_path_factory):
    user = services.postgres_user()
    if user is None:
        pytest.skip("Postgres at 127.0.0.1:5432 is not reachable")
    import redis

    try:
        redis.Redis(host=services.REDIS_HOST, port=services.REDIS_PORT).ping()
    except redis.RedisError:
        pytest.skip("Redis at 127.0.0.1:6379 is not reachable")
    tmp = tmp_path_factory.mktemp("instances")
    backend_db = services.create_postgres_database(user)
    tracker_db = services.create_postgres_database(user)
    prefix, redis_db = f"cpsit{secrets.token_hex(4)}", 1
    started = []
    try:
        backend = services.start_backend(tmp, database_url=f"postgresql://{user}@{services.PG_HOST}:{services.PG_PORT}/{backend_db}")
        started.append(backend)
        env = {"TRACKER_DB_HOST": services.PG_HOST, "TRACKER_DB_PORT": str(services.PG_PORT),
               "TRACKER_DB_USER": user, "TRACKER_DB_PASSWORD": "", "TRACKER_DB": tracker_db,
               "REDIS_HOST": services.REDIS_HOST, "REDIS_PORT": str(services.REDIS_PORT),
               "REDIS_DB": str(redis_db), "REDIS_KEY_PREFIX": prefix, "CHAT_MESSAGES_PER_MINUTE": str(PER_MINUTE),
               "SOCKETIO_REDIS_URL": f"redis://{services.REDIS_HOST}:{services.REDIS_PORT}/{redis_db}",
               "SOCKETIO_REDIS_CHANNEL": f"{prefix}:socketio"}
        instances = []
        for name in ("a", "b"):
            actions = services.start_action_server(tmp, backend.url, name=f"actions_{name}")
            started.append(actions)
            workers = {"SANIC_WORKERS": "2"} if name == "b" else {}
            rasa = services.start_rasa(tmp, model_path, actions.url, services.free_port(), name=f"rasa_{name}",
                                       endpoints="endpoints.production.yml", env={**env, **workers}, wait=False)
            started.append(rasa)
            instances.append(rasa)
            if name == "a":   # B starts once A has created the tracker store's table (no race on it)
                rasa.wait_until(lambda: events_table_exists(user, tracker_db), timeout=240)
        for rasa in instances:
            rasa.wait_until(rasa.ready, rasa.ready_timeout)
        assert len(psutil.Process(instances[1].process.pid).children()) >= 2, "B should run two Sanic workers"
        yield backend, instances
    finally:
        for service in reversed(started):
            service.stop()
        services.drop_postgres_database(user, backend_db)
        services.drop_postgres_database(user, tracker_db)
        services.delete_redis_keys(prefix, redis_db)


def events_table_exists(user, database) -> bool:
    import psycopg2

    with psycopg2.connect(host=services.PG_HOST, port=services.PG_PORT, dbname=database, user=user) as connection:
        cursor = connection.cursor()
        cursor.execute("SELECT to_regclass('public.events') IS NOT NULL")
        exists = cursor.fetchone()[0]
    connection.close()
    return exists


def on_both(instances, language, token=None):
    """One customer's conversation as a Chat on instance A and one on B, with the same sender id."""
    on_a = Chat(instances[0].url, language, token)
    on_b = copy.copy(on_a)
    on_b.url = f"{instances[1].url}/webhooks/rest/webhook"
    return on_a, on_b


def conversations(backend, instances):
    """One logged-in customer per language, as a Chat on each instance with the same sender id."""
    chats = []
    for language in LANGUAGES:
        token = requests.post(f"{backend.url}/v1/demo/login-token",
                              json={"customer_ref": f"demo-{language}-no-old-email"}, timeout=10).json()["token"]
        chats.append((language, *on_both(instances, language, token)))
    return chats


def tracker_events(instance, sender):
    response = requests.get(f"{instance.url}/conversations/{sender}/tracker",
                            params={"token": services.RASA_TOKEN}, timeout=30)
    response.raise_for_status()
    return response.json()["events"]


def turns(events):
    """[(user text, [actions after it until the next listen])] from a tracker's events."""
    result = []
    for event in events:
        if event["event"] == "user":
            result.append((event["text"], []))
        elif event["event"] == "action" and result:
            result[-1][1].append(event["name"])
    return result


def test_interleaved_and_simultaneous_messages_on_two_instances(topology):
    backend, instances = topology
    chats = conversations(backend, instances)
    sent = {on_a.sender: [] for _, on_a, _ in chats}
    # Interleaved: message i of every conversation, alternating the instance per message and per customer.
    for i, message in enumerate(SEQUENTIAL):
        for n, (language, on_a, on_b) in enumerate(chats):
            chat = (on_a, on_b)[(i + n) % 2]
            assert chat.say(message[language]), f"no answer to {message[language]!r} from instance {(i + n) % 2}"
            sent[on_a.sender].append(message[language])
    # Simultaneous: every conversation sends one message to A and another to B at the same moment.
    barrier = threading.Barrier(2 * len(chats))
    answers, errors = {}, []

    def send(chat, text):
        try:
            barrier.wait(timeout=30)
            answers[(chat.sender, text)] = chat.say(text)
        except Exception as error:   # reported below, with the others
            errors.append(repr(error))

    threads = [threading.Thread(target=send, args=(chat, message[language]))
               for language, on_a, on_b in chats for chat, message in zip((on_a, on_b), AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not errors and all(answers.values()) and len(answers) == len(threads), (errors, answers)

    for language, on_a, _ in chats:
        events = tracker_events(instances[0], on_a.sender)
        assert events == tracker_events(instances[1], on_a.sender), "the instances see different trackers"
        # No event twice (the same event stored by both instances would repeat its timestamp and content).
        doubled = [e for e, count in Counter(repr(sorted(e.items())) for e in events).items() if count > 1]
        assert not doubled, doubled
        said = [text for text, _ in turns(events)]
        expected = sent[on_a.sender]
        assert said[:len(expected)] == expected, f"{language}: user messages out of order or lost: {said}"
        assert sorted(said[len(expected):]) == sorted(m[language] for m in AT_ONCE), f"{language}: {said}"
        for text, actions in turns(events):
            # Each message was answered (an action besides listening), and the turn ended by listening.
            assert [a for a in actions if a != "action_listen"], f"{language}: no answer to {text!r}: {actions}"
            assert actions[-1] == "action_listen", f"{language}: turn of {text!r} did not finish: {actions}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_senders_messages_count_together_on_both_instances(topology, language):
    _, instances = topology
    on_a, on_b = on_both(instances, language)
    for i in range(PER_MINUTE):
        replies = (on_a, on_b)[i % 2].say(phrases.GREET[language])
        assert replies and not said(replies, "utter_too_many_messages", language), f"message {i + 1}: {replies}"
    for chat in (on_a, on_b):
        assert_said(chat.say(phrases.HOW_TO_REGISTER[language]), "utter_too_many_messages", language)
    user_texts = [text for text, _ in turns(tracker_events(instances[0], on_a.sender))]
    assert user_texts == [phrases.GREET[language]] * PER_MINUTE   # the refused ones never reached Rasa


# What a support agent might write back, in the customer's language.
AGENT_REPLIES = {
    "en": "I have checked your account, the invoice is on its way.",
    "fi": "Tarkistin tilisi, lasku on jo tulossa.",
    "et": "Kontrollisin teie kontot, arve on teel.",
    "nb": "Jeg har sjekket kontoen din, fakturaen er på vei.",
    "lt": "Patikrinau jūsų paskyrą, sąskaita jau pakeliui.",
    "sv": "Jag har kontrollerat ditt konto, fakturan är på väg.",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_agents_reply_through_one_instance_reaches_the_widget_on_the_other(topology, language):
    """The widget talks to instance A over socket.io; the backend posts the agent's reply through
    instance B's API (backend/services/rasa_client.py, output_channel=latest), as a load balancer
    may send it. B's socket.io server publishes it in Redis, and A delivers it to the widget."""
    import socketio
    from backend.config import Settings
    from backend.services import rasa_client

    _, instances = topology
    through_b = Settings(database_url="", rasa_url=instances[1].url, rasa_token=services.RASA_TOKEN)
    session = f"widget-{language}-{uuid.uuid4().hex[:8]}"

    async def chat():
        client = socketio.AsyncClient()
        answers: asyncio.Queue = asyncio.Queue()
        client.on("bot_uttered", lambda data: answers.put_nowait(data))
        await client.connect(instances[0].url, transports=["polling"])   # see test_bad_input.py
        try:
            await client.emit("session_request", {"session_id": session})
            await client.emit("user_uttered", {"message": phrases.GREET[language], "session_id": session,
                                               "metadata": {"language": language}})
            greeting = await asyncio.wait_for(answers.get(), 60)
            await asyncio.to_thread(rasa_client.send_agent_message, through_b, session, "Anna",
                                    AGENT_REPLIES[language])
            texts = [greeting.get("text")]
            while f"Anna: {AGENT_REPLIES[language]}" not in texts:
                texts.append((await asyncio.wait_for(answers.get(), 30)).get("text"))
            return greeting
        finally:
            await client.disconnect()

    greeting = asyncio.run(chat())   # times out if the reply never reaches the widget
    assert said_something_in([greeting], language), greeting
    events = tracker_events(instances[0], session)
    assert [e["text"] for e in events if e["event"] == "bot"][-1] == f"Anna: {AGENT_REPLIES[language]}"
