from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, validate
from werkzeug.datastructures import FileStorage

from backend.common.fields import String
from backend.files.services import PURPOSES, file_url


def _known_purpose(name: str) -> None:
    if name not in PURPOSES:
        raise ValidationError(f"One of: {', '.join(sorted(PURPOSES))}.")


class FileField(Upload):
    """A file part of a multipart body (a form field of the same name is not a file)."""
    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, FileStorage):
            raise ValidationError("Send the photo as a file.")
        return value


def FileId(**kwargs) -> String:
    """An uploaded file's id, as the upload answered it."""
    return String(validate=validate.Regexp(r"\A[0-9a-f]{32}\Z", error="Not a file id."), **kwargs)


class UploadArgsSchema(Schema):
    file = FileField(required=True, metadata={"description": "A JPEG, PNG, WebP or HEIC photo."})
    purpose = String(required=True, validate=_known_purpose, metadata={"description": "e.g. proxy_consent"})


class StoredFileSchema(Schema):
    id = fields.String()
    purpose = fields.String()
    width = fields.Integer()
    height = fields.Integer()
    size = fields.Integer()
    thumb_size = fields.Integer()
    created_at = fields.DateTime()
    attached_at = fields.DateTime(allow_none=True)
    url = fields.Function(lambda f: file_url(f.community_id, f.id))
    thumb_url = fields.Function(lambda f: file_url(f.community_id, f.id, thumb=True))
