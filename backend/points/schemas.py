from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from backend.common.fields import (
    NOT_ALLOWED,
    Id,
    Name,
    Phone,
    QueryId,
    QueryInteger,
    StrictBoolean,
    String,
    Text,
    is_clean_text,
)
from backend.common.pagination import PageArgsSchema, page_schema
from backend.files import file_url
from backend.files.schemas import FileId
from backend.points.models import ITEM_KINDS, REDEMPTION_STATUSES, TRANSACTION_KINDS


def _int(**kwargs):
    return fields.Integer(strict=True, **kwargs)


class SentText(Text):
    """Free text that a PUT must send, since it replaces the whole object, though it may be blank."""
    def _deserialize(self, value, attr, data, **kwargs):
        text = super(Text, self)._deserialize(value, attr, data, **kwargs).strip()
        if not is_clean_text(text):
            raise ValidationError(NOT_ALLOWED)
        return text


# --- input ---

class CatalogItemArgsSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(ITEM_KINDS))
    title = Text(required=True, validate=validate.Length(min=1, max=50))
    description = Text(load_default="", validate=validate.Length(max=1000))
    photo = FileId(allow_none=True, load_default=None,
                   metadata={"description": "Id of an upload with purpose catalog_photo, made by me."})
    points_cost = _int(required=True, validate=validate.Range(1, 100_000))
    stock = _int(allow_none=True, load_default=None, validate=validate.Range(0, 1_000_000),
                 metadata={"description": "Goods: required. Services: null for unlimited."})
    monthly_limit = _int(allow_none=True, load_default=None, validate=validate.Range(1, 1000))
    partner_id = Id(allow_none=True, load_default=None, metadata={"description": "Services only."})
    position = _int(load_default=0, validate=validate.Range(0, 10_000))


class CatalogItemUpdateArgsSchema(Schema):
    """PUT sends the whole item as the editor shows it (null for no photo, no limit, no partner), so that
    nothing is cleared by being left out; only `active` and `position` may be left out (then unchanged).
    Kind and stock are not changed here."""
    title = Text(required=True, validate=validate.Length(min=1, max=50))
    description = SentText(required=True, validate=validate.Length(max=1000))
    photo = FileId(required=True, allow_none=True)
    points_cost = _int(required=True, validate=validate.Range(1, 100_000))
    monthly_limit = _int(required=True, allow_none=True, validate=validate.Range(1, 1000))
    partner_id = Id(required=True, allow_none=True, metadata={"description": "Services only; null for goods."})
    position = _int(validate=validate.Range(0, 10_000))
    active = StrictBoolean()


class CatalogQueryArgsSchema(Schema):
    kind = fields.String(validate=validate.OneOf(ITEM_KINDS))
    all = fields.Boolean(load_default=False, metadata={"description": "Staff: include inactive items."})


class StockChangeArgsSchema(Schema):
    change = _int(required=True, validate=validate.Range(-1_000_000, 1_000_000))
    reason = Text(required=True, validate=validate.Length(min=1, max=200))

    @validates_schema
    def _not_zero(self, data, **kwargs):
        if data.get("change") == 0:
            raise ValidationError("A change of zero changes nothing.", "change")


class RedeemArgsSchema(Schema):
    item_id = Id(required=True)
    quantity = _int(load_default=1, validate=validate.Range(1, 10))


class RedemptionCancelArgsSchema(Schema):
    reason = Text(load_default="", validate=validate.Length(max=200))


class PickupLookupArgsSchema(Schema):
    pickup_code = String(required=True, validate=validate.Regexp(r"^[0-9]{8}$"))


class RedemptionListArgsSchema(PageArgsSchema):
    status = fields.String(validate=validate.OneOf(REDEMPTION_STATUSES))


class AwardArgsSchema(Schema):
    user_id = Id(required=True)
    amount = _int(required=True, validate=validate.Range(1, 10_000))
    reason = Text(required=True, validate=validate.Length(min=1, max=200))


class ReverseArgsSchema(Schema):
    reason = Text(required=True, validate=validate.Length(min=1, max=200))


class PointTransactionArgsSchema(PageArgsSchema):
    user_id = QueryId()
    kind = fields.String(validate=validate.OneOf(TRANSACTION_KINDS))


class PartnerArgsSchema(Schema):
    name = Name(required=True, validate=validate.Length(min=1, max=50))
    category = Text(load_default="", validate=validate.Length(max=30))
    phone = Text(load_default="", validate=validate.Length(max=30))
    address = Text(load_default="", validate=validate.Length(max=200))
    description = Text(load_default="", validate=validate.Length(max=1000))
    active = StrictBoolean(load_default=True)


