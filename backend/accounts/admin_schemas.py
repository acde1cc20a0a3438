"""Input and output of the administrator's account screens."""
from marshmallow import Schema, fields, validate

from backend.accounts.schemas import MembershipSchema
from backend.common.fields import Text
from backend.common.pagination import PageArgsSchema, page_schema


class AdminUserQueryArgsSchema(PageArgsSchema):
    q = Text(load_default="", validate=validate.Length(max=50), metadata={"description": "Part of a phone or name."})


class AdminUserSchema(Schema):
    id = fields.Integer()
    phone = fields.String()
    name = fields.String()
    active = fields.Boolean()
    is_admin = fields.Boolean()
    memberships = fields.List(fields.Nested(MembershipSchema))


AdminUserPageSchema = page_schema(AdminUserSchema)
