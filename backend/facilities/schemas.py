import re

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from backend.common.fields import Id, QueryId, Text
from backend.facilities.hours import DAYS
from backend.facilities.models import ACCESSIBILITY

HHMM = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]|24:00")
OFFICE_PHONE = validate.Regexp(r"^[0-9+\-() ]*\Z", error="Digits, spaces, dashes and + only.")


class TimeRange(fields.List):
    """["08:30", "12:00"]; an end before the start runs past midnight."""

    def __init__(self, **kwargs):
        super().__init__(fields.String(validate=validate.Length(max=5)), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        times = super()._deserialize(value, attr, data, **kwargs)
        if len(times) != 2:
            raise ValidationError("A range is [start, end].")
        start, end = times
        if not (HHMM.fullmatch(start) and HHMM.fullmatch(end)) or start == "24:00":
            raise ValidationError("Times are HH:MM from 00:00 to 24:00 (24:00 only as an end).")
        # 00:00–24:00 is the whole day, not an empty range, though both fall at midnight.
        if start == end:
            raise ValidationError("A range must not start and end at the same time.")
        return [start, end]


def _day_ranges():
    return fields.List(TimeRange(), load_default=list, validate=validate.Length(max=6))


WeeklyHoursSchema = Schema.from_dict({day: _day_ranges() for day in DAYS}, name="WeeklyHoursSchema")


class HoursExceptionSchema(Schema):
    start = fields.Date(required=True)
    end = fields.Date()
    kind = fields.String(required=True, validate=validate.OneOf(("closed", "hours", "open_24h")))
    ranges = fields.List(TimeRange(), load_default=list, validate=validate.Length(max=6))
    note = Text(load_default="", validate=validate.Length(max=100))

    @validates_schema
    def _consistent(self, data, **kwargs):
        end = data.get("end", data["start"])
        if end < data["start"] or (end - data["start"]).days > 366:
            raise ValidationError("The end is before the start or more than a year after it.", "end")
        if data["kind"] == "hours" and not data["ranges"]:
            raise ValidationError("Special hours need at least one range.", "ranges")


def _exception_out(data: dict) -> dict:
    return {"start": data["start"].isoformat(), "end": data.get("end", data["start"]).isoformat(),
            "kind": data["kind"], "ranges": data["ranges"] if data["kind"] == "hours" else [],
            "note": data["note"]}


class FacilityTypeArgsSchema(Schema):
    name = Text(required=True, validate=validate.Length(max=50))
    icon = fields.String(load_default="location-o", validate=validate.Regexp(r"^[a-z0-9-]{1,40}\Z"))
    position = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10000))


class FacilityTypeSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    icon = fields.String()
    position = fields.Integer()


class FacilityArgsSchema(Schema):
    type_id = Id(required=True)
    name = Text(required=True, validate=validate.Length(max=100))
    address = Text(load_default="", validate=validate.Length(max=200))
    latitude = fields.Float(required=True, allow_nan=False, validate=validate.Range(min=-90, max=90))
    longitude = fields.Float(required=True, allow_nan=False, validate=validate.Range(min=-180, max=180))
    phone = Text(load_default="", validate=[validate.Length(max=30), OFFICE_PHONE])
    description = Text(load_default="", validate=validate.Length(max=2000))
    accessibility = fields.List(fields.String(validate=validate.OneOf(ACCESSIBILITY)), load_default=list,
                                validate=validate.Length(max=len(ACCESSIBILITY)))
    photos = fields.List(fields.URL(schemes={"http", "https"}, validate=validate.Length(max=300)),
                         load_default=list, validate=validate.Length(max=6))
    hours = fields.Nested(WeeklyHoursSchema, load_default=dict)
    exceptions = fields.List(fields.Nested(HoursExceptionSchema), load_default=list,
                             validate=validate.Length(max=100))
    staff_user_id = Id(allow_none=True, load_default=None)

    @post_load
    def _stored_form(self, data, **kwargs):
        data["exceptions"] = [_exception_out(e) for e in data.get("exceptions", [])]
        data["hours"] = {day: data.get("hours", {}).get(day, []) for day in DAYS}
        return data


class FacilityQueryArgsSchema(Schema):
    q = Text(validate=validate.Length(max=100))
    type_id = QueryId()
    open_now = fields.Boolean()
    lat = fields.Float(allow_nan=False, validate=validate.Range(min=-90, max=90))
    lng = fields.Float(allow_nan=False, validate=validate.Range(min=-180, max=180))
    radius = fields.Integer(load_default=3000, validate=validate.Range(min=50, max=50000))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))

    @validates_schema
    def _both_coordinates(self, data, **kwargs):
        if ("lat" in data) != ("lng" in data):
            raise ValidationError("Give both lat and lng, or neither.", "lat" if "lng" in data else "lng")


class StaffRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class OpenStateSchema(Schema):
    status = fields.String(metadata={"description": "open, closed, or unknown when no hours are set"})
    open_now = fields.Boolean(allow_none=True)
    closes_at = fields.DateTime(allow_none=True)
    next_open_at = fields.DateTime(allow_none=True)
    today_hours = fields.List(fields.List(fields.String()))
    today_note = fields.String()


class FacilityBriefSchema(Schema):
    id = fields.Integer()
    type = fields.Nested(FacilityTypeSchema)
    name = fields.String()
    address = fields.String()
    latitude = fields.Float()
    longitude = fields.Float()
    phone = fields.String()
    accessibility = fields.List(fields.String())
    state = fields.Nested(OpenStateSchema)
    distance_m = fields.Integer(allow_none=True, dump_default=None)


class FacilitySchema(FacilityBriefSchema):
    description = fields.String()
    photos = fields.List(fields.String())
    hours = fields.Dict()
    exceptions = fields.List(fields.Dict())
    staff = fields.Nested(StaffRefSchema, allow_none=True)
    updated_at = fields.DateTime()
