"""Database tables. Times are naive UTC datetimes (same behaviour on SQLite and Postgres)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean, Column, Date, DateTime, ForeignKey, Integer, MetaData, String, Text, UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

# Stable constraint names, so Alembic migrations are the same on every database.
metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})
Base = declarative_base(metadata=metadata)


def utcnow() -> datetime:
    return datetime.utcnow().replace(microsecond=0)


class Application(Base):
    """An application for a Canon Digital Business account; `ref` is the customer's public reference."""
    __tablename__ = "applications"
    id = Column(Integer, primary_key=True)
    ref = Column(String(64), nullable=False, unique=True)
    company_name = Column(String(200), nullable=False)
    country = Column(String(2), nullable=False)
    language = Column(String(5), nullable=False)
    contact_email = Column(String(254), nullable=False, index=True)
    vat_registered = Column(Boolean, nullable=False)
    vat_number = Column(String(32))
    old_cps_email = Column(String(254))
    status = Column(String(24), nullable=False)  # submitted | waiting_for_document | validated | rejected
    status_reason = Column(String(500))
    submitted_at = Column(DateTime, nullable=False)
    decision_due = Column(Date, nullable=False)
    decided_at = Column(DateTime)

    documents = relationship("Document", back_populates="application", order_by="Document.id")
    account = relationship("BusinessAccount", back_populates="application", uselist=False)


class Document(Base):
    __tablename__ = "documents"
    id = Column(Integer, primary_key=True)
    application_id = Column(ForeignKey("applications.id"), nullable=False, index=True)
    document_type = Column(String(40), nullable=False)
    content_type = Column(String(40), nullable=False)
    size_bytes = Column(Integer, nullable=False)
    sha256 = Column(String(64), nullable=False)
    storage_name = Column(String(200), nullable=False)
    uploaded_at = Column(DateTime, nullable=False)

    application = relationship("Application", back_populates="documents")


