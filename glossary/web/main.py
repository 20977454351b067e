"""The home page: the search box and its results; and the health check."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request, session
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..search import MAX_QUERY_LENGTH, search_concepts
from ..search.highlight import result_views
from ..services.concept_lists import status_counts
from .templating import SCRIPTS, preferred_script

bp = Blueprint("main", __name__)
PAGE_SIZE = 20
MAX_PAGE = 50


@bp.before_app_request
def remember_script() -> None:
    """``?script=zh-Hant`` (or ``zh-Hans``) on any page is kept for the rest of the visit."""
    chosen = request.args.get("script")
    if chosen in SCRIPTS and session.get("script", "zh-Hans") != chosen:
        session["script"] = chosen


@bp.get("/")
def index():
    """``/?q=…&script=zh-Hant&page=2``: ranked results, the matched part marked."""
    query = request.args.get("q", "").strip()[:MAX_QUERY_LENGTH]
    if "q" in request.args:  # a submitted search says, by its 繁體 box, which script it wants
        session["script"] = "zh-Hant" if request.args.get("script") == "zh-Hant" else "zh-Hans"
    script = preferred_script()
    page_number = request.args.get("page", "1")
    page_number = min(max(int(page_number), 1), MAX_PAGE) if page_number.isdigit() else 1
    if not query:
        return render_template(
            "search/index.html", query=query, script=script, results=None, counts=status_counts(db.session)
        )
    page = search_concepts(db.session, query, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE)
    pages = min(MAX_PAGE, max(1, -(-page.total // PAGE_SIZE)))
    return render_template(
        "search/index.html",
        query=query,
        script=script,
        total=page.total,
        results=result_views(page.results, query, script),
        page=page_number,
        pages=pages,
        in_query=page.in_query,
    )


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
