"""Applications for a Canon Digital Business account, and their documents."""
from __future__ import annotations

import hashlib
import logging
import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

import filetype
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..config import Settings
from ..errors import DomainError
from ..models import Application, Document, UploadLink, utcnow
from .common import as_utc
from .business_days import decision_due
from .common import mask_email, new_ref, new_secret_token, normalize_email, token_hash
from .markets import check_language, get_market
from .outbox import queue_email
from .vat import require_valid_vat

log = logging.getLogger(__name__)

# The guide, step 2: which document proves what, by VAT status.
ALLOWED_DOCUMENTS = {
    True: ("vat_certificate", "invoice"),
    False: ("invoice", "business_licence", "trade_register_extract"),
}
ALLOWED_CONTENT_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
OPEN_STATUSES = ("submitted", "waiting_for_document")
UPLOAD_LINK_TTL = timedelta(days=14)


def get_application(session: Session, ref: str) -> Application:
    app = session.execute(select(Application).where(Application.ref == ref)).scalar_one_or_none()
    if app is None:
        raise DomainError("not_found", "No such application")
    return app


def application_view(app: Application) -> dict:
    """The application as the API shows it, to its customer and to staff."""
    return {
        "ref": app.ref, "company_name": app.company_name, "country": app.country, "language": app.language,
        "status": app.status, "status_reason": app.status_reason, "submitted_at": as_utc(app.submitted_at),
        "decision_due": app.decision_due, "decided_at": as_utc(app.decided_at),
        "vat_registered": app.vat_registered, "vat_number": app.vat_number,
        "old_cps_email_given": bool(app.old_cps_email),
        "allowed_document_types": list(ALLOWED_DOCUMENTS[app.vat_registered]),
        "documents": [{"id": d.id, "document_type": d.document_type, "content_type": d.content_type,
                       "size_bytes": d.size_bytes, "sha256": d.sha256, "uploaded_at": as_utc(d.uploaded_at)}
                      for d in app.documents],
        "document_received": bool(app.documents),
    }


def upload_url(settings: Settings, token: str) -> str:
    return f"{settings.public_url}/v1/uploads/{token}"


def new_upload_link(session: Session, app: Application) -> str:
    """A one-time upload token for the application's document (flushed, not committed)."""
    token = new_secret_token()
    now = utcnow()
    session.add(UploadLink(application_id=app.id, token_hash=token_hash(token), created_at=now,
                           expires_at=now + UPLOAD_LINK_TTL))
    session.flush()
    return token


def create_application(session: Session, settings: Settings, *, company_name: str, country: str,
                       contact_email: str, vat_registered: bool, vat_number: str | None = None,
                       old_cps_email: str | None = None, language: str | None = None,
                       now: datetime | None = None, ref: str | None = None) -> tuple[Application, str]:
    """Create an application; returns it with a one-time document upload token."""
    market = get_market(country)
    language = check_language(language, market)
    company_name = " ".join((company_name or "").split())
    if len(company_name) < 2:
        raise DomainError("validation_error", "company_name is required", field="company_name")
    email = normalize_email(contact_email, "contact_email")
    old_email = normalize_email(old_cps_email, "old_cps_email") if old_cps_email and old_cps_email.strip() else None
    if vat_registered:
        if not vat_number or not vat_number.strip():
            raise DomainError("vat_required", "A VAT-registered company must give its VAT number",
                              expected_format=market.vat_format)
        vat = require_valid_vat(market.country, vat_number)
    else:
        vat = None
    existing = session.execute(select(Application.id).where(
        Application.contact_email == email, Application.status != "rejected")).first()
    if existing:
        raise DomainError("application_exists", "An application with this e-mail is already open or validated")
    now = now or utcnow()
    app = Application(
        ref=ref or new_ref("c"), company_name=company_name, country=market.country, language=language,
        contact_email=email, vat_registered=bool(vat_registered), vat_number=vat, old_cps_email=old_email,
        status="submitted", submitted_at=now,
        decision_due=decision_due(now, market.country, settings.decision_business_days,
                                  settings.decision_calendar),
    )
    session.add(app)
    session.flush()
    token = new_upload_link(session, app)
    queue_email(session, kind="application_received", to=email, customer_ref=app.ref,
                subject="We received your Canon business account application",
                body=f"Thank you. We validate applications within {settings.decision_business_days} "
                     f"business days; expect our answer by {app.decision_due.isoformat()}.\n"
                     f"Upload your document here (the link works once): {upload_url(settings, token)}")
    session.commit()
    log.info("application %s created (%s, %s)", app.ref, app.country, mask_email(email))
    return app, token


