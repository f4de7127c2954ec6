"""Product catalogue (data/catalogue.csv) and product registration with the mandatory details."""
from __future__ import annotations

import csv
import logging
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..data import DATA_DIR
from ..errors import DomainError
from ..models import BusinessAccount, Product, utcnow
from .common import local_today
from .markets import get_market

log = logging.getLogger(__name__)

# The guide: serial number, purchase date, country of purchase, dealer. All present ⇒ green tick.
MANDATORY_FIELDS = ("serial_number", "purchase_date", "country_of_purchase", "dealer")
EARLIEST_PURCHASE = date(1970, 1, 1)
_SERIAL_RE = re.compile(r"^[A-Z0-9][A-Z0-9\-/]{3,39}$")
ISO_COUNTRIES = frozenset("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW
BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI
FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN
IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME
MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF
PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE
YT ZA ZM ZW""".split())


@dataclass(frozen=True)
class CatalogueItem:
    model: str
    category: str
    points: int


@lru_cache(maxsize=1)
def load_catalogue() -> dict[str, CatalogueItem]:
    """Keyed by the model name folded to lower case (customers type "eos r5", "EOS R5")."""
    with open(DATA_DIR / "catalogue.csv", newline="", encoding="utf-8") as fh:
        items = [CatalogueItem(r["model"].strip(), r["category"].strip(), int(r["points"])) for r in csv.DictReader(fh)]
    return {_fold(i.model): i for i in items}


def _fold(model: str) -> str:
    return " ".join((model or "").split()).casefold()


def catalogue_item(model: str) -> CatalogueItem | None:
    return load_catalogue().get(_fold(model))


def missing_fields(p: Product) -> list[str]:
    return [f for f in MANDATORY_FIELDS if getattr(p, f) in (None, "")]


def product_points(p: Product) -> int:
    """Points count only once every mandatory detail is there (the green tick)."""
    item = catalogue_item(p.model)
    return item.points if item and not missing_fields(p) else 0


def describe(p: Product) -> dict:
    item = catalogue_item(p.model)
    missing = missing_fields(p)
    return {
        "id": p.id, "model": p.model, "category": item.category if item else None,
        "serial_number": p.serial_number, "purchase_date": p.purchase_date,
        "country_of_purchase": p.country_of_purchase, "dealer": p.dealer, "source": p.source,
        "green_tick": not missing, "missing": missing,
        "points": product_points(p), "catalogue_points": item.points if item else 0,
    }


# --- field rules ---------------------------------------------------------------------------------

def clean_serial(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    serial = re.sub(r"\s+", "", value).upper()
    if not _SERIAL_RE.match(serial):
        raise DomainError("serial_invalid", "A serial number has 4–40 letters or digits", field="serial_number")
    return serial


def clean_purchase_date(value: date | None, account_country: str) -> date | None:
    if value is None:
        return None
    # "Today" in the customer's own time zone, so a purchase made this morning is never "future".
    today = local_today(get_market(account_country).timezone)
    if value > today:
        raise DomainError("purchase_date_in_future", "The purchase date cannot be in the future",
                          field="purchase_date", today=today.isoformat())
    if value < EARLIEST_PURCHASE:
        raise DomainError("purchase_date_invalid", "The purchase date is too far in the past", field="purchase_date")
    return value


def clean_country(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    code = value.strip().upper()
    if code not in ISO_COUNTRIES:
        raise DomainError("country_invalid", "Country of purchase must be an ISO 3166 two-letter code",
                          field="country_of_purchase")
    return code


def clean_dealer(value: str | None) -> str | None:
    if value is None:
        return None
    dealer = " ".join(value.split())
    if len(dealer) > 200:
        raise DomainError("dealer_invalid", "The dealer name is too long", field="dealer")
    return dealer or None


def _serial_owner_reason(session: Session, serial: str, account: BusinessAccount) -> DomainError:
    owner = session.execute(select(Product.account_id).where(Product.serial_number == serial)).scalar_one_or_none()
    if owner == account.id:
        return DomainError("serial_taken", "This serial number is already registered on your account",
                           field="serial_number", registered_by="this_account")
    # Never say which account: only that it is another one.
    return DomainError("serial_taken", "This serial number is already registered by another account; "
                       "contact CPS Priority Support if the product is yours",
                       field="serial_number", registered_by="another_account")


def _commit_with_serial(session: Session, account: BusinessAccount, serial: str | None) -> None:
    """Commit; the unique index on serial_number decides races between two registrations."""
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        if serial:
            raise _serial_owner_reason(session, serial, account) from None
        raise


# --- operations ----------------------------------------------------------------------------------

def list_products(session: Session, account: BusinessAccount) -> list[Product]:
    return list(session.execute(select(Product).where(Product.account_id == account.id).order_by(Product.id)).scalars())


def register_product(session: Session, account: BusinessAccount, *, model: str, serial_number: str | None = None,
                     purchase_date: date | None = None, country_of_purchase: str | None = None,
                     dealer: str | None = None) -> Product:
    item = catalogue_item(model)
    if item is None:
        raise DomainError("unknown_model", "This model is not in the CPS product catalogue", field="model")
    country = account.application.country
    serial = clean_serial(serial_number)
    if serial and session.execute(select(Product.id).where(Product.serial_number == serial)).first():
        raise _serial_owner_reason(session, serial, account)
    now = utcnow()
    product = Product(account_id=account.id, model=item.model, serial_number=serial,
                      purchase_date=clean_purchase_date(purchase_date, country),
                      country_of_purchase=clean_country(country_of_purchase), dealer=clean_dealer(dealer),
                      source="registered", registered_at=now, updated_at=now)
    session.add(product)
    _flush_and_refresh_points(session, account, serial)
    log.info("product %s registered on account %s (%s)", product.id, account.id, item.model)
    return product


def get_own_product(session: Session, account: BusinessAccount, product_id: int) -> Product:
    product = session.get(Product, product_id)
    if product is None or product.account_id != account.id:
        raise DomainError("not_found", "No such product on your account")  # same answer for others' ids
    return product


def update_product(session: Session, account: BusinessAccount, product_id: int, changes: dict) -> Product:
    """Complete or correct details; only the fields present in `changes` are touched."""
    product = get_own_product(session, account, product_id)
    country = account.application.country
    serial = None
    if "serial_number" in changes:
        serial = clean_serial(changes["serial_number"])
        if serial and serial != product.serial_number and session.execute(
                select(Product.id).where(Product.serial_number == serial)).first():
            raise _serial_owner_reason(session, serial, account)
        product.serial_number = serial
    if "purchase_date" in changes:
        product.purchase_date = clean_purchase_date(changes["purchase_date"], country)
    if "country_of_purchase" in changes:
        product.country_of_purchase = clean_country(changes["country_of_purchase"])
    if "dealer" in changes:
        product.dealer = clean_dealer(changes["dealer"])
    product.updated_at = utcnow()
    _flush_and_refresh_points(session, account, serial)
    return product


def _flush_and_refresh_points(session: Session, account: BusinessAccount, serial: str | None) -> None:
    from .points import refresh_invitation  # late import: points reads products
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        if serial:
            raise _serial_owner_reason(session, serial, account) from None
        raise
    refresh_invitation(session, account)
    _commit_with_serial(session, account, serial)
