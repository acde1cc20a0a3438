"""Logging in and resetting a password with a six-digit code sent to the phone.

Asking for a code answers the same whether the phone has an account or not (only an active account is sent
one); every request is a row of sms_message, which the per-phone limits count under a lock."""
import secrets
import zlib
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select, update

from backend.accounts.codes import code_digest, set_password_and_log_in, spend_code, try_code
from backend.accounts.models import User
from backend.accounts.passwords import refuse_weak_password
from backend.accounts.services import _user_by_phone, start_session
from backend.common.db import is_postgres
from backend.common.fields import normalize_phone
from backend.common.models import utcnow
from backend.errors import DomainError, Invalid
from backend.extensions import db
from backend.sms import send
from backend.sms.models import SmsMessage

CODE_PURPOSES = ("login", "reset")


class SmsTooSoon(DomainError):
    status = 429


class SmsUnavailable(DomainError):
    status = 503


def _subject(user_id: int, purpose: str) -> str:
    return f"sms:{purpose}:{user_id}"


def _lock_phone(phone: str) -> None:
    """Requests for one phone take turns from here to the commit. SQLite: a write transaction (BEGIN
    IMMEDIATE) already excludes every other writer."""
    if is_postgres():
        db.session.execute(select(func.pg_advisory_xact_lock(zlib.crc32(f"sms:{phone}".encode()))))


def _wait_seconds(phone: str, now) -> int:
    """0 when a code may be sent now, else how long until the per-phone limits allow one."""
    config = current_app.config
    sent = db.session.scalars(
        select(SmsMessage.created_at).where(SmsMessage.phone == phone, SmsMessage.purpose.in_(CODE_PURPOSES),
                                            SmsMessage.created_at > now - timedelta(hours=1))
        .order_by(SmsMessage.created_at.desc())).all()
    waits = [0]
    if sent:
        waits.append((sent[0] + timedelta(seconds=config["SMS_RESEND_SECONDS"]) - now).total_seconds())
    if len(sent) >= config["SMS_PHONE_HOURLY"]:
        waits.append((sent[config["SMS_PHONE_HOURLY"] - 1] + timedelta(hours=1) - now).total_seconds())
    return max(0, int(-(-max(waits) // 1)))


def _too_soon(wait: int) -> SmsTooSoon:
    return SmsTooSoon(f"Too many codes for this phone. Try again in {wait} seconds.", "sms_too_soon",
                      details={"retry_after": wait})


def _record(phone: str, purpose: str, user: User | None, code: str) -> SmsMessage:
    """The row for this request, written under the phone's lock; a newer code voids the older ones."""
    now = utcnow()
    _lock_phone(phone)
    if wait := _wait_seconds(phone, now):
        raise _too_soon(wait)
    db.session.execute(update(SmsMessage).where(SmsMessage.phone == phone, SmsMessage.purpose == purpose,
                                                SmsMessage.used_at.is_(None), SmsMessage.expires_at > now)
                       .values(expires_at=now))
    message = SmsMessage(phone=phone, purpose=purpose, status="skipped", created_at=now,
                         provider=current_app.config["SMS_PROVIDER"])
    if user is not None:
        message.user_id, message.status = user.id, "pending"
        message.code_hash = code_digest(_subject(user.id, purpose), code)
        message.expires_at = now + timedelta(minutes=current_app.config["SMS_CODE_MINUTES"])
    db.session.add(message)
    db.session.commit()
    return message


def request_code(phone: str, purpose: str) -> dict:
    """Send a code to an active account's phone; the answer is the same for any phone."""
    config = current_app.config
    user = _user_by_phone(phone)
    account = user if user is not None and user.active else None
    code = f"{secrets.randbelow(10**6):06d}"
    message = _record(phone, purpose, account, code)
    if account is not None:
        _deliver(message, code)
    return {"resend_after": config["SMS_RESEND_SECONDS"], "expires_in": config["SMS_CODE_MINUTES"] * 60}


def _deliver(message: SmsMessage, code: str) -> None:
    # Sent after the commit: the phone's lock is not held while the provider answers.
    result = send(message.phone, message.purpose, {"code": code, "minutes": current_app.config["SMS_CODE_MINUTES"]})
    message.status, message.provider_message_id = result.status, result.message_id[:64]
    if not result.sent:
        message.expires_at = utcnow()  # a code that never arrived must not be guessable either
    db.session.commit()
    if result.status == "throttled":
        raise _too_soon(current_app.config["SMS_RESEND_SECONDS"])
    if not result.sent:
        raise SmsUnavailable("Text messages cannot be sent right now. Try again later or use your password.",
                             "sms_unavailable")


def _wrong_code() -> Invalid:
    return Invalid("The code is wrong or has expired. Ask for a new one.", "sms_code_invalid",
                   {"code": ["Wrong or expired code."]})


def _checked(phone: str, purpose: str, code: str) -> tuple[User, SmsMessage]:
    """The account and its newest live code, when this code is it; the try is counted either way."""
    user = _user_by_phone(normalize_phone(phone) or "")
    message = user is not None and user.active and db.session.scalar(
        select(SmsMessage).where(SmsMessage.user_id == user.id, SmsMessage.phone == user.phone,
                                 SmsMessage.purpose == purpose, SmsMessage.used_at.is_(None),
                                 SmsMessage.expires_at > utcnow())
        .order_by(SmsMessage.id.desc()).limit(1))
    if not message or not try_code(SmsMessage, message, _subject(user.id, purpose), code,
                                   current_app.config["SMS_CODE_TRIES"]):
        raise _wrong_code()
    return user, message


def _spend(message: SmsMessage) -> None:
    if not spend_code(SmsMessage, message):
        db.session.rollback()
        raise _wrong_code()


def login_with_code(phone: str, code: str) -> User:
    user, message = _checked(phone, "login", code)
    _spend(message)
    db.session.commit()
    start_session(user)
    return user


def reset_with_code(phone: str, code: str, new_password: str) -> User:
    """A weak password is refused before the code is spent, so it can be used again with a better one."""
    user, message = _checked(phone, "reset", code)
    refuse_weak_password(new_password, "new_password", user.phone, user.name)
    _spend(message)
    return set_password_and_log_in(user, new_password)
