"""A customer's token opens only that customer's account, whatever ids the request names
(over HTTP; the same through the chat: tests/integration/test_strangers.py)."""
from .test_api import _demo_token, _problem

A, B = "demo-fi-missing-details", "demo-sv-missing-details"


def test_scanning_product_ids_finds_nothing_of_anyone_else(server):
    with server.client() as c:
        a, b = server.customer(_demo_token(c, A)), server.customer(_demo_token(c, B))
        a_before = c.get("/v1/me/products", headers=a).json()["products"]
        own = {p["id"] for p in c.get("/v1/me/products", headers=b).json()["products"]}
        highest = max({p["id"] for p in a_before} | own)
        for product_id in range(1, highest + 5):
            if product_id not in own:
                _problem(c.patch(f"/v1/me/products/{product_id}", headers=b, json={"dealer": "B's dealer"}),
                         404, "not_found")
        assert c.get("/v1/me/products", headers=a).json()["products"] == a_before


def test_ids_in_the_query_headers_or_body_do_not_change_who_the_customer_is(server):
    with server.client() as c:
        a, b = server.customer(_demo_token(c, A)), server.customer(_demo_token(c, B))
        a_company = c.get("/v1/me", headers=a).json()["company"]
        b_company = c.get("/v1/me", headers=b).json()["company"]
        assert a_company != b_company
        for params, extra in (({"customer_ref": A}, {}), ({"ref": A, "sub": A}, {}),
                              ({}, {"X-Customer-Ref": A, "X-Forwarded-User": A})):
            assert c.get("/v1/me", headers={**b, **extra}, params=params).json()["company"] == b_company
        # The action server's key alone is no customer, and it opens no staff endpoint.
        _problem(c.get("/v1/me", headers=server.api, params={"customer_ref": A}), 401, "auth_required")
        _problem(c.get("/v1/staff/outbox", headers=server.api), 401, "staff_key_invalid")
        _problem(c.get("/v1/me", headers={**server.api, "Authorization": f"Bearer {A}"}), 401, "token_invalid")


def test_a_conversations_history_needs_its_long_random_id(server):
    with server.client() as c:
        for guess in ("1", "default", "abc", "test-1", "../../conversations"):
            assert c.get(f"/v1/conversations/{guess}/history").status_code in (404, 422)
