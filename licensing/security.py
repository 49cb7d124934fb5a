"""Security headers, a per-request CSP nonce, session lifetime rules and the favicon."""

import secrets

from flask import Flask, Response, abort, g, request, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_login import current_user, logout_user
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from licensing.db import utcnow

MAX_PAGE = 100_000


class RefreshingSessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, re-signed when it changes or when its signature is SESSION_REFRESH_AFTER
    old, rather than on every response: signing and setting the cookie was a tenth of a plain page's CPU. The
    idle timeout (PERMANENT_SESSION_LIFETIME, checked against the signature's time) therefore ends a session
    between that long and that long less SESSION_REFRESH_AFTER after its last request."""

    def __init__(self) -> None:
        # Per secret: the serializer, and a signer for its clock (Flask built two serializers a request, each
        # serialising {} to check its serializer).
        self._signing: dict[tuple, tuple[URLSafeTimedSerializer, TimestampSigner]] = {}

    def _signing_for(self, app: Flask) -> tuple[URLSafeTimedSerializer, TimestampSigner] | None:
        if not app.secret_key:
            return None
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if keys not in self._signing:
            serializer = super().get_signing_serializer(app)
            self._signing[keys] = (serializer, serializer.make_signer())
        return self._signing[keys]

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        signing = self._signing_for(app)
        return signing[0] if signing else None

    def open_session(self, app: Flask, request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        try:
            data, signed_at = serializer.loads(
                value, max_age=int(app.permanent_session_lifetime.total_seconds()), return_timestamp=True)
        except BadSignature:
            return self.session_class()
        opened = self.session_class(data)
        opened.signed_at = signed_at.timestamp()
        return opened

    def should_set_cookie(self, app: Flask, session: SecureCookieSession) -> bool:
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        signed_at = getattr(session, "signed_at", None)
        now = self._signing_for(app)[1].get_timestamp()  # the clock the idle timeout is checked with
        return signed_at is None or now - signed_at >= app.config["SESSION_REFRESH_AFTER"].total_seconds()


def init_app(app: Flask) -> None:
    app.session_interface = RefreshingSessionInterface()
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
