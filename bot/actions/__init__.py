"""Custom actions, one module per area. `rasa run actions --actions bot.actions` loads them."""
from bot.actions import (  # noqa: F401  (importing registers the actions)
    account, application, fallback, forms, handoff, language, membership, offers, products, session,
    verification,
)
from bot.actions.safety import guard_all_actions

guard_all_actions()
