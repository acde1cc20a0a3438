"""The VAPID key pair (RFC 8292): made once under instance/ or given by the environment."""
import base64
import os
import threading
import time
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import current_app
from py_vapid import Vapid02

KEY_FILE = "vapid_private.pem"
TOKEN_LIFETIME = 12 * 3600  # push services refuse tokens expiring more than 24 h ahead
TOKEN_REUSE = 3600  # sign again after an hour, long before expiry

_lock = threading.Lock()
_tokens: dict[tuple, tuple[str, float]] = {}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_private_pem() -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _load_or_create(path: Path) -> bytes:
    """Create the key file once; a second process starting at the same moment reads the first's key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):
            if (pem := path.read_bytes()).strip():
                return pem
            time.sleep(0.05)
        raise
    with os.fdopen(fd, "wb") as f:
        pem = new_private_pem()
        f.write(pem)
    return pem


def _private_pem() -> bytes:
    given = current_app.config.get("VAPID_PRIVATE_KEY") or os.environ.get("VAPID_PRIVATE_KEY")
    if given:
        if "BEGIN" in given:
            return given.encode()
        key = ec.derive_private_key(int.from_bytes(b64url_decode(given), "big"), ec.SECP256R1())
        return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption())
    return _load_or_create(Path(current_app.instance_path) / KEY_FILE)


def vapid() -> Vapid02:
    ext = current_app.extensions.setdefault("vapid", {})
    if "key" not in ext:
        ext["key"] = Vapid02.from_pem(_private_pem())
    return ext["key"]


def public_key() -> str:
    """The applicationServerKey the browser subscribes with: the raw P-256 point, base64url."""
    raw = vapid().public_key.public_bytes(serialization.Encoding.X962,
                                          serialization.PublicFormat.UncompressedPoint)
    return b64url(raw)


def authorization(audience: str, key: Vapid02, subject: str) -> str:
    """The Authorization header for one push service origin, signed at most once an hour."""
    now = time.time()
    cache_key = (audience, subject, key)  # the key itself: an id() could be reused by another key
    with _lock:  # one signature even when many sending threads start at once
        cached = _tokens.get(cache_key)
        if cached is None or cached[1] <= now:
            claims = {"aud": audience, "sub": subject, "exp": int(now) + TOKEN_LIFETIME}
            cached = _tokens[cache_key] = (key.sign(claims)["Authorization"], now + TOKEN_REUSE)
    return cached[0]
