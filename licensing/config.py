"""The default configuration classes, inside the package so an installed app runs anywhere.

A deployment overrides them in the root config.py; pick a class with FLASK_CONFIG or pass it to
create_app()."""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
INSTANCE_DIR = BASE_DIR / "instance"


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres://"):  # Heroku-style URLs name no driver
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    return url or f"sqlite:///{INSTANCE_DIR / 'licensing.db'}"


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    SESSION_COOKIE_NAME = "__Host-session"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(0)
    # Idle timeout: the signed session is refreshed on each request and dies after this long unused.
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=30)
    SESSION_REFRESH_EACH_REQUEST = True
    # Absolute timeout: a sign-in lasts at most this long, however active.
    SESSION_ABSOLUTE_LIFETIME = timedelta(hours=10)
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024

    WTF_CSRF_TIME_LIMIT = 3600
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCKOUT = timedelta(minutes=15)
    # How long a stated reason to view one person lasts before it must be given again.
    PERSON_ACCESS_LIFETIME = timedelta(minutes=30)
    PAGE_SIZE = 25

    # Flask-Limiter: shared storage (Redis) in production so every worker counts together.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    API_RATE_LIMIT = "300 per minute"
    API_TOKEN_DAYS = 90

    # Identity-matching thresholds (match probability), justified by bench/match_quality.py.
    MATCH_AUTO_LINK_THRESHOLD = 0.999
    MATCH_REVIEW_THRESHOLD = 0.5

    # Notification email to authorities' shared mailboxes (Flask-Mailman over SMTP);
    # links start with SERVICE_URL.
    SERVICE_URL = os.environ.get("SERVICE_URL", "http://127.0.0.1:5000")
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "noreply@licensing-register.invalid")
    MAIL_TIMEOUT = 10

    # Command groups that live outside the installed package ("module:object"), registered when importable:
    # the demo-data generator is for development and tests only, and does not ship.
    DEV_COMMANDS: tuple[str, ...] = ()


class DevelopmentConfig(Config):
    # The dev server is plain http on 127.0.0.1, where browsers refuse Secure and __Host- cookies.
    SESSION_COOKIE_NAME = "session"
    SESSION_COOKIE_SECURE = False
    DEV_COMMANDS = ("seed.cli:seed_cli",)
    MAIL_BACKEND = "console"  # no mail server on a developer's machine


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"  # noqa: S105  (tests only)
    SESSION_COOKIE_NAME = "session"
    SESSION_COOKIE_SECURE = False
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # Cheap argon2id parameters: the suite hashes many passwords; production keeps the slow defaults.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1
    DEV_COMMANDS = ("seed.cli:seed_cli",)
    MAIL_BACKEND = "locmem"  # tests that need a real SMTP server set "smtp" and point it at aiosmtpd


class ProductionConfig(Config):
    """Refuses to start without a real secret and a real database."""

    def __init__(self) -> None:
        if not os.environ.get("SECRET_KEY"):
            raise RuntimeError("SECRET_KEY must be set in production")
        if not os.environ.get("DATABASE_URL"):
            raise RuntimeError("DATABASE_URL must be set in production")
        self.SECRET_KEY = os.environ["SECRET_KEY"]
        self.SQLALCHEMY_DATABASE_URI = _database_url()
