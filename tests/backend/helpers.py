"""Builders for service-level tests: applications in every state, through the real services."""
from __future__ import annotations

import io
import itertools
from datetime import date

from backend.demo import demo_vat_number
from backend.services import accounts, applications, products

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32
_counter = itertools.count(1)


def unique(prefix: str = "x") -> str:
    return f"{prefix}{next(_counter):05d}"


def new_application(session, settings, *, country="FI", vat_registered=True, old_email=None, language=None,
                    upload=True, email=None, now=None):
    n = unique()
    app, token = applications.create_application(
        session, settings, company_name=f"Test Company {n}", country=country,
        contact_email=email or f"owner.{n}@studio.example.com", vat_registered=vat_registered,
        vat_number=demo_vat_number(country, n) if vat_registered else None, old_cps_email=old_email,
        language=language, now=now)
    if upload:
        applications.upload_document(session, settings, token=token,
                                     document_type="vat_certificate" if vat_registered else "invoice",
                                     stream=io.BytesIO(PDF))
    return app, token


def validated_account(session, settings, **kw):
    app, _ = new_application(session, settings, **kw)
    account = accounts.validate_application(session, settings, app.ref)
    return app, account


def complete(model: str, serial: str | None = None, **kw) -> dict:
    details = {"model": model, "serial_number": serial or unique("SN"), "purchase_date": date(2023, 5, 12),
               "country_of_purchase": "FI", "dealer": "Rajala"}
    details.update(kw)
    return details


def add_products(session, account, *models: str):
    return [products.register_product(session, account, **complete(m)) for m in models]
