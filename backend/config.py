"""Settings read from environment variables, with defaults that work on a fresh clone."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = REPO_ROOT / "var"


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _default_db_url() -> str:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{VAR_DIR / 'backend.db'}"


@dataclass(frozen=True)
class Settings:
    database_url: str
    api_key: str = "dev-action-key"
    staff_key: str = "dev-staff-key"
    login_token_secret: str = "dev-login-secret"
    upload_dir: Path = field(default_factory=lambda: VAR_DIR / "uploads")
    public_url: str = "http://localhost:8000"
    demo_mode: bool = True
    cors_origins: tuple = ("*",)
    # The Rasa server, for handoff: transcripts, agent replies, handing back (HTTP API token).
    rasa_url: str = "http://localhost:5005"
    rasa_token: str | None = None
    max_upload_bytes: int = 10 * 1024 * 1024
    # Optional SMTP relay for the outbox (e.g. `python -m smtpd -n -c DebuggingServer localhost:1025`).
    smtp_host: str | None = None
    smtp_port: int = 25
    # Whose calendar counts the "2 business days": "applicant" (the applicant's country) or a country code.
    decision_calendar: str = "applicant"
    decision_business_days: int = 2
    invoice_issue_delay_hours: int = 3
    invoice_due_days: int = 30
    login_code_ttl_seconds: int = 600
    login_code_max_attempts: int = 5
    login_codes_per_hour: int = 5

    @classmethod
    def from_env(cls, env: dict | None = None) -> "Settings":
        env = os.environ if env is None else env
        get = lambda name, default: env.get(name) or default  # noqa: E731  (empty = default)
        return cls(
            database_url=get("DATABASE_URL", None) or _default_db_url(),
            api_key=get("BACKEND_API_KEY", "dev-action-key"),
            staff_key=get("BACKEND_STAFF_KEY", "dev-staff-key"),
            login_token_secret=get("LOGIN_TOKEN_SECRET", "dev-login-secret"),
            upload_dir=Path(get("UPLOAD_DIR", str(VAR_DIR / "uploads"))),
            public_url=get("BACKEND_PUBLIC_URL", "http://localhost:8000").rstrip("/"),
            demo_mode=_flag(env.get("DEMO_MODE"), True),
            rasa_url=get("RASA_URL", "http://localhost:5005").rstrip("/"),
            rasa_token=get("RASA_TOKEN", None),
            cors_origins=tuple(o.strip() for o in get("CORS_ORIGINS", "*").split(",") if o.strip()),
            max_upload_bytes=int(get("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)),
            smtp_host=get("SMTP_HOST", None),
            smtp_port=int(get("SMTP_PORT", 25)),
            decision_calendar=get("DECISION_CALENDAR", "applicant"),
            decision_business_days=int(get("DECISION_BUSINESS_DAYS", 2)),
            invoice_issue_delay_hours=int(get("INVOICE_ISSUE_DELAY_HOURS", 3)),
            invoice_due_days=int(get("INVOICE_DUE_DAYS", 30)),
        )

    def with_overrides(self, **changes) -> "Settings":
        return replace(self, **changes)


def get_settings() -> Settings:
    """Current settings from the environment (cheap; read on each call so tests can change env)."""
    return Settings.from_env()
