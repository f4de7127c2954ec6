"""The few calls to Rasa's HTTP API that a handoff needs (Rasa runs with --enable-api).

The conversation stays in Rasa's tracker store: the transcript is read from it, an agent's reply
is appended to it as a bot message and sent to the customer's channel (`output_channel=latest`),
and handing back resumes the paused conversation and lets the bot say so in its language.
"""
from __future__ import annotations

from urllib.parse import quote

import httpx

from ..config import Settings
from ..errors import DomainError

TIMEOUT = 10.0


def _call(settings: Settings, method: str, path: str, params: dict | None = None, **kwargs) -> dict | list | None:
    params = {**({"output_channel": "latest"} if method == "POST" else {}), **(params or {})}
    if settings.rasa_token:
        params["token"] = settings.rasa_token
    try:
        response = httpx.request(method, settings.rasa_url + path, params=params, timeout=TIMEOUT, **kwargs)
    except httpx.HTTPError as error:
        raise DomainError("assistant_unavailable", f"The assistant cannot be reached ({type(error).__name__})")
    if response.status_code >= 400:
        raise DomainError("assistant_unavailable", f"The assistant answered {response.status_code}")
    return response.json() if response.content else None


def transcript(settings: Settings, conversation_id: str) -> list[dict]:
    """What the customer and the bot (or an agent) wrote, oldest first."""
    tracker = _call(settings, "GET", f"/conversations/{quote(conversation_id, safe='')}/tracker")
    lines = []
    for event in (tracker or {}).get("events", []):
        if event.get("event") == "user" and event.get("text"):
            lines.append({"who": "customer", "text": event["text"], "at": event.get("timestamp")})
        elif event.get("event") == "bot" and (event.get("text") or (event.get("data") or {}).get("buttons")):
            agent = (event.get("metadata") or {}).get("agent")
            lines.append({"who": "agent" if agent else "bot", "agent": agent, "text": event.get("text") or "",
                          "buttons": (event.get("data") or {}).get("buttons") or [], "at": event.get("timestamp")})
    return lines


def send_agent_message(settings: Settings, conversation_id: str, agent: str, text: str) -> None:
    event = {"event": "bot", "text": f"{agent}: {text}", "metadata": {"agent": agent}}
    _call(settings, "POST", f"/conversations/{quote(conversation_id, safe='')}/tracker/events",
          params={"execute_side_effects": "true"}, json=[event])


def resume(settings: Settings, conversation_id: str, external_intent: str) -> None:
    """Un-pause the bot, then tell it what happened (an external intent such as
    EXTERNAL_handed_back); its rules answer in the conversation's language. Triggering an intent,
    unlike executing a response, runs a whole turn under the conversation's lock, so the
    customer's next message is handled as a fresh turn."""
    path = f"/conversations/{quote(conversation_id, safe='')}"
    # A paused conversation stopped right after the handoff action: listen first, so the
    # triggered intent is a turn the rules recognise.
    _call(settings, "POST", f"{path}/tracker/events",
          json=[{"event": "resume"}, {"event": "action", "name": "action_listen"}])
    _call(settings, "POST", f"{path}/trigger_intent", json={"name": external_intent})
