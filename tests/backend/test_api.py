"""The HTTP API against a real server (uvicorn subprocess), on SQLite and Postgres."""
import re
import threading
import uuid
from datetime import date, timedelta


from backend.demo import demo_vat_number

from .helpers import PDF, PNG

PROBLEM = "application/problem+json"


def _problem(r, status, code):
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    body = r.json()
    assert body["code"] == code and body["status"] == status and body["title"] and body["type"] and "detail" in body
    return body


def _demo_token(c, ref):
    r = c.post("/v1/demo/login-token", json={"customer_ref": ref})
    assert r.status_code == 200, r.text
    return r.json()["token"]


def _outbox(server, c, **params):
    r = c.get("/v1/staff/outbox", params=params, headers=server.staff)
    assert r.status_code == 200, r.text
    return r.json()


def _apply(server, c, **kw):
    email = f"{uuid.uuid4().hex[:10]}@studio.example.com"
    body = {"company_name": "Saimaan Kuva Oy", "country": "FI", "vat_registered": True,
            "vat_number": demo_vat_number("FI", email), "contact_email": email}
    body.update(kw)
    r = c.post("/v1/applications", json=body)
    assert r.status_code == 201, r.text
    return r.json(), body["contact_email"]


def _upload(c, url, content=PDF, document_type="vat_certificate", name="doc.pdf"):
    path = url.split("127.0.0.1", 1)[1].split("/", 1)[1]
    return c.post("/" + path, data={"document_type": document_type}, files={"file": (name, content, "application/pdf")})


def test_health_and_openapi(server):
    with server.client() as c:
        assert c.get("/v1/health").json()["status"] == "ok"
        spec = c.get("/openapi.json").json()
        assert "/v1/me/migration" in spec["paths"] and "/v1/applications" in spec["paths"]


def test_errors_are_problem_details(server):
    with server.client() as c:
        _problem(c.get("/v1/nope"), 404, "not_found")
        body = _problem(c.post("/v1/vat/check", json={"country": "FI"}), 422, "validation_error")
        assert "vat_number" in body["detail"]
        _problem(c.post("/v1/vat/check", content=b"{not json", headers={"content-type": "application/json"}),
                 422, "validation_error")
        _problem(c.post("/v1/applications", json={"company_name": "X\u0000Y", "country": "FI", "vat_registered": False,
                                                   "contact_email": "a@example.com"}), 422, "validation_error")


def test_public_reference_data(server):
    with server.client() as c:
        tiers = {t["code"]: t for t in c.get("/v1/tiers").json()}
        assert tiers["platinum"]["min_points"] == 1600 and tiers["business_a"]["min_points"] == 2501
        assert any(i["model"] == "EOS R5" for i in c.get("/v1/catalogue").json())
        r = c.post("/v1/vat/check", json={"country": "NO", "vat_number": "995 525 828"}).json()
        assert r == {**r, "valid": True, "normalized": "NO995525828MVA"}
        r = c.post("/v1/vat/check", json={"country": "LT", "vat_number": "12345"}).json()
        assert not r["valid"] and r["expected_format"] == "LT123456789 / LT123456789012"


