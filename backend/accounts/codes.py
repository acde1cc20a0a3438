"""What every one-time code shares (the desk's reset codes, the codes sent by SMS): a keyed hash instead of
the code, tries counted before comparing, spending once, and the new password that ends other sessions."""
import hashlib
import hmac

from flask import current_app
from sqlalchemy import update

from backend.accounts.models import User
from backend.accounts.services import end_all_sessions, hash_password, start_session
from backend.common.models import utcnow
from backend.extensions import db


def code_digest(subject: str, code: str) -> str:
    """The code as kept: an HMAC under the app's key, bound to whom (and what) it is for."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{subject}:{code}".encode(), hashlib.sha256).hexdigest()


def try_code(model, row, subject: str, code: str, tries: int) -> bool:
    """Count this try, then compare. The try is counted in one conditional statement and committed first,
    so guesses sent at the same moment get no more comparisons between them than `tries`."""
    counted = db.session.execute(update(model).where(model.id == row.id, model.attempts < tries)
                                 .values(attempts=model.attempts + 1))
    db.session.commit()
    return counted.rowcount == 1 and hmac.compare_digest(row.code_hash, code_digest(subject, code))


def spend_code(model, row) -> bool:
    """Mark the code used, once: of requests racing with the right code, one gets True."""
    spent = db.session.execute(update(model).where(model.id == row.id, model.used_at.is_(None))
                               .values(used_at=utcnow()))
    return spent.rowcount == 1


def set_password_and_log_in(user: User, new_password: str) -> User:
    """The new password; every other session ends, this one starts."""
    user.password_hash = hash_password(new_password)
    end_all_sessions(user)
    db.session.commit()
    db.session.refresh(user)
    start_session(user)
    return user
