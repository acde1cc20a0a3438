from flask import Response, request
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict

from backend.common.permissions import member_required
from backend.extensions import limiter
from backend.files import schemas as s
from backend.files import services


class MultipartParser(FlaskParser):
    """A multipart body's form fields and file parts, read by one schema (the document's one requestBody)."""
    def load_files(self, req, schema):
        return self._makeproxy(CombinedMultiDict([req.files, req.form]), schema)


class FilesBlueprint(Blueprint):
    ARGUMENTS_PARSER = MultipartParser()


blp = FilesBlueprint("files", __name__, url_prefix="/api/v1/communities/<int:community_id>/files",
                     description="Photos: uploaded, checked and re-encoded; read by whoever the owning row allows")


def _jpeg(data: bytes, etag: str) -> Response:
    # Private: a browser may keep it, but asks again (and is checked again) before each use.
    response = Response(data, mimetype="image/jpeg", headers={"Cache-Control": "private, no-cache"})
    response.set_etag(etag)  # the copies never change: a 304 then costs no transfer
    return response.make_conditional(request)


@blp.route("")
class Files(MethodView):
    decorators = [limiter.limit("30 per minute", methods=["POST"])]

    @member_required
    @blp.arguments(s.UploadArgsSchema, location="files")
    @blp.response(201, s.StoredFileSchema)
    def post(self, args, community_id):
        """Upload a photo for a purpose (e.g. proxy_consent); it is re-encoded and kept until a row claims it."""
        return services.upload_file(community_id, current_user, args["purpose"], args["file"])


@blp.route("/<string:file_id>")
class FileById(MethodView):
    @member_required
    @blp.response(200, content_type="image/jpeg")
    def get(self, community_id, file_id):
        """The photo (long side at most 1600 px), for those its owning row lets read it."""
        row = services.readable_file(community_id, file_id, current_user)
        return _jpeg(services.file_bytes(row), row.id)


@blp.route("/<string:file_id>/thumb")
class FileThumb(MethodView):
    @member_required
    @blp.response(200, content_type="image/jpeg")
    def get(self, community_id, file_id):
        """The photo's thumbnail (long side at most 320 px), on the same rule."""
        row = services.readable_file(community_id, file_id, current_user)
        return _jpeg(services.file_bytes(row, thumb=True), f"{row.id}-thumb")
