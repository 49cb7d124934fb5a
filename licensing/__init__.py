"""The licensing intelligence register: create_app() wires config, extensions, blueprints and the CLI."""

from pathlib import Path

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

REPO_ROOT = Path(__file__).resolve().parent.parent


def blueprints() -> list:
    """Every area's blueprint, in menu order."""
    from licensing.admin.views import bp as admin_bp
    from licensing.alerts.views import bp as alerts_bp
    from licensing.audit.views import bp as audit_bp
    from licensing.complaints.views import bp as complaints_bp
    from licensing.sanctions.views import bp as sanctions_bp
    from licensing.auth.views import bp as auth_bp
    from licensing.intelligence.views import bp as intelligence_bp
    from licensing.licences.views import bp as licences_bp
    from licensing.main.views import bp as main_bp
    from licensing.people.views import bp as people_bp
    from licensing.requests.views import bp as requests_bp

    return [auth_bp, main_bp, people_bp, sanctions_bp, complaints_bp, licences_bp, intelligence_bp, alerts_bp,
            requests_bp, audit_bp, admin_bp]


def create_app(config: str | type | object = "config.DevelopmentConfig", **overrides) -> Flask:
    """Build the app. Only wiring: no migrations, data loading or network calls."""
    from govuk_frontend_wtf.main import WTFormsHelpers

    from licensing import cli, errors, security
    from licensing.db import db
    from licensing.extensions import csrf, limiter, login_manager, migrate

    app = Flask(__name__, template_folder=str(REPO_ROOT / "templates"), instance_path=str(REPO_ROOT / "instance"))
    if isinstance(config, str):
        module_name, class_name = config.rsplit(".", 1)
        config = getattr(__import__(module_name, fromlist=[class_name]), class_name)
    app.config.from_object(config() if isinstance(config, type) else config)
    app.config.update(overrides)
    for key in ("SECRET_KEY", "AUDIT_HMAC_KEY"):
        if not app.config.get(key):
            raise RuntimeError(f"{key} is not set")
    app.url_map.converters["int"] = security.BoundedIntegerConverter

    app.jinja_loader = ChoiceLoader([
        FileSystemLoader(str(REPO_ROOT / "templates")),
        PrefixLoader({
            "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
            "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
        }),
    ])
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    db.init_app(app)
    migrate.init_app(app, db, directory=str(REPO_ROOT / "migrations"), render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    WTFormsHelpers(app)

    from licensing import models  # noqa: F401  (complete metadata for migrations)
    for blueprint in blueprints():
        app.register_blueprint(blueprint)

    security.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    return app
