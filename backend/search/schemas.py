from marshmallow import Schema, fields, validate

from backend.common.fields import Text

KINDS = ("guide", "facility")


class SearchArgsSchema(Schema):
    q = Text(required=True, validate=validate.Length(max=100))
    kind = fields.String(validate=validate.OneOf(KINDS))
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=50))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=1000))


class SuggestArgsSchema(Schema):
    q = Text(required=True, validate=validate.Length(max=50))
    kind = fields.String(validate=validate.OneOf(KINDS))


class SegmentSchema(Schema):
    text = fields.String()
    hit = fields.Boolean()


class HitSchema(Schema):
    kind = fields.String()
    id = fields.Integer()
    score = fields.Float()
    field = fields.String(metadata={"description": "Where the best match is: title, tags or body."})
    title = fields.List(fields.Nested(SegmentSchema))
    snippet = fields.List(fields.Nested(SegmentSchema))


class SuggestionSchema(Schema):
    kind = fields.String()
    id = fields.Integer()
    text = fields.Function(lambda h: "".join(s["text"] for s in h.title), metadata={"type": "string"})
    title = fields.List(fields.Nested(SegmentSchema))


class SynonymArgsSchema(Schema):
    terms = fields.List(Text(required=True, validate=validate.Length(min=1, max=30)), required=True,
                        validate=validate.Length(min=2, max=10))


class SynonymSchema(Schema):
    id = fields.Integer()
    terms = fields.List(fields.String())
