"""Chinese–English biomedical terminology service.

``create_app`` builds the Flask application: configuration, extensions,
blueprints, error handlers and CLI commands. Nothing here runs at import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter

from .config import check_secret_key, instance_folder, load_config
from .database import configure_connections
from .extensions import csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application; ``config`` overrides the environment (tests use it)."""
    instance = instance_folder(ROOT / "instance")
    app = Flask(
        __name__,
        instance_path=str(instance),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder="static",
    )
    app.config.update(load_config(instance))
    if config:
        app.config.update(config)
    check_secret_key(app.config, app.debug)
    app.json.sort_keys = False  # keep the documented field order in API answers
    app.json.ensure_ascii = False  # UTF-8 as is: 催产素, not \u50ac\u4ea7\u7d20
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        instance.mkdir(parents=True, exist_ok=True)
    else:
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True, **app.config["SQLALCHEMY_ENGINE_OPTIONS"]}
    from .mining.lexicon import configure_cache

    configure_cache(instance / "cache")  # the parsed CC-CEDICT: parsed once per machine, loaded in a blink after

    db.init_app(app)
    with app.app_context():
        configure_connections(db.engine, app.config)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to do that."

    # Ids in page URLs stop where the database's integers do: /concepts/99999999999 is a 404.
    app.url_map.converters["int"] = DatabaseIdConverter
    from . import models  # noqa: F401 - registers the tables with the metadata
    from .api import bp as api_bp
    from .cli import register_commands
    from .errors import register_error_handlers
    from .security import register_security_headers
    from .web import register_blueprints

    register_blueprints(app)
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)  # the API authenticates with bearer tokens, not cookies
    register_error_handlers(app)
    register_security_headers(app)
    register_commands(app)
    return app


class DatabaseIdConverter(IntegerConverter):
    """``<int:…>`` bounded by the largest id any back end can store."""

    def __init__(self, url_map: Any, *args: Any, **kwargs: Any) -> None:
        from .models import MAX_DB_INT

        kwargs.setdefault("max", MAX_DB_INT)
        super().__init__(url_map, *args, **kwargs)
