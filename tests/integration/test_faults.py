"""Parts killed (SIGKILL) in the middle of conversations, then restarted: the customer is told in
their language while a part is down, the conversation goes on from its stored tracker, and the
backend does every write exactly once, even when the customer repeats it after the failure.
These tests kill services, so they start their own (not the session's shared ones)."""
import secrets
import string
import threading
import time

import pytest
import requests

from tests import services
from tests.conftest import Chat
from tests.integration import phrases
from tests.responses import assert_said, pattern, said

LANGUAGES = ["en", "fi", "et", "nb", "lt", "sv"]


@pytest.fixture(scope="module")
def stack(model_path, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("faults")
    rasa_port = services.free_port()
    started = []
    try:
        started.append(services.start_backend(tmp, f"http://127.0.0.1:{rasa_port}"))
        started.append(services.start_action_server(tmp, started[0].url))
        # Two slots, as by default; the stalled-backend test depends on it.
        started.append(services.start_rasa(tmp, model_path, started[1].url, rasa_port,
                                           env={"CHAT_TURNS_AT_ONCE": "2"}))
        yield started
    finally:
        for service in reversed(started):
            service.stop()


@pytest.fixture
def parts(stack):
    """backend, actions, rasa — all running at the start of each test, whatever the last one did."""
    for service in stack:
        if service.process.poll() is not None:
            service.restart()
    return stack


def login_token(backend, ref):
    return requests.post(f"{backend.url}/v1/demo/login-token", json={"customer_ref": ref}, timeout=10).json()["token"]


def products_with_serial(backend, ref, serial):
    products = requests.get(f"{backend.url}/v1/me/products", timeout=10, headers={
        "X-API-Key": "test-action-key", "Authorization": f"Bearer {login_token(backend, ref)}"}).json()["products"]
    return [p for p in products if p["serial_number"] == serial]


def times_said(replies, response, language):
    text = "\n".join(r.get("text") or "" for r in replies)
    return len(pattern(response, language).findall(text))


def new_serial():
    return "FLT" + "".join(secrets.choice(string.digits) for _ in range(7))


def test_action_server_down(parts):
    backend, actions, rasa = parts
    ref = "demo-fi-no-old-email"
    form = Chat(rasa.url, "fi", login_token(backend, ref))          # mid-form when the server dies
    points = Chat(rasa.url, "nb", login_token(backend, "demo-nb-no-old-email"))
    assert points.say(phrases.GREET["nb"])
    assert_said(form.say(phrases.REGISTER_PRODUCT["fi"]), "utter_ask_product", "fi")
    assert_said(form.say("EOS R6 Mark II"), "utter_ask_serial_number", "fi")
    serial = new_serial()
    assert_said(form.say(serial), "utter_ask_purchase_date", "fi")

    actions.kill()
    # A custom action: told once, in the conversation's language.
    replies = points.say(phrases.POINTS["nb"])
    assert times_said(replies, "utter_service_unavailable", "nb") == 1, replies
    # A form's answer cannot be checked: told, and asked again (the value is not taken unchecked).
    replies = form.say("12.3.2024")
    assert times_said(replies, "utter_service_unavailable", "fi") == 1, replies
    assert_said(replies, "utter_ask_purchase_date", "fi")
    # A new customer's guidance needs no action server: answered, in the site's language.
    assert_said(Chat(rasa.url, "lt").say(phrases.HOW_TO_REGISTER["lt"]), "utter_how_to_register", "lt")

    actions.restart()
    assert_said(form.say("12.3.2024"), "utter_ask_country_of_purchase", "fi")
    assert_said(form.say("Suomi"), "utter_ask_dealer", "fi")
    assert_said(form.say("Rajala Pro Shop"), "utter_product_registered", "fi")
    assert not said(points.say(phrases.POINTS["nb"]), "utter_service_unavailable", "nb")
    assert len(products_with_serial(backend, ref, serial)) == 1


def requests_waiting_at(port):
    """Connections to 127.0.0.1:port with unread bytes: requests a stopped server has not read."""
    count = 0
    for line in open("/proc/net/tcp").read().splitlines()[1:]:
        local, state, queues = line.split()[1], line.split()[3], line.split()[4]
        if state == "01" and int(local.split(":")[1], 16) == port and int(queues.split(":")[1], 16) > 0:
            count += 1
    return count


def test_a_stalled_backend_holds_up_only_the_customers_waiting_for_it(parts):
    """Rasa's messages take turns (bot/turn_queue.py): messages that wait for the action server,
    here for a backend that takes connections and answers nothing, must not keep the turns. As
    many customers wait as the Rasa process has slots (2); a third failure in a row would make
    the action server's client fail fast for a while (bot/backend_client.py)."""
    backend, actions, rasa = parts
    stalled = {language: Chat(rasa.url, language, login_token(backend, f"demo-{language}-no-old-email"))
               for language in ("fi", "sv")}
    others = {language: Chat(rasa.url, language) for language in LANGUAGES}
    replies, finished = {}, {}

    def ask(key, chat, text):
        replies[key] = chat.say(text)
        finished[key] = time.monotonic()

    def start(key, chat, text):
        thread = threading.Thread(target=ask, args=(key, chat, text))
        thread.start()
        return thread

    backend_port = int(backend.url.rsplit(":", 1)[1])
    backend.pause()
    try:
        waiting = [start(language, chat, phrases.POINTS[language]) for language, chat in stalled.items()]
        deadline = time.monotonic() + 60
        while requests_waiting_at(backend_port) < len(stalled):  # both questions wait at the backend
            assert time.monotonic() < deadline, "the account questions never reached the backend"
            time.sleep(0.05)
        answering = [start(f"other-{language}", chat, phrases.DOCUMENTS[language]) for language, chat in others.items()]
        for thread in answering + waiting:
            thread.join(timeout=120)
    finally:
        backend.resume()
    for language in others:
        assert_said(replies[f"other-{language}"], "utter_ask_required_documents", language)
    # Every other customer was answered before the stalled questions' answers came.
    assert max(finished[f"other-{language}"] for language in others) < min(finished[language] for language in stalled)
    for language, chat in stalled.items():
        # The backend's client gave up after its timeout and one retry: told, in their language.
        assert_said(replies[language], "utter_backend_unavailable", language)
        assert not said(chat.say(phrases.POINTS[language]), "utter_backend_unavailable", language)


def register(conversation, language, serial, country):
    assert_said(conversation.say(phrases.REGISTER_PRODUCT[language]), "utter_ask_product", language)
    assert_said(conversation.say("EOS R6 Mark II"), "utter_ask_serial_number", language)
    assert_said(conversation.say(serial), "utter_ask_purchase_date", language)
    assert_said(conversation.say("2024-03-12"), "utter_ask_country_of_purchase", language)
    assert_said(conversation.say(country), "utter_ask_dealer", language)
    return conversation.say("Photopoint")


def test_backend_down(parts):
    backend, actions, rasa = parts
    ref = "demo-sv-no-old-email"
    conversation = Chat(rasa.url, "sv", login_token(backend, ref))
    serial = new_serial()
    assert_said(conversation.say(phrases.REGISTER_PRODUCT["sv"]), "utter_ask_product", "sv")
    assert_said(conversation.say("EOS R6 Mark II"), "utter_ask_serial_number", "sv")
    assert_said(conversation.say(serial), "utter_ask_purchase_date", "sv")
    assert_said(conversation.say("2024-03-12"), "utter_ask_country_of_purchase", "sv")
    assert_said(conversation.say("Sverige"), "utter_ask_dealer", "sv")

    backend.kill()
    assert_said(conversation.say("Photopoint"), "utter_backend_unavailable", "sv")

    backend.restart()
    # The customer registers it again; then, unsure, a third time: one product, and no "already
    # registered" either — the same conversation sending the same product is the same write.
    assert_said(register(conversation, "sv", serial, "Sverige"), "utter_product_registered", "sv")
    assert_said(register(conversation, "sv", serial, "Sverige"), "utter_product_registered", "sv")
    assert len(products_with_serial(backend, ref, serial)) == 1


def test_rasa_down(parts):
    backend, actions, rasa = parts
    from backend.demo import demo_vat_number

    company = "Kadrioru " + "".join(secrets.choice(string.ascii_lowercase) for _ in range(8)).title() + " OÜ"
    email = f"{secrets.token_hex(5)}@kadriorg.example.com"
    conversation = Chat(rasa.url, "et")
    assert_said(conversation.say(phrases.APPLY["et"]), "utter_ask_company_name", "et")
    assert_said(conversation.say(company), "utter_ask_country", "et")

    rasa.kill()
    with pytest.raises(requests.ConnectionError):
        conversation.say("Eesti")

    rasa.restart()
    tracker = requests.get(f"{rasa.url}/conversations/{conversation.sender}/tracker",
                           params={"token": services.RASA_TOKEN}, timeout=30).json()
    assert tracker["slots"]["language"] == "et" and tracker["slots"]["company_name"] == company
    assert tracker["active_loop"]["name"] == "application_form" and tracker["slots"]["requested_slot"] == "country"

    assert_said(conversation.say("Eesti"), "utter_ask_vat_registered", "et")
    assert_said(conversation.say("/affirm"), "utter_ask_vat_number", "et")
    assert_said(conversation.say(demo_vat_number("EE", email)), "utter_ask_contact_email", "et")
    assert_said(conversation.say(email), "utter_ask_old_cps_email", "et")
    assert_said(conversation.say("/deny"), "utter_application_summary", "et")
    assert_said(conversation.say("/affirm"), "utter_application_created", "et")
    applications = requests.get(f"{backend.url}/v1/staff/applications", params={"limit": 500},
                                headers={"X-Staff-Key": "test-staff-key"}, timeout=10).json()
    assert [a["company_name"] for a in applications].count(company) == 1
