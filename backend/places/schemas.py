import zoneinfo

from marshmallow import Schema, fields, validate

from backend.common.fields import Id, QueryId, Text
from backend.common.pagination import PageArgsSchema, page_schema


class CommunityArgsSchema(Schema):
    name = Text(required=True, validate=validate.Length(max=100))
    district = Text(load_default="", validate=validate.Length(max=100))
    street = Text(load_default="", validate=validate.Length(max=100))
    timezone = fields.String(load_default="Asia/Shanghai",
                             validate=validate.OneOf(sorted(zoneinfo.available_timezones())))


class CommunitySchema(Schema):
    id = fields.Integer()
    name = fields.String()
    district = fields.String()
    street = fields.String()
    timezone = fields.String()


class UserBriefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    phone = fields.String()


class StaffMemberSchema(Schema):
    user = fields.Nested(UserBriefSchema)
    title = fields.String()


class GridWorkerSchema(Schema):
    user = fields.Nested(UserBriefSchema)


class GridRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class GridSchema(GridRefSchema):
    workers = fields.List(fields.Nested(GridWorkerSchema))


class GridArgsSchema(Schema):
    name = Text(required=True, validate=validate.Length(max=100))


class GridWorkersArgsSchema(Schema):
    user_ids = fields.List(Id(), required=True, validate=validate.Length(max=50))


class BuildingRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class BuildingSchema(BuildingRefSchema):
    grid = fields.Nested(GridRefSchema, allow_none=True)


class BuildingArgsSchema(Schema):
    name = Text(required=True, validate=validate.Length(max=100))
    grid_id = Id(allow_none=True, load_default=None)


class PublicDwellingSchema(Schema):
    id = fields.Integer()
    label = fields.String()
    unit = fields.String()
    room = fields.String()


class DwellingSchema(PublicDwellingSchema):
    building = fields.Nested(BuildingRefSchema)
    grid = fields.Nested(GridRefSchema, allow_none=True)


class StaffDwellingSchema(DwellingSchema):
    floor_area = fields.Decimal(as_string=True, metadata={"type": "string", "format": "decimal"})
    owner_phones = fields.Function(lambda d: [o.phone for o in d.owners],
                                   metadata={"type": "array", "items": {"type": "string"}})


StaffDwellingPageSchema = page_schema(StaffDwellingSchema)


class DwellingArgsSchema(Schema):
    building_id = Id(required=True)
    unit = Text(load_default="", validate=validate.Length(max=20))
    room = Text(required=True, validate=validate.Length(max=20))
    # The bounds again as numbers: apispec would write the Range's Decimals into the document as strings.
    floor_area = fields.Decimal(required=True, places=2, validate=validate.Range(min=1, max=10000),
                                metadata={"minimum": 1, "maximum": 10000})


class DwellingQueryArgsSchema(PageArgsSchema):
    building_id = QueryId()


class ImportFileSchema(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class ImportResultSchema(Schema):
    created = fields.Integer()
    updated = fields.Integer()
    buildings_created = fields.Integer()
    grids_created = fields.Integer()
    owners_linked = fields.Integer()
    claims_confirmed = fields.Integer(metadata={"description": "Owners' pending claims the register confirmed."})


class WorkbenchNoticeSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    category = fields.String()
    published_at = fields.AwareDateTime()
    addressed = fields.Integer()
    read = fields.Integer()


class WorkbenchSchema(Schema):
    """What waits for staff in one community; each count links to the screen that works through it."""
    residents_pending = fields.Integer()
    volunteers_pending = fields.Integer()
    hours_pending = fields.Integer()
    bookings_pending = fields.Integer()
    questions_open = fields.Integer()
    questions_overdue = fields.Integer()
    notices = fields.List(fields.Nested(WorkbenchNoticeSchema))
