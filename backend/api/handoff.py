"""Handoff tickets: the action server opens them (X-API-Key); agents list, claim, close (X-Staff-Key)."""
from __future__ import annotations

from typing import List, Optional

from fastapi import APIRouter, Depends, Path, Query, Security
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy.orm import Session

from ..config import Settings
from ..errors import DomainError
from ..services import handoff
from ..services.identity import verify_login_token
from ..services.common import as_utc
from .deps import bearer, get_session, get_settings, require_api_key, require_staff_key
from .problems import PROBLEM_RESPONSES
from .schemas import ClaimIn, CloseIn, TicketIn, TicketOut

router = APIRouter(prefix="/v1", tags=["handoff"], responses=PROBLEM_RESPONSES)
REF = Path(..., regex=r"^[A-Za-z0-9_-]{1,64}$")


def _out(t) -> dict:
    return {"ref": t.ref, "conversation_id": t.conversation_id, "language": t.language, "reason": t.reason,
            "summary": t.summary, "customer_ref": t.customer_ref, "status": t.status,
            "assigned_agent": t.assigned_agent, "created_at": as_utc(t.created_at),
            "claimed_at": as_utc(t.claimed_at), "closed_at": as_utc(t.closed_at), "close_note": t.close_note}


@router.post("/handoff/tickets", status_code=201, response_model=TicketOut, dependencies=[Depends(require_api_key)])
def open_ticket(body: TicketIn, credentials: HTTPAuthorizationCredentials | None = Security(bearer),
                session: Session = Depends(get_session), settings: Settings = Depends(get_settings)) -> dict:
    """The customer's token, when the bot has one, names the customer; a bad or expired token never
    blocks a handoff (the agent then verifies the customer)."""
    customer_ref = None
    if credentials is not None:
        try:
            customer_ref = verify_login_token(credentials.credentials, settings.login_token_secret)
        except DomainError:
            customer_ref = None
    return _out(handoff.create_ticket(session, conversation_id=body.conversation_id, language=body.language.value,
                                      reason=body.reason, summary=body.summary, customer_ref=customer_ref))


@router.get("/handoff/tickets/{ref}", response_model=TicketOut, dependencies=[Depends(require_api_key)])
def ticket_for_bot(ref: str = REF, session: Session = Depends(get_session)) -> dict:
    return _out(handoff.get_ticket(session, ref))


@router.get("/staff/handoff/tickets", response_model=List[TicketOut], dependencies=[Depends(require_staff_key)])
def list_tickets(status: Optional[str] = Query(None, regex=r"^(open|claimed|closed)$"),
                 conversation_id: Optional[str] = Query(None, max_length=200, regex=r"^[^\x00]*$"),
                 limit: int = Query(100, ge=1, le=500), session: Session = Depends(get_session)) -> list:
    return [_out(t) for t in handoff.list_tickets(session, status, conversation_id, limit)]


@router.get("/staff/handoff/tickets/{ref}", response_model=TicketOut, dependencies=[Depends(require_staff_key)])
def get_ticket(ref: str = REF, session: Session = Depends(get_session)) -> dict:
    return _out(handoff.get_ticket(session, ref))


@router.post("/staff/handoff/tickets/{ref}/claim", response_model=TicketOut, dependencies=[Depends(require_staff_key)])
def claim(body: ClaimIn, ref: str = REF, session: Session = Depends(get_session)) -> dict:
    return _out(handoff.claim_ticket(session, ref, body.agent))


@router.post("/staff/handoff/tickets/{ref}/close", response_model=TicketOut, dependencies=[Depends(require_staff_key)])
def close(body: CloseIn, ref: str = REF, session: Session = Depends(get_session)) -> dict:
    return _out(handoff.close_ticket(session, ref, body.agent, body.note))
