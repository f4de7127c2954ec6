"""Business accounts: creation on validation, password links, and migration of old CPS products."""
from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..config import Settings
from ..errors import DomainError
from ..models import (
    Application, BusinessAccount, OldCpsAccount, OldCpsProduct, PasswordLink, Product, ProductMigration, utcnow,
)
from .applications import get_application, has_required_document, OPEN_STATUSES
from .common import mask_email, new_secret_token, token_hash
from .outbox import queue_email

log = logging.getLogger(__name__)
PASSWORD_LINK_TTL = timedelta(days=7)
MIN_PASSWORD_LENGTH = 10


def password_url(settings: Settings, token: str) -> str:
    return f"{settings.public_url}/v1/password/{token}"


def _send_password_email(session: Session, settings: Settings, account: BusinessAccount, kind: str) -> str:
    token = new_secret_token()
    app = account.application
    mail = queue_email(
        session, kind=kind, to=account.email, customer_ref=app.ref,
        subject="Set the password of your Canon business account",
        body=f"Your Canon business account for {app.company_name} is ready.\n"
             f"Set your password here (the link works once): {password_url(settings, token)}")
    now = utcnow()
    session.add(PasswordLink(account_id=account.id, outbox_id=mail.id, token_hash=token_hash(token),
                             created_at=now, expires_at=now + PASSWORD_LINK_TTL))
    session.flush()
    return token


def validate_application(session: Session, settings: Settings, ref: str) -> BusinessAccount:
    """Staff validation: creates the business account and queues the password-set e-mail
    from donotreply@canon-europe.com."""
    app = get_application(session, ref)
    if app.status not in OPEN_STATUSES:
        raise DomainError("application_not_pending", f"The application is already {app.status}")
    if not has_required_document(app):
        raise DomainError("document_missing", "No accepted document has been uploaded yet")
    now = utcnow()
    app.status, app.status_reason, app.decided_at = "validated", None, now
    account = BusinessAccount(application_id=app.id, email=app.contact_email, created_at=now)
    session.add(account)
    session.flush()
    _send_password_email(session, settings, account, "password_set")
    try:
        session.commit()
    except IntegrityError:  # validated twice at the same moment
        session.rollback()
        raise DomainError("application_not_pending", "The application is already validated") from None
    log.info("application %s validated; account %s created", app.ref, account.id)
    return account


def require_account(app: Application) -> BusinessAccount:
    if app.account is None:
        raise DomainError("no_business_account", "The business account has not been created yet",
                          application_status=app.status)
    return app.account


def password_email_sent(session: Session, account: BusinessAccount | None) -> bool:
    if account is None:
        return False
    return session.execute(select(func.count(PasswordLink.id)).where(
        PasswordLink.account_id == account.id)).scalar_one() > 0


def request_password_email(session: Session, settings: Settings, app: Application) -> None:
    """A new password e-mail, only after the first one exists (the guide: do not reset before it)."""
    account = app.account
    if account is None or not password_email_sent(session, account):
        raise DomainError("password_email_not_sent",
                          "The password e-mail has not been sent yet: wait for the account validation")
    _send_password_email(session, settings, account, "password_reset")
    session.commit()


def _hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8", "surrogatepass"), salt, 120_000)
    return "pbkdf2_sha256$120000$%s$%s" % (base64.b64encode(salt).decode(), base64.b64encode(digest).decode())


def check_password(stored: str, password: str) -> bool:
    _, iterations, salt, digest = stored.split("$")
    test = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8", "surrogatepass"),
                               base64.b64decode(salt), int(iterations))
    return hmac.compare_digest(base64.b64encode(test).decode(), digest)


def password_link_state(session: Session, token: str) -> PasswordLink:
    link = session.execute(select(PasswordLink).where(PasswordLink.token_hash == token_hash(token))).scalar_one_or_none()
    if link is None:
        raise DomainError("link_invalid", "This password link does not exist")
    if link.used_at is not None:
        raise DomainError("link_used", "This password link has already been used")
    if link.expires_at <= utcnow():
        raise DomainError("link_expired", "This password link has expired")
    return link


def set_password(session: Session, token: str, password: str) -> BusinessAccount:
    link = password_link_state(session, token)
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise DomainError("password_too_weak", f"Use at least {MIN_PASSWORD_LENGTH} characters",
                          min_length=MIN_PASSWORD_LENGTH)
    now = utcnow()
    used = session.execute(update(PasswordLink).where(PasswordLink.id == link.id, PasswordLink.used_at.is_(None))
                           .values(used_at=now))
    if used.rowcount != 1:
        session.rollback()
        raise DomainError("link_used", "This password link has already been used")
    account = session.get(BusinessAccount, link.account_id)
    account.password_hash, account.password_set_at = _hash_password(password), now
    session.commit()
    return account


