"""Points over complete products, and the invitation to join CPS."""
from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import BusinessAccount, Invitation, Product, utcnow
from .outbox import queue_email
from .products import product_points
from .tiers import available_tiers, invitation_threshold, next_threshold

log = logging.getLogger(__name__)


def total_points(session: Session, account: BusinessAccount) -> int:
    products = session.execute(select(Product).where(Product.account_id == account.id)).scalars()
    return sum(product_points(p) for p in products)


def get_invitation(session: Session, account: BusinessAccount) -> Invitation | None:
    return session.execute(select(Invitation).where(Invitation.account_id == account.id)).scalar_one_or_none()


def refresh_invitation(session: Session, account: BusinessAccount) -> Invitation | None:
    """Record the invitation (and queue its e-mail) the first time the total reaches the threshold.
    Runs in the caller's transaction; a concurrent duplicate is absorbed by the savepoint."""
    existing = get_invitation(session, account)
    if existing is not None:
        return existing
    points = total_points(session, account)
    if points < invitation_threshold():
        return None
    app = account.application
    try:
        with session.begin_nested():
            mail = queue_email(
                session, kind="cps_invitation", to=account.email, customer_ref=app.ref,
                subject="You are invited to join Canon Professional Services",
                body=f"Your business account has {points} points. You can now join CPS: "
                     "choose an available tier under 'Available CPS tiers'.")
            invitation = Invitation(account_id=account.id, points=points, outbox_id=mail.id, created_at=utcnow())
            session.add(invitation)
    except IntegrityError:
        return get_invitation(session, account)
    log.info("account %s invited to CPS at %d points", account.id, points)
    return invitation


def points_summary(session: Session, account: BusinessAccount) -> dict:
    points = total_points(session, account)
    invitation = get_invitation(session, account)
    nxt = next_threshold(points)
    tiers = available_tiers(points)
    return {
        "total": points,
        "invitation": {"invited": invitation is not None,
                       "invited_at": invitation.created_at if invitation else None,
                       "threshold": invitation_threshold()},
        "next_threshold": nxt,
        "points_to_next_threshold": (nxt - points) if nxt is not None else None,
        "tiers_available": [t.as_dict() for t in tiers],
        "business_tiers_available": any(t.kind == "business" for t in tiers),
    }
