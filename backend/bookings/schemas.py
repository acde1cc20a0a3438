from datetime import date

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from backend.bookings.models import ELIGIBILITY, RESOURCE_KINDS
from backend.common.fields import Id, Moment, QueryId, QueryInteger, StrictBoolean, Text, birth_year_in_range
from backend.facilities.hours import DAYS
from backend.facilities.schemas import WeeklyHoursSchema

BOOKING_SCOPES = ("upcoming", "past")
IN_RANGE = validate.Range(date(2000, 1, 2), date(2099, 12, 1), error="Must be a date between 2000 and 2099.")


def _day(**kwargs):
    return fields.Date(validate=IN_RANGE, **kwargs)


def _count(low: int, high: int, **kwargs):
    return fields.Integer(strict=True, validate=validate.Range(low, high), **kwargs)


class BookingBlackoutSchema(Schema):
    start = _day(required=True)
    end = _day()
    note = Text(load_default="", validate=validate.Length(max=100))

    @validates_schema
    def _ordered(self, data, **kwargs):
        if data.get("end", data["start"]) < data["start"]:
            raise ValidationError("The end is before the start.", "end")

    @post_load
    def _stored_form(self, data, **kwargs):
        return {"start": data["start"].isoformat(), "end": data.get("end", data["start"]).isoformat(),
                "note": data["note"]}


class ResourceArgsSchema(Schema):
    kind = fields.String(load_default="room", validate=validate.OneOf(RESOURCE_KINDS))
    name = Text(required=True, validate=validate.Length(min=1, max=100))
    description = Text(load_default="", validate=validate.Length(max=2000))
    facility_id = Id(allow_none=True, load_default=None)
    at_home = StrictBoolean(load_default=False)
    provider_service_id = Id(allow_none=True, load_default=None)
    schedule = fields.Nested(WeeklyHoursSchema, load_default=dict)
    slot_minutes = _count(5, 1440, load_default=60)
    buffer_minutes = _count(0, 1440, load_default=0)
    seats = _count(1, 1000, load_default=1)
    max_seats_per_booking = _count(1, 1000, load_default=1)
    blackouts = fields.List(fields.Nested(BookingBlackoutSchema), load_default=list, validate=validate.Length(max=100))
    advance_days = _count(0, 366, load_default=14)
    min_notice_minutes = _count(0, 60 * 24 * 30, load_default=60)
    cancel_cutoff_minutes = _count(0, 60 * 24 * 30, load_default=120)
    week_quota = _count(0, 100, allow_none=True, load_default=None)
    month_quota = _count(0, 1000, allow_none=True, load_default=None)
    needs_approval = StrictBoolean(load_default=False)
    eligibility = fields.String(load_default="residents", validate=validate.OneOf(ELIGIBILITY))
    waitlist = StrictBoolean(load_default=True)
    checkin_early_minutes = _count(0, 24 * 60, load_default=15)
    no_show_minutes = _count(1, 24 * 60, load_default=15)
    photos = fields.List(fields.URL(schemes={"http", "https"}, validate=validate.Length(max=300)),
                         load_default=list, validate=validate.Length(max=6))

    @post_load
    def _stored_form(self, data, **kwargs):
        data["schedule"] = {day: data.get("schedule", {}).get(day, []) for day in DAYS}
        return data


class BookingPlaceRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    address = fields.String()


class BookingProviderRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    phone = fields.String()


class ResourceSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    name = fields.String()
    description = fields.String()
    facility = fields.Nested(BookingPlaceRefSchema, allow_none=True)
    at_home = fields.Boolean()
    provider_service_id = fields.Integer(allow_none=True)
    provider = fields.Nested(BookingProviderRefSchema, allow_none=True)
    schedule = fields.Dict()
    slot_minutes = fields.Integer()
    buffer_minutes = fields.Integer()
    seats = fields.Integer()
    max_seats_per_booking = fields.Integer()
    blackouts = fields.List(fields.Dict())
    advance_days = fields.Integer()
    min_notice_minutes = fields.Integer()
    cancel_cutoff_minutes = fields.Integer()
    week_quota = fields.Integer(allow_none=True)
    month_quota = fields.Integer(allow_none=True)
    needs_approval = fields.Boolean()
    eligibility = fields.String()
    waitlist = fields.Boolean()
    checkin_early_minutes = fields.Integer()
    no_show_minutes = fields.Integer()
    status = fields.String()
    photos = fields.List(fields.String())
    next_free = fields.DateTime(allow_none=True)


class ResourceQueryArgsSchema(Schema):
    kind = fields.String(validate=validate.OneOf(RESOURCE_KINDS))


class BookingSlotsQueryArgsSchema(Schema):
    start = _day(data_key="from")
    days = QueryInteger(load_default=7, validate=validate.Range(1, 31))


