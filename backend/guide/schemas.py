from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from backend.common.fields import Id, QueryId, StrictBoolean, Text
from backend.facilities.schemas import OFFICE_PHONE
from backend.guide.models import MATERIAL_FORMS, MODES


def _url_or_blank(value: str) -> None:
    if value:
        validate.URL(schemes={"http", "https"})(value)


def _text(size: int, **kwargs):
    return Text(load_default="", validate=validate.Length(max=size), **kwargs)


class CategoryArgsSchema(Schema):
    name = Text(required=True, validate=validate.Length(max=50))
    icon = fields.String(load_default="description", validate=validate.Regexp(r"^[a-z0-9-]{1,40}\Z"))


class GuideCategoryRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    icon = fields.String()


class GuideCategorySchema(GuideCategoryRefSchema):
    position = fields.Integer()
    item_count = fields.Integer()


class OrderArgsSchema(Schema):
    ids = fields.List(Id(), required=True, validate=validate.Length(min=1, max=1000))


class MaterialSchema(Schema):
    name = Text(required=True, validate=validate.Length(max=100))
    form = fields.String(load_default="original", validate=validate.OneOf(MATERIAL_FORMS))
    copies = fields.Integer(load_default=1, strict=True, validate=validate.Range(min=1, max=20))
    note = _text(200)


class ItemContentSchema(Schema):
    """What an item says; the same in the editor and in an import file."""
    title = Text(required=True, validate=validate.Length(max=100))
    summary = _text(200)
    audience = _text(2000)
    materials = fields.List(fields.Nested(MaterialSchema), load_default=list, validate=validate.Length(max=30))
    steps = fields.List(Text(required=True, validate=validate.Length(max=500)), load_default=list,
                        validate=validate.Length(max=30))
    office = _text(200)
    office_hours = _text(200)
    fee = _text(100)
    time_limit_days = fields.Integer(strict=True, allow_none=True, load_default=None,
                                     validate=validate.Range(min=0, max=365))
    legal_basis = _text(2000)
    mode = fields.String(load_default="in_person", validate=validate.OneOf(MODES))
    online_url = Text(load_default="", validate=[validate.Length(max=300), _url_or_blank])
    phone = Text(load_default="", validate=[validate.Length(max=30), OFFICE_PHONE])
    tags = fields.List(Text(required=True, validate=validate.Length(max=20)), load_default=list,
                       validate=validate.Length(max=10))
    aliases = fields.List(Text(required=True, validate=validate.Length(max=30)), load_default=list,
                          validate=validate.Length(max=10))
    no_longer_issued = StrictBoolean(load_default=False)
    instead = _text(200)
    published = StrictBoolean(load_default=False)

    @validates_schema
    def _online_needs_url(self, data, **kwargs):
        if data.get("mode") in ("online", "both") and not data.get("online_url"):
            raise ValidationError("Give the online address when it can be done online.", "online_url")


class ItemArgsSchema(ItemContentSchema):
    category_id = Id(required=True)
    facility_id = Id(allow_none=True, load_default=None)
    contact_user_id = Id(allow_none=True, load_default=None)


class ItemQueryArgsSchema(Schema):
    category_id = QueryId()
    status = fields.String(load_default="published", validate=validate.OneOf(("published", "draft", "all")),
                           metadata={"description": "draft and all are for staff"})


class ItemBriefSchema(Schema):
    id = fields.Integer()
    category_id = fields.Integer()
    position = fields.Integer()
    title = fields.String()
    summary = fields.String()
    mode = fields.String()
    no_longer_issued = fields.Boolean()
    published = fields.Boolean()
    updated_at = fields.DateTime()
    helpful_yes = fields.Integer()
    helpful_no = fields.Integer()


class FacilityRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    address = fields.String()
    phone = fields.String()
    latitude = fields.Float()
    longitude = fields.Float()


class ContactSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class ItemSchema(ItemBriefSchema):
    category = fields.Nested(GuideCategoryRefSchema)
    audience = fields.String()
    materials = fields.List(fields.Dict())
    steps = fields.List(fields.String())
    office = fields.String()
    facility = fields.Nested(FacilityRefSchema, allow_none=True)
    office_hours = fields.String()
    fee = fields.String()
    time_limit_days = fields.Integer(allow_none=True)
    legal_basis = fields.String()
    online_url = fields.String()
    contact = fields.Nested(ContactSchema, allow_none=True)
    phone = fields.String()
    tags = fields.List(fields.String())
    aliases = fields.List(fields.String())
    instead = fields.String()


class FeedbackArgsSchema(Schema):
    helpful = StrictBoolean(required=True)
    comment = _text(500)


class FeedbackSchema(Schema):
    helpful = fields.Boolean()
    comment = fields.String()
    created_at = fields.DateTime()
    user = fields.Nested(ContactSchema)


class FeedbackSummarySchema(Schema):
    helpful_yes = fields.Integer()
    helpful_no = fields.Integer()
    comments = fields.List(fields.Nested(FeedbackSchema))


class ExportItemSchema(ItemContentSchema):
    class Meta:
        ordered = True


class ExportCategorySchema(Schema):
    name = Text(required=True, validate=validate.Length(max=50))
    icon = fields.String(load_default="description", validate=validate.Regexp(r"^[a-z0-9-]{1,40}\Z"))
    items = fields.List(fields.Nested(ExportItemSchema), load_default=list, validate=validate.Length(max=500))


class GuideFileSchema(Schema):
    """The guide as a file: categories in order, each with its items in order."""
    version = fields.Integer(load_default=1, validate=validate.Equal(1))
    categories = fields.List(fields.Nested(ExportCategorySchema), required=True,
                             validate=validate.Length(min=1, max=50))


class GuideImportResultSchema(Schema):
    categories_created = fields.Integer()
    items_created = fields.Integer()
    items_updated = fields.Integer()
