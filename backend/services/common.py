"""Small helpers shared by the services: refs, secret tokens, e-mail syntax, local dates."""
from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from email_validator import EmailNotValidError, validate_email

from ..errors import DomainError

_REF_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_ref(prefix: str, length: int = 14) -> str:
    """A random, non-sequential public reference such as `c-7kq2m…`."""
    return prefix + "-" + "".join(secrets.choice(_REF_ALPHABET) for _ in range(length))


def new_secret_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Only hashes of one-time tokens are stored, so a database leak gives no usable links."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def normalize_email(value: str, field: str = "email") -> str:
    """Syntax check only (offline: no DNS); returns the normalised address for storage."""
    try:
        result = validate_email((value or "").strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise DomainError("email_invalid", f"{field}: {exc}", field=field) from None
    except Exception:  # odd unicode can make idna raise other errors: still just "invalid"
        raise DomainError("email_invalid", f"{field}: not an e-mail address", field=field) from None
    return result.normalized.lower()


def mask_email(value: str | None) -> str:
    """For logs: keep the domain, hide the person."""
    if not value or "@" not in value:
        return "***"
    local, _, domain = value.partition("@")
    return f"{local[:1]}***@{domain}"


def local_today(tz_name: str, now: datetime | None = None) -> date:
    now = now or datetime.now(timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    return now.astimezone(ZoneInfo(tz_name)).date()


def as_utc(dt: datetime | None) -> datetime | None:
    """Naive UTC from the database → aware UTC for API output."""
    if dt is None:
        return None
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


def to_naive_utc(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        return dt
    return dt.astimezone(timezone.utc).replace(tzinfo=None)
