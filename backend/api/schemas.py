"""Request and response bodies (pydantic 1)."""
from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import List, Optional

from pydantic import BaseModel, Field, validator

from ..services.common import as_utc


class In(BaseModel):
    """Base of request bodies: text never carries NUL or lone surrogates (Postgres refuses them)."""

    @validator("*", pre=True)
    def _clean_text(cls, value):  # noqa: N805
        if isinstance(value, str) and any(c == "\x00" or "\ud800" <= c <= "\udfff" for c in value):
            raise ValueError("text contains characters that are not allowed")
        return value


class Out(BaseModel):
    class Config:
        json_encoders = {datetime: lambda d: as_utc(d).isoformat()}




class Language(str, Enum):
    en = "en"
    fi = "fi"
    et = "et"
    nb = "nb"
    lt = "lt"
    sv = "sv"


# --- public ---------------------------------------------------------------------------------------

class VatCheckIn(In):
    country: str = Field(..., min_length=2, max_length=2, example="NO")
    vat_number: str = Field(..., max_length=64, example="995525828")


class VatCheckOut(Out):
    valid: bool
    normalized: Optional[str]
    expected_format: str
    example: str
    country: str


class TierOut(Out):
    code: str
    name: str
    kind: str
    min_points: int
    max_points: Optional[int]
    annual_fee_eur: int


class CatalogueItemOut(Out):
    model: str
    category: str
    points: int


class ApplicationIn(In):
    company_name: str = Field(..., min_length=1, max_length=200, example="Revontuli Kuva Oy")
    country: str = Field(..., min_length=2, max_length=2, example="FI")
    vat_registered: bool
    vat_number: Optional[str] = Field(None, max_length=64, example="FI20774740")
    contact_email: str = Field(..., max_length=254, example="studio@example.com")
    old_cps_email: Optional[str] = Field(None, max_length=254)
    language: Optional[Language] = None


class ApplicationCreated(Out):
    ref: str
    status: str
    decision_due: date
    vat_number: Optional[str]
    upload_url: str
    allowed_document_types: List[str]


class DocumentOut(Out):
    id: int
    document_type: str
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_at: datetime


class ApplicationOut(Out):
    ref: str
    company_name: str
    country: str
    language: str
    status: str
    status_reason: Optional[str]
    submitted_at: datetime
    decision_due: date
    decided_at: Optional[datetime]
    vat_registered: bool
    vat_number: Optional[str]
    old_cps_email_given: bool
    allowed_document_types: List[str]
    documents: List[DocumentOut]
    document_received: bool


class UploadOut(Out):
    document_id: int
    document_type: str
    content_type: str
    size_bytes: int
    sha256: str
    application_status: str
    decision_due: date


class PasswordIn(In):
    password: str = Field(..., max_length=200)


class StatusOut(Out):
    status: str


# --- auth -----------------------------------------------------------------------------------------

class CodeRequestIn(In):
    email: str = Field(..., max_length=254)


class CodeVerifyIn(In):
    email: str = Field(..., max_length=254)
    code: str = Field(..., max_length=12)


class TokenOut(Out):
    token: str
    token_type: str = "Bearer"
    customer_ref: str
    expires_in: int


class DemoCustomerOut(Out):
    ref: str
    company: str
    country: str
    language: str
    description: str
    state: str


class DemoTokenIn(In):
    customer_ref: str = Field(..., max_length=64)


# --- me ------------------------------------------------------------------------------------------

class MembershipOut(Out):
    membership_number: str
    tier: str
    tier_name: str
    status: str
    usable_now: bool
    active_since: datetime
    payment_method: str
    replaced_number: Optional[str]


class MeOut(Out):
    ref: str
    company: str
    country: str
    language: str
    application_status: str
    status_reason: Optional[str]
    decision_due: date
    document_received: bool
    account_created: bool
    password_email_sent: bool
    password_set: bool
    points: int
    invited: bool
    membership: Optional[MembershipOut]


class MigrationOut(Out):
    old_email_given: bool
    old_account_found: bool
    migrated: bool
    products_to_migrate: int
    diagnosis: str
    products_moved: int
    products_skipped: int
    old_membership_number: Optional[str]
    migrated_at: Optional[datetime]


