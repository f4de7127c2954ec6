"""Enrolment in CPS: membership (active at once) and its invoice. One membership per account."""
from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..config import Settings
from ..errors import DomainError
from ..models import Application, Invoice, Membership, utcnow
from .accounts import previous_membership_number, require_account
from .outbox import queue_email
from .points import get_invitation, refresh_invitation, total_points
from .tiers import available_tiers, get_tier, invitation_threshold

log = logging.getLogger(__name__)
PAYMENT_METHODS = ("card", "bank_transfer")
BANK_NOTE = "Pay by bank transfer by the due date. Local bank transfer surcharges may apply."
CARD_NOTE = "Your card is charged on the due date, not now."


def get_membership(session: Session, account_id: int) -> Membership | None:
    return session.execute(select(Membership).where(Membership.account_id == account_id)).scalar_one_or_none()


def get_invoices(session: Session, account_id: int) -> list[Invoice]:
    return list(session.execute(select(Invoice).where(Invoice.account_id == account_id).order_by(Invoice.id)).scalars())


def _new_number(prefix: str, digits: int) -> str:
    return prefix + "".join(str(secrets.randbelow(10)) for _ in range(digits))


def enrol(session: Session, settings: Settings, app: Application, *, tier_code: str, payment_method: str,
          idempotency_key: str, now: datetime | None = None) -> tuple[Membership, Invoice, bool]:
    """Create the membership and its invoice. Returns (membership, invoice, created). The same
    Idempotency-Key again returns the first result; another key after enrolment is `already_enrolled`.
    The unique account_id on memberships settles two requests at the same moment."""
    account = require_account(app)
    key = (idempotency_key or "").strip()
    if not key:
        raise DomainError("idempotency_key_required", "Send an Idempotency-Key header")
    existing = get_membership(session, account.id)
    if existing is not None:
        return _replay_or_conflict(session, existing, key)
    if payment_method not in PAYMENT_METHODS:
        raise DomainError("validation_error", "payment_method must be card or bank_transfer", field="payment_method")
    points = total_points(session, account)
    if points < invitation_threshold():
        raise DomainError("not_eligible", f"At least {invitation_threshold()} points are needed to join CPS",
                          points=points, threshold=invitation_threshold())
    if get_invitation(session, account) is None:
        refresh_invitation(session, account)
    tier = get_tier(tier_code)
    available = available_tiers(points)
    if tier is None or tier not in available:
        raise DomainError("tier_not_available", "This tier is not available for your points total",
                          tiers_available=[t.code for t in available], points=points)
    now = now or utcnow()
    issued_at = now + timedelta(hours=settings.invoice_issue_delay_hours)
    due = issued_at.date() + timedelta(days=settings.invoice_due_days)
    membership = Membership(account_id=account.id, membership_number=_new_number("CPS", 9), tier_code=tier.code,
                            payment_method=payment_method, status="active", started_at=now,
                            replaced_number=previous_membership_number(session, app), idempotency_key=key[:100])
    try:
        session.add(membership)
        session.flush()
        invoice = Invoice(number=_new_number(f"INV-{now.year}-", 7), membership_id=membership.id,
                          account_id=account.id, tier_code=tier.code, amount_cents=tier.annual_fee_eur * 100,
                          currency="EUR", payment_method=payment_method, created_at=now, issued_at=issued_at,
                          due_date=due, card_charge_date=due if payment_method == "card" else None,
                          note=CARD_NOTE if payment_method == "card" else BANK_NOTE)
        session.add(invoice)
        session.flush()
        queue_email(session, kind="cps_enrolment", to=account.email, customer_ref=app.ref,
                    subject="Welcome to Canon Professional Services",
                    body=f"Your CPS {tier.name} membership {membership.membership_number} is active now. "
                         f"Your invoice follows within a few hours; due date {due.isoformat()}. "
                         + (CARD_NOTE if payment_method == "card" else BANK_NOTE)
                         + (f" Your previous CPS number {membership.replaced_number} is replaced."
                            if membership.replaced_number else ""))
        session.commit()
    except IntegrityError:
        # Another request enrolled this account at the same moment (or a number collided).
        session.rollback()
        existing = get_membership(session, account.id)
        if existing is None:
            raise
        return _replay_or_conflict(session, existing, key)
    log.info("account %s enrolled: %s, %s", account.id, tier.code, payment_method)
    return membership, invoice, True


def _replay_or_conflict(session: Session, membership: Membership, key: str):
    if membership.idempotency_key == key[:100]:
        invoice = session.execute(select(Invoice).where(Invoice.membership_id == membership.id)).scalar_one()
        return membership, invoice, False
    raise DomainError("already_enrolled", "This account already has a CPS membership",
                      membership_number=membership.membership_number, tier=membership.tier_code)


def invoice_view(invoice: Invoice, now: datetime | None = None) -> dict:
    now = now or utcnow()
    return {
        "number": invoice.number, "tier": invoice.tier_code, "amount": invoice.amount_cents / 100,
        "currency": invoice.currency, "payment_method": invoice.payment_method,
        "status": "issued" if now >= invoice.issued_at else "pending_issue",
        "created_at": invoice.created_at, "issued_at": invoice.issued_at, "due_date": invoice.due_date,
        "card_charge_date": invoice.card_charge_date, "note": invoice.note,
        "local_surcharges_possible": invoice.payment_method == "bank_transfer",
    }


def membership_view(membership: Membership) -> dict:
    tier = get_tier(membership.tier_code)
    return {
        "membership_number": membership.membership_number, "tier": membership.tier_code,
        "tier_name": tier.name if tier else membership.tier_code, "status": membership.status,
        "usable_now": membership.status == "active", "active_since": membership.started_at,
        "payment_method": membership.payment_method, "replaced_number": membership.replaced_number,
    }
