from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from backend.accounts.models import LOCALES, RELATIONS, RESIDENCY_STATUSES
from backend.accounts.passwords import refuse_weak_password
from backend.common.fields import Code, Id, Name, Phone, QueryId, StrictBoolean, String, Text, birth_year_in_range
from backend.common.pagination import PageArgsSchema, page_schema
from backend.common.schemas import PatchSchema
from backend.places.schemas import DwellingSchema

Password = String(required=True, validate=validate.Length(min=8, max=128))


def _refuse_weak_password(data: dict) -> None:
    """Common passwords, and ones made of the person's own phone or name, are refused (422 weak_password)."""
    if "password" in data:
        refuse_weak_password(data["password"], "password", data.get("phone"), data.get("name"))


class ResidencyArgsSchema(Schema):
    community_id = Id(required=True)
    invite_code = Code(validate=validate.Length(min=4, max=16))
    dwelling_id = Id()
    relation = fields.String(validate=validate.OneOf(RELATIONS))

    @validates_schema
    def _claim_or_code(self, data, **kwargs):
        if ("invite_code" in data) == ("dwelling_id" in data):
            raise ValidationError("Give either an invite code or a dwelling.", "invite_code")
        if "dwelling_id" in data and "relation" not in data:
            raise ValidationError("Say how you live in the dwelling.", "relation")


class RegisterArgsSchema(ResidencyArgsSchema):
    phone = Phone(required=True)
    password = Password
    name = Name(required=True, validate=validate.Length(max=50))

    @validates_schema
    def _strong_password(self, data, **kwargs):
        _refuse_weak_password(data)


class LoginArgsSchema(Schema):
    phone = String(required=True, validate=validate.Length(max=30))
    password = String(required=True, validate=validate.Length(max=128))


class ProfileArgsSchema(PatchSchema):
    name = Name(validate=validate.Length(min=1, max=50))
    locale = fields.String(validate=validate.OneOf(LOCALES))
    care_mode = StrictBoolean()
    birth_year = fields.Integer(strict=True, allow_none=True, validate=birth_year_in_range,
                                metadata={"description": "Year of birth; null clears it."})


class PasswordArgsSchema(Schema):
    current_password = String(required=True, validate=validate.Length(max=128))
    new_password = Password


class CommunityRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    timezone = fields.String()


class MembershipSchema(Schema):
    community = fields.Nested(CommunityRefSchema)
    role = fields.String()
    title = fields.String()


class ResidencySchema(Schema):
    id = fields.Integer()
    community_id = fields.Integer()
    relation = fields.String()
    status = fields.String()
    reject_reason = fields.String()
    created_at = fields.DateTime()
    verified_at = fields.DateTime(allow_none=True)
    dwelling = fields.Nested(DwellingSchema)


class UserRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    phone = fields.String()


class StaffResidencySchema(ResidencySchema):
    user = fields.Nested(UserRefSchema)


class MeSchema(Schema):
    id = fields.Integer()
    phone = fields.String()
    name = fields.String()
    locale = fields.String()
    care_mode = fields.Boolean()
    birth_year = fields.Integer(allow_none=True)
    is_admin = fields.Boolean()
    memberships = fields.List(fields.Nested(MembershipSchema))
    residencies = fields.List(fields.Nested(ResidencySchema))


class ResidencyQueryArgsSchema(PageArgsSchema):
    status = fields.String(load_default="pending", validate=validate.OneOf(RESIDENCY_STATUSES))
    q = Text(load_default="", validate=validate.Length(max=50), metadata={"description": "Name, phone or home."})
    after = QueryId(metadata={"description": "Continue after this residency (the last one shown)."})


StaffResidencyPageSchema = page_schema(StaffResidencySchema)


class RejectArgsSchema(Schema):
    reason = Text(required=True, validate=validate.Length(max=200))


class InviteArgsSchema(Schema):
    dwelling_id = Id(required=True)
    relation = fields.String(load_default="family", validate=validate.OneOf(RELATIONS))
    expires_in_days = fields.Integer(load_default=7, strict=True, validate=validate.Range(1, 90))
    max_uses = fields.Integer(load_default=5, strict=True, validate=validate.Range(1, 20))


class InviteSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    relation = fields.String()
    dwelling = fields.Nested(DwellingSchema)
    expires_at = fields.DateTime()
    max_uses = fields.Integer()
    uses = fields.Integer()
    revoked_at = fields.DateTime(allow_none=True)
    active = fields.Boolean()
    created_at = fields.DateTime()


InvitePageSchema = page_schema(InviteSchema)


class AppointStaffArgsSchema(Schema):
    phone = Phone(required=True)
    name = Name(validate=validate.Length(min=1, max=50))
    password = String(validate=validate.Length(min=8, max=128))
    title = Text(load_default="", validate=validate.Length(max=50))

    @validates_schema
    def _strong_password(self, data, **kwargs):
        _refuse_weak_password(data)


class UserStatusArgsSchema(PatchSchema):
    active = StrictBoolean(required=True)


class ResetArgsSchema(Schema):
    phone = String(required=True, validate=validate.Length(max=30))
    code = Code(required=True, validate=validate.Length(min=8, max=8))
    new_password = Password


class PasswordResetSchema(Schema):
    """Shown once to the staff member, who reads it out or writes it down for the resident."""
    code = fields.String()
    expires_at = fields.AwareDateTime()
    user = fields.Nested(UserRefSchema)
