"""Page-numbered lists for staff screens: a page of rows and the total, in two queries."""
from marshmallow import Schema, fields, validate
from sqlalchemy import Select, func, select

from backend.common.fields import QueryInteger
from backend.extensions import db


class PageArgsSchema(Schema):
    page = QueryInteger(load_default=1, validate=validate.Range(min=1, max=10_000))
    per_page = QueryInteger(load_default=50, validate=validate.Range(min=1, max=200))


def page_schema(item_schema: type[Schema]) -> type[Schema]:
    """{"items": [...], "total": n, "page": p, "per_page": k} around one item schema."""
    name = item_schema.__name__.removesuffix("Schema") + "PageSchema"
    return Schema.from_dict({"items": fields.List(fields.Nested(item_schema)), "total": fields.Integer(),
                             "page": fields.Integer(), "per_page": fields.Integer()}, name=name)


def paginate(stmt: Select, page: int = 1, per_page: int = 50, after=None) -> dict:
    """`after`, a condition on the sort key, continues a list whose earlier rows may have left it
    meanwhile (a queue being worked through); `total` still counts the whole list."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    if after is not None:
        stmt = stmt.where(after)
    items = list(db.session.scalars(stmt.offset((page - 1) * per_page).limit(per_page)).unique())
    return {"items": items, "total": total, "page": page, "per_page": per_page}
