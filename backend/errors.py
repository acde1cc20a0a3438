"""The one JSON error shape: {"code", "status", "message", "errors"}."""
from flask import current_app, jsonify
from sqlalchemy.exc import DataError, IntegrityError
from werkzeug.exceptions import HTTPException

from backend.extensions import db

CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
    422: "validation_failed", 429: "rate_limited", 500: "internal_error",
}


class DomainError(Exception):
    """A rule of the domain said no; services raise these, the handler maps them."""
    status = 400

    def __init__(self, message: str, code: str | None = None, errors: dict | None = None,
                 details: dict | None = None):
        super().__init__(message)
        self.message, self.code, self.errors = message, code or CODES[self.status], errors or {}
        self.details = details  # facts the client shows with the message (a quota and what is used of it)


class Invalid(DomainError):
    status = 422


class Conflict(DomainError):
    status = 409


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class TooLarge(DomainError):
    status = 413


def invalid(field: str, message: str, code: str = "validation_failed") -> Invalid:
    return Invalid(message, code, {field: [message]})


def error_response(status: int, message: str, code: str | None = None, errors=None, headers=None,
                   details: dict | None = None):
    body = {"code": code or CODES.get(status, "error"), "status": status,
            "message": message, "errors": errors or {}}
    if details is not None:
        body["details"] = details
    return jsonify(body), status, headers or {}


def _flatten(messages: dict) -> dict:
    # webargs nests field errors under the location ("json", "query", ...); callers want fields.
    out: dict = {}
    for value in messages.values():
        if isinstance(value, dict):
            out.update(value)
    return out


def handle_http(err: HTTPException):
    data = getattr(err, "data", None) or {}
    errors = _flatten(data.get("messages", {}))
    message = data.get("message") or ("Invalid input." if errors else err.description)
    headers = [h for h in err.get_headers() if h[0].lower() != "content-type"]
    return error_response(err.code or 500, message, data.get("code"), errors, headers)


def handle_domain(err: DomainError):
    db.session.rollback()
    return error_response(err.status, err.message, err.code, err.errors, details=err.details)


def handle_integrity(err: IntegrityError):
    # A unique or check constraint lost a race that the service's own checks could not see.
    db.session.rollback()
    current_app.logger.info("integrity error: %s", err.orig)
    return error_response(409, "This conflicts with existing data.", "conflict")


def handle_data_error(err: DataError):
    # A value the database cannot hold (a number out of range) that no schema caught.
    db.session.rollback()
    current_app.logger.warning("data error: %s", err.orig)
    return error_response(422, "A value is out of range.", "validation_failed")


def handle_unexpected(err: Exception):
    if isinstance(err, HTTPException):
        return handle_http(err)
    db.session.rollback()
    current_app.logger.exception("unhandled error")
    return error_response(500, "Something went wrong on our side.")


def register_error_handlers(app):
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(DomainError, handle_domain)
    app.register_error_handler(IntegrityError, handle_integrity)
    app.register_error_handler(DataError, handle_data_error)
    app.register_error_handler(Exception, handle_unexpected)
