from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from backend.common.fields import Id, Moment, Name, Phone, QueryId, QueryInteger, StrictBoolean, Text
from backend.common.pagination import PageArgsSchema, page_schema
from backend.volunteering.models import (
    ACTIVITY_STATUSES,
    AVAILABILITY,
    POINTS_MODES,
    ROUNDING_MINUTES,
    ROUNDINGS,
    VOLUNTEER_STATUSES,
)

MAX_SKILLS = 20


class OptionalPhone(Phone):
    """A mainland mobile number, or "" for none."""
    def _deserialize(self, value, attr, data, **kwargs):
        return "" if value == "" else super()._deserialize(value, attr, data, **kwargs)


def _ids(**kwargs):
    return fields.List(Id(), load_default=list, validate=validate.Length(max=MAX_SKILLS), **kwargs)


def _unique(data: dict, *keys: str) -> None:
    for key in keys:
        if len(set(data.get(key) or [])) != len(data.get(key) or []):
            raise ValidationError("Each at most once.", key)


class VolunteerRegisterArgsSchema(Schema):
    skill_ids = _ids()
    team_ids = _ids()
    availability = fields.List(fields.String(validate=validate.OneOf(AVAILABILITY)), load_default=list,
                               validate=validate.Length(max=len(AVAILABILITY)))
    emergency_name = Name(load_default="", validate=validate.Length(max=50))
    emergency_phone = OptionalPhone(load_default="", metadata={"description": "A mainland mobile number, or \"\"."})
    show_on_board = StrictBoolean(load_default=False)

    @validates_schema
    def _once(self, data, **kwargs):
        _unique(data, "skill_ids", "team_ids", "availability")


class VolunteerReasonArgsSchema(Schema):
    reason = Text(required=True, validate=validate.Length(min=1, max=200))


class CancelActivityArgsSchema(Schema):
    reason = Text(load_default="", validate=validate.Length(max=200))


class VolunteerSkillArgsSchema(Schema):
    name = Text(required=True, validate=validate.Length(min=1, max=20))
    position = fields.Integer(strict=True, validate=validate.Range(0, 10_000))


class VolunteerTeamArgsSchema(Schema):
    name = Text(required=True, validate=validate.Length(min=1, max=30))
    description = Text(load_default="", validate=validate.Length(max=200))


class VolunteerSkillSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    position = fields.Integer()


class VolunteerTeamSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    description = fields.String()


class VolunteerUserSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    phone = fields.String()


class VolunteerSchema(Schema):
    id = fields.Integer()
    user_id = fields.Integer()
    status = fields.String()
    skills = fields.List(fields.Nested(VolunteerSkillSchema))
    skill_ids = fields.Function(lambda v: [s.id for s in v.skills], metadata={"type": "array"})
    teams = fields.List(fields.Nested(VolunteerTeamSchema))
    team_ids = fields.Function(lambda v: [t.id for t in v.teams], metadata={"type": "array"})
    availability = fields.List(fields.String())
    emergency_name = fields.String()
    emergency_phone = fields.String()
    show_on_board = fields.Boolean()
    reject_reason = fields.String()
    created_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)


class RegistrationSchema(VolunteerSchema):
    user = fields.Nested(VolunteerUserSchema)
    dwelling = fields.String(metadata={"description": "The verified home's label, \"\" when none."})


class VolunteerRowSchema(VolunteerSchema):
    user = fields.Nested(VolunteerUserSchema)
    hours_this_year = fields.Float()
    points = fields.Integer()


RegistrationPageSchema = page_schema(RegistrationSchema)
VolunteerRowPageSchema = page_schema(VolunteerRowSchema)


class VolunteerMeSchema(Schema):
    volunteer = fields.Nested(VolunteerSchema, allow_none=True)
    hours_this_year = fields.Float()
    points = fields.Integer()
    verified = fields.Boolean()


class RegistrationArgsSchema(PageArgsSchema):
    status = fields.String(validate=validate.OneOf(VOLUNTEER_STATUSES))


class VolunteersArgsSchema(PageArgsSchema):
    q = Text(validate=validate.Length(max=50))
    skill_id = QueryId()
    team_id = QueryId()


class ActivitiesArgsSchema(Schema):
    scope = fields.String(load_default="upcoming", validate=validate.OneOf(["upcoming", "past", "mine"]))


class ActivityArgsSchema(Schema):
    title = Text(required=True, validate=validate.Length(min=2, max=100))
    description = Text(load_default="", validate=validate.Length(max=5000))
    facility_id = Id(allow_none=True, load_default=None)
    address = Text(load_default="", validate=validate.Length(max=200))
    starts_at = Moment(required=True)
    ends_at = Moment(required=True)
    places = fields.Integer(strict=True, required=True, validate=validate.Range(1, 1000))
    skill_ids = _ids()
    team_id = Id(allow_none=True, load_default=None)
    points_mode = fields.String(load_default="per_hour", validate=validate.OneOf(POINTS_MODES))
    points = fields.Integer(strict=True, load_default=0, validate=validate.Range(0, 10_000))
    signup_deadline = Moment(allow_none=True, load_default=None, metadata={"description": "Default: the start."})
    cancel_cutoff = Moment(allow_none=True, load_default=None, metadata={"description": "Default: the start."})

    @validates_schema
    def _once(self, data, **kwargs):
        _unique(data, "skill_ids")


