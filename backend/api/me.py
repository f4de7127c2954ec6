"""Endpoints about the verified customer's own account. The identity comes only from the token."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Header, Path
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from ..config import Settings
from ..errors import DomainError
from ..models import Application
from ..services import accounts, applications, enrolment, points, products
from ..services.common import as_utc
from .deps import current_customer, get_session, get_settings
from .problems import PROBLEM_RESPONSES
from .schemas import (
    ApplicationOut, EnrolmentIn, EnrolmentOut, InvoiceOut, MeOut, MembershipOut, MigrationOut, PointsOut,
    ProductIn, ProductOut, ProductPatch, ProductsOut, StatusOut, UploadLinkOut,
)

router = APIRouter(prefix="/v1/me", tags=["me"], responses=PROBLEM_RESPONSES)


def _utc(d: dict, *keys: str) -> dict:
    for k in keys:
        d[k] = as_utc(d[k])
    return d


def _membership(session: Session, app: Application) -> dict | None:
    if app.account is None:
        return None
    m = enrolment.get_membership(session, app.account.id)
    return _utc(enrolment.membership_view(m), "active_since") if m else None


@router.get("", response_model=MeOut)
def me(app: Application = Depends(current_customer), session: Session = Depends(get_session)) -> dict:
    account = app.account
    return {
        "ref": app.ref, "company": app.company_name, "country": app.country, "language": app.language,
        "application_status": app.status, "status_reason": app.status_reason, "decision_due": app.decision_due,
        "document_received": bool(app.documents), "account_created": account is not None,
        "password_email_sent": accounts.password_email_sent(session, account),
        "password_set": bool(account and account.password_set_at),
        "points": points.total_points(session, account) if account else 0,
        "invited": bool(account and points.get_invitation(session, account)),
        "membership": _membership(session, app),
    }


@router.get("/application", response_model=ApplicationOut)
def my_application(app: Application = Depends(current_customer)) -> dict:
    return applications.application_view(app)


@router.post("/application/upload-link", status_code=201, response_model=UploadLinkOut)
def new_upload_link(app: Application = Depends(current_customer), session: Session = Depends(get_session),
                    settings: Settings = Depends(get_settings)) -> dict:
    """A fresh one-time link the bot can hand out for the application's document."""
    if app.status not in applications.OPEN_STATUSES:
        raise DomainError("application_not_pending", f"The application is already {app.status}")
    token = applications.new_upload_link(session, app)
    session.commit()
    return {"upload_url": applications.upload_url(settings, token),
            "allowed_document_types": list(applications.ALLOWED_DOCUMENTS[app.vat_registered])}


@router.post("/password-email", status_code=202, response_model=StatusOut)
def password_email(app: Application = Depends(current_customer), session: Session = Depends(get_session),
                   settings: Settings = Depends(get_settings)) -> dict:
    """Send a new password e-mail — refused before the first one (after validation) exists."""
    accounts.request_password_email(session, settings, app)
    return {"status": "queued"}


@router.get("/migration", response_model=MigrationOut)
def migration(app: Application = Depends(current_customer), session: Session = Depends(get_session)) -> dict:
    return _utc(accounts.migration_status(session, app), "migrated_at")


@router.post("/migration", response_model=MigrationOut)
def migrate(app: Application = Depends(current_customer), session: Session = Depends(get_session)) -> dict:
    return _utc(accounts.migrate_products(session, app), "migrated_at")


@router.get("/products", response_model=ProductsOut)
def my_products(app: Application = Depends(current_customer), session: Session = Depends(get_session)) -> dict:
    account = accounts.require_account(app)
    items = [products.describe(p) for p in products.list_products(session, account)]
    return {"products": items, "total_points": sum(i["points"] for i in items),
            "incomplete": sum(1 for i in items if not i["green_tick"])}


@router.post("/products", status_code=201, response_model=ProductOut)
def register_product(body: ProductIn, app: Application = Depends(current_customer),
                     session: Session = Depends(get_session)) -> dict:
    account = accounts.require_account(app)
    product = products.register_product(session, account, **body.dict())
    return products.describe(product)


@router.patch("/products/{product_id}", response_model=ProductOut)
def complete_product(body: ProductPatch, product_id: int = Path(..., ge=1, le=2**31 - 1),
                     app: Application = Depends(current_customer), session: Session = Depends(get_session)) -> dict:
    account = accounts.require_account(app)
    product = products.update_product(session, account, product_id, body.dict(exclude_unset=True))
    return products.describe(product)


@router.get("/points", response_model=PointsOut)
def my_points(app: Application = Depends(current_customer), session: Session = Depends(get_session)) -> dict:
    summary = points.points_summary(session, accounts.require_account(app))
    summary["invitation"]["invited_at"] = as_utc(summary["invitation"]["invited_at"])
    return summary


@router.post("/enrolment", response_model=EnrolmentOut, status_code=201,
             responses={200: {"model": EnrolmentOut, "description": "Replay of an earlier request with the same key"}})
def enrol(body: EnrolmentIn, idempotency_key: str | None = Header(None, max_length=100, regex=r"^[\x21-\x7e]+$"),
          app: Application = Depends(current_customer), session: Session = Depends(get_session),
          settings: Settings = Depends(get_settings)):
    membership, invoice, created = enrolment.enrol(
        session, settings, app, tier_code=body.tier, payment_method=body.payment_method.value,
        idempotency_key=idempotency_key or "")
    payload = {"created": created, "membership": _utc(enrolment.membership_view(membership), "active_since"),
               "invoice": _utc(enrolment.invoice_view(invoice), "created_at", "issued_at")}
    return JSONResponse(jsonable_encoder(EnrolmentOut(**payload)), status_code=201 if created else 200)


@router.get("/membership", response_model=MembershipOut)
def my_membership(app: Application = Depends(current_customer), session: Session = Depends(get_session)) -> dict:
    accounts.require_account(app)
    view = _membership(session, app)
    if view is None:
        raise DomainError("not_found", "No CPS membership yet")
    return view


@router.get("/invoices", response_model=list[InvoiceOut])
def my_invoices(app: Application = Depends(current_customer), session: Session = Depends(get_session)) -> list[dict]:
    account = accounts.require_account(app)
    return [_utc(enrolment.invoice_view(i), "created_at", "issued_at") for i in enrolment.get_invoices(session, account.id)]
