import binascii
import re

from cryptography.hazmat.primitives.asymmetric import ec
from marshmallow import Schema, ValidationError, fields, validate

from backend.common.fields import StrictBoolean, String, Text
from backend.notices.models import CATEGORIES as NOTICE_CATEGORIES
from backend.push import endpoints
from backend.push.services import OWN_CATEGORIES
from backend.push.vapid import b64url_decode

CATEGORIES = (*NOTICE_CATEGORIES, *OWN_CATEGORIES)
HHMM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]\Z")


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
    """Only the browsers' push services: anything else would let a user aim the worker inward."""
    if reason := endpoints.problem(value):
        raise ValidationError(reason)


class SubscriptionKeysSchema(Schema):
    p256dh = String(required=True, validate=[validate.Length(max=128), _p256dh])
    auth = String(required=True, validate=[validate.Length(max=64), _auth])


class SubscriptionArgsSchema(Schema):
    endpoint = String(required=True, validate=[validate.Length(max=1024), _endpoint])
    keys = fields.Nested(SubscriptionKeysSchema, required=True)
    user_agent = Text(load_default="", validate=validate.Length(max=200))
    old_endpoint = String(validate=validate.Length(max=1024))


class UnsubscribeArgsSchema(Schema):
    endpoint = String(required=True, validate=validate.Length(max=1024))


class SubscriptionSchema(Schema):
    id = fields.Integer()
    endpoint = fields.String()
    user_agent = fields.String()
    created_at = fields.DateTime()
    last_success_at = fields.DateTime(allow_none=True)


class PreferencesSchema(Schema):
    categories = fields.List(fields.String(validate=validate.OneOf(CATEGORIES)),
                             validate=validate.Length(max=len(CATEGORIES)))
    quiet_enabled = StrictBoolean()
    quiet_start = fields.String(validate=validate.Regexp(HHMM, error="Use HH:MM."))
    quiet_end = fields.String(validate=validate.Regexp(HHMM, error="Use HH:MM."))


class VapidKeySchema(Schema):
    public_key = fields.String()
