"""The OpenAPI document says what the API really answers: our error shape, every error status, and
patterns any client can read."""
from http import HTTPStatus

from flask_smorest import Api
from marshmallow import Schema, fields

# The statuses backend/errors.py may answer any operation with (405 and the rest fall under the
# `default` response flask-smorest adds to each operation).
ERROR_STATUSES = (400, 401, 403, 404, 409, 413, 422, 429)
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
# Python's end-of-text anchors, which ECMA-262 regexes (the document's dialect) spell ^ and $.
ANCHORS = {r"\A": "^", r"\Z": "$"}


class ErrorSchema(Schema):
    """The one JSON error shape (backend/errors.py); documentation only."""
    code = fields.String(required=True, metadata={"description": "A stable snake_case code, e.g. not_found"})
    status = fields.Integer(required=True, metadata={"description": "The HTTP status"})
    message = fields.String(required=True, metadata={"description": "For people"})
    errors = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True, metadata={
        "description": "Field → list of messages (an object of the same shape for nested fields)"})
    details = fields.Dict(keys=fields.String(), values=fields.Raw(), metadata={
        "description": "Facts some codes carry for the client, e.g. a quota and how much of it is used"})


def document_api(api: Api) -> None:
    """Call once the blueprints are registered: it corrects what flask-smorest and apispec wrote."""
    api.spec.components.schemas["Error"] = api.ma_plugin.converter.schema2jsonschema(ErrorSchema)
    refs = {str(status): api.spec.components.get_ref("response", HTTPStatus(status).name)
            for status in ERROR_STATUSES}
    paths = api.spec._paths  # apispec has no public way to amend registered operations
    for item in paths.values():
        for method, operation in item.items():
            if method in METHODS:
                operation["responses"] = dict(sorted({**refs, **operation.get("responses", {})}.items()))
    _ecma_patterns(api.spec.components.schemas)
    _ecma_patterns(paths)


def _ecma_patterns(node) -> None:
    if isinstance(node, dict) and isinstance(node.get("pattern"), str):
        for python, ecma in ANCHORS.items():
            node["pattern"] = node["pattern"].replace(python, ecma)
    for child in node.values() if isinstance(node, dict) else node if isinstance(node, list) else ():
        _ecma_patterns(child)
