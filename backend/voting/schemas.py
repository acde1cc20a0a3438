from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from backend.common.fields import Id, Moment, QueryInteger, StrictBoolean, String, Text
from backend.common.schemas import PatchSchema
from backend.files import file_url
from backend.files.schemas import FileId
from backend.voting.models import CHOICES, KINDS, MATTERS, RESULTS, STATUSES

Ids = fields.List(Id(), load_default=list, validate=validate.Length(max=200))


class ScopeSchema(Schema):
    everyone = StrictBoolean(load_default=False)
    grid_ids = Ids
    building_ids = Ids

    @validates_schema
    def _somewhere(self, data, **kwargs):
        if not any(data.get(key) for key in ("everyone", "grid_ids", "building_ids")):
            raise ValidationError("Choose the whole community, some grids or buildings.", "everyone")


class OptionArgsSchema(Schema):
    label = Text(required=True, validate=validate.Length(min=1, max=100))


class PollArgsSchema(Schema):
    title = Text(required=True, validate=validate.Length(min=1, max=100))
    body = Text(load_default="", validate=validate.Length(max=5000))
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    choice = fields.String(load_default="single", validate=validate.OneOf(CHOICES))
    min_choices = fields.Integer(strict=True, load_default=1, validate=validate.Range(1, 20))
    max_choices = fields.Integer(strict=True, load_default=1, validate=validate.Range(1, 20))
    counting = fields.String(load_default="person", validate=validate.OneOf(("person", "dwelling")))
    scope = fields.Nested(ScopeSchema, required=True)
    owners_only = StrictBoolean(load_default=False)
    matter = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(MATTERS))
    secret = StrictBoolean(load_default=False)
    results = fields.String(load_default="after_close", validate=validate.OneOf(RESULTS))
    allow_change = StrictBoolean(load_default=False)
    opens_at = Moment(allow_none=True, load_default=None)
    closes_at = Moment(required=True)
    options = fields.List(fields.Nested(OptionArgsSchema), load_default=list, validate=validate.Length(max=20))


class PollUpdateArgsSchema(PatchSchema, PollArgsSchema):
    """Used with partial=True: only what is given changes (drafts only)."""


