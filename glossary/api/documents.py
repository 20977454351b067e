"""Uploading articles to mine, for automation: the same reader and mining service as the documents page.

PDF, Word (.docx), Markdown, HTML and plain text are read by :mod:`glossary.ingest`; a refused file
answers 422 naming it, with the reader's ``code`` for why, and nothing of the upload is stored.
"""

from __future__ import annotations

from flask import g, request

from ..errors import ServiceError
from ..extensions import db
from ..services.mining import UploadPolicy, mine_documents, read_uploads
from . import bp, require_token
from .representations import mining_report


@bp.post("/documents")
@require_token("curator")
def upload_documents():
    """``multipart/form-data`` with one or more ``files`` (PDF, .docx, Markdown, HTML or plain-text articles)."""
    files = [
        (storage.filename or "upload.txt", storage.read())
        for storage in request.files.getlist("files")
        if storage.filename
    ]
    if not files:
        raise ServiceError(
            "Send one or more articles (PDF, .docx, .md, .html or .txt) as multipart/form-data fields named `files`.",
            code="no_files",
        )
    # as the page: readable files are mined, refused ones reported; 422 only when none is readable
    documents, refused = read_uploads(files, UploadPolicy.EACH_FILE)
    report = mine_documents(db.session, documents, actor=g.api_user)
    db.session.commit()
    return mining_report(report, refused)
