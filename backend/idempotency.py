"""`Idempotency-Key` on every POST and PATCH: a retried or repeated write is done once.

The first request with a key runs, and a successful answer is stored. The same key again —
same method, path and credentials — gets the stored answer with `Idempotent-Replayed: true`
without running the write again. The same key with another body is refused (422
`idempotency_key_reused`); while the first request still runs, another gets 409
`idempotency_key_in_use` with `Retry-After`. A refusal (4xx) or failure (5xx) changed nothing
and is not stored, so the request may be sent again with the same key. A claim
left by a process that died mid-request is taken over after CLAIM_TIMEOUT; the writes that must
never happen twice even then have their own unique constraints as well (one membership per
account, one product per serial number). Enrolment keeps the key on the membership itself, in
the write's own transaction (services/enrolment.py), so it is left to that.

Keys are kept for RETENTION: every PRUNE_EVERY claims a process forgets the older ones, so the
table stays as small as a day of writes.
"""
from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.responses import Response

from .api.problems import problem
from .models import IdempotentRequest, utcnow

METHODS = {"POST", "PATCH"}
OWN_IDEMPOTENCY = {"/v1/me/enrolment"}
CLAIM_TIMEOUT = timedelta(seconds=60)
RETENTION = timedelta(hours=24)  # clients retry within minutes; payment APIs keep keys for a day
PRUNE_EVERY = 500


def _hash(*parts) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else str(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()


async def _read_body(receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if message["type"] != "http.request" or not message.get("more_body"):
            return b"".join(chunks)


class IdempotencyMiddleware:
    """Pure ASGI middleware (Starlette's BaseHTTPMiddleware cannot hand on a body it has read)."""

    def __init__(self, app, sessionmaker) -> None:
        self.app = app
        self.sessionmaker = sessionmaker
        self.claims = 0  # counted from the thread pool without a lock: an approximate count is enough

    async def __call__(self, scope, receive, send) -> None:
        headers = Headers(scope=scope) if scope["type"] == "http" else None
        key = headers.get("idempotency-key") if headers else None
        if not key or scope["method"] not in METHODS or scope["path"] in OWN_IDEMPOTENCY:
            return await self.app(scope, receive, send)
        body = await _read_body(receive)
        request_scope = _hash(key, scope["method"], scope["path"], headers.get("x-api-key", ""),
                              headers.get("x-staff-key", ""), headers.get("authorization", ""))
        fingerprint = _hash(body)
        stored = await run_in_threadpool(self._claim, request_scope, fingerprint)
        if stored is not None:
            return await self._answer(stored, fingerprint)(scope, receive, send)

        body_sent = False

        async def replay_body():
            nonlocal body_sent
            if body_sent:
                return await receive()
            body_sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        answer = {"status": 500, "content_type": None, "chunks": []}

        async def capture(message):
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
                answer["content_type"] = Headers(raw=message.get("headers", [])).get("content-type")
            elif message["type"] == "http.response.body":
                answer["chunks"].append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, replay_body, capture)
        finally:
            await run_in_threadpool(self._finish, request_scope, answer["status"], answer["content_type"],
                                    b"".join(answer["chunks"]))

    def prune(self) -> int:
        """Forgets the keys older than RETENTION; returns how many."""
        with self.sessionmaker() as session:
            forgotten = session.execute(
                delete(IdempotentRequest).where(IdempotentRequest.created_at < utcnow() - RETENTION)).rowcount
            session.commit()
        return forgotten

    def _claim(self, request_scope: str, fingerprint: str) -> IdempotentRequest | None:
        """None if this request may run (it claimed the key), else the stored request."""
        self.claims += 1
        if self.claims % PRUNE_EVERY == 0:
            self.prune()
        with self.sessionmaker() as session:
            for _ in range(2):
                session.add(IdempotentRequest(scope=request_scope, fingerprint=fingerprint, created_at=utcnow()))
                try:
                    session.commit()
                    return None
                except IntegrityError:
                    session.rollback()
                stored = session.execute(
                    select(IdempotentRequest).where(IdempotentRequest.scope == request_scope)).scalar_one_or_none()
                if stored is None:  # its request failed and let go of the key just now: claim again
                    continue
                if stored.status is None and stored.fingerprint == fingerprint \
                        and stored.created_at < utcnow() - CLAIM_TIMEOUT:
                    taken = session.execute(
                        update(IdempotentRequest)
                        .where(IdempotentRequest.id == stored.id, IdempotentRequest.created_at == stored.created_at)
                        .values(created_at=utcnow())).rowcount
                    session.commit()
                    if taken:
                        return None
                return stored
            return stored

    def _finish(self, request_scope: str, status: int, content_type: str | None, body: bytes) -> None:
        with self.sessionmaker() as session:
            where = IdempotentRequest.scope == request_scope
            if not 200 <= status < 300:
                session.execute(delete(IdempotentRequest).where(where))
            else:
                session.execute(update(IdempotentRequest).where(where).values(
                    status=status, content_type=content_type, body=body.decode("utf-8", "replace")))
            session.commit()

    @staticmethod
    def _answer(stored: IdempotentRequest, fingerprint: str) -> Response:
        if stored.fingerprint != fingerprint:
            return problem(422, "idempotency_key_reused", "Idempotency key reused",
                           "This Idempotency-Key was used for a different request")
        if stored.status is None:
            response = problem(409, "idempotency_key_in_use", "Request in progress",
                               "A request with this Idempotency-Key is still running; retry shortly")
            response.headers["Retry-After"] = "1"
            return response
        return Response(stored.body, status_code=stored.status, media_type=stored.content_type,
                        headers={"Idempotent-Replayed": "true"})