class StaffPollQueryArgsSchema(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    page = QueryInteger(load_default=1, validate=validate.Range(min=1, max=10_000))
    per_page = QueryInteger(load_default=20, validate=validate.Range(min=1, max=100))


class BallotArgsSchema(Schema):
    choices = fields.List(Id(), required=True, validate=validate.Length(min=1, max=20))


class CodeArgsSchema(Schema):
    code = String(required=True, validate=validate.Length(min=6, max=20))


class PaperBallotArgsSchema(BallotArgsSchema, CodeArgsSchema):
    pass


class ProxyBallotArgsSchema(BallotArgsSchema):
    resident_id = Id(required=True)
    witness = Text(required=True, validate=validate.Length(min=1, max=50))
    signed_at = Moment(required=True)
    form_ref = Text(required=True, validate=validate.Length(min=1, max=50))
    photo = FileId(required=True, metadata={"description": "The id of the signed form's photo, uploaded "
                                                           "with purpose proxy_consent."})


class ReasonArgsSchema(Schema):
    reason = Text(required=True, validate=validate.Length(min=1, max=200))


class ReceiptQueryArgsSchema(Schema):
    page = QueryInteger(load_default=1, validate=validate.Range(min=1, max=10_000))
    per_page = QueryInteger(load_default=100, validate=validate.Range(min=1, max=500))


class OptionSchema(Schema):
    id = fields.Integer()
    label = fields.String()
    meaning = fields.String(allow_none=True)


class ScopeOutSchema(Schema):
    everyone = fields.Boolean()
    grid_ids = fields.List(fields.Integer())
    building_ids = fields.List(fields.Integer())


class PollSchema(Schema):
    id = fields.Integer()
    voters = fields.Integer(metadata={"description": "Staff lists only: how many have voted (void excluded)."})
    title = fields.String()
    body = fields.String()
    kind = fields.String()
    choice = fields.String()
    min_choices = fields.Integer()
    max_choices = fields.Integer()
    counting = fields.String()
    scope = fields.Nested(ScopeOutSchema)
    owners_only = fields.Boolean()
    matter = fields.String(allow_none=True)
    secret = fields.Boolean()
    results = fields.String()
    allow_change = fields.Boolean()
    status = fields.String()
    opens_at = fields.DateTime(allow_none=True)
    closes_at = fields.DateTime()
    opened_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    withdrawn_at = fields.DateTime(allow_none=True)
    withdraw_reason = fields.String()
    roll_heads = fields.Integer(allow_none=True)
    roll_area = fields.Decimal(as_string=True, allow_none=True)
    options = fields.List(fields.Nested(OptionSchema))


class ProxyConsentSchema(Schema):
    id = fields.Integer()
    witness = fields.String()
    signed_at = fields.DateTime()
    form_ref = fields.String()
    photo_id = fields.String()
    photo_url = fields.Function(lambda c: file_url(c.community_id, c.photo_id))
    photo_thumb_url = fields.Function(lambda c: file_url(c.community_id, c.photo_id, thumb=True))
    disputed_at = fields.DateTime(allow_none=True)
    dispute_reason = fields.String()


class MyVoteSchema(Schema):
    voted = fields.Boolean()
    voted_at = fields.DateTime()
    channel = fields.String()
    by_me = fields.Boolean()
    choices = fields.List(fields.Integer(), allow_none=True)
    void = fields.Boolean()
    proxy = fields.Nested(ProxyConsentSchema, allow_none=True,
                          metadata={"description": "Entered by staff for me: the consent I signed, with its photo."})


class ResidentPollSchema(PollSchema):
    """A poll as a resident sees it: may I vote, have I (or my home or unit) voted, may I see results."""
    can_vote = fields.Boolean()
    my_vote = fields.Nested(MyVoteSchema, allow_none=True)
    results_visible = fields.Boolean()


class CastSchema(Schema):
    receipt = fields.String(allow_none=True, metadata={"description": "Shown once: keep it to find the ballot."})
    voted_at = fields.DateTime()
    channel = fields.String()
    changed = fields.Boolean()


class RatioSchema(Schema):
    part = fields.String()
    whole = fields.String()
    value = fields.String()
    fraction = fields.String()
    threshold = fields.String()
    strict = fields.Boolean()
    met = fields.Boolean()


class OwnersDecisionSchema(Schema):
    matter = fields.String()
    total_area = fields.String()
    total_heads = fields.Integer()
    voted_area = fields.String()
    voted_heads = fields.Integer()
    turnout_area = fields.Nested(RatioSchema)
    turnout_heads = fields.Nested(RatioSchema)
    approval_area = fields.Nested(RatioSchema)
    approval_heads = fields.Nested(RatioSchema)
    quorum = fields.Boolean()
    approved = fields.Boolean()
    passed = fields.Boolean()


class OptionCountSchema(OptionSchema):
    votes = fields.Integer()
    area = fields.String(allow_none=True)


class CountRowSchema(Schema):
    building = fields.String()
    channel = fields.String()
    option_id = fields.Integer()
    votes = fields.Integer()
    area = fields.String(allow_none=True)


class TurnoutTotalsSchema(Schema):
    voters = fields.Integer()
    eligible = fields.Integer()
    area = fields.String(allow_none=True)
    total_area = fields.String(allow_none=True)


class NamedBallotSchema(Schema):
    name = fields.String()
    channel = fields.String()
    choices = fields.List(fields.Integer())


class ResultsSchema(Schema):
    options = fields.List(fields.Nested(OptionCountSchema))
    named = fields.List(fields.Nested(NamedBallotSchema), allow_none=True,
                        metadata={"description": "Open polls only: each ballot with the voter's name."})
    rows = fields.List(fields.Nested(CountRowSchema))
    turnout = fields.Nested(TurnoutTotalsSchema)
    owners = fields.Nested(OwnersDecisionSchema, allow_none=True)
    generated_at = fields.String()


class TurnoutBuildingSchema(Schema):
    building_id = fields.Integer(allow_none=True)
    building = fields.String()
    voters = fields.Integer()
    online = fields.Integer()
    paper = fields.Integer()
    proxy = fields.Integer()


class TurnoutSchema(Schema):
    voters = fields.Integer()
    eligible = fields.Integer()
    buildings = fields.List(fields.Nested(TurnoutBuildingSchema))


class RollPreviewSchema(Schema):
    units = fields.Integer()
    area = fields.String(allow_none=True)
    dwellings = fields.Integer(allow_none=True)


class SlipSchema(Schema):
    voter_key = fields.String()
    label = fields.String()
    code = fields.String()


class ReceiptSchema(Schema):
    receipt_hash = fields.String()
    choices = fields.List(fields.Integer())
