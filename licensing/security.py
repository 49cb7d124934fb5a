"""Security headers, a per-request CSP nonce, session lifetime rules and the favicon."""

import secrets

from flask import Flask, Response, abort, g, request, session
from flask_login import current_user, logout_user
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from licensing.db import utcnow

MAX_PAGE = 100_000


def init_app(app: Flask) -> None:
    if app.config.get("PROXY_FIX_X_FOR") or app.config.get("PROXY_FIX_X_PROTO"):
        # Audit rows and rate limits then see the client's address, not the proxy's (ASVS 15.3.4).
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"], x_proto=app.config["PROXY_FIX_X_PROTO"]
        )

    @app.before_request
    def refuse_bad_page_numbers():
        """?page= must be a modest positive number: a huge one overflowed the database's OFFSET (a 500)."""
        value = request.args.get("page")
        if value is not None and not (
            value.isdigit() and 1 <= int(value[:7]) <= MAX_PAGE and len(value) <= 6
        ):
            abort(400, "Page numbers must be whole numbers from 1 to 100,000")

    @app.before_request
    def enforce_session_lifetime():
        g.csp_nonce = secrets.token_urlsafe(16)
        if not current_user.is_authenticated:
            return None
        signed_in_at = session.get("signed_in_at")
        limit = app.config["SESSION_ABSOLUTE_LIFETIME"].total_seconds()
        if signed_in_at is None or utcnow().timestamp() - signed_in_at > limit:
            logout_user()
            session.clear()
        return None

    @app.context_processor
    def inject_nonce():
        return {"cspNonce": g.get("csp_nonce", "")}

    @app.after_request
    def set_security_headers(response: Response) -> Response:
        nonce = g.get("csp_nonce", "")
        response.headers["Content-Security-Policy"] = (
            f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        response.headers["Permissions-Policy"] = (
            "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
        )
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        # A view may let the user's own browser keep a response (report charts: aggregate figures only).
        if not request.path.startswith("/static/") and not response.cache_control.private:
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.get("/favicon.ico")
    def favicon():
        return Response(status=204)


class BoundedIntegerConverter(IntegerConverter):
    """<int:...> ids up to 2**31 - 1: a larger one is a 404, not an integer the database cannot hold (a 500)."""  # noqa: E501

    max = 2**31 - 1

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", self.max)
        super().__init__(map, *args, **kwargs)
