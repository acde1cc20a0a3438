"""A code shown on a screen that changes every WINDOW seconds: `<subject>.<window>.<mac>`, signed with the app's
secret for one purpose and one community, so a code of one use (or one community) never passes for another.
The previous window's code is still accepted, so a scan just as the code changes goes through."""
import hashlib
import hmac
import re
from datetime import UTC, datetime

from flask import current_app

from backend.errors import Conflict, Invalid

WINDOW = 30  # seconds a code lasts
TOKEN = re.compile(r"(.{1,40})\.([1-9][0-9]{0,11})\.([0-9a-f]{20})")


def _mac(purpose: str, community_id: int, subject: str, window: int) -> str:
    message = f"{purpose}:{community_id}:{subject}:{window}".encode()
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:20]


def window(now: datetime) -> int:
    return int(now.timestamp()) // WINDOW


def issue(purpose: str, community_id: int, subject: str, now: datetime) -> dict:
    """{"token", "expires_at"}: the code of `subject` (e.g. "12" or "12.i") for this window."""
    current = window(now)
    return {"token": f"{subject}.{current}.{_mac(purpose, community_id, subject, current)}",
            "expires_at": datetime.fromtimestamp((current + 1) * WINDOW, UTC)}


def read(purpose: str, community_id: int, token: str, subject: re.Pattern, now: datetime) -> re.Match:
    """The match of `subject` in a genuine, current code of this purpose and community; else token_invalid (422)
    or token_expired (409)."""
    match = TOKEN.fullmatch(token)
    found = match and subject.fullmatch(match[1])
    if not found:
        raise Invalid("This is not a check-in code.", "token_invalid")
    at = int(match[2])
    if not hmac.compare_digest(match[3], _mac(purpose, community_id, match[1], at)):
        raise Invalid("This is not a check-in code of this community.", "token_invalid")
    if at not in (window(now), window(now) - 1):
        raise Conflict("This code has expired; scan the code shown now.", "token_expired")
    return found
