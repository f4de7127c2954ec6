"""Custom actions, one module per area. `rasa run actions --actions bot.actions` loads them."""
from bot.actions import language, products, session  # noqa: F401  (registers the actions)
