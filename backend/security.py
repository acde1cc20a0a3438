"""Cookie sessions, CSRF (double-submit cookie), request body limits and security headers."""
import functools
import hmac
import json
import secrets
import time

from flask import current_app, g, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_smorest import abort
from itsdangerous import BadSignature
from sqlalchemy import String, bindparam, cast, func, literal_column, select
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.instrumentation import manager_of_class
from sqlalchemy.orm.util import identity_key

from backend.common.db import fetch
from backend.extensions import db, login_manager

CSRF_COOKIE = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
CSP = ("default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
       "script-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
# What every response carries; files served before Flask (backend/web.py) get them from here.
STATIC_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                  "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY"}
DOCS_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")  # Swagger UI's inline start-up


REFRESH_AFTER = 60 * 60 * 24


class SlidingSession(SecureCookieSession):
    signed_at: float = 0.0


class SlidingSessionInterface(SecureCookieSessionInterface):
    """The 30-day session still slides with use, but its cookie is re-signed once a day, not on every response."""
    session_class = SlidingSession

    def get_signing_serializer(self, app):
        # Built once per key rather than per request: it derives its signing keys when made.
        keys = (app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if getattr(self, "_keys", None) != keys:
            self._keys, self._serializer = keys, super().get_signing_serializer(app)
            self._opened: dict[str, tuple[dict, float]] = {}
        return self._serializer

    def open_session(self, app, request):
        serializer = self.get_signing_serializer(app)
        value = request.cookies.get(self.get_cookie_name(app))
        if serializer is None or not value:
            return None if serializer is None else self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        # A cookie checked once is remembered with what it holds (until the keys change): the same bytes would
        # verify the same way again, and checking them (decode, inflate, HMAC) was a tenth of a hot read.
        # Whether the session is still current is the user loader's question, asked of the database each time.
        opened = self._opened.get(value)
        if opened is None:
            try:
                data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
            except BadSignature:
                return self.session_class()
            if len(self._opened) >= 10_000:
                self._opened.clear()
            opened = self._opened[value] = (data, signed_at.timestamp())
        elif time.time() - opened[1] > max_age:
            return self.session_class()  # expired since, as loads would now say
        session = self.session_class(opened[0])  # a copy: the request may change its own
        session.signed_at = opened[1]
        return session

    def should_set_cookie(self, app, session) -> bool:
        stale = time.time() - getattr(session, "signed_at", 0.0) > REFRESH_AFTER
        return session.modified or (session.permanent and stale)


@functools.cache
def _principal_query():
    """If the session is still current: the user row's revision, and their roles as "community:role,…". One
    small query, no ORM loading (the most frequent statement there is: every logged-in request runs it)."""
    from backend.accounts.models import Membership, User
    # The separator written into the SQL: as a parameter it would be spliced in again on every execution.
    roles = (select(func.aggregate_strings(cast(Membership.community_id, String) + ":" + Membership.role,
                                           literal_column("','")))
             .where(Membership.user_id == User.id).scalar_subquery())
    # The creation time too, as text: with the id it names this user for good, though a deleted user's id
    # may be given again.
    return select(User.revision, cast(User.created_at, String).label("created"), roles.label("roles")).where(
        User.id == bindparam("user_id"), User.session_version == bindparam("version"), User.active.is_(True))


@functools.cache
def _row_query():
    from backend.accounts.models import User
    return (select(*User.__table__.columns, cast(User.created_at, String).label("created"))
            .where(User.id == bindparam("user_id")))


# User rows as last read, by (id, creation time, session_version, revision): every change to a row bumps its
# revision, so a row found here under what the database gives now is the row as it is.
_rows: dict[tuple, dict] = {}


def read_user_row(user_id: int) -> dict | None:
    """The user's row as it is now, remembered under its own key: at login, so that the session's first request
    need not read it, and whenever a request finds it changed."""
    found = db.session.connection().execute(_row_query(), {"user_id": user_id}).mappings().first()
    if found is None:
        return None
    values = dict(found)
    created = values.pop("created")
    if len(_rows) >= 10_000:
        _rows.clear()
    _rows[(user_id, created, values["session_version"], values["revision"])] = values
    return values


def _user_row(user_id: int, version: int, principal) -> dict | None:
    values = _rows.get((user_id, principal.created, version, principal.revision)) or read_user_row(user_id)
    # Read again, it may have changed since the first query: a logout is as if it had come first.
    return values if values and values["session_version"] == version and values["active"] else None


@login_manager.user_loader
def load_user(session_id: str):
    from backend.accounts.models import User
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    found = fetch(_principal_query(), {"user_id": int(user_id), "version": int(version)})
    row = found[0] if found else None
    values = row and _user_row(int(user_id), int(version), row)
    if not values:
        return None
    # A hot read (see `without_transaction`) changes nothing of the user and reads none of their relationships:
    # their object stays out of the session, which such a read then never opens.
    alone = g.get("reads_alone")
    user = None if alone else db.session.identity_map.get(identity_key(User, values["id"]))
    if user is None:
        # Made from the row as a query would have made it (its values as loaded, not as set: a quarter of the
        # cost of User(**values)); relationships still load when asked for, in the session.
        user = manager_of_class(User).new_instance()
        user.__dict__.update(values)
        make_transient_to_detached(user)
        if not alone:
            db.session.add(user)
    user.roles = {(int(cid), role) for cid, _, role in (r.partition(":") for r in (row.roles or "").split(",") if r)}
    return user


@login_manager.unauthorized_handler
def unauthorized():
    abort(401, message="Please log in.", code="unauthorized")


def check_csrf():
    if request.method not in WRITE_METHODS or not request.path.startswith("/api/"):
        return
    if request.url_rule is None:
        return  # no route has this path and method: routing answers 404 or 405, and nothing runs
    cookie = request.cookies.get(CSRF_COOKIE, "")
    header = request.headers.get(CSRF_HEADER, "")
    if not cookie or not hmac.compare_digest(cookie, header):
        abort(403, message="Missing or wrong CSRF token; reload the page.", code="csrf_failed")


def check_json_body():
    """A JSON body is refused by its declared size before it is read, and parsed here first so that
    JSON nested too deep for the parser (a RecursionError) is a 400 like any other bad JSON."""
    if not request.is_json or request.url_rule is None or not request.path.startswith("/api/"):
        return
    request.max_content_length = current_app.config["MAX_JSON_BYTES"]
    body = request.get_data(cache=True)  # 413 when over the limit
    if not body:
        return
    try:
        json.loads(body.decode())  # as webargs will, which only knows the usual errors
    except (ValueError, RecursionError):
        abort(400, message="The body is not valid JSON.", code="bad_json")


def set_csrf_and_headers(response):
    if CSRF_COOKIE not in request.cookies:
        response.set_cookie(CSRF_COOKIE, secrets.token_urlsafe(32), max_age=60 * 60 * 24 * 365,
                            secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=False,
                            samesite="Lax")
    docs = request.path.startswith("/api/docs")
    for name, value in {**STATIC_HEADERS, **({"Content-Security-Policy": DOCS_CSP} if docs else {})}.items():
        response.headers.setdefault(name, value)
    if request.path.startswith("/api/"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_security(app):
    app.session_interface = SlidingSessionInterface()
    app.before_request(check_csrf)
    app.before_request(check_json_body)
    app.after_request(set_csrf_and_headers)
