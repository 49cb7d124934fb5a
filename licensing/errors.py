"""Domain exceptions and generic error pages (no stack traces, SQL or secrets)."""

from flask import Flask, jsonify, render_template, request
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from licensing.db import db


class RuleViolation(Exception):
    """A business rule was broken; nothing was changed. The message is shown to the user."""


class StaleSave(RuleViolation):
    """The form was opened on an older version of the record than the one saved now."""

    MESSAGE = ("Someone else changed this since you opened it, so nothing was saved. "
               "Reload the page to see their change, then try again.")


class NotPermitted(Exception):
    """The acting user may not do this."""


ERROR_TITLES = {
    400: "Sorry, there is a problem with the request",
    403: "You do not have access to this page",
    404: "Page not found",
    405: "Sorry, there is a problem with the request",
    413: "The file is too large",
    409: "Someone else changed this at the same time",
    429: "Too many requests",
    500: "Sorry, there is a problem with the service",
}


API_CODES = {
    400: "bad_request", 401: "unauthorised", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    409: "conflict", 413: "too_large", 429: "rate_limited", 500: "server_error",
}


def api_error(status: int, message: str, fields: dict | None = None):
    """The API's one error shape: {"error": {"status", "code", "message", "fields"}}."""
    body = {"status": status, "code": API_CODES.get(status, "error"), "message": message,
            "fields": fields or {}}
    return jsonify({"error": body}), status


def init_app(app: Flask) -> None:
    def render_error(code: int):
        if request.path.startswith("/api/"):
            return api_error(code, ERROR_TITLES.get(code, ERROR_TITLES[500]))
        return render_template(
            "errors/error.html", code=code, title=ERROR_TITLES.get(code, ERROR_TITLES[500])
        ), code

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_error(error.code or 500)

    @app.errorhandler(NotPermitted)
    def not_permitted(error: NotPermitted):
        return render_error(403)

    @app.errorhandler(IntegrityError)
    @app.errorhandler(StaleDataError)
    def conflict(error):
        """A race lost to a concurrent request (a duplicate reference, a stale save): nothing was saved."""
        from licensing.db import db

        db.session.rollback()
        return render_error(409)

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_error(500)
