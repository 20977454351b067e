"""The home page with its search box, and the health check."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    query = request.args.get("q", "").strip()
    return render_template("search/index.html", query=query, results=None)


def _head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    migrate_ext = current_app.extensions["migrate"]
    config = migrate_ext.migrate.get_config(migrate_ext.directory)
    return ScriptDirectory.from_config(config).get_current_head()


@bp.get("/healthz")
def healthz():
    """Is the database reachable, and is its schema the one this code expects?"""
    body = {"status": "ok", "database": "ok", "schema_revision": None, "expected_revision": None}
    status = 200
    try:
        body["expected_revision"] = _head_revision()
        db.session.execute(text("SELECT 1"))
        try:
            body["schema_revision"] = db.session.scalar(text("SELECT version_num FROM alembic_version"))
        except SQLAlchemyError:
            db.session.rollback()
        if body["schema_revision"] != body["expected_revision"]:
            body["status"] = "degraded"
            body["message"] = "The database schema is not at the expected revision: run `flask db upgrade`."
    except SQLAlchemyError as exc:
        db.session.rollback()
        body.update(status="error", database="unreachable", message=type(exc).__name__)
        status = 503
    return jsonify(body), status
