"""Idempotency-Key on POST and PATCH (backend/idempotency.py): a retried write is done once."""
import threading
import uuid

from .test_api import _demo_token, _problem


def test_a_repeated_application_is_created_once(server):
    with server.client() as c:
        email = f"{uuid.uuid4().hex[:10]}@studio.example.com"
        body = {"company_name": "Saimaan Kuva Oy", "country": "FI", "vat_registered": False, "contact_email": email}
        key = {"Idempotency-Key": f"apply-{uuid.uuid4().hex}"}
        created = c.post("/v1/applications", json=body, headers=key)
        again = c.post("/v1/applications", json=body, headers=key)
        assert created.status_code == again.status_code == 201, again.text
        assert again.headers["Idempotent-Replayed"] == "true" and again.json() == created.json()
        assert "Idempotent-Replayed" not in created.headers
        # Without the key the same application is a second one, which the service refuses.
        _problem(c.post("/v1/applications", json=body), 409, "application_exists")
        # The same key for another request is a client bug, not a replay.
        _problem(c.post("/v1/applications", json={**body, "company_name": "Other Oy"}, headers=key),
                 422, "idempotency_key_reused")


def test_a_product_registration_sent_twice_at_once_is_done_once(server):
    with server.client() as c:
        h = server.customer(_demo_token(c, "demo-nb-missing-details"))
        before = len(c.get("/v1/me/products", headers=h).json()["products"])
    body = {"model": "EOS R8", "serial_number": f"IDEM{uuid.uuid4().hex[:8]}".upper()}
    key = {**h, "Idempotency-Key": f"product-{uuid.uuid4().hex}"}
    results = []

    def register():
        with server.client() as c:
            r = c.post("/v1/me/products", json=body, headers=key)
            results.append((r.status_code, r.json()))

    threads = [threading.Thread(target=register) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # One ran; the others were replayed or told it was still running — never a second product.
    assert [s for s, _ in results].count(201) >= 1
    assert all(s == 201 or b["code"] == "idempotency_key_in_use" for s, b in results), results
    with server.client() as c:
        again = c.post("/v1/me/products", json=body, headers=key)
        assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
        products = c.get("/v1/me/products", headers=h).json()["products"]
    assert len(products) == before + 1
    assert sum(p["serial_number"] == body["serial_number"] for p in products) == 1


def test_a_refused_request_may_be_sent_again_with_its_key(server):
    with server.client() as c:
        h = server.customer(_demo_token(c, "demo-lt-missing-details"))
        key = {**h, "Idempotency-Key": f"product-{uuid.uuid4().hex}"}
        body = {"model": "EOS R8", "serial_number": "x"}
        _problem(c.post("/v1/me/products", json=body, headers=key), 422, "serial_invalid")
        body["serial_number"] = f"OK{uuid.uuid4().hex[:8]}".upper()
        assert c.post("/v1/me/products", json=body, headers=key).status_code == 201


def test_a_key_is_bound_to_the_customer(server):
    """Another customer sending the same key runs their own request and never sees the first answer."""
    with server.client() as c:
        key = f"product-{uuid.uuid4().hex}"
        one = server.customer(_demo_token(c, "demo-fi-no-old-email"))
        two = server.customer(_demo_token(c, "demo-sv-no-old-email"))
        first = c.post("/v1/me/products", json={"model": "EOS R8", "serial_number": f"A{uuid.uuid4().hex[:8]}".upper()},
                       headers={**one, "Idempotency-Key": key})
        second = c.post("/v1/me/products", json={"model": "EOS R8", "serial_number": f"B{uuid.uuid4().hex[:8]}".upper()},
                        headers={**two, "Idempotency-Key": key})
        assert first.status_code == second.status_code == 201
        assert "Idempotent-Replayed" not in second.headers and second.json()["id"] != first.json()["id"]


def test_keys_older_than_a_day_are_forgotten_every_few_hundred_writes(session_factory, monkeypatch):
    from datetime import timedelta

    from backend import idempotency
    from backend.models import IdempotentRequest, utcnow

    middleware = idempotency.IdempotencyMiddleware(app=None, sessionmaker=session_factory)
    with session_factory() as s:
        s.add_all([IdempotentRequest(scope="old", fingerprint="f", status=201, body="{}",
                                     created_at=utcnow() - idempotency.RETENTION - timedelta(minutes=1)),
                   IdempotentRequest(scope="recent", fingerprint="f", status=201, body="{}",
                                     created_at=utcnow() - idempotency.RETENTION + timedelta(minutes=5))])
        s.commit()
    monkeypatch.setattr(idempotency, "PRUNE_EVERY", 3)
    for number in range(2):
        assert middleware._claim(f"new-{number}", "f") is None
    with session_factory() as s:
        assert s.query(IdempotentRequest).filter_by(scope="old").count() == 1  # not yet
    assert middleware._claim("new-2", "f") is None  # the third claim prunes first
    with session_factory() as s:
        scopes = {r.scope for r in s.query(IdempotentRequest)}
    assert scopes == {"recent", "new-0", "new-1", "new-2"}
    assert middleware._claim("recent", "f").status == 201  # a kept key still replays
