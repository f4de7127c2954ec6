"""Property-based run over the OpenAPI schema: no input may produce a server error (5xx).
Runs against the real server with valid keys and a demo customer's token, so requests get past
authentication and reach the services. Examples per operation are limited to keep it quick."""
import os
import tempfile
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir
from schemathesis.checks import not_a_server_error

MAX_EXAMPLES = int(os.environ.get("CPS_SCHEMATHESIS_EXAMPLES", "20"))
schemathesis.experimental.OPEN_API_3_1.enable()  # FastAPI publishes OpenAPI 3.1
set_hypothesis_home_dir(str(Path(tempfile.gettempdir()) / "cps-backend-hypothesis"))  # not in the work tree


@pytest.fixture(scope="session")
def api_schema(server):
    return schemathesis.from_uri(server.base_url + "/openapi.json", base_url=server.base_url)


@pytest.fixture(scope="session")
def auth_headers(server):
    token = httpx.post(server.base_url + "/v1/demo/login-token", json={"customer_ref": "demo-lt-points-2100"}).json()["token"]
    return {**server.customer(token), **server.staff}


def no_server_error_but_a_down_assistant(response, case):
    """5xx is a failure, except the documented 503 `assistant_unavailable` of the handoff endpoints
    that need the Rasa server, which this backend-only test does not start."""
    if response.status_code == 503 and response.json().get("code") == "assistant_unavailable":
        return None
    return not_a_server_error(response, case)


STATUSES: dict = {}
schema = schemathesis.from_pytest_fixture("api_schema")


@settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
@schema.parametrize()
def test_no_input_gives_a_server_error(case, auth_headers):
    # Valid credentials win over generated ones, so the requests reach the services.
    headers = {**(case.headers or {}), **auth_headers}
    response = case.call(headers=headers, timeout=30)
    case.validate_response(response, checks=(no_server_error_but_a_down_assistant,))
    STATUSES.setdefault(f"{case.method} {case.path}", set()).add(response.status_code)
