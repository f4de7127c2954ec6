"""Demo customers in all six markets, covering every onboarding state. Built through the real
services (application → document → validation → products → enrolment), so they behave like real data.
`build_demo_data` is idempotent: customers that already exist are left as they are."""
from __future__ import annotations

import io
import logging
import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from .config import Settings
from .models import Application, OldCpsAccount, OldCpsProduct, utcnow
from .services import accounts, applications, enrolment, products
from .services.points import total_points

log = logging.getLogger(__name__)
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"

# Product sets that give exact totals with data/catalogue.csv (checked when building).
SETS = {
    "some": ["EOS R6 Mark II", "RF 24-70mm F2.8L IS USM"],                                   # 350
    "480": ["EOS R8", "RF 24-70mm F2.8L IS USM", "RF 70-200mm F2.8L IS USM", "RF 35mm F1.8 Macro IS STM"],
    "2100": ["EOS R5 Mark II", "EOS R3", "RF 600mm F4L IS USM", "RF 100-500mm F4.5-7.1L IS USM",
             "RF 28-70mm F2L USM", "RF 15-35mm F2.8L IS USM", "RF 70-200mm F2.8L IS USM",
             "RF 24-70mm F2.8L IS USM", "RF 85mm F1.2L USM", "RF 50mm F1.2L USM"],
    "2700": ["EOS R1", "EOS C300 Mark III", "EOS-1D X Mark III", "EOS R5 Mark II", "RF 600mm F4L IS USM",
             "RF 100-500mm F4.5-7.1L IS USM", "RF 28-70mm F2L USM", "RF 70-200mm F2.8L IS USM",
             "RF 24-70mm F2.8L IS USM", "imagePROGRAF PRO-1000", "Speedlite EL-5"],
    "1080": ["EOS R5 Mark II", "EOS R6 Mark II", "RF 24-70mm F2.8L IS USM", "RF 70-200mm F2.8L IS USM",
             "RF 85mm F1.2L USM", "RF 15-35mm F2.8L IS USM"],
    "650": ["EOS R3", "RF 100-500mm F4.5-7.1L IS USM", "RF 50mm F1.2L USM"],
    "old": ["EOS 5D Mark IV", "EF 24-105mm f/4L IS II USM", "EF 70-200mm f/2.8L IS III USM"],   # 475
}
TOTALS = {"480": 480, "2100": 2100, "2700": 2700, "1080": 1080, "650": 650, "some": 350}

STATES = {
    "pending": "Application submitted with its document; waiting for validation",
    "waiting-document": "Application submitted; staff asked for a readable document",
    "rejected": "Application rejected (the document did not show the company name)",
    "no-old-email": "Validated business account; no old CPS e-mail was given, so no MIGRATE PRODUCTS button",
    "migrate": "Validated business account; the old CPS e-mail matches an old account whose products are not migrated yet",
    "migrated": "Validated business account; old CPS products already migrated",
    "old-email-not-matching": "Validated business account; the old CPS e-mail given matches no old CPS account",
    "missing-details": "Validated business account; some products lack mandatory details (no green tick)",
    "points-480": "Validated business account with 480 points: 20 short of the CPS invitation",
    "points-2100": "Validated business account with 2 100 points: invited, Silver/Gold/Platinum available",
    "points-2700": "Validated business account with 2 700 points: business tiers available too",
    "enrolled-card": "CPS member (Gold), paid by card: charged on the invoice due date",
    "enrolled-bank": "CPS member (Silver), paying by bank transfer by the invoice due date",
}


@dataclass(frozen=True)
class DemoCustomer:
    ref: str
    language: str
    country: str
    company: str
    state: str
    vat_registered: bool = True
    old_email: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def description(self) -> str:
        return STATES[self.state]

    @property
    def email(self) -> str:
        return f"{self.ref}@demo.example.com"


def _c(lang: str, country: str, state: str, company: str, **kw) -> DemoCustomer:
    return DemoCustomer(ref=f"demo-{lang}-{state}", language=lang, country=country, company=company, state=state, **kw)


