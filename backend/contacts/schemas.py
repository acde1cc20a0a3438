import re

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from backend.common.fields import Id, Name, Phone, StrictBoolean, String, Text, nfkc
from backend.common.schemas import PatchSchema
from backend.contacts.models import AREAS, MINUTES_PER_DAY, POSITIONS
from backend.files import file_url
from backend.files.schemas import FileId

HHMM = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]|24:00")
MAX_SPANS_A_DAY = 4


class Clock(String):
    """A local time "HH:MM" ("24:00" ends a day), kept as minutes after midnight."""
    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if not HHMM.fullmatch(text):
            raise ValidationError("A time is HH:MM, from 00:00 to 24:00.")
        hours, minutes = text.split(":")
        return int(hours) * 60 + int(minutes)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else f"{value // 60:02d}:{value % 60:02d}"


class Telephone(String):
    """A landline or mobile number as dialled: digits in groups joined by dashes (021-55550123); "" for none."""
    def _deserialize(self, value, attr, data, **kwargs):
        number = re.sub(r"\s", "", nfkc(super()._deserialize(value, attr, data, **kwargs)))
        if number and not (len(number) <= 20 and re.fullmatch(r"[0-9]+(-[0-9]+)*", number)):
            raise ValidationError("Digits and dashes only, at most 20.")
        return number


class OptionalPhone(Phone):
    """A mainland mobile number, or "" for none."""
    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and not value.strip():
            return ""
        return super()._deserialize(value, attr, data, **kwargs)


class PartyArgsSchema(Schema):
    areas = fields.List(fields.String(validate=validate.OneOf(AREAS)), required=True,
                        validate=validate.Length(min=1, max=len(AREAS)))
    hours = Text(load_default="", validate=validate.Length(max=100))

    @validates_schema
    def _areas_given(self, data, **kwargs):
        # Also in a PATCH, whose partial loading would otherwise let a party without areas through.
        if "areas" not in data:
            raise ValidationError("Missing data for required field.", "areas")


class ContactArgsSchema(Schema):
    name = Name(required=True, validate=validate.Length(min=1, max=50))
    position = fields.String(required=True, validate=validate.OneOf(list(POSITIONS)))
    title = Text(load_default="", validate=validate.Length(max=100))
    handles = Text(load_default="", validate=validate.Length(max=500))
    tags = fields.List(Text(validate=validate.Length(min=1, max=20)), load_default=list,
                       validate=validate.Length(max=10))
    work_phone = Telephone(load_default="")
    private_mobile = OptionalPhone(load_default="")
    show_mobile = StrictBoolean(load_default=False)
    grid_ids = fields.List(Id(), load_default=list, validate=validate.Length(max=50))
    user_id = Id(allow_none=True, load_default=None,
                 metadata={"description": "A member (resident or staff) of this community, or null."})
    photo = FileId(allow_none=True, load_default=None,
                   metadata={"description": "The id of a photo uploaded with purpose contact_photo, or null."})
    visible = StrictBoolean(load_default=True)
    party = fields.Nested(PartyArgsSchema, allow_none=True, load_default=None)


class ContactUpdateArgsSchema(PatchSchema, ContactArgsSchema):
    """Used with partial=True: only what is given changes."""


class ContactQueryArgsSchema(Schema):
    q = Text(validate=validate.Length(max=50))
    position = fields.String(validate=validate.OneOf(list(POSITIONS)))
    party = fields.Boolean(metadata={"description": "true: party members who consult only."})


class SpanArgsSchema(Schema):
    weekday = fields.Integer(strict=True, required=True, validate=validate.Range(0, 6))
    start = Clock(required=True)
    end = Clock(required=True)


class ExceptionArgsSchema(Schema):
    date = fields.Date(required=True)
    off = StrictBoolean(load_default=False)
    start = Clock(allow_none=True, load_default=None)
    end = Clock(allow_none=True, load_default=None)
    note = Text(load_default="", validate=validate.Length(max=100))

    @validates_schema
    def _hours_unless_off(self, data, **kwargs):
        if not data.get("off") and (data.get("start") is None or data.get("end") is None):
            raise ValidationError("A duty day needs its start and end (or off: true).", "start")

    @post_load
    def _no_hours_when_off(self, data, **kwargs):
        if data["off"]:
            data["start"] = data["end"] = None
        return data


