"""Keeps secrets and personal data out of the logs of all three processes.

`install()` puts one filter on every handler of the root logger (and of the loggers that have
their own handlers, such as uvicorn's), so whatever a library logs — Rasa's debug dumps of
trackers, rasa-sdk's request bodies, access logs — is masked before it is written: e-mail
addresses, login tokens (JWTs), bearer and API keys, the service secrets from the environment,
one-time link tokens, and long digit runs (one-time codes, VAT numbers, phone numbers).
Used by the Rasa process (bot/channels.py), the action server (bot/actions/__init__.py) and the
backend (backend/app.py).
"""
import logging
import os
import re
from typing import Any, List, Tuple

SECRET_VARIABLES = ("BACKEND_API_KEY", "BACKEND_STAFF_KEY", "LOGIN_TOKEN_SECRET", "RASA_TOKEN")

IP_ADDRESS = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
PATTERNS: List[Tuple[re.Pattern, Any]] = [
    # A JWT (the login token): three base64url parts, the first always starts with {" = eyJ.
    (re.compile(r"eyJ[\w-]*\.[\w-]+\.[\w-]*"), "<token>"),
    (re.compile(r"(?i)(bearer\s+|x-(?:api|staff)-key['\"]?\s*[:=]\s*['\"]?|[?&]token=)[^\s'\"&,}]+"),
     r"\1<secret>"),
    (re.compile(r"(/v1/(?:uploads|password)/)[^/?\s'\"]+"), r"\1<link>"),
    (re.compile(r"[\w.%+-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+"), "<email>"),
    # VAT numbers (an optional country prefix, digits in groups of 3+, a suffix such as Norway's MVA
    # or Ireland's letter) and one-time codes: 6+ digits that are not part of a word (_number).
    (re.compile(r"(?<![\w.])(?:[A-Z]{2}[ -]?)?\d+(?:[ .]\d{3,})*(?:\s?MVA|[A-Z]{1,2}\d{0,2})?(?!\w)"),
     lambda match: _number(match.group(0))),
]


def _number(text: str) -> str:
    """Masks a number that may be personal; short numbers and IP addresses stay readable."""
    if sum(c.isdigit() for c in text) < 6 or IP_ADDRESS.fullmatch(text):
        return text
    return "<number>"


def redact(text: str) -> str:
    for secret in _secrets():
        text = text.replace(secret, "<secret>")
    for regex, replacement in PATTERNS:
        text = regex.sub(replacement, text)
    return text


def _secrets() -> List[str]:
    # Read each time: tests and `make run` set them in the environment of each process.
    values = (os.environ.get(name, "") for name in SECRET_VARIABLES)
    return [v for v in values if len(v) >= 6]


def _clean(value: Any) -> Any:
    """A redacted copy of a log argument; numbers and untouched values keep their type, so the
    format string (%d, or uvicorn's access formatter that unpacks the arguments) still works."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = str(value)
    clean = redact(text)
    return value if clean == text else clean


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _clean(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_clean(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _clean(v) for k, v in record.args.items()}
        if record.exc_info and not record.exc_text:
            # Tracebacks can quote values too; the formatter uses exc_text when it is set.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


_FILTER = RedactingFilter()


def install() -> None:
    """Adds the filter to every handler of the root logger and of loggers with own handlers.
    Call it after the process has configured its logging; calling it again is harmless."""
    loggers = [logging.getLogger()] + [
        logger for logger in list(logging.Logger.manager.loggerDict.values())
        if isinstance(logger, logging.Logger)
    ]
    for logger in loggers:
        for handler in logger.handlers:
            if _FILTER not in handler.filters:
                handler.addFilter(_FILTER)
