"""Applications, documents and staff decisions (service level, SQLite and Postgres)."""
import hashlib
import io
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from backend.errors import DomainError
from backend.models import Application, BusinessAccount, OutboxEmail
from backend.services import accounts, applications

from .helpers import JPEG, PDF, PNG, new_application, unique


def _create(session, settings, **kw):
    args = dict(company_name="Revontuli Kuva Oy", country="FI", contact_email=f"{unique('a')}@studio.example.com",
                vat_registered=True, vat_number="FI20774740")
    args.update(kw)
    return applications.create_application(session, settings, **args)


def test_create_returns_ref_due_date_and_upload_link(session, settings):
    app, token = _create(session, settings, now=datetime(2026, 11, 20, 10), language="fi")
    assert app.status == "submitted" and app.decision_due == date(2026, 11, 24)
    assert len(app.ref) > 10 and not app.ref.isdigit()
    assert applications.upload_url(settings, token).startswith("http://backend.test/v1/uploads/")
    mail = session.execute(select(OutboxEmail).where(OutboxEmail.customer_ref == app.ref)).scalar_one()
    assert mail.kind == "application_received" and "2026-11-24" in mail.body


def test_refs_are_random(session, settings):
    a, _ = _create(session, settings)
    b, _ = _create(session, settings)
    assert a.ref != b.ref and a.ref[:2] == "c-"


def test_norwegian_orgnr_is_normalised_with_mva(session, settings):
    app, _ = _create(session, settings, country="NO", vat_number="995 525 828")
    assert app.vat_number == "NO995525828MVA" and app.language == "nb"


def test_lithuanian_12_digit_number_is_accepted(session, settings):
    app, _ = _create(session, settings, country="LT", vat_number="100001919017")
    assert app.vat_number == "LT100001919017"


def test_invalid_vat_names_the_expected_format(session, settings):
    with pytest.raises(DomainError) as err:
        _create(session, settings, country="SE", vat_number="5560360793")
    assert err.value.code == "vat_invalid" and err.value.extra["expected_format"] == "SE123456789001"


def test_vat_registered_company_must_give_its_number(session, settings):
    with pytest.raises(DomainError) as err:
        _create(session, settings, vat_number=None)
    assert err.value.code == "vat_required"


def test_not_vat_registered_needs_no_number(session, settings):
    app, _ = _create(session, settings, vat_registered=False, vat_number="garbage")
    assert app.vat_number is None and not app.vat_registered


@pytest.mark.parametrize("field, value", [("contact_email", "not-an-email"), ("contact_email", "a@b"),
                                          ("old_cps_email", "old@@example.com")])
def test_email_syntax_is_checked(session, settings, field, value):
    with pytest.raises(DomainError) as err:
        _create(session, settings, **{field: value})
    assert err.value.code == "email_invalid" and err.value.extra["field"] == field


def test_old_email_is_normalised(session, settings):
    app, _ = _create(session, settings, old_cps_email="  Old.CPS@Example.COM ")
    assert app.old_cps_email == "old.cps@example.com"


def test_unsupported_country_and_language(session, settings):
    with pytest.raises(DomainError) as err:
        _create(session, settings, country="US")
    assert err.value.code == "country_not_supported"
    with pytest.raises(DomainError) as err:
        _create(session, settings, language="de")
    assert err.value.code == "language_not_supported"


def test_second_open_application_with_same_email_is_refused(session, settings):
    _create(session, settings, contact_email="same@studio.example.com")
    with pytest.raises(DomainError) as err:
        _create(session, settings, contact_email="SAME@studio.example.com")
    assert err.value.code == "application_exists"


# --- documents ------------------------------------------------------------------------------------

