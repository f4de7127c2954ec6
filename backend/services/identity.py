"""Customer identity: signed login tokens (JWT HS256) and one-time codes e-mailed to the account."""
from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from datetime import timedelta

import jwt
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..config import Settings, get_settings
from ..errors import DomainError
from ..models import Application, LoginCode, utcnow
from .common import mask_email, normalize_email
from .outbox import queue_email

log = logging.getLogger(__name__)
ALGORITHM = "HS256"


def issue_login_token(customer_ref: str, ttl_seconds: int = 3600, secret: str | None = None) -> str:
    """A login token for `customer_ref`, as the support site signs it after its own login."""
    now = int(time.time())
    payload = {"sub": customer_ref, "iat": now, "exp": now + int(ttl_seconds)}
    return jwt.encode(payload, secret or get_settings().login_token_secret, algorithm=ALGORITHM)


def verify_login_token(token: str, secret: str | None = None) -> str:
    """The customer ref in a valid token; `token_invalid` for a bad signature, expiry or shape."""
    try:
        payload = jwt.decode(token, secret or get_settings().login_token_secret, algorithms=[ALGORITHM],
                             options={"require": ["sub", "exp", "iat"]})
    except jwt.PyJWTError:
        raise DomainError("token_invalid", "Login token is invalid or expired") from None
    sub = payload.get("sub")
    if not isinstance(sub, str) or not sub:
        raise DomainError("token_invalid", "Login token has no customer")
    return sub


def customer_by_ref(session: Session, ref: str) -> Application:
    app = session.execute(select(Application).where(Application.ref == ref)).scalar_one_or_none()
    if app is None:
        raise DomainError("token_invalid", "Login token names no known customer")
    return app


def _code_hash(secret: str, code_id: int, code: str) -> str:
    return hmac.new(secret.encode(), f"{code_id}:{code}".encode(), hashlib.sha256).hexdigest()


def _customer_by_email(session: Session, email: str) -> Application | None:
    # The most recent application with this contact e-mail is the customer.
    return session.execute(
        select(Application).where(Application.contact_email == email).order_by(Application.id.desc())
    ).scalars().first()


def request_code(session: Session, email: str, settings: Settings | None = None) -> None:
    """E-mail a 6-digit code to a known customer. Unknown addresses get nothing, and the caller
    answers the same either way (no account enumeration). Throttled per customer."""
    settings = settings or get_settings()
    try:
        email = normalize_email(email)
    except DomainError:
        return
    customer = _customer_by_email(session, email)
    if customer is None:
        log.info("login code requested for an unknown address")
        return
    now = utcnow()
    recent = session.execute(
        select(func.count(LoginCode.id)).where(
            LoginCode.application_id == customer.id, LoginCode.created_at > now - timedelta(hours=1))
    ).scalar_one()
    if recent >= settings.login_codes_per_hour:
        log.warning("login code throttled for %s", mask_email(email))
        session.rollback()
        return
    code = f"{secrets.randbelow(1_000_000):06d}"
    row = LoginCode(application_id=customer.id, code_hash="-", created_at=now, attempts=0,
                    expires_at=now + timedelta(seconds=settings.login_code_ttl_seconds))
    session.add(row)
    session.flush()
    row.code_hash = _code_hash(settings.login_token_secret, row.id, code)
    minutes = settings.login_code_ttl_seconds // 60
    queue_email(session, kind="login_code", to=customer.contact_email, customer_ref=customer.ref,
                subject="Your Canon CPS verification code",
                body=f"Your verification code is {code}. It is valid for {minutes} minutes.\n"
                     "If you did not ask for it, ignore this e-mail.")
    session.commit()


def verify_code(session: Session, email: str, code: str, settings: Settings | None = None) -> str:
    """Check a code; returns a login token. Codes are single-use and expire; after
    `login_code_max_attempts` wrong tries the code is locked."""
    settings = settings or get_settings()
    try:
        email = normalize_email(email)
    except DomainError:
        raise DomainError("code_invalid", "Code invalid or expired") from None
    customer = _customer_by_email(session, email)
    now = utcnow()
    row = None
    if customer is not None:
        row = session.execute(
            select(LoginCode).where(LoginCode.application_id == customer.id, LoginCode.used_at.is_(None))
            .order_by(LoginCode.id.desc())
        ).scalars().first()
    if row is None or row.expires_at <= now:
        raise DomainError("code_invalid", "Code invalid or expired")
    if row.locked_at is not None:
        raise DomainError("too_many_attempts", "Too many wrong codes; ask for a new code")
    if not hmac.compare_digest(row.code_hash, _code_hash(settings.login_token_secret, row.id, code.strip())):
        attempts = row.attempts + 1
        locked = attempts >= settings.login_code_max_attempts
        session.execute(update(LoginCode).where(LoginCode.id == row.id).values(
            attempts=LoginCode.attempts + 1, locked_at=now if locked else None))
        session.commit()
        if locked:
            raise DomainError("too_many_attempts", "Too many wrong codes; ask for a new code")
        raise DomainError("code_invalid", "Code invalid or expired",
                          attempts_left=settings.login_code_max_attempts - attempts)
    # Single use, even under concurrent verification of the same code.
    done = session.execute(update(LoginCode).where(LoginCode.id == row.id, LoginCode.used_at.is_(None))
                           .values(used_at=now))
    session.commit()
    if done.rowcount != 1:
        raise DomainError("code_invalid", "Code invalid or expired")
    return issue_login_token(customer.ref, secret=settings.login_token_secret)
