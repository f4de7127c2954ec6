"""Hooks in the Rasa process; mainly: the customer hears from us when the action server is down.

Why a patch: in Rasa 3.6 a custom action that cannot be reached raises inside
`RemoteAction.run`; `MessageProcessor._run_action` logs the exception, drops the action's
events and the customer gets NOTHING. Rasa 3.6 has no extension point for this (no
fallback action for failed custom actions, no hook in the processor), so we wrap
`RemoteAction.run` — and only it — for the failures that mean "the action server is not
there": connection refused or reset, a timeout, a 5xx answer.

What the wrapper does instead of failing:
- a custom action (`action_*`): says `utter_service_unavailable` in the conversation's
  language (the NLG picks it) and listens; the conversation goes on from its tracker;
- a form's validation (`validate_<form>`): says it too and rejects this turn's unvalidated
  values, so the form asks for them again instead of accepting them unchecked;
- `action_validate_slot_mappings` (language detection, runs inside action_extract_slots after
  every message that it may change, see bot/language_check.py): unchanged; Rasa catches it and
  handles the message without it (a message about it would come before every answer);
- `action_session_start`: Rasa's own session start instead of ours (the NLG then takes the
  language from the site's locale in the session metadata).
The customer gets the message at most once per turn.

Also: a custom tracker store that cannot be loaded stops Rasa instead of being replaced by the
in-memory store (`_custom_tracker_store_or_fail`).

Installed when Rasa imports our NLG (bot/nlg.py, endpoints.yml `nlg: type: bot.nlg.LocalisedNLG`).
"""
import asyncio
import logging
import os
from typing import List

import aiohttp
from rasa.core.actions import action as rasa_action_module
from rasa.core.actions.action import ActionBotResponse, ActionSessionStart, RemoteAction
from rasa.core import tracker_store as rasa_tracker_store
from rasa.shared.exceptions import RasaException
from rasa.shared.utils.common import class_from_module_path
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, FollowupAction, SlotSet, UserUttered

logger = logging.getLogger(__name__)

RESPONSE = "utter_service_unavailable"
SILENT = {"action_validate_slot_mappings"}


def action_server_unreachable(error: BaseException) -> bool:
    """Connection error, timeout or 5xx anywhere in the exception's chain."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, aiohttp.ClientResponseError):
            return error.status >= 500
        if isinstance(error, (aiohttp.ClientError, asyncio.TimeoutError, ConnectionError)):
            return True
        error = error.__cause__ or error.__context__
    return False


def _said_this_turn(tracker) -> bool:
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, BotUttered) and event.metadata.get("utter_action") == RESPONSE:
            return True
    return False


def _unvalidated_slots(tracker) -> List[Event]:
    """The slot values Rasa asks a form's validator to check (set after the form's last run)."""
    events = []
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecuted):
            break
        if isinstance(event, SlotSet):
            events.append(SlotSet(event.key, None))
    return events


_original_run = RemoteAction.run


async def _run(self, output_channel, nlg, tracker, domain) -> List[Event]:
    try:
        return await _original_run(self, output_channel, nlg, tracker, domain)
    except Exception as error:
        if not action_server_unreachable(error):
            raise
        if self.name() in SILENT:  # as a RasaException, which action_extract_slots catches
            raise RasaException(f"action server unreachable for {self.name()}") from error
        logger.error("action server unreachable for %s (%s)", self.name(), error)
    if self.name() == "action_session_start":
        return await ActionSessionStart().run(output_channel, nlg, tracker, domain)
    events: List[Event] = []
    if not _said_this_turn(tracker):
        events += await ActionBotResponse(RESPONSE).run(output_channel, nlg, tracker, domain)
    if self.name().startswith("validate_"):
        return events + _unvalidated_slots(tracker)
    return events + [FollowupAction("action_listen")]


def _custom_tracker_store_or_fail(domain, store, event_broker=None):
    """Rasa 3.6 replaces a custom tracker store whose class cannot be imported by the in-memory
    store, with only a warning: every conversation would be lost at the next restart, and several
    instances would each see their own. Like Rasa's lock store, it now refuses to start."""
    try:
        store_class = class_from_module_path(store.type)
    except (AttributeError, ImportError) as error:
        raise RasaException(f"Tracker store type '{store.type}' cannot be loaded: {error}") from error
    return store_class(host=store.url, domain=domain, event_broker=event_broker, **store.kwargs)


def install() -> None:
    if RemoteAction.run is _original_run:
        RemoteAction.run = _run
    rasa_tracker_store._load_from_module_name_in_endpoint_config = _custom_tracker_store_or_fail
    # Rasa waits 5 minutes for a custom action; ours take seconds at most (the backend client
    # gives up after about 7 s), so a hung action server is noticed after ACTION_TIMEOUT_SECONDS.
    rasa_action_module.DEFAULT_REQUEST_TIMEOUT = int(os.environ.get("ACTION_TIMEOUT_SECONDS", "20"))
