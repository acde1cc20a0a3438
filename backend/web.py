"""The PWA's files at /, health at /healthz, Swagger UI's files for /api/docs."""
from flask import Blueprint, Flask, abort, current_app, jsonify, send_from_directory
from sqlalchemy import literal, select
from sqlalchemy.exc import DBAPIError
from swagger_ui_bundle import swagger_ui_path
from werkzeug.routing import PathConverter
from whitenoise import WhiteNoise

from backend.common.db import fetch, without_transaction
from backend.errors import error_response
from backend.security import STATIC_HEADERS

blp = Blueprint("web", __name__)
NO_CACHE = {"sw.js", "manifest.webmanifest", "index.html", "registerSW.js", "boot.js"}


class AppPath(PathConverter):
    """Any path but the API's: an API URL asked with the wrong method is a 405 that allows only its own."""
    regex = r"(?!api(?:/|$))[^/].*?"


def serve_built_files(app: Flask) -> None:
    """The build's hashed assets straight from WhiteNoise, before Flask: brotli or gzip when the build made
    them (`python -m whitenoise.compress`, run by the Makefile) and the phone accepts it, cached for good.
    Only assets/, whose hashed names are safe to cache for good; index.html and sw.js need Flask's headers.
    `autorefresh` looks a file up when it is asked for (a stat or two) instead of listing the folder when the
    app starts, so a build running meanwhile neither breaks start-up nor leaves new files unknown."""
    assets = app.config["PWA_DIST"] / "assets"

    def add_headers(headers, path: str, url: str) -> None:
        for name, value in STATIC_HEADERS.items():
            headers[name] = value

    app.wsgi_app = WhiteNoise(app.wsgi_app, root=assets, prefix="assets/", max_age=31536000, autorefresh=True,
                              allow_all_origins=False, add_headers_function=add_headers,
                              immutable_file_test=lambda path, url: True)


ALIVE = select(literal(1).label("alive"))


@blp.get("/healthz")
@without_transaction
def healthz():
    """The database answers: one statement on a connection of its own (asked every few seconds by whatever
    watches the app), or 503 for the balancer to send requests elsewhere."""
    try:
        fetch(ALIVE, {})
    except DBAPIError:
        current_app.logger.exception("health check: the database does not answer")
        return error_response(503, "The database does not answer.", "database_unavailable")
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
