"""Cookie sessions, CSRF (double-submit cookie) and security headers."""
import hmac
import secrets

from flask import current_app, request
from flask_smorest import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from backend.extensions import db, login_manager

CSRF_COOKIE = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
CSP = ("default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
       "script-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
DOCS_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net").replace(
    "style-src 'self'", "style-src 'self' https://cdn.jsdelivr.net")


@login_manager.user_loader
def load_user(session_id: str):
    from backend.accounts.models import Membership, User
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    # One query: the user, if this session is still current, with the roles every check needs.
    stmt = (select(User).options(joinedload(User.memberships).joinedload(Membership.community))
            .filter_by(id=int(user_id), session_version=int(version), active=True))
    return db.session.scalars(stmt).unique().first()


@login_manager.unauthorized_handler
def unauthorized():
    abort(401, message="Please log in.", code="unauthorized")


def check_csrf():
    if request.method not in WRITE_METHODS or not request.path.startswith("/api/"):
        return
    cookie = request.cookies.get(CSRF_COOKIE, "")
    header = request.headers.get(CSRF_HEADER, "")
    if not cookie or not hmac.compare_digest(cookie, header):
        abort(403, message="Missing or wrong CSRF token; reload the page.", code="csrf_failed")


def set_csrf_and_headers(response):
    if CSRF_COOKIE not in request.cookies:
        response.set_cookie(CSRF_COOKIE, secrets.token_urlsafe(32), max_age=60 * 60 * 24 * 365,
                            secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=False,
                            samesite="Lax")
    docs = request.path.startswith("/api/docs")
    response.headers.setdefault("Content-Security-Policy", DOCS_CSP if docs else CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if request.path.startswith("/api/"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_security(app):
    app.before_request(check_csrf)
    app.after_request(set_csrf_and_headers)
