"""Outbox SMTP relay, migrations matching the models, log hygiene."""
import logging
import socket
import threading
import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from backend.app import _RedactLinkTokens
from backend.models import OutboxEmail, metadata
from backend.services.outbox import queue_email, send_pending

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import asyncore
    import smtpd


class _Collector(smtpd.SMTPServer):
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.received = []

    def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
        self.received.append((mailfrom, rcpttos, data))


def test_outbox_relays_to_a_local_smtp_server(session):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = _Collector(("127.0.0.1", port), None, decode_data=False)
    loop = threading.Thread(target=asyncore.loop, kwargs={"timeout": 0.1, "count": 100}, daemon=True)
    loop.start()
    try:
        queue_email(session, kind="password_set", to="owner@studio.example.com", subject="Set your password",
                    body="Link: http://x/v1/password/abc")
        session.commit()
        assert send_pending(session, "127.0.0.1", port) == 1
        assert send_pending(session, "127.0.0.1", port) == 0  # nothing is sent twice
    finally:
        server.close()
        loop.join(timeout=15)
    mailfrom, rcpttos, data = server.received[0]
    assert mailfrom == "donotreply@canon-europe.com" and rcpttos == ["owner@studio.example.com"]
    assert b"Set your password" in data
    assert session.execute(select(OutboxEmail)).scalar_one().sent_at is not None


def test_unreachable_smtp_keeps_mail_queued(session):
    queue_email(session, kind="x", to="a@example.com", subject="s", body="b")
    session.commit()
    assert send_pending(session, "127.0.0.1", 9) == 0
    assert session.execute(select(OutboxEmail)).scalar_one().sent_at is None


def test_migrations_match_the_models(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_link_tokens_are_redacted_from_access_logs():
    record = logging.LogRecord("uvicorn.access", logging.INFO, "", 0, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:1", "POST", "/v1/password/SECRETtoken_123", "1.1", 200), None)
    _RedactLinkTokens().filter(record)
    assert "SECRET" not in record.getMessage() and "/v1/password/***" in record.getMessage()


def test_emails_in_query_strings_are_redacted_from_access_logs():
    record = logging.LogRecord("uvicorn.access", logging.INFO, "", 0, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:1", "GET", "/v1/staff/outbox?to=owner%40studio.example.com&kind=x", "1.1", 200),
                               None)
    _RedactLinkTokens().filter(record)
    assert "owner" not in record.getMessage() and "kind=x" in record.getMessage()