class PartnerUpdateArgsSchema(Schema):
    """PUT sends the whole partner as the form shows it: nothing is cleared by being left out."""
    name = Name(required=True, validate=validate.Length(min=1, max=50))
    category = SentText(required=True, validate=validate.Length(max=30))
    phone = SentText(required=True, validate=validate.Length(max=30))
    address = SentText(required=True, validate=validate.Length(max=200))
    description = SentText(required=True, validate=validate.Length(max=1000))
    active = StrictBoolean(required=True)


class PartnerMemberArgsSchema(Schema):
    phone = Phone(required=True)


class PointsSettingsSchema(Schema):
    expiry = fields.String(required=True, validate=validate.OneOf(("none", "yearly")))
    pickup_days = _int(required=True, validate=validate.Range(1, 60))


class PointsYearArgsSchema(Schema):
    year = QueryInteger(validate=validate.Range(2000, 2100))


# --- output ---

class PointsPersonSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class PartnerBriefSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class CatalogPhotoSchema(Schema):
    url = fields.Function(lambda item: file_url(item.community_id, item.photo_id))
    thumb_url = fields.Function(lambda item: file_url(item.community_id, item.photo_id, thumb=True))


class CatalogItemSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    title = fields.String()
    description = fields.String()
    photo = fields.Function(lambda item: CatalogPhotoSchema().dump(item) if item.photo_id else None)
    photo_id = fields.String(allow_none=True)
    points_cost = fields.Integer()
    stock = fields.Integer(allow_none=True)
    monthly_limit = fields.Integer(allow_none=True)
    my_month_count = fields.Integer()
    partner = fields.Nested(PartnerBriefSchema, allow_none=True)
    active = fields.Boolean()
    position = fields.Integer()


class RedemptionItemSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    title = fields.String()
    partner = fields.Nested(PartnerBriefSchema, allow_none=True)


class RedemptionSchema(Schema):
    id = fields.Integer()
    item = fields.Nested(RedemptionItemSchema)
    user = fields.Nested(PointsPersonSchema)
    quantity = fields.Integer()
    points = fields.Integer()
    status = fields.String()
    pickup_code = fields.String()
    expires_at = fields.DateTime()
    created_at = fields.DateTime()
    handed_over_at = fields.DateTime(allow_none=True)
    cancelled_reason = fields.String()


class PointLegSchema(Schema):
    account_id = fields.Integer()
    kind = fields.String()
    amount = fields.Integer()
    user = fields.Nested(PointsPersonSchema, allow_none=True)
    partner_id = fields.Integer(allow_none=True)


class PointTransactionSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    memo = fields.String()
    created_at = fields.DateTime()
    created_by = fields.Integer(allow_none=True)
    reverses_id = fields.Integer(allow_none=True)
    reversed = fields.Boolean()
    user = fields.Nested(PointsPersonSchema, allow_none=True)
    amount = fields.Integer(allow_none=True, metadata={"description": "The resident's leg, if any."})
    legs = fields.List(fields.Nested(PointLegSchema))


class MyPointEntrySchema(Schema):
    id = fields.Integer(metadata={"description": "The transaction."})
    kind = fields.String()
    amount = fields.Integer()
    memo = fields.String()
    created_at = fields.DateTime()
    balance_after = fields.Integer()


class PointsExpiringSchema(Schema):
    amount = fields.Integer()
    on = fields.Date()


class PointsMeSchema(Schema):
    balance = fields.Integer()
    held = fields.Integer()
    earned_this_year = fields.Integer()
    expiring = fields.Nested(PointsExpiringSchema, allow_none=True)


class PartnerMemberSchema(Schema):
    user_id = fields.Integer()
    name = fields.Function(lambda m: m.user.name)
    phone = fields.Function(lambda m: m.user.phone)


class PartnerSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    category = fields.String()
    phone = fields.String()
    address = fields.String()
    description = fields.String()
    active = fields.Boolean()
    members = fields.List(fields.Nested(PartnerMemberSchema))


class PartnerPublicSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    category = fields.String()
    phone = fields.String()
    address = fields.String()


RedemptionPageSchema = page_schema(RedemptionSchema)
PointTransactionPageSchema = page_schema(PointTransactionSchema)
MyPointEntryPageSchema = page_schema(MyPointEntrySchema)