class AttendanceSchema(Schema):
    id = fields.Integer()
    activity_id = fields.Integer()
    volunteer_id = fields.Integer()
    checked_in_at = fields.DateTime(allow_none=True)
    checked_out_at = fields.DateTime(allow_none=True)
    minutes = fields.Integer(allow_none=True)
    status = fields.String()
    points = fields.Integer(metadata={"description": "Awarded when approved, else what approval would award."})
    points_awarded = fields.Integer()
    adjust_reason = fields.String()
    recorded_by = fields.Integer(allow_none=True)
    approved_at = fields.DateTime(allow_none=True)


class MyVolunteerSignupSchema(Schema):
    status = fields.String()
    position = fields.Integer(allow_none=True, metadata={"description": "Place on the waitlist, from 1."})


class ActivityFacilitySchema(Schema):
    id = fields.Integer()
    name = fields.String()


class ActivitySchema(Schema):
    id = fields.Integer()
    title = fields.String()
    description = fields.String()
    facility = fields.Nested(ActivityFacilitySchema, allow_none=True)
    address = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    places = fields.Integer()
    skills = fields.List(fields.Nested(VolunteerSkillSchema))
    skill_ids = fields.Function(lambda a: [s.id for s in a.skills], metadata={"type": "array"})
    team_id = fields.Integer(allow_none=True)
    points_mode = fields.String()
    points = fields.Integer()
    signup_deadline = fields.DateTime()
    cancel_cutoff = fields.DateTime()
    status = fields.String(metadata={"enum": list(ACTIVITY_STATUSES)})
    cancel_reason = fields.String()
    taken = fields.Integer()
    waitlist = fields.Integer()
    my_signup = fields.Nested(MyVolunteerSignupSchema, allow_none=True)
    my_attendance = fields.Nested(AttendanceSchema, allow_none=True)


class VolunteerSignupSchema(Schema):
    id = fields.Integer()
    activity_id = fields.Integer()
    status = fields.String()
    position = fields.Integer(allow_none=True)


class SheetRowSchema(Schema):
    volunteer_id = fields.Integer()
    user = fields.Nested(VolunteerUserSchema)
    signup_status = fields.String(allow_none=True)
    position = fields.Integer(allow_none=True)
    attendance = fields.Nested(AttendanceSchema, allow_none=True)


class ScanCodeArgsSchema(Schema):
    mode = fields.String(load_default="in", validate=validate.OneOf(["in", "out"]))


class ScanCodeSchema(Schema):
    token = fields.String()
    expires_at = fields.DateTime()
    mode = fields.String()


class VolunteerScanArgsSchema(Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=100))


class ActivityBriefSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    starts_at = fields.DateTime()


class VolunteerScanSchema(Schema):
    activity = fields.Nested(ActivityBriefSchema)
    mode = fields.String()
    attendance = fields.Nested(AttendanceSchema)


class AttendanceRecordArgsSchema(Schema):
    volunteer_id = Id(required=True)
    checked_in_at = Moment(required=True)
    checked_out_at = Moment(required=True)


class ApproveHoursArgsSchema(Schema):
    minutes = fields.Integer(strict=True, validate=validate.Range(0, 24 * 60))
    reason = Text(load_default="", validate=validate.Length(max=200))


class AdjustHoursArgsSchema(Schema):
    minutes = fields.Integer(strict=True, required=True, validate=validate.Range(0, 24 * 60))
    reason = Text(required=True, validate=validate.Length(min=1, max=200))


class HoursApprovalSchema(AttendanceSchema):
    activity = fields.Nested(ActivityBriefSchema)
    user = fields.Function(lambda a: {"id": a.volunteer.user.id, "name": a.volunteer.user.name},
                           metadata={"type": "object"})


class VolunteerHistorySchema(AttendanceSchema):
    activity = fields.Nested(ActivityBriefSchema)


class VolunteerSettingsSchema(Schema):
    rounding_minutes = fields.Integer(strict=True, required=True, validate=validate.OneOf(ROUNDING_MINUTES))
    rounding = fields.String(required=True, validate=validate.OneOf(ROUNDINGS))
    checkin_early_minutes = fields.Integer(strict=True, required=True, validate=validate.Range(0, 240))
    reminders = StrictBoolean(required=True)


class VolunteerCertificateArgsSchema(Schema):
    start = fields.Date(required=True, data_key="from")
    end = fields.Date(required=True, data_key="to")

    @validates_schema
    def _order(self, data, **kwargs):
        if "start" in data and "end" in data:
            if data["end"] < data["start"]:
                raise ValidationError("Must not be before the start.", "to")
            if data["start"].year < 2000 or data["end"].year > 2099:
                raise ValidationError("Must be a date between 2000 and 2099.", "from")


class VolunteerCertificateSchema(Schema):
    code = fields.String()
    pdf_url = fields.String()
    hours = fields.Float()
    start = fields.Date(data_key="from", attribute="from")
    end = fields.Date(data_key="to", attribute="to")
    activities = fields.Integer()
    issued_at = fields.DateTime()


class CertificateCheckSchema(Schema):
    name = fields.String(metadata={"description": "Masked: 张*明."})
    community = fields.String()
    start = fields.Date(data_key="from", attribute="from")
    end = fields.Date(data_key="to", attribute="to")
    hours = fields.Float()
    activities = fields.Integer()
    issued_at = fields.DateTime()
    valid = fields.Boolean()


class VolunteerYearArgsSchema(Schema):
    year = QueryInteger(validate=validate.Range(2000, 2099))


class VolunteerBoardRowSchema(Schema):
    rank = fields.Integer()
    name = fields.String()
    hours = fields.Float()
    activities = fields.Integer()
