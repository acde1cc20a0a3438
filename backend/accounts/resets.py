"""Forgotten passwords: staff check the person at the desk and issue a one-time code; the code, their phone
and a new password log them back in and end every other session."""
import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import exists, select, update

from backend.accounts.models import Membership, PasswordReset, Residency, User
from backend.accounts.passwords import refuse_weak_password
from backend.accounts.services import _user_by_phone, end_all_sessions, hash_password, start_session
from backend.common.fields import normalize_phone
from backend.common.models import utcnow
from backend.errors import Invalid, NotFound
from backend.extensions import db


def _digest(user_id: int, code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{user_id}:{code}".encode(), hashlib.sha256).hexdigest()


def _resident_of(community_id: int, user_id: int) -> User:
    """Verified residents of this community only: a claim its staff have not checked is no reason to trust
    them with the account, and a staff member's or administrator's password is not for a desk to reset."""
    user = db.session.scalar(select(User).where(
        User.id == user_id, User.active, ~User.is_admin,
        exists().where(Residency.user_id == User.id, Residency.community_id == community_id,
                       Residency.status == "verified"),
        ~exists().where(Membership.user_id == User.id, Membership.role == "staff")))
    if user is None:
        raise NotFound("No resident of this community has that id.")
    return user


def issue_reset_code(community_id: int, user_id: int, staff: User) -> dict:
    """A fresh eight-digit code; any older unused one stops working."""
    user = _resident_of(community_id, user_id)
    now = utcnow()
    db.session.execute(update(PasswordReset).where(PasswordReset.user_id == user.id,
                                                   PasswordReset.used_at.is_(None)).values(expires_at=now))
    code = f"{secrets.randbelow(10**8):08d}"
    reset = PasswordReset(community_id=community_id, user_id=user.id, code_hash=_digest(user.id, code),
                          issued_by_id=staff.id,
                          expires_at=now + timedelta(minutes=current_app.config["PASSWORD_RESET_MINUTES"]))
    db.session.add(reset)
    db.session.commit()
    return {"code": code, "expires_at": reset.expires_at, "user": user}


def _wrong_code() -> Invalid:
    return Invalid("The code is wrong or has expired. Ask the community desk for a new one.",
                   "reset_code_invalid", {"code": ["Wrong or expired code."]})


def reset_password(phone: str, code: str, new_password: str) -> User:
    """Set the new password with the code, once: the code is spent in the same statement that checks it."""
    user = _user_by_phone(normalize_phone(phone) or "")
    reset = user and db.session.scalar(
        select(PasswordReset).where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None),
                                    PasswordReset.expires_at > utcnow())
        .order_by(PasswordReset.id.desc()).limit(1))
    if not reset:
        raise _wrong_code()
    # Every try is counted before the code is compared, in one conditional statement, so guesses sent at
    # the same moment get no more comparisons between them than PASSWORD_RESET_TRIES.
    counted = db.session.execute(update(PasswordReset).where(
        PasswordReset.id == reset.id, PasswordReset.attempts < current_app.config["PASSWORD_RESET_TRIES"])
        .values(attempts=PasswordReset.attempts + 1))
    db.session.commit()
    if counted.rowcount != 1 or not hmac.compare_digest(reset.code_hash, _digest(user.id, code)):
        raise _wrong_code()
    refuse_weak_password(new_password, "new_password", user.phone, user.name)
    spent = db.session.execute(update(PasswordReset).where(PasswordReset.id == reset.id,
                                                           PasswordReset.used_at.is_(None))
                               .values(used_at=utcnow()))
    if spent.rowcount != 1:
        db.session.rollback()
        raise _wrong_code()
    user.password_hash = hash_password(new_password)
    end_all_sessions(user)
    db.session.commit()
    db.session.refresh(user)
    start_session(user)
    return user
