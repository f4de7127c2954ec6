"""Domain errors with stable machine codes; the API turns them into problem-details JSON."""
from __future__ import annotations

# HTTP status per code. The bot maps `code` to a localised message, so codes never change meaning.
STATUS_BY_CODE: dict[str, int] = {
    "validation_error": 422,
    "vat_invalid": 422,
    "vat_required": 422,
    "email_invalid": 422,
    "country_not_supported": 422,
    "language_not_supported": 422,
    "purchase_date_in_future": 422,
    "purchase_date_invalid": 422,
    "serial_invalid": 422,
    "unknown_model": 422,
    "country_invalid": 422,
    "dealer_invalid": 422,
    "password_too_weak": 422,
    "document_type_not_allowed": 422,
    "file_type_not_allowed": 415,
    "file_too_large": 413,
    "file_missing": 422,
    "serial_taken": 409,
    "application_exists": 409,
    "application_not_pending": 409,
    "document_missing": 409,
    "not_eligible": 409,
    "tier_not_available": 409,
    "already_enrolled": 409,
    "no_business_account": 409,
    "no_old_email": 409,
    "old_email_not_matching": 409,
    "password_email_not_sent": 409,
    "link_used": 409,
    "link_expired": 410,
    "link_invalid": 404,
    "ticket_already_claimed": 409,
    "ticket_closed": 409,
    "not_assigned": 409,
    "assistant_unavailable": 503,
    "idempotency_key_required": 400,
    "idempotency_key_invalid": 400,
    "auth_required": 401,
    "token_invalid": 401,
    "api_key_invalid": 401,
    "staff_key_invalid": 401,
    "code_invalid": 401,
    "too_many_attempts": 429,
    "not_found": 404,
    "method_not_allowed": 405,
    "demo_mode_off": 404,
    "internal_error": 500,
}

TITLES: dict[str, str] = {
    "vat_invalid": "VAT number is not valid for the country",
    "email_invalid": "E-mail address is not valid",
    "serial_taken": "Serial number already registered",
    "purchase_date_in_future": "Purchase date is in the future",
    "not_eligible": "Not eligible to join CPS yet",
    "tier_not_available": "Tier not available for the points total",
    "already_enrolled": "Already enrolled",
    "auth_required": "Customer identity required",
    "token_invalid": "Login token invalid or expired",
    "code_invalid": "Code invalid or expired",
    "too_many_attempts": "Too many attempts",
    "not_found": "Not found",
    "validation_error": "Request is not valid",
}


class DomainError(Exception):
    """A rule was not met. `code` is stable; `detail` is an English explanation; extra fields are
    added to the problem document (e.g. expected_format for vat_invalid)."""

    def __init__(self, code: str, detail: str = "", **extra):
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail or TITLES.get(code, code.replace("_", " "))
        self.extra = extra

    @property
    def status(self) -> int:
        return STATUS_BY_CODE.get(self.code, 400)

    @property
    def title(self) -> str:
        return TITLES.get(self.code, self.code.replace("_", " ").capitalize())
