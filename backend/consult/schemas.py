from marshmallow import Schema, ValidationError, fields, post_dump, validate, validates_schema

from backend.common.fields import Id, StrictBoolean, Text
from backend.common.pagination import PageArgsSchema, page_schema
from backend.consult.models import STATUSES, TOPICS
from backend.files import file_url
from backend.files.schemas import FileId

MAX_PHOTOS = 3
MAX_DATES = 200


class QuestionArgsSchema(Schema):
    topic = fields.String(required=True, validate=validate.OneOf(list(TOPICS)))
    text = Text(required=True, validate=validate.Length(min=5, max=1000))
    photos = fields.List(FileId(), load_default=list, validate=validate.Length(max=MAX_PHOTOS),
                         metadata={"description": "Ids of uploads with purpose question_photo, made by me."})
    contact_id = Id(allow_none=True, load_default=None,
                    metadata={"description": "A visible contact of this community; null: the community."})
    faq_consent = StrictBoolean(load_default=False)

    @validates_schema
    def _photos_once(self, data, **kwargs):
        if len(set(data.get("photos", []))) != len(data.get("photos", [])):
            raise ValidationError("Each photo once.", "photos")


class InboxArgsSchema(PageArgsSchema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    mine = fields.Boolean(metadata={"description": "true: assigned to my contact profile only."})


class QuestionFeedbackArgsSchema(Schema):
    helpful = StrictBoolean(required=True)
    close = StrictBoolean(load_default=False)


class FollowUpArgsSchema(Schema):
    text = Text(required=True, validate=validate.Length(min=2, max=1000))


class AnswerArgsSchema(Schema):
    text = Text(required=True, validate=validate.Length(min=2, max=2000))


class TransferArgsSchema(Schema):
    contact_id = Id(required=True)
    note = Text(load_default="", validate=validate.Length(max=200))


class FaqArgsSchema(Schema):
    title = Text(required=True, validate=validate.Length(min=2, max=100))
    answer = Text(required=True, validate=validate.Length(min=2, max=2000))


class RouteSchema(Schema):
    topic = fields.String(required=True, validate=validate.OneOf(list(TOPICS)))
    contact_id = Id(required=True)


class SettingsArgsSchema(Schema):
    promise_days = fields.Integer(strict=True, required=True, validate=validate.Range(1, 30))
    routes = fields.List(fields.Nested(RouteSchema), load_default=list, validate=validate.Length(max=len(TOPICS)))
    holidays = fields.List(fields.Date(), load_default=list, validate=validate.Length(max=MAX_DATES))
    workdays = fields.List(fields.Date(), load_default=list, validate=validate.Length(max=MAX_DATES),
                           metadata={"description": "Weekend days that are working days (调休)."})

    @validates_schema
    def _calendar_fits(self, data, **kwargs):
        topics = [r["topic"] for r in data.get("routes", [])]
        if len(set(topics)) != len(topics):
            raise ValidationError("Each topic at most once.", "routes")
        if weekdays := [d.isoformat() for d in data.get("workdays", []) if d.weekday() < 5]:
            raise ValidationError(f"Not a Saturday or Sunday: {weekdays}.", "workdays")
        if both := sorted(set(data.get("holidays", [])) & set(data.get("workdays", []))):
            raise ValidationError(f"Both a holiday and a workday: {[d.isoformat() for d in both]}.", "workdays")


class SettingsSchema(Schema):
    promise_days = fields.Integer()
    routes = fields.List(fields.Nested(RouteSchema))
    holidays = fields.List(fields.Date())
    workdays = fields.List(fields.Date())


class PhotoSchema(Schema):
    id = fields.String(attribute="file_id")
    url = fields.Function(lambda p: file_url(p.community_id, p.file_id))
    thumb_url = fields.Function(lambda p: file_url(p.community_id, p.file_id, thumb=True))


class ContactBriefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    position = fields.String()
    title = fields.String()
    photo_thumb_url = fields.Function(
        lambda c: file_url(c.community_id, c.photo_id, thumb=True) if c.photo_id else None,
        metadata={"type": "string", "nullable": True})


class AnswerAuthorSchema(Schema):
    name = fields.String()
    title = fields.String(metadata={"description": "For answers by staff or party members."})
    asker = fields.Boolean(metadata={"description": "true on the asker's follow-ups (no title then)."})


class AnswerSchema(Schema):
    id = fields.Integer()
    text = fields.String()
    by = fields.Nested(AnswerAuthorSchema)
    at = fields.DateTime(attribute="created_at")


class AskerSchema(Schema):
    name = fields.String()
    home = fields.String(metadata={"description": "The asker's verified home here, \"\" when none."})


class QuestionSchema(Schema):
    id = fields.Integer()
    topic = fields.String()
    text = fields.String()
    photos = fields.List(fields.Nested(PhotoSchema))
    addressed_to = fields.Nested(ContactBriefSchema, allow_none=True)
    assignee = fields.Nested(ContactBriefSchema, allow_none=True)
    status = fields.String()
    asked_at = fields.DateTime()
    due_at = fields.DateTime()
    overdue = fields.Boolean()
    escalated = fields.Function(lambda q: q.escalated_at is not None, metadata={"type": "boolean"})
    answers = fields.List(fields.Nested(AnswerSchema))
    helpful = fields.Boolean(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    faq_consent = fields.Boolean()
    faq_item_id = fields.Integer(allow_none=True)
    asker = fields.Nested(AskerSchema, attribute="asker_card",
                          metadata={"description": "Only for staff and answerers, never for the asker."})

    @post_dump
    def _asker_only_for_answerers(self, data, **kwargs):
        if data.get("asker") is None:
            data.pop("asker", None)
        return data


QuestionPageSchema = page_schema(QuestionSchema)


class FaqSchema(Schema):
    faq_item_id = fields.Integer()
