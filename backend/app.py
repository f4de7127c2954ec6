"""The CPS onboarding backend as a FastAPI application."""
from __future__ import annotations

import logging
import re
import threading
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware

from .api import auth, handoff, me, problems, public, staff
from .config import Settings, get_settings
from .db import make_engine, make_sessionmaker
from .idempotency import IdempotencyMiddleware
from .services.outbox import send_pending

log = logging.getLogger(__name__)
DESCRIPTION = """Performs the steps of the Canon Professional Services (CPS) onboarding guide:
business-account applications and documents, validation, products and points, tiers, enrolment and
invoices, plus handoff tickets for CPS Priority Support.

Errors are `application/problem+json` with a stable `code`. Keys: `X-API-Key` (action server),
`X-Staff-Key` (staff and agents). `/v1/me/...` also needs `Authorization: Bearer <customer token>`."""


class _RedactLinkTokens(logging.Filter):
    """Access logs must not carry one-time link tokens, nor e-mail addresses given in query strings."""
    _TOKEN = re.compile(r"(/v1/(?:uploads|password)/)[^/?\s\"]+")
    _EMAIL = re.compile(r"[^&=?/\s]+(?:@|%40)[^&\s]+")

    def _clean(self, value):
        if not isinstance(value, str):
            return value
        return self._EMAIL.sub("***", self._TOKEN.sub(r"\1***", value))

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(self._clean(a) for a in record.args)
        return True


def _smtp_relay(app: FastAPI, stop: threading.Event) -> None:
    settings: Settings = app.state.settings
    while not stop.wait(5):
        try:
            with app.state.sessionmaker() as session:
                send_pending(session, settings.smtp_host, settings.smtp_port)
        except Exception:  # keep relaying; the outbox keeps what was not sent
            log.exception("outbox relay failed")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = make_engine(settings.database_url)
    access_log = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, _RedactLinkTokens) for f in access_log.filters):
        access_log.addFilter(_RedactLinkTokens())

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        stop = threading.Event()
        if settings.smtp_host:
            threading.Thread(target=_smtp_relay, args=(app, stop), daemon=True, name="smtp-relay").start()
        yield
        stop.set()
        engine.dispose()

    app = FastAPI(title="CPS onboarding backend", version="1.0.0", description=DESCRIPTION, lifespan=lifespan)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    problems.install(app)
    # Retried and repeated writes are done once (added first, so it runs inside CORS).
    app.add_middleware(IdempotencyMiddleware, sessionmaker=app.state.sessionmaker)
    # The support page (demo logins, chat history) and the agent console call the API from the browser.
    app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
                       allow_headers=["Content-Type", "X-Staff-Key"])

    @app.middleware("http")
    async def _upload_size_guard(request: Request, call_next):
        # Refuse an oversized upload before parsing it; the service checks the real size again.
        if request.url.path.startswith("/v1/uploads/"):
            length = request.headers.get("content-length", "")
            if length.isdigit() and int(length) > settings.max_upload_bytes + 64 * 1024:
                return problems.problem(413, "file_too_large", "File too large",
                                        f"The file is larger than {settings.max_upload_bytes // (1024 * 1024)} MB",
                                        max_bytes=settings.max_upload_bytes)
        return await call_next(request)

    for module in (public, auth, me, staff, handoff):
        app.include_router(module.router)
    return app


def __getattr__(name: str):
    # `backend.app:app` for uvicorn, built on first use so importing this module has no side effects.
    if name == "app":
        global app
        app = create_app()
        return app
    raise AttributeError(name)