# --- migration of old CPS products -------------------------------------------------------------

def _old_account(session: Session, app: Application) -> OldCpsAccount | None:
    if not app.old_cps_email:
        return None
    return session.execute(select(OldCpsAccount).where(OldCpsAccount.email == app.old_cps_email)).scalar_one_or_none()


def _migration_of(session: Session, account: BusinessAccount | None) -> ProductMigration | None:
    if account is None:
        return None
    return session.execute(select(ProductMigration).where(ProductMigration.account_id == account.id)).scalar_one_or_none()


def migration_status(session: Session, app: Application) -> dict:
    """Why the MIGRATE PRODUCTS button is or is not there; the first chat flow relies on `diagnosis`."""
    account = app.account
    old = _old_account(session, app)
    done = _migration_of(session, account)
    if old is not None and done is None:
        # An old account already moved to another business account counts as not matching. Moved
        # to this one, it is done: a concurrent request committed between the two reads.
        taken = session.execute(
            select(ProductMigration).where(ProductMigration.old_account_id == old.id)).scalar_one_or_none()
        if taken is not None and account is not None and taken.account_id == account.id:
            done = taken
        elif taken is not None:
            old = None
    if account is None:
        diagnosis = "no_business_account"
    elif done is not None:
        diagnosis = "already_migrated"
    elif not app.old_cps_email:
        diagnosis = "no_old_email"
    elif old is None:
        diagnosis = "old_email_not_matching"
    else:
        diagnosis = "available"
    to_migrate = 0
    if diagnosis in ("available", "no_business_account") and old is not None:
        to_migrate = session.execute(select(func.count(OldCpsProduct.id)).where(
            OldCpsProduct.old_account_id == old.id)).scalar_one()
    return {
        "old_email_given": bool(app.old_cps_email),
        "old_account_found": old is not None or done is not None,
        "migrated": done is not None,
        "products_to_migrate": to_migrate,
        "diagnosis": diagnosis,
        "products_moved": done.products_moved if done else 0,
        "products_skipped": done.products_skipped if done else 0,
        "old_membership_number": done.old_membership_number if done else None,
        "migrated_at": done.migrated_at if done else None,
    }


def migrate_products(session: Session, app: Application) -> dict:
    """Move the old account's products to the business account, once. A repeat changes nothing."""
    status = migration_status(session, app)
    if status["diagnosis"] == "already_migrated":
        return status
    if status["diagnosis"] != "available":
        raise DomainError(status["diagnosis"], {
            "no_business_account": "The business account has not been created yet",
            "no_old_email": "No old CPS e-mail was given in the application",
            "old_email_not_matching": "No old CPS account matches the old e-mail given in the application",
        }[status["diagnosis"]], diagnosis=status["diagnosis"])
    account, old = app.account, _old_account(session, app)
    now = utcnow()
    taken = set(session.execute(select(Product.serial_number).where(Product.serial_number.in_(
        [p.serial_number for p in old.products if p.serial_number]))).scalars())
    moved = skipped = 0
    for p in old.products:
        if p.serial_number and p.serial_number in taken:
            skipped += 1  # registered again by hand (or by someone else): never count a serial twice
            continue
        session.add(Product(account_id=account.id, model=p.model, serial_number=p.serial_number,
                            purchase_date=p.purchase_date, country_of_purchase=p.country_of_purchase,
                            dealer=p.dealer, source="migrated", registered_at=now, updated_at=now))
        moved += 1
    session.add(ProductMigration(account_id=account.id, old_account_id=old.id,
                                 old_membership_number=old.membership_number,
                                 products_moved=moved, products_skipped=skipped, migrated_at=now))
    try:
        session.flush()
    except IntegrityError:  # a concurrent migration won: ours changes nothing
        session.rollback()
        return migration_status(session, app)
    from .points import refresh_invitation  # late import: points depends on products
    refresh_invitation(session, account)
    session.commit()
    log.info("migrated %d products (%d skipped) to account %s", moved, skipped, account.id)
    return migration_status(session, app)


def previous_membership_number(session: Session, app: Application) -> str | None:
    """The customer's old CPS membership number, if any: the one on record from the migration,
    or the old account matching the application's old e-mail."""
    done = _migration_of(session, app.account)
    if done is not None:
        return done.old_membership_number
    old = _old_account(session, app)
    return old.membership_number if old else None


def mask_email_for_page(session: Session, link: PasswordLink) -> str:
    return mask_email(session.get(BusinessAccount, link.account_id).email)
