"""Rasa's REST and socket.io input channels with limits on what customers can send.

credentials.yml names these classes by module path; their `name()` stays "rest" and "socketio",
so the URLs (/webhooks/rest/webhook, /socket.io) do not change. Before a message reaches Rasa:

- an over-long message (CHAT_MAX_MESSAGE_CHARS, default 2000 characters) is answered with
  `utter_message_too_long`, an empty one with `utter_message_empty`;
- more than CHAT_MESSAGES_PER_MINUTE (default 30) messages of one sender within a minute are
  answered with `utter_too_many_messages`. With a Redis lock store (several instances) the count is
  kept in that Redis, else in the Rasa process (bot/rate_limit.py); limits per client address
  belong in the proxy;
- a request body larger than CHAT_MAX_REQUEST_BYTES (default 1 MB, socket.io's own default too)
  gets 413 before it is read; a REST request whose sender, message or metadata has the wrong
  type gets 400 (a missing sender would otherwise share Rasa's "default" conversation).

With SOCKETIO_REDIS_URL set (the production topology), the socket.io servers of all instances and
workers share their rooms through that Redis (`LocalFirstRedisManager`), so a message
sent to a conversation's room by any of them reaches the customer's widget wherever it is
connected: an agent's reply that the backend posts through another instance's API, for one.

Refused messages never reach Rasa's processor, so the conversation keeps nothing of them. The
answer is in the conversation's `language` slot, else the site's locale from the metadata, else
the default language. Importing this module also masks secrets in the Rasa process's logs.
"""
import logging
import os
from functools import lru_cache
from typing import Any, Awaitable, Callable, Dict, Optional, Text

import socketio
import yaml
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint
from sanic.exceptions import InvalidUsage
from sanic.request import Request

from bot import kept_connections, languages, log_redaction, rate_limit, turn_queue
from bot.nlg import load_translations

logger = logging.getLogger(__name__)
log_redaction.install()

Handler = Callable[[UserMessage], Awaitable[Any]]
DOMAIN = languages.LOCALES_DIR.parent / "domain.yml"
RESPONSES = ("utter_message_too_long", "utter_message_empty", "utter_too_many_messages")
MAX_SENDER_CHARS = 128