class UploadLink(Base):
    """One-time document upload link; only a hash of the token is stored."""
    __tablename__ = "upload_links"
    id = Column(Integer, primary_key=True)
    application_id = Column(ForeignKey("applications.id"), nullable=False, index=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    created_at = Column(DateTime, nullable=False)
    expires_at = Column(DateTime, nullable=False)
    used_at = Column(DateTime)


class BusinessAccount(Base):
    __tablename__ = "business_accounts"
    id = Column(Integer, primary_key=True)
    application_id = Column(ForeignKey("applications.id"), nullable=False, unique=True)
    email = Column(String(254), nullable=False)
    created_at = Column(DateTime, nullable=False)
    password_hash = Column(String(200))
    password_set_at = Column(DateTime)

    application = relationship("Application", back_populates="account")
    products = relationship("Product", back_populates="account", order_by="Product.id")


class PasswordLink(Base):
    """One-time link of a password-set e-mail; exists only once that e-mail is in the outbox."""
    __tablename__ = "password_links"
    id = Column(Integer, primary_key=True)
    account_id = Column(ForeignKey("business_accounts.id"), nullable=False, index=True)
    outbox_id = Column(ForeignKey("outbox.id"), nullable=False)
    token_hash = Column(String(64), nullable=False, unique=True)
    created_at = Column(DateTime, nullable=False)
    expires_at = Column(DateTime, nullable=False)
    used_at = Column(DateTime)


class OldCpsAccount(Base):
    """Imported account of the old CPS programme."""
    __tablename__ = "old_cps_accounts"
    id = Column(Integer, primary_key=True)
    email = Column(String(254), nullable=False, unique=True)
    membership_number = Column(String(40), nullable=False, unique=True)
    holder_name = Column(String(200))

    products = relationship("OldCpsProduct", order_by="OldCpsProduct.id")


class OldCpsProduct(Base):
    __tablename__ = "old_cps_products"
    id = Column(Integer, primary_key=True)
    old_account_id = Column(ForeignKey("old_cps_accounts.id"), nullable=False, index=True)
    model = Column(String(80), nullable=False)
    serial_number = Column(String(40))
    purchase_date = Column(Date)
    country_of_purchase = Column(String(2))
    dealer = Column(String(200))


class ProductMigration(Base):
    """Record of a done migration; the unique account_id makes a repeat change nothing."""
    __tablename__ = "product_migrations"
    id = Column(Integer, primary_key=True)
    account_id = Column(ForeignKey("business_accounts.id"), nullable=False, unique=True)
    old_account_id = Column(ForeignKey("old_cps_accounts.id"), nullable=False, unique=True)
    old_membership_number = Column(String(40), nullable=False)
    products_moved = Column(Integer, nullable=False)
    products_skipped = Column(Integer, nullable=False, default=0)
    migrated_at = Column(DateTime, nullable=False)


class Product(Base):
    __tablename__ = "products"
    id = Column(Integer, primary_key=True)
    account_id = Column(ForeignKey("business_accounts.id"), nullable=False, index=True)
    model = Column(String(80), nullable=False)
    # Unique across all accounts: a serial can be registered once.
    serial_number = Column(String(40), unique=True)
    purchase_date = Column(Date)
    country_of_purchase = Column(String(2))
    dealer = Column(String(200))
    source = Column(String(16), nullable=False)  # registered | migrated
    registered_at = Column(DateTime, nullable=False)
    updated_at = Column(DateTime, nullable=False)

    account = relationship("BusinessAccount", back_populates="products")


class Invitation(Base):
    __tablename__ = "invitations"
    id = Column(Integer, primary_key=True)
    account_id = Column(ForeignKey("business_accounts.id"), nullable=False, unique=True)
    points = Column(Integer, nullable=False)
    outbox_id = Column(ForeignKey("outbox.id"))
    created_at = Column(DateTime, nullable=False)


class Membership(Base):
    """One CPS membership per business account (the unique constraint stops double enrolment)."""
    __tablename__ = "memberships"
    id = Column(Integer, primary_key=True)
    account_id = Column(ForeignKey("business_accounts.id"), nullable=False, unique=True)
    membership_number = Column(String(40), nullable=False, unique=True)
    tier_code = Column(String(40), nullable=False)
    payment_method = Column(String(20), nullable=False)
    status = Column(String(20), nullable=False)
    started_at = Column(DateTime, nullable=False)
    replaced_number = Column(String(40))
    idempotency_key = Column(String(100), nullable=False)


class Invoice(Base):
    __tablename__ = "invoices"
    id = Column(Integer, primary_key=True)
    number = Column(String(40), nullable=False, unique=True)
    membership_id = Column(ForeignKey("memberships.id"), nullable=False, unique=True)
    account_id = Column(ForeignKey("business_accounts.id"), nullable=False, index=True)
    tier_code = Column(String(40), nullable=False)
    amount_cents = Column(Integer, nullable=False)
    currency = Column(String(3), nullable=False)
    payment_method = Column(String(20), nullable=False)
    created_at = Column(DateTime, nullable=False)
    issued_at = Column(DateTime, nullable=False)  # "within a few hours" of enrolment
    due_date = Column(Date, nullable=False)
    card_charge_date = Column(Date)
    note = Column(String(500))


class OutboxEmail(Base):
    __tablename__ = "outbox"
    id = Column(Integer, primary_key=True)
    kind = Column(String(40), nullable=False)
    to_address = Column(String(254), nullable=False, index=True)
    from_address = Column(String(254), nullable=False)
    subject = Column(String(300), nullable=False)
    body = Column(Text, nullable=False)
    customer_ref = Column(String(64), index=True)
    created_at = Column(DateTime, nullable=False)
    sent_at = Column(DateTime)
    send_error = Column(String(300))


class LoginCode(Base):
    __tablename__ = "login_codes"
    id = Column(Integer, primary_key=True)
    application_id = Column(ForeignKey("applications.id"), nullable=False, index=True)
    code_hash = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False)
    expires_at = Column(DateTime, nullable=False)
    attempts = Column(Integer, nullable=False, default=0)
    used_at = Column(DateTime)
    locked_at = Column(DateTime)


class HandoffTicket(Base):
    __tablename__ = "handoff_tickets"
    __table_args__ = (UniqueConstraint("ref"),)
    id = Column(Integer, primary_key=True)
    ref = Column(String(64), nullable=False)
    conversation_id = Column(String(200), nullable=False, index=True)
    language = Column(String(5), nullable=False)
    reason = Column(String(200), nullable=False)
    summary = Column(Text, nullable=False)
    customer_ref = Column(String(64))
    status = Column(String(16), nullable=False)  # open | claimed | closed
    assigned_agent = Column(String(100))
    created_at = Column(DateTime, nullable=False)
    claimed_at = Column(DateTime)
    closed_at = Column(DateTime)
    close_note = Column(String(500))


class IdempotentRequest(Base):
    """A write sent with an Idempotency-Key, and the answer it got (backend/idempotency.py).
    `scope` hashes the key with the method, path and credentials; `status` is NULL while running."""
    __tablename__ = "idempotent_requests"
    __table_args__ = (UniqueConstraint("scope"),)
    id = Column(Integer, primary_key=True)
    scope = Column(String(64), nullable=False)
    fingerprint = Column(String(64), nullable=False)
    status = Column(Integer)
    content_type = Column(String(100))
    body = Column(Text)
    created_at = Column(DateTime, nullable=False)