def test_application_document_validation_and_password(server):
    with server.client() as c:
        created, email = _apply(server, c, language="fi", old_cps_email="old@example.com")
        assert created["status"] == "submitted" and date.fromisoformat(created["decision_due"]) > date.today() - timedelta(days=1)
        assert created["allowed_document_types"] == ["vat_certificate", "invoice"]
        ref = created["ref"]
        _problem(c.post(f"/v1/staff/applications/{ref}/validate", headers=server.staff), 409, "document_missing")
        _problem(_upload(c, created["upload_url"], b"plain text", name="fake.pdf"), 415, "file_type_not_allowed")
        _problem(_upload(c, created["upload_url"], document_type="business_licence"), 422, "document_type_not_allowed")
        _problem(_upload(c, created["upload_url"], PDF + b"0" * 300_000), 413, "file_too_large")
        up = _upload(c, created["upload_url"], PNG, name="scan.png")
        assert up.status_code == 201 and up.json()["content_type"] == "image/png"
        _problem(_upload(c, created["upload_url"]), 409, "link_used")

        assert c.post("/v1/auth/code", json={"email": email}).status_code == 202
        code = re.search(r"\b(\d{6})\b", _outbox(server, c, to=email, kind="login_code")[0]["body"]).group(1)
        bearer = c.post("/v1/auth/verify", json={"email": email, "code": code}).json()["token"]
        me = c.get("/v1/me", headers=server.customer(bearer)).json()
        assert me["application_status"] == "submitted" and not me["account_created"] and not me["password_email_sent"]
        assert me["decision_due"] == created["decision_due"]
        _problem(c.post("/v1/me/password-email", headers=server.customer(bearer)), 409, "password_email_not_sent")
        assert c.get("/v1/me/migration", headers=server.customer(bearer)).json()["diagnosis"] == "no_business_account"

        _problem(c.post(f"/v1/staff/applications/{ref}/validate"), 401, "staff_key_invalid")
        _problem(c.post(f"/v1/staff/applications/{ref}/validate", headers=server.api), 401, "staff_key_invalid")
        r = c.post(f"/v1/staff/applications/{ref}/validate", headers=server.staff)
        assert r.status_code == 200 and r.json()["account_created"]
        mail = _outbox(server, c, to=email, kind="password_set")[0]
        assert mail["from_address"] == "donotreply@canon-europe.com"
        link = re.search(r"(http://\S+/v1/password/\S+)", mail["body"]).group(1)
        path = "/v1/" + link.split("/v1/", 1)[1]
        assert c.get(path).status_code == 200 and "Set password" in c.get(path).text
        _problem(c.post(path, json={"password": "short"}), 422, "password_too_weak")
        assert c.post(path, json={"password": "a long enough password"}).json() == {"status": "password_set"}
        _problem(c.post(path, json={"password": "a long enough password"}), 409, "link_used")
        me = c.get("/v1/me", headers=server.customer(bearer)).json()
        assert me["account_created"] and me["password_email_sent"] and me["password_set"]
        assert c.get("/v1/me/migration", headers=server.customer(bearer)).json()["diagnosis"] == "old_email_not_matching"


def test_vat_and_email_errors_over_http(server):
    with server.client() as c:
        body = _problem(c.post("/v1/applications", json={"company_name": "Fjord AS", "country": "NO", "vat_registered": True,
                                                         "vat_number": "123", "contact_email": "x@example.com"}),
                        422, "vat_invalid")
        assert body["expected_format"] == "NO123456789MVA"
        _problem(c.post("/v1/applications", json={"company_name": "Fjord AS", "country": "NO", "vat_registered": False,
                                                  "contact_email": "not-an-email"}), 422, "email_invalid")
        created, _ = _apply(server, c, country="NO", vat_number="995525828")
        assert created["vat_number"] == "NO995525828MVA"


def test_customer_endpoints_need_key_and_identity(server):
    with server.client() as c:
        token = _demo_token(c, "demo-en-no-old-email")
        _problem(c.get("/v1/me", headers={"Authorization": f"Bearer {token}"}), 401, "api_key_invalid")
        _problem(c.get("/v1/me", headers=server.api), 401, "auth_required")
        _problem(c.get("/v1/me", headers=server.customer("garbage")), 401, "token_invalid")
        from backend.services.identity import issue_login_token
        forged = issue_login_token("demo-en-no-old-email", secret="not-the-secret")
        _problem(c.get("/v1/me", headers=server.customer(forged)), 401, "token_invalid")
        good = issue_login_token("demo-en-no-old-email", secret=server.settings.login_token_secret)
        assert c.get("/v1/me", headers=server.customer(good)).json()["company"] == "Harbour Lane Photography Ltd"


def test_code_login_does_not_enumerate_and_locks(server):
    with server.client() as c:
        known = "demo-nb-pending@demo.example.com"
        a = c.post("/v1/auth/code", json={"email": known})
        b = c.post("/v1/auth/code", json={"email": "nobody.here@example.com"})
        assert (a.status_code, a.json()) == (b.status_code, b.json()) == (202, {"status": "accepted"})
        assert _outbox(server, c, to="nobody.here@example.com") == []
        code = re.search(r"\b(\d{6})\b", _outbox(server, c, to=known, kind="login_code")[0]["body"]).group(1)
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        codes = [c.post("/v1/auth/verify", json={"email": known, "code": wrong}).json()["code"] for _ in range(5)]
        assert codes == ["code_invalid"] * 4 + ["too_many_attempts"]
        _problem(c.post("/v1/auth/verify", json={"email": known, "code": code}), 429, "too_many_attempts")


