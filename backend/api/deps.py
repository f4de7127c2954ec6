"""Request dependencies: database session, settings, API keys and the customer's identity."""
from __future__ import annotations

import hmac
from typing import Iterator

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from ..config import Settings
from ..errors import DomainError
from ..models import Application
from ..services.identity import customer_by_ref, verify_login_token

api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="Action server key")
staff_key_header = APIKeyHeader(name="X-Staff-Key", auto_error=False, description="Staff and agents key")
bearer = HTTPBearer(auto_error=False, description="Customer login token (JWT signed by the site)")


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_session(request: Request) -> Iterator[Session]:
    session: Session = request.app.state.sessionmaker()
    try:
        yield session
    finally:
        session.close()


def _same(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode())


def require_api_key(key: str | None = Security(api_key_header), settings: Settings = Depends(get_settings)) -> None:
    if not _same(key, settings.api_key):
        raise DomainError("api_key_invalid", "A valid X-API-Key header is required")


def require_staff_key(key: str | None = Security(staff_key_header), settings: Settings = Depends(get_settings)) -> None:
    if not _same(key, settings.staff_key):
        raise DomainError("staff_key_invalid", "A valid X-Staff-Key header is required")


def current_customer(
    _: None = Depends(require_api_key),
    credentials: HTTPAuthorizationCredentials | None = Security(bearer),
    settings: Settings = Depends(get_settings),
    session: Session = Depends(get_session),
) -> Application:
    """The verified customer: identity comes only from the signed token, never from the path."""
    if credentials is None or not credentials.credentials:
        raise DomainError("auth_required", "Verify the customer first (login token or e-mailed code)")
    ref = verify_login_token(credentials.credentials, settings.login_token_secret)
    return customer_by_ref(session, ref)
