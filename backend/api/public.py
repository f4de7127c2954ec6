"""Public endpoints: health, tiers, catalogue, VAT check, applications, uploads, password links."""
from __future__ import annotations

import html

from fastapi import APIRouter, Depends, File, Form, Path, UploadFile
from fastapi.responses import HTMLResponse
from sqlalchemy import text
from sqlalchemy.orm import Session

from ..config import Settings
from ..services import accounts, applications, vat
from ..services.products import load_catalogue
from ..services.tiers import load_tiers
from .deps import get_session, get_settings
from .problems import PROBLEM_RESPONSES
from .schemas import (
    ApplicationCreated, ApplicationIn, CatalogueItemOut, PasswordIn, StatusOut, TierOut, UploadOut, VatCheckIn,
    VatCheckOut,
)

router = APIRouter(prefix="/v1", responses=PROBLEM_RESPONSES)
TOKEN = Path(..., regex=r"^[A-Za-z0-9_-]{16,100}$", description="One-time token from the link")


@router.get("/health", tags=["public"])
def health(session: Session = Depends(get_session)) -> dict:
    session.execute(text("SELECT 1"))
    return {"status": "ok", "database": session.get_bind().dialect.name}


@router.get("/tiers", response_model=list[TierOut], tags=["public"])
def tiers() -> list[dict]:
    return [t.as_dict() for t in load_tiers()]


@router.get("/catalogue", response_model=list[CatalogueItemOut], tags=["public"])
def catalogue() -> list[dict]:
    return [vars(i) for i in load_catalogue().values()]


@router.post("/vat/check", response_model=VatCheckOut, tags=["public"])
def vat_check(body: VatCheckIn) -> dict:
    result = vat.check_vat(body.country, body.vat_number)
    return {"valid": result.valid, "normalized": result.normalized, "expected_format": result.expected_format,
            "example": result.example, "country": body.country.upper()}


@router.post("/applications", status_code=201, response_model=ApplicationCreated, tags=["applications"])
def create_application(body: ApplicationIn, session: Session = Depends(get_session),
                       settings: Settings = Depends(get_settings)) -> dict:
    app, token = applications.create_application(
        session, settings, company_name=body.company_name, country=body.country, contact_email=body.contact_email,
        vat_registered=body.vat_registered, vat_number=body.vat_number, old_cps_email=body.old_cps_email,
        language=body.language.value if body.language else None)
    return {"ref": app.ref, "status": app.status, "decision_due": app.decision_due, "vat_number": app.vat_number,
            "upload_url": applications.upload_url(settings, token),
            "allowed_document_types": list(applications.ALLOWED_DOCUMENTS[app.vat_registered])}


@router.post("/uploads/{token}", status_code=201, response_model=UploadOut, tags=["applications"],
             responses={413: PROBLEM_RESPONSES[422], 415: PROBLEM_RESPONSES[422]})
def upload(token: str = TOKEN, document_type: str = Form(..., max_length=40), file: UploadFile = File(...),
           session: Session = Depends(get_session), settings: Settings = Depends(get_settings)) -> dict:
    """Upload the application's document (PDF, JPEG or PNG, checked from the content). The link works once."""
    doc = applications.upload_document(session, settings, token=token, document_type=document_type,
                                       stream=file.file)
    app = doc.application
    return {"document_id": doc.id, "document_type": doc.document_type, "content_type": doc.content_type,
            "size_bytes": doc.size_bytes, "sha256": doc.sha256, "application_status": app.status,
            "decision_due": app.decision_due}


_UPLOAD_FORM = """<!doctype html><html lang="en"><meta charset="utf-8"><title>Upload your document</title>
<body><h1>Canon business account application</h1><p>Upload ONE document for {company} (PDF, JPEG or PNG).</p>
<form id="f"><label>Document <select id="t">{options}</select></label>
<input type="file" id="file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" required>
<button>Upload</button></form><p id="r" role="status"></p>
<script>document.getElementById('f').onsubmit=async e=>{{e.preventDefault();const d=new FormData();
d.append('document_type',document.getElementById('t').value);d.append('file',document.getElementById('file').files[0]);
const r=await fetch(location.pathname,{{method:'POST',body:d}});const j=await r.json();
document.getElementById('r').textContent=r.ok?'Thank you, your document has been received.':j.detail;}}</script></body></html>"""

DOCUMENT_NAMES = {"vat_certificate": "VAT registration certificate", "invoice": "Company invoice",
                  "business_licence": "Business or professional licence",
                  "trade_register_extract": "Extract of incorporation from the trade register"}


@router.get("/uploads/{token}", response_class=HTMLResponse, tags=["applications"])
def upload_form(token: str = TOKEN, session: Session = Depends(get_session)) -> HTMLResponse:
    """The page the one-time upload link opens: choose the document type and the file."""
    app = applications.upload_link_state(session, token)
    options = "".join(f'<option value="{t}">{html.escape(DOCUMENT_NAMES.get(t, t))}</option>'
                      for t in applications.ALLOWED_DOCUMENTS[app.vat_registered])
    return HTMLResponse(_UPLOAD_FORM.format(company=html.escape(app.company_name), options=options))


_FORM = """<!doctype html><html lang="en"><meta charset="utf-8"><title>Set your password</title>
<body><h1>Canon business account</h1><p>Set a new password for {email}.</p>
<form id="f"><input type="password" id="p" minlength="10" required autocomplete="new-password">
<button>Set password</button></form><p id="r"></p>
<script>document.getElementById('f').onsubmit=async e=>{{e.preventDefault();
const r=await fetch(location.pathname,{{method:'POST',headers:{{'Content-Type':'application/json'}},
body:JSON.stringify({{password:document.getElementById('p').value}})}});const j=await r.json();
document.getElementById('r').textContent=r.ok?'Password set. You can log in now.':j.detail;}}</script></body></html>"""


@router.get("/password/{token}", response_class=HTMLResponse, tags=["accounts"])
def password_form(token: str = TOKEN, session: Session = Depends(get_session)) -> HTMLResponse:
    """The page the password e-mail links to."""
    link = accounts.password_link_state(session, token)
    email = accounts.mask_email_for_page(session, link)
    return HTMLResponse(_FORM.format(email=html.escape(email)))


@router.post("/password/{token}", response_model=StatusOut, tags=["accounts"])
def set_password(body: PasswordIn, token: str = TOKEN, session: Session = Depends(get_session)) -> dict:
    accounts.set_password(session, token, body.password)
    return {"status": "password_set"}