def test_migration_flow_on_demo_customers(server):
    with server.client() as c:
        h = server.customer(_demo_token(c, "demo-en-no-old-email"))
        m = c.get("/v1/me/migration", headers=h).json()
        assert m == {**m, "old_email_given": False, "old_account_found": False, "migrated": False,
                     "products_to_migrate": 0, "diagnosis": "no_old_email"}
        _problem(c.post("/v1/me/migration", headers=h), 409, "no_old_email")

        h = server.customer(_demo_token(c, "demo-en-migrate"))
        m = c.get("/v1/me/migration", headers=h).json()
        assert (m["diagnosis"], m["products_to_migrate"], m["old_account_found"]) == ("available", 3, True)
        first = c.post("/v1/me/migration", headers=h).json()
        second = c.post("/v1/me/migration", headers=h).json()
        assert first["diagnosis"] == second["diagnosis"] == "already_migrated"
        assert first["products_moved"] == second["products_moved"] == 3 and first["old_membership_number"]
        items = c.get("/v1/me/products", headers=h).json()
        assert len(items["products"]) == 3 and items["incomplete"] == 1
        assert c.get("/v1/me/migration", headers=server.customer(_demo_token(c, "demo-et-old-email-not-matching"))
                     ).json()["diagnosis"] == "old_email_not_matching"
        assert c.get("/v1/me/migration", headers=server.customer(_demo_token(c, "demo-fi-pending"))
                     ).json()["diagnosis"] == "no_business_account"


def test_products_over_http(server):
    with server.client() as c:
        h = server.customer(_demo_token(c, "demo-fi-missing-details"))
        listed = c.get("/v1/me/products", headers=h).json()["products"]
        incomplete = [p for p in listed if not p["green_tick"]]
        assert incomplete and all(set(p["missing"]) <= {"serial_number", "purchase_date", "country_of_purchase", "dealer"}
                                  for p in incomplete)
        target = next(p for p in incomplete if "serial_number" in p["missing"])
        r = c.patch(f"/v1/me/products/{target['id']}", headers=h,
                    json={"serial_number": f"FIX{uuid.uuid4().hex[:8]}", "dealer": "Rajala Pro Shop"})
        assert r.status_code == 200 and r.json()["green_tick"] and r.json()["points"] > 0
        tomorrow = (date.today() + timedelta(days=2)).isoformat()
        _problem(c.post("/v1/me/products", headers=h, json={"model": "EOS R8", "purchase_date": tomorrow}),
                 422, "purchase_date_in_future")
        serial = f"DUP{uuid.uuid4().hex[:8]}"
        assert c.post("/v1/me/products", headers=h, json={"model": "EOS R8", "serial_number": serial}).status_code == 201
        other = server.customer(_demo_token(c, "demo-sv-missing-details"))
        body = _problem(c.post("/v1/me/products", headers=other, json={"model": "EOS R8", "serial_number": serial}),
                        409, "serial_taken")
        assert body["registered_by"] == "another_account"
        # Another account's product id answers 404, and nothing changes.
        _problem(c.patch(f"/v1/me/products/{target['id']}", headers=other, json={"dealer": "x"}), 404, "not_found")
        _problem(c.get("/v1/me/products", headers=server.customer(_demo_token(c, "demo-lt-pending"))),
                 409, "no_business_account")


