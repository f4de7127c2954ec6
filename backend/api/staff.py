"""Staff endpoints (X-Staff-Key): application decisions and the e-mail outbox."""
from __future__ import annotations

from typing import List, Optional

from fastapi import APIRouter, Depends, Path, Query
from sqlalchemy.orm import Session

from ..config import Settings
from ..services import accounts, applications, outbox
from ..services.common import as_utc
from .deps import get_session, get_settings, require_staff_key
from .problems import PROBLEM_RESPONSES
from .schemas import ApplicationOut, OutboxOut, ReasonIn, RequestDocumentOut, ValidatedOut

router = APIRouter(prefix="/v1/staff", tags=["staff"], dependencies=[Depends(require_staff_key)],
                   responses=PROBLEM_RESPONSES)
REF = Path(..., regex=r"^[A-Za-z0-9_-]{1,64}$")


@router.get("/applications", response_model=List[ApplicationOut])
def list_applications(status: Optional[str] = Query(None, regex=r"^[a-z_]{1,24}$"),
                      limit: int = Query(100, ge=1, le=500), session: Session = Depends(get_session)) -> list:
    return [applications.application_view(a) for a in applications.list_applications(session, status, limit)]


@router.get("/applications/{ref}", response_model=ApplicationOut)
def get_application(ref: str = REF, session: Session = Depends(get_session)) -> dict:
    return applications.application_view(applications.get_application(session, ref))


@router.post("/applications/{ref}/validate", response_model=ValidatedOut)
def validate(ref: str = REF, session: Session = Depends(get_session), settings: Settings = Depends(get_settings)) -> dict:
    account = accounts.validate_application(session, settings, ref)
    return {"ref": ref, "status": account.application.status, "account_created": True, "password_email_queued": True}


@router.post("/applications/{ref}/reject", response_model=ApplicationOut)
def reject(body: ReasonIn, ref: str = REF, session: Session = Depends(get_session)) -> dict:
    return applications.application_view(applications.reject_application(session, ref, body.reason))


@router.post("/applications/{ref}/request-document", response_model=RequestDocumentOut)
def request_document(body: ReasonIn, ref: str = REF, session: Session = Depends(get_session),
                     settings: Settings = Depends(get_settings)) -> dict:
    app, token = applications.request_document(session, settings, ref, body.reason)
    return {"ref": app.ref, "status": app.status, "upload_url": applications.upload_url(settings, token)}


@router.get("/outbox", response_model=List[OutboxOut])
def list_outbox(to: Optional[str] = Query(None, max_length=254, regex=r"^[^\x00]*$"),
                kind: Optional[str] = Query(None, regex=r"^[a-z_]{1,40}$"),
                customer_ref: Optional[str] = Query(None, regex=r"^[A-Za-z0-9_-]{1,64}$"),
                limit: int = Query(100, ge=1, le=500), session: Session = Depends(get_session)) -> list:
    mails = outbox.list_outbox(session, to=to, kind=kind, customer_ref=customer_ref, limit=limit)
    return [{"id": m.id, "kind": m.kind, "to_address": m.to_address, "from_address": m.from_address,
             "subject": m.subject, "body": m.body, "customer_ref": m.customer_ref,
             "created_at": as_utc(m.created_at), "sent_at": as_utc(m.sent_at)} for m in mails]
