"""The PWA's files at /, health at /healthz, Swagger UI's files for /api/docs."""
from flask import Blueprint, abort, current_app, jsonify, send_from_directory
from sqlalchemy import text
from swagger_ui_bundle import swagger_ui_path
from werkzeug.routing import PathConverter

from backend.extensions import db

blp = Blueprint("web", __name__)
NO_CACHE = {"sw.js", "manifest.webmanifest", "index.html", "registerSW.js", "boot.js"}


class AppPath(PathConverter):
    """Any path but the API's: an API URL asked with the wrong method is a 405 that allows only its own."""
    regex = r"(?!api(?:/|$))[^/].*?"


@blp.get("/healthz")
def healthz():
    """The database answers."""
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")


@blp.get("/api/docs/ui/<path:filename>")
def swagger_ui(filename: str):
    """Swagger UI's own files, from the app: the API docs open where a CDN is slow or out of reach."""
    return send_from_directory(swagger_ui_path, filename, max_age=60 * 60 * 24)


@blp.get("/", defaults={"path": ""})
@blp.get("/<app_path:path>")
def pwa(path: str):
    """Files of the built app; any other path gets index.html so history-mode routes work."""
    dist = current_app.config["PWA_DIST"]
    exists = bool(path) and (dist / path).is_file()
    if not exists and "." in path.rsplit("/", 1)[-1]:
        abort(404)  # a missing file, not an app route
    name = path if exists else "index.html"
    if not (dist / name).is_file():
        abort(404, description="The app has not been built: run `make run`.")
    response = send_from_directory(dist, name, max_age=0 if name in NO_CACHE else 31536000)
    if name in NO_CACHE:
        response.cache_control.no_cache = True
    elif name.startswith("assets/"):
        response.cache_control.immutable = True
    return response
