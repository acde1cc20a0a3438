"""Forgotten passwords: staff check the person at the desk and issue a one-time code; the code, their phone
and a new password log them back in and end every other session."""
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import exists, select, update

from backend.accounts.codes import code_digest, set_password_and_log_in, spend_code, try_code
from backend.accounts.models import Membership, PasswordReset, Residency, User
from backend.accounts.passwords import refuse_weak_password
from backend.accounts.services import _user_by_phone
from backend.common.fields import normalize_phone
from backend.common.models import utcnow
from backend.errors import Invalid, NotFound
from backend.extensions import db


def _digest(user_id: int, code: str) -> str:
    return code_digest(str(user_id), code)


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
    if not try_code(PasswordReset, reset, str(user.id), code, current_app.config["PASSWORD_RESET_TRIES"]):
        raise _wrong_code()
    refuse_weak_password(new_password, "new_password", user.phone, user.name)
    if not spend_code(PasswordReset, reset):
        db.session.rollback()
        raise _wrong_code()
    return set_password_and_log_in(user, new_password)
