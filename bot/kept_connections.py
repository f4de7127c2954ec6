"""Rasa's calls to the action server reuse their connections.

Rasa 3.6's `EndpointConfig.request` opens a new aiohttp session for every call, so every custom
action paid for a new TCP connection on both sides (a new connector, a connect, the action
server's accept and a new protocol) and closed it again. `request` here is the same call on one
session per event loop, whose connector keeps idle connections for KEEPALIVE_SECONDS: the Rasa
server opens it when it starts and closes it when it stops (listeners in bot/channels.py).
Elsewhere (a script's or a test's own event loop) each call still has its own session. Either
way the request body, the whole tracker, is written by ujson (`dumps`).

KEEPALIVE_SECONDS stays below the action server's keep-alive (Sanic's KEEP_ALIVE_TIMEOUT, 5 s):
the client lets an idle connection go first, so a call is never sent on a connection that the
server is closing at that moment. A connection that the server dropped (a restart) is noticed by
the connector when the server's end closes and is not reused.

Installed by bot/rasa_speedups.py.
"""
import asyncio
import json
import os
import ssl
from typing import Any, Dict, Optional, Text

import aiohttp
import ujson
from aiohttp import ContentTypeError
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.shared.exceptions import FileNotFoundException
from rasa.utils.endpoints import ClientResponseError, EndpointConfig, concat_url

KEEPALIVE_SECONDS = 2.0

_sessions: Dict[asyncio.AbstractEventLoop, aiohttp.ClientSession] = {}


async def open_session() -> None:
    """Calls made on this event loop share one session from now on (the Rasa server's start)."""
    loop = asyncio.get_running_loop()
    if loop not in _sessions:
        _sessions[loop] = _new_session(aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS))


async def close_session() -> None:
    """Closes this event loop's session; later calls open a connection each, as in Rasa."""
    session = _sessions.pop(asyncio.get_running_loop(), None)
    if session is not None:
        await session.close()


def _new_session(connector: Optional[aiohttp.BaseConnector] = None) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(connector=connector, json_serialize=dumps,
                                 timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT))


def dumps(value: Any) -> str:
    """The JSON of json.dumps (aiohttp's default), written by ujson: each call sends the whole
    tracker, and json.dumps took 2 % of the server's CPU. What ujson refuses goes to json.dumps."""
    try:
        return ujson.dumps(value, escape_forward_slashes=False)
    except (TypeError, ValueError, OverflowError):
        return json.dumps(value)


async def request(
    self: EndpointConfig,
    method: Text = "post",
    subpath: Optional[Text] = None,
    content_type: Optional[Text] = "application/json",
    compress: bool = False,
    **kwargs: Any,
) -> Optional[Any]:
    """EndpointConfig.request (rasa/utils/endpoints.py): the same request, headers, auth,
    timeout, errors and result, on the loop's session instead of a new one."""
    headers = {}
    if content_type:
        headers["Content-Type"] = content_type
    headers.update(kwargs.pop("headers", None) or {})
    if self.headers:
        headers.update(self.headers)

    sslcontext = None
    if self.cafile:
        try:
            sslcontext = ssl.create_default_context(cafile=self.cafile)
        except FileNotFoundError as e:
            raise FileNotFoundException(
                f"Failed to find certificate file, '{os.path.abspath(self.cafile)}' does not exist."
            ) from e
    url = concat_url(self.url, subpath)
    params = self.combine_parameters(kwargs)  # takes `params` out of kwargs
    auth = None
    if self.basic_auth:
        auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])

    options = dict(headers=headers, params=params, compress=compress, ssl=sslcontext, auth=auth, **kwargs)
    kept = _sessions.get(asyncio.get_running_loop())
    if kept is not None:
        return await _send(kept, method, url, options)
    async with _new_session() as session:  # outside the server (a script, a test's own loop)
        return await _send(session, method, url, options)


async def _send(session: aiohttp.ClientSession, method: Text, url: Text, options: Dict[Text, Any]) -> Optional[Any]:
    async with session.request(method, url, **options) as response:
        if response.status >= 400:
            raise ClientResponseError(response.status, response.reason, await response.content.read())
        try:
            return await response.json()
        except ContentTypeError:
            return None
