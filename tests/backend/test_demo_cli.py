"""Demo data and the command line (service level and real subprocesses)."""
import os
import subprocess
import sys
from collections import defaultdict

from sqlalchemy import func, select

from backend.demo import DEMO_CUSTOMERS, build_demo_data
from backend.models import Application, Membership, OutboxEmail
from backend.services import accounts, enrolment, points, products
from backend.services.markets import LANGUAGES

from .conftest import REPO
from .helpers import new_application


def test_demo_data_covers_every_state_in_six_markets(session, settings):
    assert build_demo_data(session, settings) == {"created": len(DEMO_CUSTOMERS), "present": 0}
    assert build_demo_data(session, settings) == {"created": 0, "present": len(DEMO_CUSTOMERS)}  # idempotent
    assert session.execute(select(func.count(Application.id))).scalar_one() == len(DEMO_CUSTOMERS)

    states = defaultdict(set)
    for c in DEMO_CUSTOMERS:
        states[c.language].add(c.state)
        assert c.ref == f"demo-{c.language}-{c.state}"
    assert set(states) == set(LANGUAGES)
    for lang in LANGUAGES:
        assert {"pending", "no-old-email", "migrate", "missing-details"} <= states[lang], lang
    all_states = set().union(*states.values())
    assert {"points-480", "points-2100", "points-2700", "enrolled-card", "enrolled-bank"} <= all_states
    assert {c.country for c in DEMO_CUSTOMERS} >= {"FI", "EE", "NO", "LT", "SE", "GB", "IE"}

    def app(ref):
        return session.execute(select(Application).where(Application.ref == ref)).scalar_one()

    for c in DEMO_CUSTOMERS:
        a = app(c.ref)
        assert a.language == c.language and a.country == c.country
        if c.state == "pending":
            assert a.status == "submitted" and a.account is None
        diag = accounts.migration_status(session, a)["diagnosis"]
        if c.state == "no-old-email":
            assert diag == "no_old_email" and products.list_products(session, a.account)
        if c.state == "migrate":
            status = accounts.migration_status(session, a)
            assert diag == "available" and status["products_to_migrate"] == 3
        if c.state == "missing-details":
            assert any(products.missing_fields(p) for p in products.list_products(session, a.account))
        if c.state.startswith("points-"):
            assert points.total_points(session, a.account) == int(c.state.split("-")[1])
        if c.state.startswith("enrolled-"):
            m = enrolment.get_membership(session, a.account.id)
            assert m.payment_method == ("card" if c.state.endswith("card") else "bank_transfer")
    assert app("demo-en-no-old-email").country in ("GB", "IE")
    assert session.execute(select(func.count(Membership.id))).scalar_one() == 4


def _cli(settings, *args):
    env = {**os.environ, "DATABASE_URL": settings.database_url, "UPLOAD_DIR": str(settings.upload_dir),
           "BACKEND_PUBLIC_URL": settings.public_url}
    return subprocess.run([sys.executable, "-m", "backend.cli", *args], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=120)


def test_cli_validate_and_reject(session, settings):
    a, _ = new_application(session, settings)
    b, _ = new_application(session, settings)
    out = _cli(settings, "validate", a.ref)
    assert out.returncode == 0, out.stderr
    out = _cli(settings, "reject", b.ref, "Document", "unreadable")
    assert out.returncode == 0, out.stderr
    session.expire_all()
    assert session.get(Application, a.id).status == "validated"
    assert (session.get(Application, b.id).status, session.get(Application, b.id).status_reason) == \
        ("rejected", "Document unreadable")
    assert session.execute(select(OutboxEmail).where(OutboxEmail.kind == "password_set")).scalar_one()
    session.commit()  # on SQLite an open transaction holds the write lock the CLI needs
    again = _cli(settings, "validate", a.ref)
    assert again.returncode == 1 and "application_not_pending" in again.stderr
    assert "not_found" in _cli(settings, "validate", "c-nope").stderr


def test_cli_import_old_accounts(session, settings, tmp_path):
    csv_file = tmp_path / "old.csv"
    csv_file.write_text("email,membership_number,holder_name,model,serial_number,purchase_date,country_of_purchase,dealer\n"
                        "Old@Example.com,EU1,Old Studio,EOS R5,SER1,2020-01-02,FI,Rajala\n"
                        "old@example.com,EU1,Old Studio,EF 40mm f/2.8 STM,SER2,,FI,\n")
    for _ in range(2):  # a rerun imports nothing twice
        out = _cli(settings, "import-old-accounts", str(csv_file))
        assert out.returncode == 0, out.stderr
    a, _ = new_application(session, settings, old_email="old@example.com")
    assert accounts.migration_status(session, a)["products_to_migrate"] == 2
