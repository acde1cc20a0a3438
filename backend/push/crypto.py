"""Message encryption for Web Push (RFC 8291, aes128gcm of RFC 8188), one record, fresh keys per message.

The same construction as http_ece (which the test push service decrypts with), written directly on
`cryptography` because the fan-out spends most of its CPU here and http_ece's general code is twice as slow.
"""
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

RECORD_SIZE = 4096
CURVE = ec.SECP256R1()


def _hkdf(salt: bytes, ikm: bytes, info: bytes, length: int) -> bytes:
    """HKDF-SHA256 for outputs of one block (≤ 32 bytes), which is all Web Push needs."""
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    return hmac.new(prk, info + b"\x01", hashlib.sha256).digest()[:length]


def encrypt(payload: bytes, ua_public: bytes, auth_secret: bytes) -> bytes:
    """The request body: salt, record size, our ephemeral public key, then the sealed payload."""
    local = ec.generate_private_key(CURVE)
    as_public = local.public_key().public_bytes(serialization.Encoding.X962,
                                                serialization.PublicFormat.UncompressedPoint)
    shared = local.exchange(ec.ECDH(), ec.EllipticCurvePublicKey.from_encoded_point(CURVE, ua_public))
    ikm = _hkdf(auth_secret, shared, b"WebPush: info\x00" + ua_public + as_public, 32)
    salt = os.urandom(16)
    key = _hkdf(salt, ikm, b"Content-Encoding: aes128gcm\x00", 16)
    nonce = _hkdf(salt, ikm, b"Content-Encoding: nonce\x00", 12)
    sealed = AESGCM(key).encrypt(nonce, payload + b"\x02", None)  # 0x02: the last (only) record
    return salt + struct.pack("!IB", RECORD_SIZE, len(as_public)) + as_public + sealed
