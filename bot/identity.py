"""Who the customer is, as far as the bot knows.

The site passes a signed login token in the message metadata; the backend verifies it on
every call. The bot never decides identity itself: it only forwards the token.
"""
from typing import Any, Dict, Optional

from rasa_sdk import Tracker

TOKEN_KEY = "login_token"


def metadata_token(metadata: Optional[Dict[str, Any]]) -> Optional[str]:
    token = (metadata or {}).get(TOKEN_KEY)
    return token if isinstance(token, str) and token.strip() else None


def customer_token(tracker: Tracker) -> Optional[str]:
    """The latest message's token wins (the site may have refreshed it), then the session's."""
    return metadata_token(tracker.latest_message.get("metadata")) or tracker.get_slot(
        "customer_token"
    )
