"""The default configuration classes, inside the package so an installed app runs anywhere.

A deployment overrides them in the root config.py; pick a class with FLASK_CONFIG or pass it to
create_app()."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
INSTANCE_DIR = BASE_DIR / "instance"


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres://"):  # Heroku-style URLs name no driver
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    return url or f"sqlite:///{INSTANCE_DIR / 'licensing.db'}"


def _instance_secret(name: str) -> str:
    """A random secret kept in instance/ (git-ignored), made on first use: development never uses a known
    key."""
    path = INSTANCE_DIR / name
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


class Config:
    SECRET_KEY: str | None = None
    # Keys the audit hash chain; kept outside the database (environment or instance/), never in it.
    AUDIT_HMAC_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    SESSION_COOKIE_NAME = "__Host-session"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(0)
    # Idle timeout: the signed session dies after this long unused. A request re-signs it when its signature
    # is SESSION_REFRESH_AFTER old (or it changed), so it may end that much sooner after the last request.
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=30)
    SESSION_REFRESH_EACH_REQUEST = True
    SESSION_REFRESH_AFTER = timedelta(minutes=1)
    # Absolute timeout: a sign-in lasts at most this long, however active.
    SESSION_ABSOLUTE_LIFETIME = timedelta(hours=10)
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024
    # Who runs an import committed on the page: "thread" (one per job, in the web process), "inline" (in the
    # request, for tests) or "queue" (left for `flask imports work`).
    IMPORT_WORKER = "thread"
    # A running import job marks itself alive this often; one silent for the timeout (its process died, and
    # its transaction with it) is queued again by the next worker.
    IMPORT_HEARTBEAT_SECONDS = 10
    IMPORT_JOB_TIMEOUT_SECONDS = 120

    WTF_CSRF_TIME_LIMIT = 3600
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCKOUT = timedelta(minutes=15)
    SETUP_LINK_LIFETIME = timedelta(hours=72)
    # How long a stated reason to view one person lasts before it must be given again.
    PERSON_ACCESS_LIFETIME = timedelta(minutes=30)
    PAGE_SIZE = 25
    # A search's reason opens at most this many of its results; the rest ask again (bounds access_grants).
    ACCESS_GRANTS_PER_SEARCH = 50

    # The JSON API's own limit and token lifetime (its storage is RATELIMIT_STORAGE_URI below).
    API_RATE_LIMIT = "300 per minute"
    API_TOKEN_DAYS = 90

    # Retention rules (licensing/retention): NR3S-style decisions 11 years from the decision; licensing files
    # (licences, badges) 7 years after they end; complaints by each authority's policy
    # (authorities.complaint_retention_years), else this default; police items at their MoPI review date.
    RETENTION_DECISION_YEARS = 11
    RETENTION_LICENSING_FILE_YEARS = 7
    RETENTION_COMPLAINT_YEARS = 6
    # A retained council record comes back for review within this many years (police items: 12 months).
    RETENTION_MAX_RETAIN_YEARS = 5

    # Identity-matching thresholds (match probability), justified by bench/match_quality.py.
    MATCH_AUTO_LINK_THRESHOLD = 0.999
    MATCH_REVIEW_THRESHOLD = 0.5
    # A loose blocking key (two names with the birth year, a postcode with a name) held by more records
    # than this fetches no link candidates: that common, it is not evidence (people.identity.linking_keys).
    # Such keys can only propose review items (an automatic link needs an identifier or the exact date of
    # birth, whose keys are always used). At 1,000,000 synthetic records the two-names-and-year blocks give
    # 95 million pairs uncapped, 19 million capped at 100 and 5 million at 20 (bench/results/import_round6).
    MATCH_MAX_KEY_HOLDERS = 20

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
    # Behind a reverse proxy, how many proxies to trust for X-Forwarded-For/-Proto (0: none, the default).
    PROXY_FIX_X_FOR = int(os.environ.get("PROXY_FIX_X_FOR", "0"))
    PROXY_FIX_X_PROTO = int(os.environ.get("PROXY_FIX_X_PROTO", "0"))
    # Rate limits (Flask-Limiter). Storage must be shared by all workers: a redis:// URL in production.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_STORAGE_OPTIONS: dict = {}
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = False  # fail closed: no storage, no sign-in
    RATELIMIT_FAIL_ON_FIRST_BREACH = True
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = False
    RATELIMIT_KEY_PREFIX = "licensing"
    RATELIMIT_DEFAULT: str | None = None
    RATELIMIT_APPLICATION: str | None = None
    SIGN_IN_RATE_LIMIT = "20 per minute; 200 per hour"  # per address and, separately, per account
    BADGE_CHECK_RATE_LIMIT = "30 per minute; 300 per hour"  # per address and per account
    TWO_FACTOR_RATE_LIMIT = "10 per 5 minutes"

    # `flask seed demo` (and so `make run`) prints the demo accounts' TOTP secrets: development and tests
    # only.
    SHOW_DEMO_TOTP_SECRETS = False

    # Passwords refused outright (the demonstration password, in production).
    REFUSED_PASSWORDS: tuple[str, ...] = ()

    # Command groups that live outside the installed package ("module:object"), registered when importable:
    # the demo-data generator is for development and tests only, and does not ship.
    DEV_COMMANDS: tuple[str, ...] = ()


class DevelopmentConfig(Config):
    # The dev server is plain http on 127.0.0.1, where browsers refuse Secure and __Host- cookies.
    SESSION_COOKIE_NAME = "session"
    SESSION_COOKIE_SECURE = False
    SHOW_DEMO_TOTP_SECRETS = True
    DEV_COMMANDS = ("seed.cli:seed_cli",)
    MAIL_BACKEND = "console"  # no mail server on a developer's machine

    def __init__(self) -> None:
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or _instance_secret("secret_key")
        self.AUDIT_HMAC_KEY = os.environ.get("AUDIT_HMAC_KEY") or _instance_secret("audit_hmac_key")


class TestingConfig(Config):
    TESTING = True
    IMPORT_WORKER = "inline"
    SECRET_KEY = "test-secret"  # noqa: S105  (tests only)
    AUDIT_HMAC_KEY = "test-audit-key"
    SHOW_DEMO_TOTP_SECRETS = True
    SESSION_COOKIE_NAME = "session"
    SESSION_COOKIE_SECURE = False
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # Cheap argon2id parameters: the suite hashes many passwords; production keeps the slow defaults.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1
    # tests/conftest.py points this at the redis-server it starts; tests of the limits lower them.
    RATELIMIT_STORAGE_URI = "memory://"
    SIGN_IN_RATE_LIMIT = "10000 per minute"
    BADGE_CHECK_RATE_LIMIT = "10000 per minute"
    TWO_FACTOR_RATE_LIMIT = "10000 per minute"
    DEV_COMMANDS = ("seed.cli:seed_cli",)
    MAIL_BACKEND = "locmem"  # tests that need a real SMTP server set "smtp" and point it at aiosmtpd


class ProductionConfig(Config):
    """Refuses to start without a real secret and a real database."""

    REFUSED_PASSWORDS = ("register-demo-2026",)

    def __init__(self) -> None:
        if not os.environ.get("SECRET_KEY"):
            raise RuntimeError("SECRET_KEY must be set in production")
        if not os.environ.get("DATABASE_URL"):
            raise RuntimeError("DATABASE_URL must be set in production")
        if not os.environ.get("AUDIT_HMAC_KEY"):
            raise RuntimeError("AUDIT_HMAC_KEY must be set in production (held outside the database)")
        self.AUDIT_HMAC_KEY = os.environ["AUDIT_HMAC_KEY"]
        self.SECRET_KEY = os.environ["SECRET_KEY"]
        self.SQLALCHEMY_DATABASE_URI = _database_url()
        shared = ("redis", "valkey", "memcached", "mongodb")
        if not os.environ.get("RATELIMIT_STORAGE_URI", "").startswith(shared):
            raise RuntimeError("RATELIMIT_STORAGE_URI must name storage shared by every worker (redis://...)")
        self.RATELIMIT_STORAGE_URI = os.environ["RATELIMIT_STORAGE_URI"]