DEMO_CUSTOMERS: tuple[DemoCustomer, ...] = (
    _c("en", "GB", "pending", "Thames Light Studio Ltd"),
    _c("en", "GB", "no-old-email", "Harbour Lane Photography Ltd"),
    _c("en", "IE", "migrate", "Liffey Frames Media Ltd", old_email="old.cps@liffeyframes.example.com"),
    _c("en", "IE", "missing-details", "Galway Bay Films", vat_registered=False),
    _c("en", "GB", "points-480", "Northern Reel Productions Ltd"),
    _c("en", "GB", "enrolled-card", "Kestrel Press Agency Ltd"),
    _c("fi", "FI", "pending", "Revontuli Kuva Oy"),
    _c("fi", "FI", "no-old-email", "Saimaan Studio Oy"),
    _c("fi", "FI", "migrate", "Kuvatoimisto Pohjoistuuli Oy", old_email="vanha.cps@pohjoistuuli.example.com"),
    _c("fi", "FI", "missing-details", "Toiminimi Aino Lehtonen", vat_registered=False),
    _c("fi", "FI", "points-2100", "Helsingin Mediatuotanto Oy"),
    _c("fi", "FI", "enrolled-bank", "Lapin Luontokuva Oy"),
    _c("et", "EE", "pending", "Tallinna Fotostuudio OÜ"),
    _c("et", "EE", "no-old-email", "Pärnu Pildimeistrid OÜ"),
    _c("et", "EE", "migrate", "Tartu Videotootmine OÜ", old_email="vana.cps@tartuvideo.example.com"),
    _c("et", "EE", "missing-details", "Saaremaa Kaader OÜ"),
    _c("et", "EE", "points-2700", "Baltic Broadcast Services OÜ"),
    _c("et", "EE", "old-email-not-matching", "Narva Foto OÜ", old_email="unknown.old@narvafoto.example.com"),
    _c("nb", "NO", "pending", "Fjordlys Foto AS"),
    _c("nb", "NO", "no-old-email", "Bergen Bildebyrå AS"),
    _c("nb", "NO", "migrate", "Nordlys Film AS", old_email="gammel.cps@nordlysfilm.example.com"),
    _c("nb", "NO", "missing-details", "Tromsø Naturfoto ENK", vat_registered=False),
    _c("nb", "NO", "points-480", "Vestland Media AS"),
    _c("nb", "NO", "enrolled-card", "Oslo Pressefoto AS"),
    _c("lt", "LT", "pending", "UAB Vilniaus fotostudija"),
    _c("lt", "LT", "no-old-email", "UAB Kauno vaizdas"),
    _c("lt", "LT", "migrate", "UAB Baltijos kadras", old_email="senas.cps@baltijoskadras.example.com"),
    _c("lt", "LT", "missing-details", "UAB Nemuno filmai"),
    _c("lt", "LT", "points-2100", "UAB Klaipėdos medija"),
    _c("lt", "LT", "enrolled-bank", "UAB Šiaulių fotografai"),
    _c("lt", "LT", "rejected", "MB Trakų kadrai", vat_registered=False),
    _c("sv", "SE", "pending", "Ljusets Fotostudio AB"),
    _c("sv", "SE", "no-old-email", "Göteborgs Bildbyrå AB"),
    _c("sv", "SE", "migrate", "Norrsken Produktion AB", old_email="gammal.cps@norrsken.example.com"),
    _c("sv", "SE", "missing-details", "Skärgårdsfoto AB"),
    _c("sv", "SE", "points-2700", "Stockholm Broadcast AB"),
    _c("sv", "SE", "migrated", "Malmö Mediahus AB", old_email="gammal.cps@malmomedia.example.com"),
    _c("sv", "SE", "waiting-document", "Uppsala Bild & Form AB"),
)

DEMO_PASSWORD = "demo-password-2026"

_VAT_PATTERNS = {
    "FI": lambda n: f"FI{n % 10**8:08d}",
    "EE": lambda n: f"EE10{n % 10**7:07d}",
    "NO": lambda n: f"NO9{n % 10**8:08d}MVA",
    "LT": lambda n: f"LT{(n // 10) % 10**7:07d}1{n % 10}",
    "SE": lambda n: f"SE55{n % 10**8:08d}01",
    "GB": lambda n: f"GB{n % 10**9:09d}",
    "IE": lambda n: f"IE{(n // 23) % 10**7:07d}{'ABCDEFGHIJKLMNOPQRSTUVW'[n % 23]}",
}


def demo_vat_number(country: str, seed: str) -> str:
    """A deterministic, check-digit-valid VAT number for a demo company."""
    from stdnum import vatin
    n = zlib.crc32(seed.encode()) % 10**7 * 10
    for i in range(200_000):
        candidate = _VAT_PATTERNS[country](n + i)
        if vatin.is_valid(candidate):
            return candidate
    raise RuntimeError(f"no demo VAT number for {country}")


