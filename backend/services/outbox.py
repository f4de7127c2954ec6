"""Outgoing e-mail: queued in the `outbox` table, optionally relayed over SMTP."""
from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import OutboxEmail, utcnow
from .common import mask_email

log = logging.getLogger(__name__)

SENDER = "donotreply@canon-europe.com"


def queue_email(session: Session, *, kind: str, to: str, subject: str, body: str,
                customer_ref: str | None = None) -> OutboxEmail:
    """Add an e-mail to the outbox (in the caller's transaction)."""
    mail = OutboxEmail(kind=kind, to_address=to, from_address=SENDER, subject=subject, body=body,
                       customer_ref=customer_ref, created_at=utcnow())
    session.add(mail)
    session.flush()
    log.info("outbox: queued %s e-mail #%s to %s", kind, mail.id, mask_email(to))
    return mail


def list_outbox(session: Session, *, to: str | None = None, kind: str | None = None,
                customer_ref: str | None = None, limit: int = 100) -> list[OutboxEmail]:
    stmt = select(OutboxEmail).order_by(OutboxEmail.id.desc()).limit(limit)
    if to:
        stmt = stmt.where(OutboxEmail.to_address == to.strip().lower())
    if kind:
        stmt = stmt.where(OutboxEmail.kind == kind)
    if customer_ref:
        stmt = stmt.where(OutboxEmail.customer_ref == customer_ref)
    return list(session.execute(stmt).scalars())


def send_pending(session: Session, host: str, port: int, limit: int = 100) -> int:
    """Relay unsent e-mails to an SMTP server; returns how many were sent."""
    pending = session.execute(
        select(OutboxEmail).where(OutboxEmail.sent_at.is_(None)).order_by(OutboxEmail.id).limit(limit)
    ).scalars().all()
    sent = 0
    if not pending:
        return 0
    try:
        with smtplib.SMTP(host, port, timeout=10) as smtp:
            for mail in pending:
                msg = EmailMessage()
                msg["From"], msg["To"], msg["Subject"] = mail.from_address, mail.to_address, mail.subject
                msg.set_content(mail.body)
                try:
                    smtp.send_message(msg)
                    mail.sent_at, mail.send_error = utcnow(), None
                    sent += 1
                except smtplib.SMTPException as exc:
                    mail.send_error = type(exc).__name__
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("outbox: SMTP %s:%s unavailable (%s)", host, port, type(exc).__name__)
    session.commit()
    return sent
