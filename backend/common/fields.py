"""Input fields shared by the domains' schemas."""
import re

from marshmallow import ValidationError, fields, validate
from werkzeug.routing import IntegerConverter

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalize_phone(value: str) -> str | None:
    """Mainland mobile numbers: drop spaces, dashes and the +86 prefix; None if not one."""
    digits = re.sub(r"[\s\-()]", "", value or "")
    digits = re.sub(r"^(\+?86)(?=1\d{10}$)", "", digits)
    return digits if PHONE_RE.match(digits) else None


class Phone(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        phone = normalize_phone(super()._deserialize(value, attr, data, **kwargs))
        if phone is None:
            raise ValidationError("Not a mainland mobile phone number.")
        return phone


MAX_ID = 2**31 - 1  # the databases' integer keys; larger numbers can name nothing


def Id(**kwargs) -> fields.Integer:
    """A row id given in input: a whole number the database's integer key can hold."""
    return fields.Integer(strict=True, validate=validate.Range(1, MAX_ID), **kwargs)


def QueryId(**kwargs) -> fields.Integer:
    """A row id in a query string, where every value arrives as text."""
    return fields.Integer(validate=validate.Range(1, MAX_ID), **kwargs)


class IdConverter(IntegerConverter):
    """`<int:...>` in URLs: ids too large for the database do not match, so they are a 404."""
    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class Text(fields.String):
    """A string stripped of surrounding white space; blank counts as missing when required."""
    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if self.required and not text:
            raise ValidationError("Must not be blank.")
        return text


class StrictBoolean(fields.Boolean):
    """Only JSON true and false, not "yes" or 1 (which Python counts as True)."""
    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is not bool:
            raise self.make_error("invalid", input=value)
        return value