def _read_limited(stream: BinaryIO, limit: int) -> bytes:
    chunks, total = [], 0
    while True:
        chunk = stream.read(64 * 1024)
        if not chunk:
            break
        total += len(chunk)
        if total > limit:
            raise DomainError("file_too_large", f"The file is larger than {limit // (1024 * 1024)} MB",
                              max_bytes=limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _link_for(session: Session, token: str) -> UploadLink:
    link = session.execute(select(UploadLink).where(UploadLink.token_hash == token_hash(token))).scalar_one_or_none()
    if link is None:
        raise DomainError("link_invalid", "This upload link does not exist")
    if link.used_at is not None:
        raise DomainError("link_used", "This upload link has already been used")
    if link.expires_at <= utcnow():
        raise DomainError("link_expired", "This upload link has expired")
    return link


def upload_link_state(session: Session, token: str) -> Application:
    """The application a still usable upload link belongs to (for the upload page)."""
    return session.get(Application, _link_for(session, token).application_id)


def upload_document(session: Session, settings: Settings, *, token: str, document_type: str,
                    stream: BinaryIO) -> Document:
    """Store a document sent through a one-time link. The type is checked from the content."""
    link = _link_for(session, token)
    app = session.get(Application, link.application_id)
    if app.status not in OPEN_STATUSES:
        raise DomainError("application_not_pending", f"The application is already {app.status}")
    allowed = ALLOWED_DOCUMENTS[app.vat_registered]
    if document_type not in allowed:
        raise DomainError("document_type_not_allowed",
                          f"For this application the document must be one of: {', '.join(allowed)}",
                          allowed=list(allowed))
    content = _read_limited(stream, settings.max_upload_bytes)
    kind = filetype.guess(content[:8192]) if content else None
    if kind is None or kind.mime not in ALLOWED_CONTENT_TYPES:
        raise DomainError("file_type_not_allowed", "Only PDF, JPEG or PNG files are accepted",
                          allowed=list(ALLOWED_CONTENT_TYPES))
    digest = hashlib.sha256(content).hexdigest()
    storage_name = f"{app.ref}/{digest[:16]}-{secrets.token_hex(4)}.{ALLOWED_CONTENT_TYPES[kind.mime]}"
    path = Path(settings.upload_dir) / storage_name
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    tmp.write_bytes(content)
    os.replace(tmp, path)
    try:
        now = utcnow()
        # The link works once, even when two uploads race.
        used = session.execute(update(UploadLink).where(UploadLink.id == link.id, UploadLink.used_at.is_(None))
                               .values(used_at=now))
        if used.rowcount != 1:
            raise DomainError("link_used", "This upload link has already been used")
        doc = Document(application_id=app.id, document_type=document_type, content_type=kind.mime,
                       size_bytes=len(content), sha256=digest, storage_name=storage_name, uploaded_at=now)
        session.add(doc)
        if app.status == "waiting_for_document":
            # A new document re-submits the application: the 2 business days start again.
            app.status, app.status_reason, app.submitted_at = "submitted", None, now
            app.decision_due = decision_due(now, app.country, settings.decision_business_days,
                                            settings.decision_calendar)
        session.commit()
    except Exception:
        session.rollback()
        path.unlink(missing_ok=True)
        raise
    log.info("document %s stored for application %s (%s, %d bytes)", doc.id, app.ref, kind.mime, len(content))
    return doc


def has_required_document(app: Application) -> bool:
    allowed = ALLOWED_DOCUMENTS[app.vat_registered]
    return any(d.document_type in allowed for d in app.documents)


def reject_application(session: Session, ref: str, reason: str) -> Application:
    app = get_application(session, ref)
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError("validation_error", "A reason is required", field="reason")
    if app.status not in OPEN_STATUSES:
        raise DomainError("application_not_pending", f"The application is already {app.status}")
    app.status, app.status_reason, app.decided_at = "rejected", reason[:500], utcnow()
    queue_email(session, kind="application_rejected", to=app.contact_email, customer_ref=app.ref,
                subject="Your Canon business account application",
                body=f"We could not validate your application: {app.status_reason}")
    session.commit()
    return app


def request_document(session: Session, settings: Settings, ref: str, reason: str) -> tuple[Application, str]:
    """Staff ask for a (new) document: status waiting_for_document and a fresh upload link."""
    app = get_application(session, ref)
    if app.status not in OPEN_STATUSES:
        raise DomainError("application_not_pending", f"The application is already {app.status}")
    reason = " ".join((reason or "").split())[:500] or "A readable document is needed"
    app.status, app.status_reason = "waiting_for_document", reason
    token = new_upload_link(session, app)
    queue_email(session, kind="document_requested", to=app.contact_email, customer_ref=app.ref,
                subject="Please send a document for your Canon business account",
                body=f"{reason}\nUpload it here (the link works once): {upload_url(settings, token)}")
    session.commit()
    return app, token


def list_applications(session: Session, status: str | None = None, limit: int = 100) -> list[Application]:
    stmt = select(Application).order_by(Application.id.desc()).limit(limit)
    if status:
        stmt = stmt.where(Application.status == status)
    return list(session.execute(stmt).scalars())