def _spans_fit(spans: list[tuple[int, int]]) -> str | None:
    """What is wrong with one day's spans, if anything."""
    if len(spans) > MAX_SPANS_A_DAY:
        return f"At most {MAX_SPANS_A_DAY} spans a day."
    spans = sorted(spans)
    if any(start >= end or end > MINUTES_PER_DAY for start, end in spans):
        return "A span must start before it ends."
    if any(later[0] < earlier[1] for earlier, later in zip(spans, spans[1:])):
        return "Spans of one day must not overlap."
    return None


class RosterArgsSchema(Schema):
    week = fields.List(fields.Nested(SpanArgsSchema), required=True, validate=validate.Length(max=7 * MAX_SPANS_A_DAY))
    exceptions = fields.List(fields.Nested(ExceptionArgsSchema), load_default=list, validate=validate.Length(max=400))

    @validates_schema
    def _days_fit(self, data, **kwargs):
        for weekday in range(7):
            if problem := _spans_fit([(s["start"], s["end"]) for s in data["week"] if s["weekday"] == weekday]):
                raise ValidationError(f"Weekday {weekday}: {problem}", "week")
        days: dict = {}
        for row in data.get("exceptions", []):
            days.setdefault(row["date"], []).append(row)
        for day, rows in days.items():
            if any(r["off"] for r in rows) and len(rows) > 1:
                raise ValidationError(f"{day}: a day off has no other entries.", "exceptions")
            if problem := _spans_fit([(r["start"], r["end"]) for r in rows if not r["off"]]):
                raise ValidationError(f"{day}: {problem}", "exceptions")


class GridBriefSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class SpanSchema(Schema):
    start = Clock()
    end = Clock()


class PartySchema(Schema):
    areas = fields.List(fields.String())
    hours = fields.String()


class DirectoryContactSchema(Schema):
    """A profile as members see it: no private mobile unless its owner opted in."""
    id = fields.Integer()
    name = fields.String()
    position = fields.String()
    title = fields.String()
    handles = fields.String()
    tags = fields.List(fields.String())
    work_phone = fields.String()
    mobile = fields.String(metadata={"description": "The personal mobile when its owner opted in, else \"\"."})
    photo_url = fields.Function(lambda c: file_url(c.community_id, c.photo_id) if c.photo_id else None,
                                metadata={"type": "string", "nullable": True})
    photo_thumb_url = fields.Function(
        lambda c: file_url(c.community_id, c.photo_id, thumb=True) if c.photo_id else None,
        metadata={"type": "string", "nullable": True})
    grids = fields.List(fields.Nested(GridBriefSchema))
    on_duty = fields.Boolean()
    today = fields.List(fields.Nested(SpanSchema))
    party = fields.Nested(PartySchema, allow_none=True)


class DaySchema(Schema):
    weekday = fields.Integer()
    spans = fields.List(fields.Nested(SpanSchema))


class DatedDaySchema(Schema):
    date = fields.Date()
    off = fields.Boolean()
    spans = fields.List(fields.Nested(SpanSchema))
    note = fields.String()


class ContactDetailSchema(DirectoryContactSchema):
    week = fields.List(fields.Nested(DaySchema))
    upcoming = fields.List(fields.Nested(DatedDaySchema))


class ContactListSchema(Schema):
    items = fields.List(fields.Nested(DirectoryContactSchema))
    total = fields.Integer()


class MyGridWorkersSchema(Schema):
    items = fields.List(fields.Nested(DirectoryContactSchema))


class ManagedContactSchema(DirectoryContactSchema):
    visible = fields.Boolean()
    user_id = fields.Integer(allow_none=True)
    private_mobile = fields.String()
    show_mobile = fields.Boolean()
    photo = fields.String(attribute="photo_id", allow_none=True)


class ManagedContactPageSchema(Schema):
    items = fields.List(fields.Nested(ManagedContactSchema))
    total = fields.Integer()


class RosterSpanSchema(Schema):
    weekday = fields.Integer()
    start = Clock()
    end = Clock()


class RosterExceptionSchema(Schema):
    date = fields.Date()
    off = fields.Boolean()
    start = Clock(allow_none=True)
    end = Clock(allow_none=True)
    note = fields.String()


class RosterSchema(Schema):
    week = fields.List(fields.Nested(RosterSpanSchema))
    exceptions = fields.List(fields.Nested(RosterExceptionSchema))