@pytest.mark.parametrize("content, mime", [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")])
def test_upload_stores_file_outside_db_with_checksum(session, settings, content, mime):
    app, token = new_application(session, settings, upload=False)
    doc = applications.upload_document(session, settings, token=token, document_type="invoice",
                                       stream=io.BytesIO(content))
    assert doc.content_type == mime and doc.sha256 == hashlib.sha256(content).hexdigest()
    stored = Path(settings.upload_dir) / doc.storage_name
    assert stored.read_bytes() == content


def test_upload_link_works_once(session, settings):
    _, token = new_application(session, settings)  # helper already used the link
    with pytest.raises(DomainError) as err:
        applications.upload_document(session, settings, token=token, document_type="invoice", stream=io.BytesIO(PDF))
    assert err.value.code == "link_used"


def test_unknown_upload_link(session, settings):
    with pytest.raises(DomainError) as err:
        applications.upload_document(session, settings, token="x" * 43, document_type="invoice", stream=io.BytesIO(PDF))
    assert err.value.code == "link_invalid"


def test_type_is_checked_from_content_not_name(session, settings):
    _, token = new_application(session, settings, upload=False)
    for content in (b"just text pretending to be a pdf", b"", b"GIF89a" + b"\x00" * 20):
        with pytest.raises(DomainError) as err:
            applications.upload_document(session, settings, token=token, document_type="invoice",
                                         stream=io.BytesIO(content))
        assert err.value.code == "file_type_not_allowed"
    assert not list(Path(settings.upload_dir).rglob("*.*"))  # nothing stored


def test_size_limit(session, settings):
    _, token = new_application(session, settings, upload=False)
    big = PDF + b"0" * settings.max_upload_bytes
    with pytest.raises(DomainError) as err:
        applications.upload_document(session, settings, token=token, document_type="invoice", stream=io.BytesIO(big))
    assert err.value.code == "file_too_large"
    # The link is still usable after a refused file.
    applications.upload_document(session, settings, token=token, document_type="invoice", stream=io.BytesIO(PDF))


@pytest.mark.parametrize("vat_registered, doc_type, ok", [
    (True, "vat_certificate", True), (True, "invoice", True), (True, "business_licence", False),
    (True, "trade_register_extract", False), (False, "vat_certificate", False), (False, "invoice", True),
    (False, "business_licence", True), (False, "trade_register_extract", True), (False, "passport", False),
])
def test_document_type_must_fit_the_vat_status(session, settings, vat_registered, doc_type, ok):
    _, token = new_application(session, settings, vat_registered=vat_registered, upload=False)
    if ok:
        applications.upload_document(session, settings, token=token, document_type=doc_type, stream=io.BytesIO(PDF))
    else:
        with pytest.raises(DomainError) as err:
            applications.upload_document(session, settings, token=token, document_type=doc_type, stream=io.BytesIO(PDF))
        assert err.value.code == "document_type_not_allowed"


# --- staff decisions ------------------------------------------------------------------------------

def test_validate_creates_account_and_password_email(session, settings):
    app, _ = new_application(session, settings)
    account = accounts.validate_application(session, settings, app.ref)
    assert app.status == "validated" and account.email == app.contact_email
    mail = session.execute(select(OutboxEmail).where(OutboxEmail.kind == "password_set")).scalar_one()
    assert mail.from_address == "donotreply@canon-europe.com" and mail.to_address == app.contact_email
    assert "http://backend.test/v1/password/" in mail.body


def test_validate_needs_an_accepted_document(session, settings):
    app, _ = new_application(session, settings, upload=False)
    with pytest.raises(DomainError) as err:
        accounts.validate_application(session, settings, app.ref)
    assert err.value.code == "document_missing"
    assert session.execute(select(BusinessAccount)).first() is None


def test_validate_twice_creates_one_account(session, settings):
    app, _ = new_application(session, settings)
    accounts.validate_application(session, settings, app.ref)
    with pytest.raises(DomainError) as err:
        accounts.validate_application(session, settings, app.ref)
    assert err.value.code == "application_not_pending"
    assert len(session.execute(select(BusinessAccount)).all()) == 1


def test_reject_with_reason(session, settings):
    app, _ = new_application(session, settings)
    applications.reject_application(session, app.ref, "The invoice does not show the VAT number")
    assert app.status == "rejected" and app.status_reason == "The invoice does not show the VAT number"
    with pytest.raises(DomainError):
        accounts.validate_application(session, settings, app.ref)
    with pytest.raises(DomainError) as err:
        applications.reject_application(session, app.ref, "   ")
    assert err.value.code == "validation_error"


def test_waiting_for_document_then_resubmitted(session, settings):
    app, _ = new_application(session, settings, now=datetime(2026, 11, 2, 9))
    _, token = applications.request_document(session, settings, app.ref, "Unreadable scan")
    assert app.status == "waiting_for_document" and app.status_reason == "Unreadable scan"
    applications.upload_document(session, settings, token=token, document_type="invoice", stream=io.BytesIO(PNG))
    session.refresh(app)
    assert app.status == "submitted" and app.decision_due > date(2026, 11, 4)  # counted from the new upload


def test_unknown_ref(session, settings):
    with pytest.raises(DomainError) as err:
        accounts.validate_application(session, settings, "c-doesnotexist")
    assert err.value.code == "not_found"
    assert session.execute(select(Application)).first() is None
