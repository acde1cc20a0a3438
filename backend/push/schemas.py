import binascii
import ipaddress
import re
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from flask import current_app
from marshmallow import Schema, ValidationError, fields, validate

from backend.common.fields import StrictBoolean, Text
from backend.notices.models import CATEGORIES
from backend.push.vapid import b64url_decode

HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _decoded(value: str) -> bytes:
    try:
        return b64url_decode(value)
    except (binascii.Error, ValueError) as err:
        raise ValidationError("Not base64url.") from err


def _p256dh(value: str) -> None:
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _decoded(value))
    except ValueError as err:
        raise ValidationError("Not a P-256 public key.") from err


def _auth(value: str) -> None:
    if len(_decoded(value)) != 16:
        raise ValidationError("Must be 16 bytes.")


def _endpoint(value: str) -> None:
    """Push services are public https hosts; anything else would let a user aim the worker inward."""
    parts = urlsplit(value)
    if current_app.config.get("PUSH_ALLOW_INSECURE_ENDPOINTS"):
        if parts.scheme in ("http", "https") and parts.hostname:
            return
        raise ValidationError("Not a URL.")
    if parts.scheme != "https" or not parts.hostname or parts.hostname == "localhost":
        raise ValidationError("Must be an https push service URL.")
    try:
        ipaddress.ip_address(parts.hostname)
    except ValueError:
        return
    raise ValidationError("Must name the push service's host, not an address.")


class SubscriptionKeysSchema(Schema):
    p256dh = fields.String(required=True, validate=[validate.Length(max=128), _p256dh])
    auth = fields.String(required=True, validate=[validate.Length(max=64), _auth])


class SubscriptionArgsSchema(Schema):
    endpoint = fields.String(required=True, validate=[validate.Length(max=1024), _endpoint])
    keys = fields.Nested(SubscriptionKeysSchema, required=True)
    user_agent = Text(load_default="", validate=validate.Length(max=200))
    old_endpoint = fields.String(validate=validate.Length(max=1024))


class UnsubscribeArgsSchema(Schema):
    endpoint = fields.String(required=True, validate=validate.Length(max=1024))


class SubscriptionSchema(Schema):
    id = fields.Integer()
    endpoint = fields.String()
    user_agent = fields.String()
    created_at = fields.DateTime()
    last_success_at = fields.DateTime()


class PreferencesSchema(Schema):
    categories = fields.List(fields.String(validate=validate.OneOf(CATEGORIES)),
                             validate=validate.Length(max=len(CATEGORIES)))
    quiet_enabled = StrictBoolean()
    quiet_start = fields.String(validate=validate.Regexp(HHMM, error="Use HH:MM."))
    quiet_end = fields.String(validate=validate.Regexp(HHMM, error="Use HH:MM."))


class VapidKeySchema(Schema):
    public_key = fields.String()
