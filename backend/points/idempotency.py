"""The `Idempotency-Key` header of writes that move points: a retry gets the first answer."""
import hashlib
import json
import re

from flask import request
from flask_login import current_user

from backend.errors import invalid

HEADER = "Idempotency-Key"
_SHAPE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def request_key(body: dict | None = None) -> tuple[str, str]:
    """(the key as stored, the hash of what was asked): keys are the caller's own, so two people who
    happen to pick the same key never meet; the hash tells a true retry from a reused key."""
    raw = request.headers.get(HEADER, "")
    if not _SHAPE.match(raw):
        message = "Send an Idempotency-Key header of 8 to 64 letters, digits, '-' or '_'."
        raise invalid(HEADER, message, "idempotency_key_required")
    payload = json.dumps({"path": request.path, "body": body or {}}, sort_keys=True, default=str)
    return f"api:{current_user.id}:{raw}", hashlib.sha256(payload.encode()).hexdigest()
