"""Uploading articles to mine, for automation: the same reader and mining service as the documents page.

PDF, Word (.docx), Markdown, HTML and plain text are read by :mod:`glossary.ingest`; a refused file
answers 422 naming it, with the reader's ``code`` for why, and nothing of the upload is stored.
"""

from __future__ import annotations

from flask import g, request

from ..errors import ServiceError
from ..extensions import db
from ..services.mining import mine_documents, read_each, refusal
from . import bp, require_token


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
    documents, refused = read_each(files)  # the page's policy: readable files are mined, refused ones reported
    if not documents:
        raise refusal(refused)
    report = mine_documents(db.session, documents, actor=g.api_user)
    db.session.commit()
    files_out = [
        {
            "filename": f.name,
            "status": f.status,
            "kind": f.kind,
            "pages": f.pages,
            "characters": f.characters,
            "candidates": f.candidates,
            "new_candidates": f.new_candidates,
            "evidence": f.evidence,
        }
        for f in report.files
    ]
    files_out += [
        {"filename": item["filename"], "status": "refused", "code": item["code"], "reason": item["reason"]}
        for item in refused
    ]
    return {
        "files": files_out,
        "new_candidates": report.new_candidates,
        "known_candidates": report.known_candidates,
        "rejected_skipped": report.rejected_skipped,
    }
