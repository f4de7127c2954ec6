"""What every account-grounded action does when the backend cannot answer."""
import logging
from typing import Awaitable, Optional, TypeVar

from rasa_sdk.executor import CollectingDispatcher

from bot.backend_client import BackendError, BackendUnavailable

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Problem codes of the backend that mean "this login can't be used any more".
LOGIN_PROBLEMS = {"auth_required", "token_invalid", "token_expired"}


async def ask_backend(dispatcher: CollectingDispatcher, call: Awaitable[T]) -> Optional[T]:
    """Awaits a backend call; on failure tells the customer why and returns None."""
    try:
        return await call
    except BackendUnavailable as error:
        logger.warning("backend unavailable: %s", error.detail)
        dispatcher.utter_message(response="utter_backend_unavailable")
    except BackendError as error:
        if error.code in LOGIN_PROBLEMS:
            dispatcher.utter_message(response="utter_login_expired")
        else:
            logger.warning("backend problem %s (%s)", error.code, error.status)
            dispatcher.utter_message(response="utter_backend_unavailable")
    return None


def tier_names(tiers) -> str:
    """'Silver, Gold, Platinum' from the backend's tier list (names are product names)."""
    return ", ".join(t["name"] for t in tiers)


async def continue_with(action_name: str, dispatcher: CollectingDispatcher, tracker, domain) -> list:
    """Runs another of our actions right now, in this turn.

    Used when a yes or a verification leads to what the customer asked for before. Running it
    here, instead of returning FollowupAction, leaves no turn in which the policies would have
    to guess what comes after it. Forms are run by Rasa itself, so they stay a FollowupAction.
    """
    import inspect

    from rasa_sdk import Action
    from rasa_sdk.events import FollowupAction
    from rasa_sdk.utils import all_subclasses

    if action_name.endswith("_form"):
        return [FollowupAction(action_name)]
    for cls in all_subclasses(Action):
        if cls.__module__.startswith("bot.") and not inspect.isabstract(cls) and cls().name() == action_name:
            return await cls().run(dispatcher, tracker, domain)
    raise KeyError(f"no action named {action_name}")