def _setting(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def _texts() -> Dict[str, Dict[str, str]]:
    """{language: {response: text}} for the channel's own answers (first variation)."""
    with open(DOMAIN, encoding="utf-8") as f:
        english = yaml.safe_load(f)["responses"]
    texts = {}
    for language, responses in {**load_translations(), "en": english}.items():
        texts[language] = {name: responses.get(name, english[name])[0]["text"] for name in RESPONSES}
    return texts


class MessageGuard:
    """Checks each message before Rasa sees it."""

    def __init__(self) -> None:
        self.max_chars = _setting("CHAT_MAX_MESSAGE_CHARS", 2000)
        self.per_minute = _setting("CHAT_MESSAGES_PER_MINUTE", 30)
        self.max_request_bytes = _setting("CHAT_MAX_REQUEST_BYTES", 1_000_000)
        self.texts = _texts()
        self.counter: Any = None  # bot/rate_limit.py
        self.app: Any = None  # the Sanic app, known once the server starts (for the agent)

    def refusal(self, message: UserMessage) -> Optional[str]:
        """The response that refuses this message, or None to let it through."""
        text = message.text if isinstance(message.text, str) else ""
        if self._too_frequent(message.sender_id):
            return "utter_too_many_messages"
        if len(text) > self.max_chars:
            return "utter_message_too_long"
        if not text.strip():
            return "utter_message_empty"
        return None

    def _too_frequent(self, sender: str) -> bool:
        if self.counter is None:  # chosen at the first message: the agent is loaded by then
            self.counter = rate_limit.counter_for(getattr(self._agent(), "lock_store", None), self.per_minute)
        return not self.counter.allow(sender)

    def _agent(self) -> Any:
        return getattr(getattr(self.app, "ctx", None), "agent", None)

    async def language(self, message: UserMessage) -> str:
        tracker = None
        agent = self._agent()
        if agent is not None and agent.tracker_store is not None:
            try:
                tracker = await agent.tracker_store.retrieve(message.sender_id)
            except Exception:  # the answer is still useful in the site's language
                logger.warning("tracker of the refused message not readable", exc_info=True)
        metadata = message.metadata if isinstance(message.metadata, dict) else {}
        return (languages.normalise(tracker.get_slot("language") if tracker else None)
                or languages.normalise(metadata.get("language")) or languages.default())

    def wrap(self, on_new_message: Handler) -> Handler:
        async def guarded(message: UserMessage) -> None:
            turn_queue.mark_arrival()
            if isinstance(message.text, str) and message.text.lstrip().startswith("/EXTERNAL_"):
                # Only the backend triggers EXTERNAL_ intents (hand back, close), through Rasa's
                # API; typed into the chat it is just text. Buttons' "/intent" payloads still work.
                message.text = message.text.lstrip()[1:]
            response = self.refusal(message)
            if response is None:
                await on_new_message(message)
                return
            logger.info("message refused for sender %s: %s", message.sender_id, response)
            text = self.texts[await self.language(message)][response]
            text = text.replace("{max_characters}", str(self.max_chars))
            await message.output_channel.send_text_message(message.sender_id, text)

        return guarded

    def attach(self, blueprint: Blueprint, is_chat_route: Callable[[Request, Any], bool]) -> Blueprint:
        """Server start: remember the app, mask the logs of handlers Sanic has added since import,
        keep the connections to the action server (until the server stops).
        Each request to a chat route: lower Sanic's body limit (100 MB by default) before reading."""

        @blueprint.listener("before_server_start")
        async def remember_app(app: Any, _loop: Any) -> None:
            self.app = app
            log_redaction.install()
            await kept_connections.open_session()

        @blueprint.listener("after_server_stop")
        async def close_connections_to_action_server(_app: Any, _loop: Any) -> None:
            await kept_connections.close_session()

        # Blueprint signals fire for every route of the app, hence the check.
        @blueprint.signal("http.routing.after")
        async def limit_body(request: Request, route: Any, kwargs: Any, handler: Any) -> None:
            if request.stream is not None and is_chat_route(request, route):
                request.stream.request_max_size = self.max_request_bytes

        return blueprint


@lru_cache(maxsize=1)
def shared_guard() -> MessageGuard:
    """Both channels count a sender's messages together."""
    return MessageGuard()


class GuardedRestInput(RestInput):
    def __init__(self) -> None:
        self.guard = shared_guard()

    @staticmethod
    def _body(request: Request) -> Dict[Text, Any]:
        if not isinstance(request.json, dict):
            raise InvalidUsage("The body must be a JSON object with sender and message.")
        return request.json

    async def _extract_sender(self, request: Request) -> Optional[Text]:
        sender = self._body(request).get("sender")
        if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
            raise InvalidUsage(f"sender must be a non-empty string of at most {MAX_SENDER_CHARS} characters.")
        return sender

    def _extract_message(self, request: Request) -> Optional[Text]:
        message = self._body(request).get("message")
        if not isinstance(message, str):
            raise InvalidUsage("message must be a string.")
        return message

    def _extract_input_channel(self, request: Request) -> Text:
        return self.name()  # not chosen by the client

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        metadata = self._body(request).get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            raise InvalidUsage("metadata must be a JSON object.")
        return metadata

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        blueprint = super().blueprint(self.guard.wrap(on_new_message))
        return self.guard.attach(blueprint, lambda request, route: route.name.split(".")[1:2] == [blueprint.name])


class LocalFirstRedisManager(socketio.AsyncRedisManager):
    """python-socketio's Redis manager, except that a message for clients connected to this
    process is delivered to them at once instead of making the round trip through Redis: the
    widget's usual answers do not depend on Redis, nor on this process's subscription being up
    (the manager only subscribes at the process's first connection). Every message is still
    published for the other processes, and this process skips its own when it comes back."""

    async def emit(self, event: str, data: Any, namespace: Optional[str] = None, room: Any = None,
                   skip_sid: Any = None, callback: Any = None, **kwargs: Any) -> None:
        if callback is not None or kwargs.get("ignore_queue"):  # python-socketio's own way
            return await super().emit(event, data, namespace=namespace, room=room, skip_sid=skip_sid,
                                      callback=callback, **kwargs)
        namespace = namespace or "/"
        await super().emit(event, data, namespace=namespace, room=room, skip_sid=skip_sid, ignore_queue=True)
        await self._publish({"method": "emit", "event": event, "data": data, "namespace": namespace,
                             "room": room, "skip_sid": skip_sid, "callback": None,
                             "host_id": self.host_id, "delivered_by_sender": True})

    async def _handle_emit(self, message: Dict[str, Any]) -> None:
        if message.get("delivered_by_sender") and message.get("host_id") == self.host_id:
            return
        await super()._handle_emit(message)


def share_rooms_through_redis(sio: Any) -> None:
    """Gives `sio` the Redis client manager above when SOCKETIO_REDIS_URL is set. Rasa creates its
    socket.io server without a choice of manager; the server only starts its manager at its first
    connection, so swapping it before then is what passing it in would do. Redis pub/sub channels
    ignore the database number: environments sharing a Redis need their own
    SOCKETIO_REDIS_CHANNEL (`make run-production` uses the lock store's key prefix)."""
    url = os.environ.get("SOCKETIO_REDIS_URL")
    if not url or isinstance(sio.manager, socketio.AsyncRedisManager):
        return
    if sio.manager_initialized:
        raise RuntimeError("the socket.io server already had connections")
    manager = LocalFirstRedisManager(url, channel=os.environ.get("SOCKETIO_REDIS_CHANNEL", "socketio"))
    manager.set_server(sio)
    sio.manager = manager


class GuardedSocketIOInput(SocketIOInput):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guard = shared_guard()

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        blueprint = super().blueprint(self.guard.wrap(on_new_message))
        share_rooms_through_redis(self.sio)
        # socket.io's routes are the app's own (sio.attach), so they are recognised by path.
        path = "/" + (self.socketio_path or "/socket.io").strip("/")
        return self.guard.attach(blueprint, lambda request, route: request.path.startswith(path))