class ProductIn(In):
    model: str = Field(..., max_length=80, example="EOS R5")
    serial_number: Optional[str] = Field(None, max_length=64)
    purchase_date: Optional[date] = None
    country_of_purchase: Optional[str] = Field(None, max_length=2)
    dealer: Optional[str] = Field(None, max_length=200)


class ProductPatch(In):
    serial_number: Optional[str] = Field(None, max_length=64)
    purchase_date: Optional[date] = None
    country_of_purchase: Optional[str] = Field(None, max_length=2)
    dealer: Optional[str] = Field(None, max_length=200)


class ProductOut(Out):
    id: int
    model: str
    category: Optional[str]
    serial_number: Optional[str]
    purchase_date: Optional[date]
    country_of_purchase: Optional[str]
    dealer: Optional[str]
    source: str
    green_tick: bool
    missing: List[str]
    points: int
    catalogue_points: int


class ProductsOut(Out):
    products: List[ProductOut]
    total_points: int
    incomplete: int


class InvitationOut(Out):
    invited: bool
    invited_at: Optional[datetime]
    threshold: int


class PointsOut(Out):
    total: int
    invitation: InvitationOut
    next_threshold: Optional[int]
    points_to_next_threshold: Optional[int]
    tiers_available: List[TierOut]
    business_tiers_available: bool


class PaymentMethod(str, Enum):
    card = "card"
    bank_transfer = "bank_transfer"


class EnrolmentIn(In):
    tier: str = Field(..., max_length=40, example="gold")
    payment_method: PaymentMethod


class InvoiceOut(Out):
    number: str
    tier: str
    amount: float
    currency: str
    payment_method: str
    status: str
    created_at: datetime
    issued_at: datetime
    due_date: date
    card_charge_date: Optional[date]
    note: Optional[str]
    local_surcharges_possible: bool


class EnrolmentOut(Out):
    created: bool
    membership: MembershipOut
    invoice: InvoiceOut


class UploadLinkOut(Out):
    upload_url: str
    allowed_document_types: List[str]


# --- staff and handoff ----------------------------------------------------------------------------

class ReasonIn(In):
    reason: str = Field(..., min_length=1, max_length=500)


class ValidatedOut(Out):
    ref: str
    status: str
    account_created: bool
    password_email_queued: bool


class RequestDocumentOut(Out):
    ref: str
    status: str
    upload_url: str


class OutboxOut(Out):
    id: int
    kind: str
    to_address: str
    from_address: str
    subject: str
    body: str
    customer_ref: Optional[str]
    created_at: datetime
    sent_at: Optional[datetime]


class TicketIn(In):
    conversation_id: str = Field(..., min_length=1, max_length=200)
    language: Language
    reason: str = Field(..., min_length=1, max_length=200)
    summary: str = Field(..., max_length=5000)

    @validator("*", pre=True)
    def _clean_text(cls, value):  # noqa: N805
        # A handoff must not fail over odd characters a customer typed: drop them instead.
        if isinstance(value, str):
            return "".join(c for c in value if c != "\x00" and not "\ud800" <= c <= "\udfff")
        return value


class TicketOut(Out):
    ref: str
    conversation_id: str
    language: str
    reason: str
    summary: str
    customer_ref: Optional[str]
    status: str
    assigned_agent: Optional[str]
    created_at: datetime
    claimed_at: Optional[datetime]
    closed_at: Optional[datetime]
    close_note: Optional[str]
    queue_position: Optional[int]
    within_support_hours: Optional[bool]
    next_opening: Optional[datetime]
    next_opening_local: Optional[str]   # in the support team's time zone, for the customer


class AgentMessageIn(In):
    agent: str = Field(..., min_length=1, max_length=100)
    text: str = Field(..., min_length=1, max_length=2000)


class TranscriptLineOut(Out):
    who: str
    agent: Optional[str]
    text: str
    buttons: List[dict] = []
    at: Optional[float]


class ClaimIn(In):
    agent: str = Field(..., min_length=1, max_length=100)


class CloseIn(In):
    agent: str = Field(..., min_length=1, max_length=100)
    note: Optional[str] = Field(None, max_length=500)