def test_points_enrolment_and_invoices(server):
    with server.client() as c:
        h = server.customer(_demo_token(c, "demo-en-points-480"))
        p = c.get("/v1/me/points", headers=h).json()
        assert (p["total"], p["invitation"]["invited"], p["points_to_next_threshold"], p["tiers_available"]) == (480, False, 20, [])
        _problem(c.post("/v1/me/enrolment", headers={**h, "Idempotency-Key": "a"},
                        json={"tier": "silver", "payment_method": "card"}), 409, "not_eligible")

        h = server.customer(_demo_token(c, "demo-fi-points-2100"))
        p = c.get("/v1/me/points", headers=h).json()
        assert p["invitation"]["invited"] and [t["code"] for t in p["tiers_available"]] == ["silver", "gold", "platinum"]
        _problem(c.post("/v1/me/enrolment", headers={**h, "Idempotency-Key": "b"},
                        json={"tier": "business_a", "payment_method": "card"}), 409, "tier_not_available")
        _problem(c.post("/v1/me/enrolment", headers=h, json={"tier": "gold", "payment_method": "card"}),
                 400, "idempotency_key_required")
        _problem(c.post("/v1/me/enrolment", headers={**h, "Idempotency-Key": "b"},
                        json={"tier": "gold", "payment_method": "cash"}), 422, "validation_error")
        _problem(c.get("/v1/me/membership", headers=h), 404, "not_found")
        first = c.post("/v1/me/enrolment", headers={**h, "Idempotency-Key": "enrol-1"},
                       json={"tier": "platinum", "payment_method": "bank_transfer"})
        assert first.status_code == 201
        replay = c.post("/v1/me/enrolment", headers={**h, "Idempotency-Key": "enrol-1"},
                        json={"tier": "platinum", "payment_method": "bank_transfer"})
        assert replay.status_code == 200 and replay.json()["membership"] == first.json()["membership"]
        _problem(c.post("/v1/me/enrolment", headers={**h, "Idempotency-Key": "enrol-2"},
                        json={"tier": "gold", "payment_method": "card"}), 409, "already_enrolled")
        inv = first.json()["invoice"]
        assert inv["payment_method"] == "bank_transfer" and inv["local_surcharges_possible"] and inv["card_charge_date"] is None
        assert inv["status"] == "pending_issue" and inv["amount"] == 350
        assert inv["issued_at"] > inv["created_at"]
        assert c.get("/v1/me/invoices", headers=h).json()[0]["number"] == inv["number"]
        m = c.get("/v1/me/membership", headers=h).json()
        assert m["usable_now"] and m["tier"] == "platinum"
        assert c.get("/v1/me", headers=h).json()["membership"]["membership_number"] == m["membership_number"]

        h = server.customer(_demo_token(c, "demo-et-points-2700"))
        assert c.get("/v1/me/points", headers=h).json()["business_tiers_available"]

        h = server.customer(_demo_token(c, "demo-en-enrolled-card"))
        inv = c.get("/v1/me/invoices", headers=h).json()[0]
        assert inv["card_charge_date"] == inv["due_date"]


