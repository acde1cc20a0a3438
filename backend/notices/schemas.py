from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from backend.common.fields import MAX_ID, Id, Moment, QueryId, QueryInteger, StrictBoolean, String, Text
from backend.common.schemas import PatchSchema
from backend.notices.audience import ROLES
from backend.notices.models import CATEGORIES, STATUSES

Ids = fields.List(Id(), load_default=list, validate=validate.Length(max=200))


class AudienceSchema(Schema):
    everyone = StrictBoolean(load_default=False)
    grid_ids = Ids
    building_ids = Ids
    roles = fields.List(fields.String(validate=validate.OneOf(sorted(ROLES))), load_default=list,
                        validate=validate.Length(max=len(ROLES)))

    @validates_schema
    def _someone(self, data, **kwargs):
        if not any(data.get(key) for key in ("everyone", "grid_ids", "building_ids", "roles")):
            raise ValidationError("Choose the whole community, some grids, buildings or roles.", "everyone")


class NoticeArgsSchema(Schema):
    title = Text(required=True, validate=validate.Length(max=100))
    body = Text(required=True, validate=validate.Length(min=1, max=50_000))
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    audience = fields.Nested(AudienceSchema, required=True)
    pinned = StrictBoolean(load_default=False)
    ack_required = StrictBoolean(load_default=False)
    push = StrictBoolean(load_default=True)
    expires_at = Moment(allow_none=True, load_default=None)


class NoticeUpdateArgsSchema(PatchSchema, NoticeArgsSchema):
    """Used with partial=True: only what is given changes."""
    title = Text(validate=validate.Length(min=1, max=100))


class ReachArgsSchema(Schema):
    audience = fields.Nested(AudienceSchema, required=True)
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    push = StrictBoolean(load_default=True)


class ReachSchema(Schema):
    residents = fields.Integer(metadata={"description": "Residents the notice is addressed to."})
    phones = fields.Integer(metadata={"description": "Phones that ring when it is published."})
    phones_later = fields.Integer(metadata={"description": "Phones that ring when their quiet hours end."})
    sms = fields.Integer(metadata={"description": "Texts to residents with no push device (urgent notices)."})
    sms_over_budget = fields.Integer(metadata={"description": "Phones left without a text by the SMS budget."})


class PublishArgsSchema(Schema):
    publish_at = Moment(allow_none=True, load_default=None)


class NoticeQueryArgsSchema(Schema):
    category = fields.String(validate=validate.OneOf(CATEGORIES))
    cursor = String(validate=validate.Length(max=100))
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=50))


class NoticeSearchArgsSchema(Schema):
    q = Text(required=True, validate=validate.Length(max=100))
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=50))


class StaffNoticeQueryArgsSchema(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class UnreadQueryArgsSchema(Schema):
    grid_id = QueryId()
    building_id = QueryId()
    cursor = String(validate=validate.Length(max=100),
                    metadata={"description": "`next_cursor` of the previous page; none for the first."})
    limit = QueryInteger(load_default=50, validate=validate.Range(min=1, max=200))


class AuthorSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class ReaderNoticeBriefSchema(Schema):
    """A notice as its reader sees it in the list (a NoticeRecipient row)."""
    id = fields.Integer(attribute="notice_id")
    title = fields.String(attribute="notice.title")
    summary = fields.String(attribute="notice.summary")
    category = fields.String(attribute="notice.category")
    pinned = fields.Boolean(attribute="notice.pinned")
    ack_required = fields.Boolean(attribute="notice.ack_required")
    published_at = fields.DateTime(attribute="notice.published_at", allow_none=True)
    expires_at = fields.DateTime(attribute="notice.expires_at", allow_none=True)
    read_at = fields.DateTime(allow_none=True)
    acknowledged_at = fields.DateTime(allow_none=True)


class ReaderNoticeSchema(ReaderNoticeBriefSchema):
    body_html = fields.String(attribute="notice.body_html")
    author = fields.String(attribute="notice.author.name")


class NoticePageSchema(Schema):
    items = fields.List(fields.Nested(ReaderNoticeBriefSchema))
    next_cursor = fields.String(allow_none=True)


class UnreadCountSchema(Schema):
    unread = fields.Integer()


class StaffNoticeSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    body_html = fields.String()
    summary = fields.String()
    category = fields.String()
    audience = fields.Nested(AudienceSchema)
    pinned = fields.Boolean()
    ack_required = fields.Boolean()
    push = fields.Boolean()
    status = fields.String()
    publish_at = fields.DateTime(allow_none=True)
    published_at = fields.DateTime(allow_none=True)
    expires_at = fields.DateTime(allow_none=True)
    withdrawn_at = fields.DateTime(allow_none=True)
    last_reminded_at = fields.DateTime(allow_none=True)
    author = fields.Nested(AuthorSchema)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class GridStatsSchema(Schema):
    grid_id = fields.Integer(allow_none=True)
    grid_name = fields.String()
    addressed = fields.Integer()
    pushed = fields.Integer()
    delivered = fields.Integer()
    read = fields.Integer()
    acknowledged = fields.Integer()


class ProgressSchema(Schema):
    kind = fields.String(metadata={"description": "publish: addressing the notice; remind: pushing it again."})
    status = fields.String(metadata={"description": "running, or done."})
    done = fields.Integer(metadata={"description": "Residents handled so far."})
    total = fields.Integer(allow_none=True, metadata={"description": "Residents to handle; None until counted."})
    deliveries = fields.Integer(metadata={"description": "Pushes to devices written so far."})
    started_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)


class NoticeStatsSchema(GridStatsSchema):
    notice_id = fields.Integer()
    sms_sent = fields.Integer(metadata={"description": "Texts the provider accepted."})
    sms_failed = fields.Integer(metadata={"description": "Texts the provider refused or that were lost."})
    sms_over_budget = fields.Integer(metadata={"description": "Phones left without a text by the SMS budget."})
    sms_pending = fields.Integer(metadata={"description": "Texts queued, not yet handed to the provider."})
    grids = fields.List(fields.Nested(GridStatsSchema))
    progress = fields.Nested(ProgressSchema, allow_none=True,
                             metadata={"description": "The latest sending (publish or reminder); None before any."})

    class Meta:
        exclude = ("grid_id", "grid_name")


class UnreadResidentSchema(Schema):
    user_id = fields.Integer()
    name = fields.String()
    phone = fields.String()
    dwelling = fields.String()
    grid = fields.String()


class UnreadPageSchema(Schema):
    items = fields.List(fields.Nested(UnreadResidentSchema))
    next_cursor = fields.String(allow_none=True, metadata={"description": "None on the last page."})


class RemindResultSchema(Schema):
    reminded = fields.Integer(metadata={"description": "Residents who have not read it, to be pushed again."})
    deliveries = fields.Integer(metadata={"description": "Pushes written so far: the worker writes them after "
                                                         "this answer; the stats' progress follows them."})


class SmsBudgetArgsSchema(Schema):
    monthly = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=MAX_ID),
                             metadata={"description": "Texts a calendar month (the community's time)."})
    per_notice = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=MAX_ID),
                                metadata={"description": "Texts one notice may send at most."})


class SmsBudgetSchema(SmsBudgetArgsSchema):
    custom = fields.Boolean(metadata={"description": "False: the deployment's defaults apply."})
    used = fields.Integer(metadata={"description": "Texts counted this month: sent or queued."})
    remaining = fields.Integer()
    month = fields.String(metadata={"description": "YYYY-MM, in the community's time."})
    max = fields.Integer(metadata={"description": "The largest monthly budget this deployment allows."})
