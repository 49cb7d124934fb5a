"""The licensing intelligence register: create_app() wires config, extensions, blueprints and the CLI."""

import importlib
import importlib.util
import os
from pathlib import Path

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent


def default_config() -> str:
    """FLASK_CONFIG, else development settings: the deployment's config.py if any, else the package's."""
    if os.environ.get("FLASK_CONFIG"):
        return os.environ["FLASK_CONFIG"]
    deployment = importlib.util.find_spec("config") is not None
    return "config.DevelopmentConfig" if deployment else "licensing.config.DevelopmentConfig"


def create_app(config: str | type | object | None = None, **overrides) -> Flask:
    """Build the app. Only wiring: no migrations, data loading or network calls."""
    from govuk_frontend_wtf.main import WTFormsHelpers

    # Imported here, not at the top, so `import licensing.matching` (the pure engine) loads no Flask views.
    from licensing import (
        cli,
        errors,
        models,  # noqa: F401  (every area's models: complete metadata for migrations)
        notify,
        rendering,
        security,
    )
    from licensing.admin import views as admin
    from licensing.alerts import views as alerts
    from licensing.api import admin_views as api_tokens
    from licensing.api import views as api
    from licensing.audit import views as audit
    from licensing.auth import views as auth
    from licensing.badges import views as badges
    from licensing.complaints import views as complaints
    from licensing.db import db
    from licensing.exports import views as exports
    from licensing.extensions import csrf, limiter, login_manager, migrate
    from licensing.imports import views as imports
    from licensing.intelligence import views as intelligence
    from licensing.main import views as main
    from licensing.operators import views as operators
    from licensing.people import views as people
    from licensing.reports import views as reports
    from licensing.requests import views as requests
    from licensing.retention import views as retention
    from licensing.sanctions import views as sanctions

    app = Flask(
        __name__, template_folder=str(PACKAGE_DIR / "templates"), instance_path=str(REPO_ROOT / "instance")
    )
    rendering.use_environment(app)
    config = default_config() if config is None else config
    if isinstance(config, str):
        module_name, class_name = config.rsplit(".", 1)
        config = getattr(importlib.import_module(module_name), class_name)
    app.config.from_object(config() if isinstance(config, type) else config)
    app.config.update(overrides)
    for key in ("SECRET_KEY", "AUDIT_HMAC_KEY"):
        if not app.config.get(key):
            raise RuntimeError(f"{key} is not set")
    app.url_map.converters["int"] = security.BoundedIntegerConverter

    app.jinja_loader = ChoiceLoader([
        FileSystemLoader(str(PACKAGE_DIR / "templates")),
        PrefixLoader({
            "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
            "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
        }),
    ])
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(PACKAGE_DIR / "migrations"), render_as_batch=True, compare_type=True
    )
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    WTFormsHelpers(app)
    rendering.init_app(app)

    # Each area's blueprint declares its menu entries (NAV_ITEMS); the menu lists them in this order.
    app.extensions["navigation"] = []
    for area in (
        auth,
        main,
        people,
        sanctions,
        complaints,
        badges,
        intelligence,
        alerts,
        requests,
        operators,
        reports,
        admin,
        audit,
        retention,
        imports,
        exports,
        api,
        api_tokens,
    ):
        app.register_blueprint(area.bp)
        app.extensions["navigation"] += getattr(area, "NAV_ITEMS", [])

    security.init_app(app)
    notify.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    return app
