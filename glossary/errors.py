"""Error handling: JSON for the API, a readable page for people, never a traceback."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, OperationalError
from werkzeug.exceptions import HTTPException

from .database import is_busy
from .extensions import db

# How long a client should wait before trying a write again that found the database busy.
BUSY_RETRY_AFTER_SECONDS = 5


class ServiceError(Exception):
    """A use case refused: carries the HTTP status and a stable error code."""

    status = 400
    code = "bad_request"

    def __init__(
        self, message: str, *, code: str | None = None, status: int | None = None, details: dict | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
        self.details = details or {}


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class Conflict(ServiceError):
    """A stale edit: someone else saved a newer version first."""

    status = 409
    code = "conflict"


class Unauthorized(ServiceError):
    """No credentials, or ones that are refused: the answer names the scheme to use (RFC 6750)."""

    status = 401
    code = "unauthorized"

    def __init__(self, message: str, *, code: str | None = None, invalid_token: bool = False) -> None:
        super().__init__(message, code=code)
        # With no token sent, only the scheme; with one refused, also that it was the token.
        self.challenge = 'Bearer realm="glossary"' + (', error="invalid_token"' if invalid_token else "")


class Duplicate(ServiceError):
    """A new concept would repeat an existing one's Chinese and English terms; ``concept_id`` names it."""

    status = 409
    code = "duplicate"


class ValidationFailed(ServiceError):
    status = 422
    code = "invalid"


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_response(status: int, code: str, message: str, details: dict | None = None):
    """The one JSON error shape: ``{"error": {"code", "message"}}``."""
    body: dict = {"error": {"code": code, "message": message}}
    if details:
        body["error"].update(details)
    response = jsonify(body)
    response.status_code = status
    return response


def _render(status: int, title: str, message: str):
    return render_template("error.html", status=status, title=title, message=message), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ServiceError)
    def service_error(exc: ServiceError):
        db.session.rollback()
        if wants_json():
            response = error_response(exc.status, exc.code, exc.message, exc.details)
        else:
            response = app.make_response(_render(exc.status, exc.code.replace("_", " ").capitalize(), exc.message))
        if isinstance(exc, Unauthorized):
            response.headers["WWW-Authenticate"] = exc.challenge
        if exc.status == 503:  # the service is busy, not broken: say when to come back
            response.headers["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)
        return response

    @app.errorhandler(DataError)
    def data_error(exc: DataError):
        # The database refused a value (a NUL character, a number out of range): bad input, not a crash.
        db.session.rollback()
        message = "The input holds a character or a number the database cannot store; nothing was saved."
        if wants_json():
            return error_response(400, "bad_value", message)
        return _render(400, "Bad input", message)

    @app.errorhandler(OperationalError)
    def database_busy(exc: OperationalError):
        # Another write held the lock past the busy timeout: rolled back whole, worth retrying.
        if not is_busy(exc):
            return unexpected_error(exc)
        db.session.rollback()
        app.logger.warning("Database busy on %s %s: answered 503", request.method, request.path)
        message = "The glossary is busy with another change; nothing was saved. Please try again in a moment."
        if wants_json():
            response = error_response(503, "busy", message)
        else:
            response = app.make_response(_render(503, "Busy, please try again", message))
        response.headers["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        message = "The form expired or was not sent from this site. Reload the page and try again."
        if wants_json():
            return error_response(400, "csrf", message)
        return _render(400, "Form refused", message)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = (exc.name or "error").lower().replace(" ", "_")
        message = exc.description or exc.name
        if exc.code == 413:
            limit = app.config.get("MAX_CONTENT_LENGTH") or 0
            message = f"The upload is too large: the limit is {limit // (1024 * 1024)} MB."
        if wants_json():
            response = error_response(exc.code or 500, code, message)
        else:
            response = app.make_response(_render(exc.code or 500, exc.name, message))
        if exc.code == 405 and exc.valid_methods:
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    @app.errorhandler(Exception)
    def unexpected_error(exc: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        if isinstance(exc, HTTPException):  # pragma: no cover - handled above
            return http_error(exc)
        message = "Something went wrong on our side; nothing was saved. Please try again."
        if wants_json():
            return error_response(500, "internal_error", message)
        return _render(500, "Internal Server Error", message)