def test_concurrent_enrolment_over_http_creates_one_membership(server):
    with server.client() as c:
        h = server.customer(_demo_token(c, "demo-sv-points-2700"))
    results = []
    barrier = threading.Barrier(2)

    def enrol(key):
        with server.client() as c:
            barrier.wait()
            r = c.post("/v1/me/enrolment", headers={**h, "Idempotency-Key": key},
                       json={"tier": "business_a", "payment_method": "card"})
            results.append((r.status_code, r.json()))

    threads = [threading.Thread(target=enrol, args=(k,)) for k in ("race-a", "race-b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(s for s, _ in results) == [201, 409]
    assert [b["code"] for s, b in results if s == 409] == ["already_enrolled"]


def test_demo_endpoints(server):
    with server.client() as c:
        customers = c.get("/v1/demo/customers").json()
        refs = {x["ref"] for x in customers}
        assert {"demo-en-no-old-email", "demo-en-migrate"} <= refs
        assert {x["language"] for x in customers} == {"en", "fi", "et", "nb", "lt", "sv"}
        assert all(x["description"] and x["company"] and x["country"] for x in customers)
        _problem(c.post("/v1/demo/login-token", json={"customer_ref": "c-someone-real"}), 404, "not_found")


def test_upload_link_from_the_bot(server):
    with server.client() as c:
        h = server.customer(_demo_token(c, "demo-sv-waiting-document"))
        assert c.get("/v1/me", headers=h).json()["application_status"] == "waiting_for_document"
        link = c.post("/v1/me/application/upload-link", headers=h).json()
        assert link["upload_url"].startswith(server.base_url + "/v1/uploads/")
        assert _upload(c, link["upload_url"]).status_code == 201
        assert c.get("/v1/me/application", headers=h).json()["status"] == "submitted"
        done = server.customer(_demo_token(c, "demo-en-no-old-email"))
        _problem(c.post("/v1/me/application/upload-link", headers=done), 409, "application_not_pending")


def test_handoff_tickets(server):
    with server.client() as c:
        _problem(c.post("/v1/handoff/tickets", json={}), 401, "api_key_invalid")
        t = c.post("/v1/handoff/tickets", headers=server.api,
                   json={"conversation_id": "conv-9", "language": "sv", "reason": "customer_asked",
                         "summary": "Kunden ser inte knappen MIGRERA PRODUKTER"}).json()
        assert t["status"] == "open" and t["customer_ref"] is None
        token = _demo_token(c, "demo-fi-pending")
        named = c.post("/v1/handoff/tickets", headers=server.customer(token),
                       json={"conversation_id": "conv-10", "language": "fi", "reason": "no_old_email",
                             "summary": "emoji 🙂 <b>html</b> and a NUL \u0000 byte " + "x" * 4000,
                             "customer_ref": "demo-en-migrate"})  # a ref in the body is ignored
        assert named.status_code == 201 and named.json()["customer_ref"] == "demo-fi-pending"
        assert "\u0000" not in named.json()["summary"] and "🙂" in named.json()["summary"]
        expired = c.post("/v1/handoff/tickets", headers=server.customer("expired.or.bad"),
                         json={"conversation_id": "conv-11", "language": "en", "reason": "r", "summary": "s"})
        assert expired.status_code == 201 and expired.json()["customer_ref"] is None
        listed = c.get("/v1/staff/handoff/tickets", params={"status": "open"}, headers=server.staff).json()
        assert t["ref"] in {x["ref"] for x in listed}
    results = []
    barrier = threading.Barrier(2)

    def claim(agent):
        with server.client() as c:
            barrier.wait()
            r = c.post(f"/v1/staff/handoff/tickets/{t['ref']}/claim", headers=server.staff, json={"agent": agent})
            results.append((r.status_code, agent))

    threads = [threading.Thread(target=claim, args=(a,)) for a in ("anna", "bo")]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(s for s, _ in results) == [200, 409]
    winner = next(a for s, a in results if s == 200)
    with server.client() as c:
        assert c.get(f"/v1/handoff/tickets/{t['ref']}", headers=server.api).json()["assigned_agent"] == winner
        loser = "bo" if winner == "anna" else "anna"
        _problem(c.post(f"/v1/staff/handoff/tickets/{t['ref']}/messages", headers=server.staff,
                        json={"agent": loser, "text": "hello"}), 409, "not_assigned")
        closed = c.post(f"/v1/staff/handoff/tickets/{t['ref']}/close", headers=server.staff,
                        json={"agent": winner, "note": "back to bot"})
        assert closed.json()["status"] == "closed"
        # A reply to a closed conversation is refused, whoever sends it.
        _problem(c.post(f"/v1/staff/handoff/tickets/{t['ref']}/messages", headers=server.staff,
                        json={"agent": winner, "text": "are you still there?"}), 409, "ticket_closed")


def test_upload_link_opens_a_page_with_the_accepted_documents(server):
    with server.client() as c:
        created, _ = _apply(server, c, vat_registered=False, vat_number=None)
        path = "/" + created["upload_url"].split("127.0.0.1", 1)[1].split("/", 1)[1]
        page = c.get(path)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert "Saimaan Kuva Oy" in page.text and "Business or professional licence" in page.text
        assert "VAT registration certificate" not in page.text
        assert _upload(c, created["upload_url"], document_type="invoice").status_code == 201
        _problem(c.get(path), 409, "link_used")


def test_the_support_page_may_call_the_demo_endpoints_from_the_browser(server):
    with server.client() as c:
        r = c.options("/v1/demo/login-token", headers={"Origin": "http://localhost:8080",
                                                       "Access-Control-Request-Method": "POST"})
        assert r.status_code == 200
        assert r.headers["access-control-allow-origin"] in ("*", "http://localhost:8080")