class BookingCalendarQueryArgsSchema(BookingSlotsQueryArgsSchema):
    resource_id = QueryId(required=True)


class BookingBlockArgsSchema(Schema):
    starts_at = Moment(required=True)
    reason = Text(load_default="", validate=validate.Length(max=200))


class BookingUnblockArgsSchema(Schema):
    starts_at = Moment(required=True)


class BookArgsSchema(Schema):
    starts_at = Moment(required=True)
    seats = _count(1, 1000, load_default=1)
    dwelling_id = Id(allow_none=True, load_default=None)
    note = Text(load_default="", validate=validate.Length(max=200))
    waitlist = StrictBoolean(load_default=False)


class BookForArgsSchema(BookArgsSchema):
    user_id = Id(required=True)
    dwelling_id = Id(required=True)
    birth_year = fields.Integer(strict=True, load_default=None, validate=birth_year_in_range, metadata={
        "description": "The resident's year of birth, read off their ID card at the desk, when none is recorded "
                       "(a booking for seniors needs it)."})


class BookingReasonArgsSchema(Schema):
    reason = Text(load_default="", validate=validate.Length(max=200))


class RefuseArgsSchema(Schema):
    reason = Text(required=True, validate=validate.Length(min=1, max=200))


class BookingMineQueryArgsSchema(Schema):
    scope = fields.String(load_default="upcoming", validate=validate.OneOf(BOOKING_SCOPES))


class BookingSettingsArgsSchema(Schema):
    no_show_limit = _count(0, 100, required=True)
    penalty_days = _count(1, 366, required=True)
    penalty = _count(0, 100, required=True)
    senior_age = _count(40, 120, required=True)
    reminders = StrictBoolean(required=True)


class BookingSettingsSchema(Schema):
    no_show_limit = fields.Integer()
    penalty_days = fields.Integer()
    penalty = fields.Integer()
    senior_age = fields.Integer()
    reminders = fields.Boolean()


class BookingExportQueryArgsSchema(Schema):
    start = _day(data_key="from", required=True)
    end = _day(data_key="to", required=True)
    resource_id = QueryId()

    @validates_schema
    def _ordered(self, data, **kwargs):
        if data["end"] < data["start"] or (data["end"] - data["start"]).days > 366:
            raise ValidationError("Must be on or after the start, within a year.", "to")


class BookingLogQueryArgsSchema(Schema):
    booking_id = QueryId()


class BookingResourceSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.String()
    facility = fields.Nested(BookingPlaceRefSchema, allow_none=True)
    at_home = fields.Boolean()


class BookingDwellingRefSchema(Schema):
    id = fields.Integer()
    label = fields.String()


class BookingPersonRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class BookingSchema(Schema):
    id = fields.Integer()
    resource = fields.Nested(BookingResourceSchema)
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    seats = fields.Integer()
    status = fields.String()
    position = fields.Integer(allow_none=True)
    note = fields.String()
    reason = fields.String()
    dwelling = fields.Nested(BookingDwellingRefSchema, allow_none=True)
    user = fields.Nested(BookingPersonRefSchema, attribute="person", allow_none=True)
    booked_by = fields.Nested(BookingPersonRefSchema, attribute="booker", allow_none=True)
    checked_in_at = fields.DateTime(allow_none=True)
    cancel_until = fields.DateTime()
    can_cancel = fields.Boolean()
    created_at = fields.DateTime()


class BookingSlotBookingSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    phone = fields.String()
    dwelling = fields.String()
    seats = fields.Integer()
    status = fields.String()
    position = fields.Integer(allow_none=True)
    booked_by = fields.String(allow_none=True)
    checked_in_at = fields.DateTime(allow_none=True)


class BookingMySlotBookingSchema(Schema):
    id = fields.Integer()
    status = fields.String()
    position = fields.Integer(allow_none=True)


class BookingSlotSchema(Schema):
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    seats = fields.Integer()
    taken = fields.Integer()
    free = fields.Integer()
    blocked = fields.Boolean()
    block_reason = fields.String()
    bookable = fields.Boolean()
    why_not = fields.String(allow_none=True)
    waitlist = fields.Integer()
    mine = fields.Nested(BookingMySlotBookingSchema, allow_none=True)
    bookings = fields.List(fields.Nested(BookingSlotBookingSchema))


class BookingDaySchema(Schema):
    date = fields.Date()
    closed = fields.Boolean()
    note = fields.String()
    slots = fields.List(fields.Nested(BookingSlotSchema))


class BookingDaysSchema(Schema):
    days = fields.List(fields.Nested(BookingDaySchema))


class BookingLogSchema(Schema):
    id = fields.Integer()
    booking_id = fields.Integer(allow_none=True)
    slot_id = fields.Integer(allow_none=True)
    actor = fields.Nested(BookingPersonRefSchema)
    action = fields.String()
    detail = fields.String()
    created_at = fields.DateTime()
