"""Uploading articles to mine, for automation: the same mining service as the documents page."""

from __future__ import annotations

from flask import g, request

from ..errors import ServiceError
from ..extensions import db
from ..services.mining import mine_documents, read_documents
from . import bp, require_token


@bp.post("/documents")
@require_token("curator")
def upload_documents():
    """``multipart/form-data`` with one or more ``files`` (plain-text articles, any common encoding)."""
    files = [(storage.filename or "upload.txt", storage.read())
             for storage in request.files.getlist("files") if storage.filename]
    if not files:
        raise ServiceError("Send one or more plain-text files as multipart/form-data fields named `files`.",
                           code="no_files")
    report = mine_documents(db.session, read_documents(files), actor=g.api_user)
    db.session.commit()
    return {
        "files": [{"filename": f.name, "status": f.status, "candidates": f.candidates,
                   "new_candidates": f.new_candidates, "evidence": f.evidence} for f in report.files],
        "new_candidates": report.new_candidates,
        "known_candidates": report.known_candidates,
        "rejected_skipped": report.rejected_skipped,
    }
