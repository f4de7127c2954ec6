"""Custom actions, one module per area. `rasa run actions --actions bot.actions` loads them."""
from bot.actions import (  # noqa: F401  (importing registers the actions)
    account, application, fallback, forms, handoff, language, membership, offers, products, session,
    verification,
)
from bot.actions.safety import guard_all_actions
from bot.log_redaction import install as mask_secrets_in_logs

guard_all_actions()
mask_secrets_in_logs()  # rasa-sdk has configured logging before it imports the actions
