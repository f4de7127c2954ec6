"""`cps-backend` command line: migrate, demo-data, validate, reject, request-document, serve, send-outbox,
import-old-accounts."""
from __future__ import annotations

import argparse
import csv
import logging
import sys
from datetime import date

from sqlalchemy import select

from .config import get_settings
from .db import make_engine, make_sessionmaker
from .errors import DomainError


def _session(settings):
    engine = make_engine(settings.database_url)
    return make_sessionmaker(engine)()


def cmd_migrate(args, settings) -> int:
    from .migrate import upgrade
    upgrade(settings.database_url)
    print("database at the latest revision")
    return 0


def cmd_demo_data(args, settings) -> int:
    from .demo import build_demo_data
    from .migrate import upgrade
    upgrade(settings.database_url)
    with _session(settings) as session:
        result = build_demo_data(session, settings)
    print(f"demo customers: {result['created']} created, {result['present']} already present")
    return 0


def cmd_validate(args, settings) -> int:
    from .services.accounts import validate_application
    with _session(settings) as session:
        validate_application(session, settings, args.ref)
    print(f"{args.ref}: validated; business account created and password e-mail queued")
    return 0


def cmd_reject(args, settings) -> int:
    from .services.applications import reject_application
    with _session(settings) as session:
        reject_application(session, args.ref, " ".join(args.reason))
    print(f"{args.ref}: rejected")
    return 0


def cmd_request_document(args, settings) -> int:
    from .services.applications import request_document
    with _session(settings) as session:
        request_document(session, settings, args.ref, " ".join(args.reason))
    print(f"{args.ref}: waiting for a document; a one-time upload link was e-mailed to the applicant")
    return 0


def cmd_send_outbox(args, settings) -> int:
    from .services.outbox import send_pending
    host = args.host or settings.smtp_host
    if not host:
        print("no SMTP host: pass --host or set SMTP_HOST", file=sys.stderr)
        return 2
    with _session(settings) as session:
        sent = send_pending(session, host, args.port or settings.smtp_port)
    print(f"{sent} e-mail(s) sent")
    return 0


def cmd_import_old_accounts(args, settings) -> int:
    """CSV columns: email, membership_number, holder_name, model, serial_number, purchase_date,
    country_of_purchase, dealer (one row per product; repeated rows of one account are fine)."""
    from .models import OldCpsAccount, OldCpsProduct
    from .services.common import normalize_email
    accounts = products = 0
    with _session(settings) as session, open(args.csv_file, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            email = normalize_email(row["email"])
            old = session.execute(select(OldCpsAccount).where(OldCpsAccount.email == email)).scalar_one_or_none()
            if old is None:
                old = OldCpsAccount(email=email, membership_number=row["membership_number"].strip(),
                                    holder_name=(row.get("holder_name") or "").strip() or None)
                session.add(old)
                session.flush()
                accounts += 1
            serial = (row.get("serial_number") or "").strip().upper() or None
            if serial and session.execute(select(OldCpsProduct.id).where(
                    OldCpsProduct.old_account_id == old.id, OldCpsProduct.serial_number == serial)).first():
                continue
            if (row.get("model") or "").strip():
                pd = (row.get("purchase_date") or "").strip()
                session.add(OldCpsProduct(old_account_id=old.id, model=row["model"].strip(), serial_number=serial,
                                          purchase_date=date.fromisoformat(pd) if pd else None,
                                          country_of_purchase=(row.get("country_of_purchase") or "").strip().upper() or None,
                                          dealer=(row.get("dealer") or "").strip() or None))
                products += 1
        session.commit()
    print(f"imported {accounts} old account(s), {products} product(s)")
    return 0


def _redacting_log_config() -> dict:
    """uvicorn's logging with bot/log_redaction.py's filter on every handler (and on the root's):
    no secrets, e-mail addresses, codes or VAT numbers in the backend's logs."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    from bot import log_redaction
    log_redaction.install()
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact": {"()": "bot.log_redaction.RedactingFilter"}}
    for handler in config["handlers"].values():
        handler["filters"] = ["redact"]
    return config


def cmd_serve(args, settings) -> int:
    import uvicorn
    if not args.no_migrate:
        from .migrate import upgrade
        upgrade(settings.database_url)
    uvicorn.run("backend.app:create_app", factory=True, host=args.host, port=args.port,
                log_level=args.log_level, workers=1, log_config=_redacting_log_config(),
                ws="none")  # no websockets here; uvicorn's ws module breaks with the websockets pinned by rasa
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cps-backend", description="CPS onboarding backend")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="upgrade the database to the latest schema").set_defaults(func=cmd_migrate)
    sub.add_parser("demo-data", help="create demo customers (idempotent)").set_defaults(func=cmd_demo_data)
    s = sub.add_parser("validate", help="validate an application: creates the business account")
    s.add_argument("ref")
    s.set_defaults(func=cmd_validate)
    s = sub.add_parser("reject", help="reject an application with a reason")
    s.add_argument("ref")
    s.add_argument("reason", nargs="+")
    s.set_defaults(func=cmd_reject)
    s = sub.add_parser("request-document", help="ask the applicant for a (new) document")
    s.add_argument("ref")
    s.add_argument("reason", nargs="+")
    s.set_defaults(func=cmd_request_document)
    s = sub.add_parser("send-outbox", help="relay queued e-mails to an SMTP server")
    s.add_argument("--host")
    s.add_argument("--port", type=int)
    s.set_defaults(func=cmd_send_outbox)
    s = sub.add_parser("import-old-accounts", help="import old CPS accounts and products from CSV")
    s.add_argument("csv_file")
    s.set_defaults(func=cmd_import_old_accounts)
    s = sub.add_parser("serve", help="run the HTTP API (migrates first)")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--log-level", default="info")
    s.add_argument("--no-migrate", action="store_true")
    s.set_defaults(func=cmd_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        return args.func(args, get_settings())
    except DomainError as exc:
        print(f"error: {exc.code}: {exc.detail}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
