"""Input and output of the search log routes: opened hits, the staff's list of misses, their fixes."""
from marshmallow import Schema, fields, validate

from backend.common.fields import String, Text
from backend.search.schemas import KINDS

QUERY = validate.Length(min=1, max=100)


class OpenedArgsSchema(Schema):
    log = String(required=True, validate=validate.Length(max=1000),  # the search's words are in it
                        metadata={"description": "The X-Search-Log header of the search's response."})
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=2**31 - 1))


class MissArgsSchema(Schema):
    days = fields.Integer(load_default=30, validate=validate.Range(min=1, max=365))


class MissSchema(Schema):
    query = fields.String()
    searches = fields.Integer(metadata={"description": "How many times it was searched in the period."})
    empty = fields.Integer(metadata={"description": "How many of those found nothing."})
    found_nothing = fields.Boolean(metadata={"description": "True when none found anything; else none was opened."})
    last_at = fields.DateTime()


class AliasArgsSchema(Schema):
    query = Text(required=True, validate=validate.Length(min=1, max=30))
    item_id = fields.Integer(required=True, strict=True)


class TermArgsSchema(Schema):
    query = Text(required=True, validate=validate.Length(min=1, max=30))
    term = Text(required=True, validate=validate.Length(min=1, max=30))


class DismissArgsSchema(Schema):
    query = Text(required=True, validate=QUERY)


class ClosestArgsSchema(Schema):
    q = Text(required=True, validate=QUERY)


class ClosestCategorySchema(Schema):
    id = fields.Integer()
    name = fields.String()
    icon = fields.String()


class AliasedItemSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    aliases = fields.List(fields.String())
