"""Input and output of logging in and resetting a password with a code sent by SMS."""
from marshmallow import Schema, fields, validate

from backend.accounts.schemas import Password
from backend.common.fields import Code, Phone, String


class SmsCodeArgsSchema(Schema):
    phone = Phone(required=True, validate=validate.Length(max=30))
    purpose = fields.String(required=True, validate=validate.OneOf(("login", "reset")))


class SmsCodeSchema(Schema):
    """The same answer whether the phone has an account or not."""
    resend_after = fields.Integer(metadata={"description": "Seconds before another code may be asked for."})
    expires_in = fields.Integer(metadata={"description": "Seconds the code works for."})


def _sms_code():
    return Code(required=True, validate=validate.Regexp(r"^[0-9]{6}$", error="Six digits."))


class SmsLoginArgsSchema(Schema):
    phone = String(required=True, validate=validate.Length(max=30))
    code = _sms_code()


class SmsResetArgsSchema(SmsLoginArgsSchema):
    new_password = Password
