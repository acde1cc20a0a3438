"""Schema bases shared by the domains."""
from marshmallow import Schema, validates_schema

from backend.errors import Invalid


class PatchSchema(Schema):
    """The input of a PATCH: only what is given changes, so giving nothing is a mistake, not a success."""

    @validates_schema
    def _something_to_change(self, data, **kwargs):
        if not data:
            raise Invalid("Nothing to change.", "nothing_to_change")
