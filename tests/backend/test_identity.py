"""Login tokens and one-time codes (service level)."""
import re

import jwt
import pytest
from sqlalchemy import select, update

from backend.errors import DomainError
from backend.models import LoginCode, OutboxEmail
from backend.services import identity

from .helpers import new_application

SECRET = "dev-login-secret"


def test_token_round_trip_and_failures():
    token = identity.issue_login_token("c-abc", secret=SECRET)
    assert identity.verify_login_token(token, SECRET) == "c-abc"
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert claims["exp"] - claims["iat"] == 3600
    for bad in (identity.issue_login_token("c-abc", secret="other"),
                identity.issue_login_token("c-abc", ttl_seconds=-10, secret=SECRET),
                jwt.encode({"sub": "c-abc"}, SECRET, algorithm="HS256"),     # no exp/iat
                "not.a.token", ""):
        with pytest.raises(DomainError) as err:
            identity.verify_login_token(bad, SECRET)
        assert err.value.code == "token_invalid"


def _last_code(session) -> str:
    body = session.execute(select(OutboxEmail.body).where(OutboxEmail.kind == "login_code")
                           .order_by(OutboxEmail.id.desc())).scalars().first()
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_code_flow(session, settings):
    app, _ = new_application(session, settings)
    identity.request_code(session, app.contact_email.upper(), settings)
    code = _last_code(session)
    token = identity.verify_code(session, app.contact_email, code, settings)
    assert identity.verify_login_token(token, settings.login_token_secret) == app.ref
    with pytest.raises(DomainError) as err:  # single use
        identity.verify_code(session, app.contact_email, code, settings)
    assert err.value.code == "code_invalid"


def test_unknown_email_gets_nothing(session, settings):
    identity.request_code(session, "nobody@example.com", settings)
    identity.request_code(session, "not an email", settings)
    assert session.execute(select(OutboxEmail)).first() is None
    with pytest.raises(DomainError) as err:
        identity.verify_code(session, "nobody@example.com", "123456", settings)
    assert err.value.code == "code_invalid"


def test_five_wrong_tries_lock_the_code(session, settings):
    app, _ = new_application(session, settings)
    identity.request_code(session, app.contact_email, settings)
    code = _last_code(session)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    codes = []
    for _ in range(5):
        with pytest.raises(DomainError) as err:
            identity.verify_code(session, app.contact_email, wrong, settings)
        codes.append(err.value.code)
    assert codes == ["code_invalid"] * 4 + ["too_many_attempts"]
    with pytest.raises(DomainError) as err:
        identity.verify_code(session, app.contact_email, code, settings)  # even the right one
    assert err.value.code == "too_many_attempts"


def test_code_expires(session, settings):
    app, _ = new_application(session, settings)
    identity.request_code(session, app.contact_email, settings)
    code = _last_code(session)
    session.execute(update(LoginCode).values(expires_at=LoginCode.created_at))
    session.commit()
    with pytest.raises(DomainError) as err:
        identity.verify_code(session, app.contact_email, code, settings)
    assert err.value.code == "code_invalid"


def test_codes_are_throttled_per_hour(session, settings):
    app, _ = new_application(session, settings)
    for _ in range(settings.login_codes_per_hour + 3):
        identity.request_code(session, app.contact_email, settings)
    sent = session.execute(select(OutboxEmail).where(OutboxEmail.kind == "login_code")).scalars().all()
    assert len(sent) == settings.login_codes_per_hour


def test_codes_are_not_stored_in_clear(session, settings):
    app, _ = new_application(session, settings)
    identity.request_code(session, app.contact_email, settings)
    code = _last_code(session)
    row = session.execute(select(LoginCode)).scalar_one()
    assert code not in row.code_hash and len(row.code_hash) == 64
