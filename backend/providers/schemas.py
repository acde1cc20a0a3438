from marshmallow import Schema, ValidationError, fields, post_dump, post_load, validate, validates_schema

from backend.common.fields import Id, StrictBoolean, Text
from backend.common.pagination import PageArgsSchema, page_schema
from backend.common.permissions import is_staff_of
from backend.contacts.schemas import Telephone
from backend.facilities.hours import DAYS
from backend.facilities.schemas import WeeklyHoursSchema
from backend.files.schemas import FileId
from backend.providers.models import CATEGORIES, PROVIDER_STATUSES

MAX_PRICE = 99_999_999  # Numeric(10, 2)


def _price(**kwargs):
    # The bounds as numbers: apispec would write a Range's Decimals into the document as strings.
    return fields.Decimal(places=2, allow_none=True, load_default=None, allow_nan=False,
                          validate=validate.Range(min=0, max=MAX_PRICE),
                          metadata={"minimum": 0, "maximum": MAX_PRICE, "description": "Yuan; null: ask."}, **kwargs)


def _coordinate(bound: int):
    return fields.Float(allow_none=True, load_default=None, allow_nan=False,
                        validate=validate.Range(min=-bound, max=bound))


class ProviderServiceArgsSchema(Schema):
    id = Id(metadata={"description": "Keeps an existing service (and the bookings made for it)."})
    name = Text(required=True, validate=validate.Length(max=100))
    description = Text(load_default="", validate=validate.Length(max=500))
    price_from = _price()
    price_to = _price()
    unit = Text(load_default="", validate=validate.Length(max=20))

    @validates_schema
    def _range(self, data, **kwargs):
        low, high = data.get("price_from"), data.get("price_to")
        if low is not None and high is not None and high < low:
            raise ValidationError("The highest price is below the lowest.", "price_to")


class ProviderArgsSchema(Schema):
    name = Text(required=True, validate=validate.Length(max=100))
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    description = Text(load_default="", validate=validate.Length(max=2000))
    phone = Telephone(required=True, validate=validate.Length(min=3, max=20),
                      metadata={"description": "As dialled: 0755-26601234 or 13800001234."})
    address = Text(load_default="", validate=validate.Length(max=200))
    latitude = _coordinate(90)
    longitude = _coordinate(180)
    service_area = Text(load_default="", validate=validate.Length(max=200))
    hours = fields.Nested(WeeklyHoursSchema, load_default=dict)
    photos = fields.List(FileId(), load_default=list, validate=validate.Length(max=6),
                         metadata={"description": "Ids of photos uploaded with purpose provider_photo."})
    licence_file_id = FileId(allow_none=True, load_default=None,
                             metadata={"description": "A photo uploaded with purpose provider_licence (staff only)."})
    services = fields.List(fields.Nested(ProviderServiceArgsSchema), load_default=list,
                           validate=validate.Length(max=30))

    @validates_schema
    def _both_coordinates(self, data, **kwargs):
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise ValidationError("Give both latitude and longitude, or neither.", "latitude")

    @post_load
    def _stored_form(self, data, **kwargs):
        data["hours"] = {day: data.get("hours", {}).get(day, []) for day in DAYS}
        data["photos"] = list(dict.fromkeys(data["photos"]))
        return data


class ProviderQueryArgsSchema(Schema):
    category = fields.String(validate=validate.OneOf(CATEGORIES))
    q = Text(validate=validate.Length(max=100))
    lat = fields.Float(allow_nan=False, validate=validate.Range(min=-90, max=90))
    lng = fields.Float(allow_nan=False, validate=validate.Range(min=-180, max=180))
    status = fields.String(validate=validate.OneOf(PROVIDER_STATUSES),
                           metadata={"description": "Staff only; residents always get verified ones."})

    @validates_schema
    def _both_coordinates(self, data, **kwargs):
        if ("lat" in data) != ("lng" in data):
            raise ValidationError("Give both lat and lng, or neither.", "lat" if "lng" in data else "lng")


class ProviderReasonArgsSchema(Schema):
    reason = Text(required=True, validate=validate.Length(max=200))


class ProviderRatingArgsSchema(Schema):
    stars = fields.Integer(strict=True, required=True, validate=validate.Range(min=1, max=5))
    text = Text(load_default="", validate=validate.Length(max=300))
    dwelling_id = Id(metadata={"description": "Which home rates, when the resident has several here."})


class ProviderRatingPageArgsSchema(PageArgsSchema):
    pass


class ProviderPersonRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class RatingDwellingSchema(Schema):
    id = fields.Integer()
    label = fields.String()


class ProviderServiceSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    description = fields.String()
    price_from = fields.Decimal(as_string=True, allow_none=True, metadata={"type": "string", "format": "decimal"})
    price_to = fields.Decimal(as_string=True, allow_none=True, metadata={"type": "string", "format": "decimal"})
    unit = fields.String()


STAFF_FIELDS = ("status", "status_reason", "licence_file_id", "verified_by", "verified_at")


class ProviderSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    category = fields.String()
    description = fields.String()
    phone = fields.String()
    address = fields.String()
    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)
    distance_m = fields.Integer(allow_none=True, metadata={"description": "When lat and lng were given."})
    service_area = fields.String()
    hours = fields.Dict()
    open_now = fields.Boolean(allow_none=True, metadata={"description": "null when no hours are known"})
    photos = fields.List(fields.String())
    services = fields.List(fields.Nested(ProviderServiceSchema))
    rating = fields.Method("_rating", metadata={"type": "object"})
    bookable_resource_id = fields.Integer(allow_none=True)
    status = fields.String(metadata={"description": "Staff only, as the four fields below."})
    status_reason = fields.String()
    licence_file_id = fields.String(allow_none=True)
    verified_by = fields.Nested(ProviderPersonRefSchema, allow_none=True)
    verified_at = fields.DateTime(allow_none=True)

    def _rating(self, provider) -> dict:
        count = provider.rating_count
        return {"average": round(provider.rating_sum / count, 1) if count else None, "count": count}

    @post_dump(pass_original=True)
    def _staff_only(self, data, provider, **kwargs):
        data.setdefault("distance_m", None)
        if not is_staff_of(provider.community_id):
            for name in STAFF_FIELDS:
                data.pop(name, None)
        return data


class ProviderCategoryCountSchema(Schema):
    key = fields.String()
    count = fields.Integer()


class ProviderRatingSchema(Schema):
    id = fields.Integer()
    provider_id = fields.Integer()
    stars = fields.Integer()
    text = fields.String()
    month = fields.String()
    hidden = StrictBoolean()
    hidden_reason = fields.String(attribute="reason_shown",
                                  metadata={"description": "For staff and the rating's author."})
    mine = fields.Boolean(metadata={"description": "Written by me."})
    user = fields.Nested(ProviderPersonRefSchema, attribute="author",
                         metadata={"description": "Residents see the name masked (王*明)."})
    dwelling = fields.Nested(RatingDwellingSchema, allow_none=True, attribute="home",
                             metadata={"description": "Staff only."})
    created_at = fields.DateTime()


ProviderRatingPageSchema = page_schema(ProviderRatingSchema)
