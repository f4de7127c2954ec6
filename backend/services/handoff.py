"""Handoff tickets: the bot asks for a human; agents claim (one agent only) and close them."""
from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..errors import DomainError
from ..models import HandoffTicket, utcnow
from .common import new_ref
from .markets import LANGUAGES

STATUSES = ("open", "claimed", "closed")


def create_ticket(session: Session, *, conversation_id: str, language: str, reason: str, summary: str,
                  customer_ref: str | None = None) -> HandoffTicket:
    if language not in LANGUAGES:
        raise DomainError("language_not_supported", "language must be one of " + ", ".join(LANGUAGES))
    ticket = HandoffTicket(ref=new_ref("t"), conversation_id=conversation_id.strip(), language=language,
                           reason=reason.strip(), summary=summary, customer_ref=customer_ref, status="open",
                           created_at=utcnow())
    session.add(ticket)
    session.commit()
    return ticket


def get_ticket(session: Session, ref: str) -> HandoffTicket:
    ticket = session.execute(select(HandoffTicket).where(HandoffTicket.ref == ref)).scalar_one_or_none()
    if ticket is None:
        raise DomainError("not_found", "No such handoff ticket")
    return ticket


def list_tickets(session: Session, status: str | None = None, conversation_id: str | None = None,
                 limit: int = 100) -> list[HandoffTicket]:
    stmt = select(HandoffTicket).order_by(HandoffTicket.id.desc()).limit(limit)
    if status:
        stmt = stmt.where(HandoffTicket.status == status)
    if conversation_id:
        stmt = stmt.where(HandoffTicket.conversation_id == conversation_id)
    return list(session.execute(stmt).scalars())


def queue_position(session: Session, ticket: HandoffTicket) -> int | None:
    """1 for the next conversation an agent will take; None once taken or closed."""
    if ticket.status != "open":
        return None
    ahead = session.execute(select(func.count()).select_from(HandoffTicket).where(
        HandoffTicket.status == "open", HandoffTicket.id < ticket.id)).scalar_one()
    return ahead + 1


def require_claimed_by(session: Session, ref: str, agent: str) -> HandoffTicket:
    """The ticket an agent may write in: claimed by that agent and not closed."""
    ticket = get_ticket(session, ref)
    if ticket.status == "closed":
        raise DomainError("ticket_closed", "This conversation is closed")
    if ticket.status != "claimed" or ticket.assigned_agent != agent.strip():
        raise DomainError("not_assigned", "Claim the conversation before replying")
    return ticket


def claim_ticket(session: Session, ref: str, agent: str) -> HandoffTicket:
    """Atomic: the UPDATE only matches an open ticket, so two agents can never both win."""
    ticket = get_ticket(session, ref)
    done = session.execute(update(HandoffTicket).where(HandoffTicket.id == ticket.id, HandoffTicket.status == "open")
                           .values(status="claimed", assigned_agent=agent.strip(), claimed_at=utcnow()))
    session.commit()
    session.refresh(ticket)
    if done.rowcount != 1:
        if ticket.status == "closed":
            raise DomainError("ticket_closed", "This ticket is closed")
        raise DomainError("ticket_already_claimed", "Another agent has already taken this conversation",
                          assigned_agent=ticket.assigned_agent)
    return ticket


def close_ticket(session: Session, ref: str, agent: str, note: str | None = None) -> HandoffTicket:
    """Hand the conversation back (or finish it). Only the assigned agent closes a claimed ticket."""
    ticket = get_ticket(session, ref)
    if ticket.status == "closed":
        raise DomainError("ticket_closed", "This ticket is already closed")
    if ticket.status == "claimed" and ticket.assigned_agent != agent.strip():
        raise DomainError("not_assigned", "This ticket is assigned to another agent")
    done = session.execute(update(HandoffTicket).where(HandoffTicket.id == ticket.id, HandoffTicket.status == ticket.status)
                           .values(status="closed", closed_at=utcnow(), close_note=(note or "")[:500] or None,
                                   assigned_agent=ticket.assigned_agent or agent.strip()))
    session.commit()
    session.refresh(ticket)
    if done.rowcount != 1:
        raise DomainError("ticket_already_claimed", "The ticket changed meanwhile; reload it")
    return ticket
