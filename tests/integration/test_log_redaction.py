"""No secrets or personal data in the processes' logs in clear (bot/log_redaction.py).

Rasa and the action server run with --debug here, so they log whole messages, metadata and
trackers; the conversation carries an e-mail address, a VAT number, a one-time code and a login
token. None of them may appear in any log file, and the masks must (so the test means something).
"""
import pytest
import requests

from tests import services
from tests.conftest import Chat
from tests.integration.test_conversations import latest_code, login_token
from tests.responses import assert_said

EMAIL = "demo-en-points-480@demo.example.com"
VAT = "NO995525828MVA"


@pytest.fixture(scope="module")
def debug_stack(tmp_path_factory, model_path, backend_service):
    """Our own action server and Rasa with --debug (the session's run at the default level)."""
    log_dir = tmp_path_factory.mktemp("debug-logs")
    started = []
    try:
        port = services.free_port()
        actions = services.Service("actions", [str(services.BIN / "rasa"), "run", "actions", "--actions", "bot.actions",
                                               "--port", str(port), "--debug"],
                                   {"BACKEND_URL": backend_service.url, "BACKEND_API_KEY": "test-action-key"}, log_dir)
        actions.url = f"http://127.0.0.1:{port}"
        started.append(actions.start().wait_for_url(f"{actions.url}/health", timeout=120))
        port = services.free_port()
        rasa = services.Service("rasa", [str(services.BIN / "rasa"), "run", "--enable-api", "--auth-token",
                                         services.RASA_TOKEN, "--port", str(port), "--model", str(model_path),
                                         "--endpoints", "endpoints.yml", "--credentials", "credentials.yml",
                                         "--debug"],
                                {"ACTION_ENDPOINT_URL": f"{actions.url}/webhook", "TRACKER_DIALECT": "sqlite",
                                 "TRACKER_DB": str(log_dir / "tracker.db"), "RASA_TOKEN": services.RASA_TOKEN,
                                 "BACKEND_API_KEY": "test-action-key"}, log_dir)
        rasa.url = f"http://127.0.0.1:{port}"
        started.append(rasa.start().wait_until(lambda: bool(requests.get(
            f"{rasa.url}/status", params={"token": services.RASA_TOKEN}, timeout=2).json().get("model_id")), 240))
        yield rasa, actions
    finally:
        for service in reversed(started):
            service.stop()


def test_logs_carry_no_personal_data_or_secrets(debug_stack, backend_service):
    rasa, actions = debug_stack
    token = login_token(backend_service, "demo-fi-pending")
    logged_in = Chat(rasa.url, "fi", token)
    logged_in.say("mikä on hakemukseni tilanne?")

    anonymous = Chat(rasa.url, "en")
    assert_said(anonymous.say("what should I do next with my account?"), "utter_ask_verify_email", "en")
    assert_said(anonymous.say(f"it is {EMAIL}"), "utter_ask_verify_code", "en")
    code = latest_code(backend_service, EMAIL)
    assert_said(anonymous.say(code), "utter_verified", "en")
    anonymous.say(f"our VAT number is {VAT}, and my e-mail is still {EMAIL}")
    verified = requests.get(f"{rasa.url}/conversations/{anonymous.sender}/tracker",
                            params={"token": services.RASA_TOKEN}, timeout=10).json()["slots"]["customer_token"]
    rasa.stop()  # flushes the logs
    actions.stop()

    logs = {s.name: s.log_path.read_text(errors="replace") for s in (rasa, actions)}
    logs["backend"] = backend_service.log_path.read_text(errors="replace")
    secrets = {"e-mail": EMAIL, "VAT number": VAT, "VAT digits": "995525828", "code": code, "login token": token,
               "token from the code": verified, "API key": "test-action-key", "Rasa token": services.RASA_TOKEN}
    for name, log in logs.items():
        for what, value in secrets.items():
            assert value not in log, f"{what} in clear in the {name} log"
    # The masks are there: the data would have been logged. (rasa-sdk's debug log names the
    # actions it runs but quotes no trackers, so its log is only checked for clear values.)
    assert "<email>" in logs["rasa"] and "<number>" in logs["rasa"] and "<token>" in logs["rasa"]
