"""A crashed action must not leave the customer without an answer.

Every action of ours is wrapped so that an unexpected exception is logged and the customer gets
`utter_action_failed` in their language; the conversation goes on. (Without this, rasa-sdk
answers 500 and Rasa sends the customer nothing at all.)
"""
import functools
import inspect
import logging

from rasa_sdk import Action
from rasa_sdk.utils import all_subclasses

logger = logging.getLogger(__name__)


def _guarded(run):
    @functools.wraps(run)
    async def guarded_run(self, dispatcher, tracker, domain):
        try:
            return await run(self, dispatcher, tracker, domain)
        except Exception:
            logger.exception("action %s failed", self.name())
            dispatcher.utter_message(response="utter_action_failed")
            return []

    guarded_run.guarded = True
    return guarded_run


def guard_all_actions() -> None:
    for cls in all_subclasses(Action):
        if cls.__module__.startswith("bot.") and not inspect.isabstract(cls) \
                and not getattr(cls.run, "guarded", False):
            cls.run = _guarded(cls.run)
