"""Handoff tickets: the action server opens them (X-API-Key); agents list, claim, close (X-Staff-Key)."""
from __future__ import annotations

import logging
from zoneinfo import ZoneInfo
from typing import List, Optional

from fastapi import APIRouter, Depends, Path, Query, Security
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..config import Settings
from ..errors import DomainError
from ..models import Application
from ..services import handoff, rasa_client, support_hours
from ..services.identity import verify_login_token
from ..services.common import as_utc
from .deps import bearer, get_session, get_settings, require_api_key, require_staff_key
from .problems import PROBLEM_RESPONSES
from .schemas import AgentMessageIn, ClaimIn, CloseIn, TicketIn, TicketOut, TranscriptLineOut

log = logging.getLogger(__name__)
router = APIRouter(prefix="/v1", tags=["handoff"], responses=PROBLEM_RESPONSES)
REF = Path(..., regex=r"^[A-Za-z0-9_-]{1,64}$")


def _out(t, session: Session | None = None) -> dict:
    out = {"ref": t.ref, "conversation_id": t.conversation_id, "language": t.language, "reason": t.reason,
           "summary": t.summary, "customer_ref": t.customer_ref, "status": t.status,
           "assigned_agent": t.assigned_agent, "created_at": as_utc(t.created_at),
           "claimed_at": as_utc(t.claimed_at), "closed_at": as_utc(t.closed_at), "close_note": t.close_note}
    if session is not None and t.status == "open":
        country = None
        if t.customer_ref:
            app = session.execute(select(Application).where(Application.ref == t.customer_ref)).scalar_one_or_none()
            country = app.country if app else None
        hours = support_hours.hours_for(country, t.language)
        within, opening = support_hours.next_opening(hours)
        out.update(queue_position=handoff.queue_position(session, t), within_support_hours=within,
                   next_opening=opening,
                   next_opening_local=opening.astimezone(ZoneInfo(hours.timezone)).isoformat())
    return out


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
                                      reason=body.reason, summary=body.summary, customer_ref=customer_ref), session)


@router.get("/handoff/tickets/{ref}", response_model=TicketOut, dependencies=[Depends(require_api_key)])
def ticket_for_bot(ref: str = REF, session: Session = Depends(get_session)) -> dict:
    return _out(handoff.get_ticket(session, ref))


@router.get("/staff/handoff/tickets", response_model=List[TicketOut], dependencies=[Depends(require_staff_key)])
def list_tickets(status: Optional[str] = Query(None, regex=r"^(open|claimed|closed)$"),
                 conversation_id: Optional[str] = Query(None, max_length=200, regex=r"^[^\x00]*$"),
                 limit: int = Query(100, ge=1, le=500), session: Session = Depends(get_session)) -> list:
    return [_out(t, session) for t in handoff.list_tickets(session, status, conversation_id, limit)]


@router.get("/staff/handoff/tickets/{ref}", response_model=TicketOut, dependencies=[Depends(require_staff_key)])
def get_ticket(ref: str = REF, session: Session = Depends(get_session)) -> dict:
    return _out(handoff.get_ticket(session, ref))


@router.post("/staff/handoff/tickets/{ref}/claim", response_model=TicketOut, dependencies=[Depends(require_staff_key)])
def claim(body: ClaimIn, ref: str = REF, session: Session = Depends(get_session)) -> dict:
    return _out(handoff.claim_ticket(session, ref, body.agent))


@router.post("/staff/handoff/tickets/{ref}/close", response_model=TicketOut, dependencies=[Depends(require_staff_key)])
def close(body: CloseIn, ref: str = REF, session: Session = Depends(get_session),
          settings: Settings = Depends(get_settings)) -> dict:
    """Finish the conversation: the bot takes over again and tells the customer so."""
    ticket = handoff.get_ticket(session, ref)
    if ticket.status == "claimed":
        handoff.require_claimed_by(session, ref, body.agent)
    closed = handoff.close_ticket(session, ref, body.agent, body.note)
    try:
        rasa_client.resume(settings, closed.conversation_id, "EXTERNAL_conversation_closed")
    except DomainError:  # closing must work even when the assistant is down; it stays paused until then
        log.warning("ticket %s closed but the conversation could not be resumed", closed.ref)
    return _out(closed)


@router.post("/staff/handoff/tickets/{ref}/handback", response_model=TicketOut,
             dependencies=[Depends(require_staff_key)])
def hand_back(body: CloseIn, ref: str = REF, session: Session = Depends(get_session),
              settings: Settings = Depends(get_settings)) -> dict:
    """Give the conversation back to the bot, which resumes with its context and says so."""
    ticket = handoff.require_claimed_by(session, ref, body.agent)
    rasa_client.resume(settings, ticket.conversation_id, "EXTERNAL_handed_back")
    return _out(handoff.close_ticket(session, ref, body.agent, body.note or "handed back to the bot"))


@router.get("/staff/handoff/tickets/{ref}/transcript", response_model=List[TranscriptLineOut],
            dependencies=[Depends(require_staff_key)])
def transcript(ref: str = REF, session: Session = Depends(get_session),
               settings: Settings = Depends(get_settings)) -> list:
    """The conversation so far, including what the customer writes while waiting."""
    return rasa_client.transcript(settings, handoff.get_ticket(session, ref).conversation_id)


@router.post("/staff/handoff/tickets/{ref}/messages", status_code=202, response_model=TicketOut,
             dependencies=[Depends(require_staff_key)])
def reply(body: AgentMessageIn, ref: str = REF, session: Session = Depends(get_session),
          settings: Settings = Depends(get_settings)) -> dict:
    """An agent's reply, shown in the customer's chat. Refused unless this agent holds the conversation."""
    ticket = handoff.require_claimed_by(session, ref, body.agent)
    rasa_client.send_agent_message(settings, ticket.conversation_id, body.agent.strip(), body.text)
    return _out(ticket)


@router.get("/conversations/{conversation_id}/history", response_model=List[TranscriptLineOut],
            tags=["chat"])
def history(conversation_id: str = Path(..., regex=r"^[A-Za-z0-9_-]{16,100}$"),
            settings: Settings = Depends(get_settings)) -> list:
    """The chat widget's history after a reload or in another tab. The conversation id is a random
    identifier only that browser knows, so it acts as the key."""
    return rasa_client.transcript(settings, conversation_id)
