"""Enrolment: membership, invoice, idempotency and races (service level)."""
import threading
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from backend.errors import DomainError
from backend.models import Application, Invoice, Membership, OldCpsAccount
from backend.services import accounts, enrolment

from .helpers import add_products, validated_account

GOLD_SET = ("EOS R5 Mark II", "EOS R6 Mark II", "RF 24-70mm F2.8L IS USM", "RF 70-200mm F2.8L IS USM",
            "RF 85mm F1.2L USM", "RF 15-35mm F2.8L IS USM")  # 1 080 points


def _eligible(session, settings, *models, **kw):
    app, account = validated_account(session, settings, **kw)
    add_products(session, account, *(models or GOLD_SET))
    return app, account


def test_card_enrolment_creates_active_membership_and_invoice(session, settings):
    app, account = _eligible(session, settings)
    now = datetime(2026, 11, 22, 10, 0)
    m, inv, created = enrolment.enrol(session, settings, app, tier_code="gold", payment_method="card",
                                      idempotency_key="k-1", now=now)
    assert created and m.status == "active" and m.membership_number.startswith("CPS") and m.replaced_number is None
    assert inv.issued_at == now + timedelta(hours=3)            # "within a few hours"
    assert inv.due_date == date(2026, 12, 22)                   # 30 days after issue
    assert inv.card_charge_date == inv.due_date                 # card charged on the due date
    assert inv.amount_cents == 20000 and inv.currency == "EUR"
    view = enrolment.invoice_view(inv, now=now)
    assert view["status"] == "pending_issue" and not view["local_surcharges_possible"]
    assert enrolment.invoice_view(inv, now=now + timedelta(hours=4))["status"] == "issued"


def test_bank_transfer_has_due_date_and_surcharge_note(session, settings):
    app, _ = _eligible(session, settings)
    _, inv, _ = enrolment.enrol(session, settings, app, tier_code="silver", payment_method="bank_transfer",
                                idempotency_key="k-2", now=datetime(2026, 11, 30, 22, 0))
    assert inv.card_charge_date is None and inv.due_date == date(2026, 12, 31)  # issued 1 Dec, +30 days
    assert "surcharges" in inv.note and enrolment.invoice_view(inv)["local_surcharges_possible"]


def test_previous_membership_number_is_recorded_as_replaced(session, settings):
    session.add(OldCpsAccount(email="old.member@example.com", membership_number="EU7654321"))
    session.commit()
    app, _ = _eligible(session, settings, old_email="old.member@example.com")
    m, _, _ = enrolment.enrol(session, settings, app, tier_code="gold", payment_method="card", idempotency_key="k")
    assert m.replaced_number == "EU7654321" and m.membership_number != "EU7654321"


def test_not_eligible_below_500_points(session, settings):
    app, _ = _eligible(session, settings, "EOS R8", "RF 24-70mm F2.8L IS USM")
    with pytest.raises(DomainError) as err:
        enrolment.enrol(session, settings, app, tier_code="silver", payment_method="card", idempotency_key="k")
    assert err.value.code == "not_eligible" and err.value.extra["points"] == 280


def test_tier_must_be_available(session, settings):
    app, _ = _eligible(session, settings)
    for tier in ("platinum", "business_a", "diamond"):
        with pytest.raises(DomainError) as err:
            enrolment.enrol(session, settings, app, tier_code=tier, payment_method="card", idempotency_key="k")
        assert err.value.code == "tier_not_available" and err.value.extra["tiers_available"] == ["silver", "gold"]


def test_no_business_account_yet(session, settings):
    from .helpers import new_application
    app, _ = new_application(session, settings)
    with pytest.raises(DomainError) as err:
        enrolment.enrol(session, settings, app, tier_code="silver", payment_method="card", idempotency_key="k")
    assert err.value.code == "no_business_account"


def test_idempotency_key_replays_and_other_key_is_already_enrolled(session, settings):
    app, _ = _eligible(session, settings)
    first, inv1, created1 = enrolment.enrol(session, settings, app, tier_code="gold", payment_method="card",
                                            idempotency_key="same")
    again, inv2, created2 = enrolment.enrol(session, settings, app, tier_code="gold", payment_method="card",
                                            idempotency_key="same")
    assert created1 and not created2 and again.id == first.id and inv2.id == inv1.id
    with pytest.raises(DomainError) as err:
        enrolment.enrol(session, settings, app, tier_code="silver", payment_method="bank_transfer",
                        idempotency_key="other")
    assert err.value.code == "already_enrolled" and err.value.extra["membership_number"] == first.membership_number
    with pytest.raises(DomainError) as err:
        enrolment.enrol(session, settings, app, tier_code="gold", payment_method="card", idempotency_key=" ")
    assert err.value.code == "idempotency_key_required"


@pytest.mark.parametrize("same_key", [True, False])
def test_enrolment_race_creates_one_membership(session, session_factory, settings, same_key):
    app, account = _eligible(session, settings)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run(i):
        with session_factory() as s:
            me = s.get(Application, app.id)
            s.commit()  # end the read transaction (on SQLite it holds the write lock) before racing
            barrier.wait()
            try:
                m, _, created = enrolment.enrol(s, settings, me, tier_code="gold", payment_method="card",
                                                idempotency_key="race" if same_key else f"race-{i}")
                results.append((m.membership_number, created))
            except DomainError as exc:
                errors.append(exc.code)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert session.execute(select(func.count(Membership.id))).scalar_one() == 1
    assert session.execute(select(func.count(Invoice.id))).scalar_one() == 1
    if same_key:
        assert not errors and len({n for n, _ in results}) == 1 and sorted(c for _, c in results) == [False, True]
    else:
        assert errors == ["already_enrolled"] and [c for _, c in results] == [True]


def test_membership_view_is_usable_now(session, settings):
    app, account = _eligible(session, settings)
    m, _, _ = enrolment.enrol(session, settings, app, tier_code="gold", payment_method="card", idempotency_key="k")
    view = enrolment.membership_view(m)
    assert view["usable_now"] and view["tier_name"] == "Gold" and view["status"] == "active"
    assert accounts.require_account(app).id == m.account_id