def _serial(ref: str, i: int, tag: str = "") -> str:
    return f"{tag}{zlib.crc32(ref.encode()) % 10**8:08d}{i:02d}"


def _product_details(c: DemoCustomer, i: int, tag: str = "") -> dict:
    return {"serial_number": _serial(c.ref, i, tag), "purchase_date": date(2021, 3, 1) + timedelta(days=97 * i),
            "country_of_purchase": c.country, "dealer": ["Foto Center", "Scandinavian Photo", "Camera House",
                                                         "Kamera Express", "Photo Point"][i % 5]}


def _ensure_old_account(session: Session, c: DemoCustomer) -> None:
    if session.execute(select(OldCpsAccount.id).where(OldCpsAccount.email == c.old_email)).first():
        return
    old = OldCpsAccount(email=c.old_email, holder_name=c.company,
                        membership_number=f"EU{zlib.crc32(c.old_email.encode()) % 10**7:07d}")
    session.add(old)
    session.flush()
    for i, model in enumerate(SETS["old"]):
        details = _product_details(c, i, tag="OLD")
        if i == 2:
            details["dealer"] = None  # one old product lacks a detail: no green tick after migration
        session.add(OldCpsProduct(old_account_id=old.id, model=model, **details))
    session.commit()


def _register(session: Session, account, c: DemoCustomer, set_name: str, missing: dict[int, tuple] = {}) -> None:
    for i, model in enumerate(SETS[set_name]):
        details = _product_details(c, i)
        for f in missing.get(i, ()):
            details[f] = None
        products.register_product(session, account, model=model, **details)


def build_customer(session: Session, settings: Settings, c: DemoCustomer) -> Application:
    if c.old_email and c.state != "old-email-not-matching":
        _ensure_old_account(session, c)
    validated = c.state not in ("pending", "waiting-document", "rejected")
    submitted = utcnow() - (timedelta(days=6) if validated else timedelta(0))
    app, token = applications.create_application(
        session, settings, company_name=c.company, country=c.country, contact_email=c.email,
        vat_registered=c.vat_registered, vat_number=demo_vat_number(c.country, c.ref) if c.vat_registered else None,
        old_cps_email=c.old_email, language=c.language, now=submitted, ref=c.ref)
    doc_type = "vat_certificate" if c.vat_registered else "business_licence"
    applications.upload_document(session, settings, token=token, document_type=doc_type, stream=io.BytesIO(MINIMAL_PDF))
    if c.state == "waiting-document":
        applications.request_document(session, settings, c.ref, "The document is not readable; please send a clearer copy")
        return app
    if c.state == "rejected":
        applications.reject_application(session, c.ref, "The document does not show the company name and address")
        return app
    if c.state == "pending":
        return app
    account = accounts.validate_application(session, settings, c.ref)
    # Every validated demo customer has already set the password from the e-mail (they use the account).
    account.password_hash, account.password_set_at = accounts._hash_password(DEMO_PASSWORD), utcnow()
    session.commit()
    state = c.state
    if state == "no-old-email":
        _register(session, account, c, "some")
    elif state == "missing-details":
        _register(session, account, c, "some", missing={0: ("serial_number", "dealer"), 1: ("purchase_date",)})
    elif state == "migrated":
        accounts.migrate_products(session, app)
    elif state.startswith("points-"):
        _register(session, account, c, state.split("-")[1])
    elif state.startswith("enrolled-"):
        card = state == "enrolled-card"
        _register(session, account, c, "1080" if card else "650")
        enrolment.enrol(session, settings, app, tier_code="gold" if card else "silver",
                        payment_method="card" if card else "bank_transfer", idempotency_key=f"demo-{c.ref}")
    expected = TOTALS.get(state.split("-")[1]) if state.startswith("points-") else None
    if expected is not None and total_points(session, account) != expected:
        raise RuntimeError(f"{c.ref}: catalogue points changed; expected {expected}")
    return app


def build_demo_data(session: Session, settings: Settings) -> dict:
    """Create the missing demo customers. Returns counts of created and already present ones."""
    existing = set(session.execute(select(Application.ref).where(
        Application.ref.in_([c.ref for c in DEMO_CUSTOMERS]))).scalars())
    created = 0
    for c in DEMO_CUSTOMERS:
        if c.ref in existing:
            continue
        build_customer(session, settings, c)
        created += 1
    log.info("demo data: %d created, %d already present", created, len(existing))
    return {"created": created, "present": len(existing)}


