"""Rasa's calls to the action server reuse their connections and still answer like Rasa's own
`EndpointConfig.request` (bot/kept_connections.py), against a real HTTP server on this loop."""
import aiohttp
import pytest
from aiohttp import web
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from bot import kept_connections
from tests.services import free_port


class ActionServerLike:
    """Answers /webhook with what it was sent, and remembers which connection each call came on."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connections = []  # the client's port of each call
        self.runner = None

    async def webhook(self, request: web.Request) -> web.Response:
        self.connections.append(request.transport.get_extra_info("peername")[1])
        body = await request.json()
        if body.get("fail"):
            return web.Response(status=500, text="broken")
        if body.get("plain"):
            return web.Response(text="not json")
        return web.json_response({"got": body, "query": dict(request.query),
                                  "auth": request.headers.get("Authorization"),
                                  "custom": request.headers.get("X-Custom")})

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/webhook", self.webhook)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        await self.runner.cleanup()


@pytest.fixture
async def server():
    server = ActionServerLike(free_port())
    await server.start()
    await kept_connections.open_session()  # what the Rasa server does when it starts
    yield server
    await server.stop()
    await kept_connections.close_session()


def endpoint(port: int, **kwargs) -> EndpointConfig:
    return EndpointConfig(f"http://127.0.0.1:{port}/webhook", **kwargs)


async def test_calls_share_one_connection_and_get_their_answers(server):
    answers = [await kept_connections.request(endpoint(server.port), json={"n": n}, method="post")
               for n in range(5)]
    assert [a["got"] for a in answers] == [{"n": n} for n in range(5)]
    assert len(server.connections) == 5 and len(set(server.connections)) == 1


async def test_token_params_headers_and_basic_auth_are_sent_as_rasa_sends_them(server):
    config = endpoint(server.port, token="secret", params={"a": "1"}, headers={"X-Custom": "yes"},
                      basic_auth={"username": "u", "password": "p"})
    answer = await kept_connections.request(config, json={}, params={"b": "2"})
    assert answer["query"] == {"a": "1", "b": "2", "token": "secret"}
    assert answer["custom"] == "yes"
    assert answer["auth"] == aiohttp.BasicAuth("u", "p").encode()


async def test_an_error_status_and_a_body_that_is_not_json(server):
    with pytest.raises(ClientResponseError) as raised:
        await kept_connections.request(endpoint(server.port), json={"fail": True})
    assert raised.value.status == 500 and b"broken" in raised.value.text
    assert await kept_connections.request(endpoint(server.port), json={"plain": True}) is None


async def test_a_restarted_server_is_reached_on_a_new_connection(server):
    await kept_connections.request(endpoint(server.port), json={"n": 1})
    await server.stop()
    with pytest.raises(aiohttp.ClientConnectionError):  # down: Rasa's hooks tell the customer
        await kept_connections.request(endpoint(server.port), json={"n": 2})
    await server.start()
    answer = await kept_connections.request(endpoint(server.port), json={"n": 3})
    assert answer["got"] == {"n": 3}
    assert len(set(server.connections)) == 2


async def test_without_a_kept_session_each_call_has_its_own_connection(server):
    await kept_connections.close_session()  # what the Rasa server does when it stops
    answers = [await kept_connections.request(endpoint(server.port), json={"n": n}) for n in range(3)]
    assert [a["got"] for a in answers] == [{"n": n} for n in range(3)]
    assert len(set(server.connections)) == 3


def test_bodies_are_the_json_that_json_dumps_writes():
    import json

    from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

    tracker = DialogueStateTracker.from_events("s", [
        UserUttered("Hei / ääkköset € \u2028 <b>", {"name": "greet", "confidence": 0.1 + 0.2}),
        ActionExecuted("utter_greet", confidence=1.0), SlotSet("count", 2 ** 70), SlotSet("x", float("nan"))])
    body = {"tracker": tracker.current_state(EventVerbosity.ALL), "next_action": "action_x"}
    assert kept_connections.dumps(body) == json.dumps(body, separators=(",", ":"))
    with pytest.raises(TypeError):
        kept_connections.dumps({"bytes": b"x"})   # as json.dumps


async def test_the_server_gets_the_body_it_was_sent(server):
    text = "Hei / ääkköset € \u2028 <b>"
    assert (await kept_connections.request(endpoint(server.port), json={"text": text}))["got"] == {"text": text}
