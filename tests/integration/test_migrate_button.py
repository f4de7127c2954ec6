"""First vertical slice: 'why don't I see the blue MIGRATE PRODUCTS button?' answered from the
customer's real account, through Rasa's REST channel, the action server and the backend."""
import requests


def login_token(backend_service, customer_ref: str) -> str:
    """What the support site does for a logged-in customer: get a signed login token."""
    response = requests.post(f"{backend_service.url}/v1/demo/login-token",
                             json={"customer_ref": customer_ref}, timeout=10)
    response.raise_for_status()
    return response.json()["token"]


QUESTION = "Why don't I see the blue MIGRATE PRODUCTS button?"


def test_no_old_email_given_means_register_again_or_contact_support(chat, backend_service):
    conversation = chat("en", login_token(backend_service, "demo-en-no-old-email"))
    answer = conversation.texts(QUESTION)
    assert "old CPS e-mail address was not given" in answer
    assert "register your products again" in answer
    assert "CPS Priority Support" in answer


def test_matching_old_account_means_where_the_button_is(chat, backend_service):
    conversation = chat("en", login_token(backend_service, "demo-en-migrate"))
    answer = conversation.texts(QUESTION)
    assert "My Products tab" in answer
    assert "right-hand side" in answer
    assert "moves the products from your old CPS account" in answer


def test_anonymous_customer_gets_the_general_explanation(chat):
    answer = chat("en").texts("i cant find the migrate products button")
    assert "only if you gave your old CPS e-mail" in answer
    assert "Log in on the site" in answer


def test_backend_token_of_another_secret_is_refused_politely(chat):
    forged = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZW1vLWVuLW1pZ3JhdGUifQ.c2lnbmF0dXJl"
    answer = chat("en", forged).texts(QUESTION)
    assert "log in again" in answer
