"""Schema bases shared by the domains."""
from marshmallow import Schema, validates_schema

from backend.errors import Invalid


class PatchSchema(Schema):
    """The input of a PATCH: only what is given changes, so giving nothing is a mistake, not a success."""

    @validates_schema
    def _something_to_change(self, data, **kwargs):
        if not data:
            raise Invalid("Nothing to change.", "nothing_to_change")


def plain(rows, keys) -> list[dict]:
    """Rows of the columns an answer shows, labelled as its schema names them, as the schema would dump them
    (datetimes are left to the JSON encoder, which writes them in ISO 8601 as the schema does). For the hottest
    reads only, where marshmallow's cost per field is most of the answer's; a test holds each such answer equal
    to its schema's dump."""
    return [dict(zip(keys, row)) for row in rows]
