"""Documents: upload articles (PDF, Word, Markdown, HTML, text) to mine, and the list of sources.

The page's script takes files chosen or dropped on the page, sends one file
per request and asks for JSON, to show each file's progress; without script
the form posts every file at once and the answers come back as messages on
the page.
"""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from ..extensions import db
from ..ingest import ACCEPTED_SUFFIXES
from ..services.documents import describe_read, list_sources, mine_uploads
from .access import role_required
from .forms import UploadForm

bp = Blueprint("documents", __name__)


def _wants_json() -> bool:
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


@bp.get("/documents")
@role_required("curator")
def index():
    return _page()


def _page():
    return render_template(
        "documents/index.html",
        form=UploadForm(),
        sources=list_sources(db.session),
        accept=",".join(ACCEPTED_SUFFIXES),
        describe_read=describe_read,
    )


@bp.post("/documents")
@role_required("curator")
def upload():
    files = [
        (storage.filename or "upload.txt", storage.read())
        for storage in request.files.getlist("files")
        if storage.filename
    ]
    results = mine_uploads(db.session, files, actor=current_user)
    db.session.commit()
    mined = any(result.ok for result in results)
    if _wants_json():
        return jsonify(
            {
                "results": [
                    {
                        "filename": r.filename,
                        "ok": r.ok,
                        "message": r.message,
                        "source_id": r.source_id,
                        "code": r.code,
                        "review_url": url_for("review.queue", source=r.source_id) if r.ok else None,
                    }
                    for r in results
                ]
            }
        ), 200 if mined else 422
    for result in results:
        flash(result.message, "success" if result.ok else "error")
    if not mined:
        return _page(), 422
    return redirect(url_for(".index"))
