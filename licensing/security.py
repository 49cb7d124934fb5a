"""Security headers, a per-request CSP nonce, session lifetime rules and the favicon."""

import secrets

from flask import Flask, Response, g, request, session
from flask_login import current_user, logout_user

from licensing.db import utcnow


def init_app(app: Flask) -> None:
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
        if not request.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.get("/favicon.ico")
    def favicon():
        return Response(status=204)
