"""Input fields shared by the domains' schemas."""
import re
import unicodedata
from datetime import UTC
from zoneinfo import ZoneInfo

from marshmallow import ValidationError, fields, validate
from werkzeug.routing import IntegerConverter

from backend.common.models import utcnow

# [0-9], not \d: \d also matches ٣ and ३, which would make a second account look like the first.
PHONE_RE = re.compile(r"1[3-9][0-9]{9}")
NOT_ALLOWED = "Contains characters that are not allowed."
# Lone UTF-16 surrogates (which no database can store) and NUL: refused in every string.
BROKEN = re.compile("[\x00\ud800-\udfff]")
# Free text also keeps out the other control characters (but tab and line breaks) and the bidi
# embeddings, overrides and isolates that can make text read backwards; U+200D still joins emoji.
TEXT_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# A person's name shows none of the invisible characters: controls, formats (zero-width, bidi), separators.
NAME_FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def nfkc(value: str) -> str:
    """Compatibility forms folded to their plain ones: full-width １３８ and ＡＢ become 138 and AB."""
    return unicodedata.normalize("NFKC", value)


def normalize_phone(value: str) -> str | None:
    """Mainland mobile numbers: drop spaces, dashes and the +86 prefix; None if not one."""
    digits = re.sub(r"[\s\-()]", "", nfkc(value or ""))
    digits = re.sub(r"^(\+?86)(?=1[0-9]{10}$)", "", digits)
    return digits if PHONE_RE.fullmatch(digits) else None


def is_clean_text(value: str) -> bool:
    return not TEXT_FORBIDDEN.search(value)


class String(fields.String):
    """Every string given in input: no lone surrogates and no NUL."""
    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if BROKEN.search(text):
            raise ValidationError(NOT_ALLOWED)
        return text


class Code(String):
    """A code typed by hand (an invite code): compatibility forms folded, upper case, ASCII letters and digits."""
    def _deserialize(self, value, attr, data, **kwargs):
        code = nfkc(super()._deserialize(value, attr, data, **kwargs)).strip().upper()
        if not re.fullmatch(r"[A-Z0-9]+", code):
            raise ValidationError("Letters and digits only.")
        return code


class Phone(String):
    def _deserialize(self, value, attr, data, **kwargs):
        phone = normalize_phone(super()._deserialize(value, attr, data, **kwargs))
        if phone is None:
            raise ValidationError("Not a mainland mobile phone number.")
        return phone


MAX_ID = 2**31 - 1  # the databases' integer keys; larger numbers can name nothing


def Id(**kwargs) -> fields.Integer:
    """A row id given in input: a whole number the database's integer key can hold."""
    return fields.Integer(strict=True, validate=validate.Range(1, MAX_ID), **kwargs)


class QueryInteger(fields.Integer):
    """A whole number in a query string: ASCII digits after NFKC (int() alone would also read ١٢ or "1\\n")."""
    def _deserialize(self, value, attr, data, **kwargs):
        if not (isinstance(value, str) and re.fullmatch(r"[0-9]{1,18}", nfkc(value))):
            raise self.make_error("invalid")
        return super()._deserialize(nfkc(value), attr, data, **kwargs)


def QueryId(**kwargs) -> fields.Integer:
    """A row id in a query string, where every value arrives as text."""
    return QueryInteger(validate=validate.Range(1, MAX_ID), **kwargs)


class IdConverter(IntegerConverter):
    """`<int:...>` in URLs: ids too large for the database do not match, so they are a 404."""
    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class Text(String):
    """Free text stripped of surrounding white space; blank counts as missing when required."""
    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not is_clean_text(text):
            raise ValidationError(NOT_ALLOWED)
        if self.required and not text:
            raise ValidationError("Must not be blank.")
        return text


class Name(Text):
    """A person's name: free text without any invisible character, not even a zero-width joiner."""
    def _deserialize(self, value, attr, data, **kwargs):
        name = super()._deserialize(value, attr, data, **kwargs)
        if any(unicodedata.category(c) in NAME_FORBIDDEN_CATEGORIES for c in name):
            raise ValidationError(NOT_ALLOWED)
        return name


class StrictBoolean(fields.Boolean):
    """Only JSON true and false, not "yes" or 1 (which Python counts as True)."""
    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is not bool:
            raise self.make_error("invalid", input=value)
        return value


class Moment(fields.AwareDateTime):
    """A date and time with its offset, as the database keeps it (in UTC): one UTC cannot hold ("9999-12-31"
    at -14:00) or outside 2000–2099 is a 422 here, not an overflow when it is stored."""

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            year = moment.astimezone(UTC).year
        except OverflowError:
            year = 0
        if not 2000 <= year <= 2099:
            raise ValidationError("Must be a date between 2000 and 2099.")
        return moment


def birth_year_in_range(year: int) -> None:
    """From 1900 to this year (Beijing time, the default of the communities): bookings for seniors read it."""
    latest = utcnow().astimezone(ZoneInfo("Asia/Shanghai")).year
    if not 1900 <= year <= latest:
        raise ValidationError(f"Must be a year from 1900 to {latest}.")
