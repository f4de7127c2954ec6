"""Customer verification (one-time e-mailed codes) and, in DEMO_MODE only, demo logins."""
from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..config import Settings
from ..demo import DEMO_CUSTOMERS
from ..errors import DomainError
from ..models import Application
from ..services import identity
from .deps import get_session, get_settings
from .problems import PROBLEM_RESPONSES
from .schemas import CodeRequestIn, CodeVerifyIn, DemoCustomerOut, DemoTokenIn, StatusOut, TokenOut

router = APIRouter(prefix="/v1", responses=PROBLEM_RESPONSES)
TOKEN_TTL = 3600


@router.post("/auth/code", status_code=202, response_model=StatusOut, tags=["identity"])
def request_code(body: CodeRequestIn, session: Session = Depends(get_session),
                 settings: Settings = Depends(get_settings)) -> dict:
    """E-mail a one-time code to the account address. Same answer whether or not it is known."""
    identity.request_code(session, body.email, settings)
    return {"status": "accepted"}


@router.post("/auth/verify", response_model=TokenOut, tags=["identity"])
def verify_code(body: CodeVerifyIn, session: Session = Depends(get_session),
                settings: Settings = Depends(get_settings)) -> dict:
    token = identity.verify_code(session, body.email, body.code, settings)
    return {"token": token, "customer_ref": identity.verify_login_token(token, settings.login_token_secret),
            "expires_in": TOKEN_TTL}


def _require_demo(settings: Settings = Depends(get_settings)) -> None:
    if not settings.demo_mode:
        raise DomainError("not_found", "Not found")


@router.get("/demo/customers", response_model=list[DemoCustomerOut], tags=["demo"],
            dependencies=[Depends(_require_demo)])
def demo_customers(session: Session = Depends(get_session)) -> list[dict]:
    refs = {c.ref for c in DEMO_CUSTOMERS}
    present = {a.ref: a for a in session.execute(select(Application).where(Application.ref.in_(refs))).scalars()}
    return [{"ref": c.ref, "company": c.company, "country": c.country, "language": c.language,
             "description": c.description, "state": c.state}
            for c in DEMO_CUSTOMERS if c.ref in present]


@router.post("/demo/login-token", response_model=TokenOut, tags=["demo"], dependencies=[Depends(_require_demo)])
def demo_login_token(body: DemoTokenIn, session: Session = Depends(get_session),
                     settings: Settings = Depends(get_settings)) -> dict:
    """Play "logged-in customer" on the demo page: only for demo customers."""
    if body.customer_ref not in {c.ref for c in DEMO_CUSTOMERS}:
        raise DomainError("not_found", "No such demo customer")
    if session.execute(select(Application.id).where(Application.ref == body.customer_ref)).first() is None:
        raise DomainError("not_found", "Run `cps-backend demo-data` first")
    return {"token": identity.issue_login_token(body.customer_ref, TOKEN_TTL, settings.login_token_secret),
            "customer_ref": body.customer_ref, "expires_in": TOKEN_TTL}
