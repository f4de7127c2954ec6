"""Thin async client for the onboarding backend (backend/), used by the custom actions.

Every call has a timeout. Reads, and writes that carry an Idempotency-Key (the backend does a
keyed write once, however often it arrives), are retried with a short back-off; other writes are
never retried. After
several failures in a row the client fails fast for a while instead of making every customer
wait for a timeout. Failures surface as BackendError with the backend's stable problem code, so
actions can map them to a localised response instead of crashing.
"""
import asyncio
import hashlib
import json
import os
import time
from typing import Any, Dict, Optional

import httpx

DEFAULT_URL = "http://localhost:8000"


class BackendError(Exception):
    """The backend answered with a problem (code from its problem-details JSON)."""

    def __init__(self, code: str, status: int = 0, detail: str = "") -> None:
        super().__init__(f"{code} ({status}): {detail}")
        self.code = code
        self.status = status
        self.detail = detail


class BackendUnavailable(BackendError):
    """The backend could not be reached or did not answer in time."""

    def __init__(self, detail: str = "") -> None:
        super().__init__("backend_unavailable", 0, detail)


def idempotency_key(*parts: Any) -> str:
    """A stable key for one write: the same conversation sending the same data gets the same key."""
    canonical = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:40]


def _still_running(response: httpx.Response) -> bool:
    """409 idempotency_key_in_use: our earlier attempt still runs; a retry gets its answer."""
    if response.status_code != 409:
        return False
    try:
        return response.json().get("code") == "idempotency_key_in_use"
    except ValueError:
        return False


class BackendClient:
    def __init__(
        self,
        base_url: Optional[str] = None,
        api_key: Optional[str] = None,
        timeout: float = 3.0,
        retries: int = 1,
    ) -> None:
        self.base_url = (base_url or os.environ.get("BACKEND_URL", DEFAULT_URL)).rstrip("/")
        self.api_key = api_key or os.environ.get("BACKEND_API_KEY", "dev-action-key")
        self.timeout = timeout
        self.retries = retries
        self._client: Optional[httpx.AsyncClient] = None
        self.failures_before_pause = 3
        self.pause_seconds = 10.0
        self._failures = 0
        self._paused_until = 0.0

    def _http(self) -> httpx.AsyncClient:
        if self._client is None or self._client.is_closed:
            self._client = httpx.AsyncClient(base_url=self.base_url, timeout=self.timeout)
        return self._client

    async def request(
        self,
        method: str,
        path: str,
        customer_token: Optional[str] = None,
        json: Optional[Dict[str, Any]] = None,
        headers: Optional[Dict[str, str]] = None,
        idempotency_key: Optional[str] = None,
    ) -> Any:
        if time.monotonic() < self._paused_until:
            raise BackendUnavailable("failing fast after repeated failures")
        all_headers = {"X-API-Key": self.api_key, **(headers or {})}
        if customer_token:
            all_headers["Authorization"] = f"Bearer {customer_token}"
        if idempotency_key:
            all_headers["Idempotency-Key"] = idempotency_key
        retry_safe = method == "GET" or "Idempotency-Key" in all_headers
        attempts = 1 + (self.retries if retry_safe else 0)
        for attempt in range(attempts):
            try:
                response = await self._http().request(method, path, json=json, headers=all_headers)
            except httpx.TransportError as error:  # connect error, timeout, reset
                if attempt + 1 == attempts:
                    self._failed()
                    raise BackendUnavailable(type(error).__name__) from error
            else:
                if not (_still_running(response) and attempt + 1 < attempts):
                    break
            await asyncio.sleep(0.2 * (attempt + 1))
        if response.status_code >= 500:
            self._failed()
            raise BackendUnavailable(f"status {response.status_code}")
        self._failures = 0
        if response.status_code >= 400:
            try:
                problem = response.json()
            except ValueError:
                problem = {}
            raise BackendError(
                problem.get("code", "http_error"), response.status_code, problem.get("detail", "")
            )
        return response.json() if response.content else None

    def _failed(self) -> None:
        self._failures += 1
        if self._failures >= self.failures_before_pause:
            self._paused_until = time.monotonic() + self.pause_seconds

    async def migration_status(self, customer_token: str) -> Dict[str, Any]:
        return await self.request("GET", "/v1/me/migration", customer_token)


backend = BackendClient()
