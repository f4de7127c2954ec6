"""Products, green ticks, points, invitation and tiers (service level)."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from backend.errors import DomainError
from backend.models import Invitation, OutboxEmail
from backend.services import points, products, tiers
from backend.services.common import local_today

from .helpers import add_products, complete, validated_account


def test_complete_product_has_green_tick_and_points(session, settings):
    _, account = validated_account(session, settings)
    p = products.register_product(session, account, **complete("eos r5 mark ii"))
    view = products.describe(p)
    assert view["model"] == "EOS R5 Mark II" and view["green_tick"] and view["missing"] == []
    assert view["points"] == 300 and points.total_points(session, account) == 300


def test_missing_details_are_listed_and_can_be_completed(session, settings):
    _, account = validated_account(session, settings)
    p = products.register_product(session, account, model="EOS R3", dealer="Foto Center")
    view = products.describe(p)
    assert not view["green_tick"] and view["points"] == 0 and view["catalogue_points"] == 350
    assert view["missing"] == ["serial_number", "purchase_date", "country_of_purchase"]
    p = products.update_product(session, account, p.id, {"serial_number": "ab 1234 56", "purchase_date": date(2022, 1, 3)})
    assert products.missing_fields(p) == ["country_of_purchase"] and p.serial_number == "AB123456"
    p = products.update_product(session, account, p.id, {"country_of_purchase": "se"})
    assert products.describe(p)["green_tick"] and points.total_points(session, account) == 350


def test_future_purchase_date_is_refused(session, settings):
    _, account = validated_account(session, settings, country="FI")
    tomorrow = local_today("Europe/Helsinki") + timedelta(days=1)
    with pytest.raises(DomainError) as err:
        products.register_product(session, account, **complete("EOS R8", purchase_date=tomorrow))
    assert err.value.code == "purchase_date_in_future"
    today = local_today("Europe/Helsinki")
    p = products.register_product(session, account, **complete("EOS R8", purchase_date=today))
    with pytest.raises(DomainError) as err:
        products.update_product(session, account, p.id, {"purchase_date": tomorrow})
    assert err.value.code == "purchase_date_in_future"
    with pytest.raises(DomainError) as err:
        products.update_product(session, account, p.id, {"purchase_date": date(1900, 1, 1)})
    assert err.value.code == "purchase_date_invalid"


def test_serial_registered_by_another_account_is_refused(session, settings):
    _, first = validated_account(session, settings)
    _, second = validated_account(session, settings)
    products.register_product(session, first, **complete("EOS R1", serial="XR100200"))
    with pytest.raises(DomainError) as err:
        products.register_product(session, second, **complete("EOS R1", serial="xr 100200"))
    assert err.value.code == "serial_taken" and err.value.extra["registered_by"] == "another_account"
    with pytest.raises(DomainError) as err:
        products.register_product(session, first, **complete("EOS R1", serial="XR100200"))
    assert err.value.extra["registered_by"] == "this_account"
    # Completing a product with someone else's serial is refused too.
    p = products.register_product(session, second, model="EOS R1")
    with pytest.raises(DomainError) as err:
        products.update_product(session, second, p.id, {"serial_number": "XR100200"})
    assert err.value.code == "serial_taken"


def test_field_rules(session, settings):
    _, account = validated_account(session, settings)
    for kwargs, code in [({"model": "Nikon Z9"}, "unknown_model"),
                         ({"model": "EOS R8", "country_of_purchase": "XX"}, "country_invalid"),
                         ({"model": "EOS R8", "serial_number": "a!"}, "serial_invalid"),
                         ({"model": "EOS R8", "dealer": "d" * 300}, "dealer_invalid")]:
        with pytest.raises(DomainError) as err:
            products.register_product(session, account, **kwargs)
        assert err.value.code == code


def test_another_accounts_product_is_not_found(session, settings):
    _, first = validated_account(session, settings)
    _, second = validated_account(session, settings)
    p = products.register_product(session, first, model="EOS R8")
    with pytest.raises(DomainError) as err:
        products.update_product(session, second, p.id, {"dealer": "mine now"})
    assert err.value.code == "not_found"
    assert session.get(type(p), p.id).dealer is None


def test_invitation_at_500_points_recorded_once(session, settings):
    _, account = validated_account(session, settings)
    add_products(session, account, "EOS R8", "RF 24-70mm F2.8L IS USM", "RF 70-200mm F2.8L IS USM",
                 "RF 35mm F1.8 Macro IS STM")
    summary = points.points_summary(session, account)
    assert summary["total"] == 480 and not summary["invitation"]["invited"]
    assert summary["points_to_next_threshold"] == 20 and summary["tiers_available"] == []
    add_products(session, account, "Speedlite EL-5")  # 510
    assert points.points_summary(session, account)["invitation"]["invited"]
    add_products(session, account, "EOS R5")
    assert session.execute(select(func.count(Invitation.id))).scalar_one() == 1
    mails = session.execute(select(OutboxEmail).where(OutboxEmail.kind == "cps_invitation")).scalars().all()
    assert len(mails) == 1 and mails[0].to_address == account.email


def test_incomplete_products_do_not_count_towards_the_invitation(session, settings):
    _, account = validated_account(session, settings)
    products.register_product(session, account, model="EOS C300 Mark III")
    products.register_product(session, account, model="EOS R1")
    assert points.total_points(session, account) == 0
    assert points.get_invitation(session, account) is None


@pytest.mark.parametrize("total, codes, to_next", [
    (499, [], 1),
    (500, ["silver"], 500),
    (1000, ["silver", "gold"], 600),
    (2000, ["silver", "gold", "platinum"], 501),   # "with 2 000 points, any level"
    (2500, ["silver", "gold", "platinum"], 1),      # business tiers only *above* 2 500
    (2501, ["silver", "gold", "platinum", "business_a", "business_b", "business_c"], None),
])
def test_tiers_available_for_a_total(total, codes, to_next):
    assert [t.code for t in tiers.available_tiers(total)] == codes
    nxt = tiers.next_threshold(total)
    assert (nxt - total if nxt else None) == to_next


def test_tier_defaults_from_design():
    by_code = {t.code: t for t in tiers.load_tiers()}
    assert (by_code["silver"].min_points, by_code["silver"].annual_fee_eur) == (500, 100)
    assert (by_code["gold"].min_points, by_code["gold"].annual_fee_eur) == (1000, 200)
    assert (by_code["platinum"].min_points, by_code["platinum"].annual_fee_eur) == (1600, 350)
    assert all(t.kind == "business" and t.min_points == 2501 for t in tiers.load_tiers() if t.code.startswith("business"))
