"""Glossary files in and out: the export page (everyone) and the import pages (admins).

An import takes two steps, each an import job (``services/import_jobs.py``).
The preview plans the file and writes nothing; if it has no malformed entry
the file waits for "Apply" (``services/pending_imports.py``, which the
command line uses too), which imports it whole or not at all. A small file runs inside the request and its report is the
answer; a larger one runs in a worker thread and the answer is its page,
which shows the progress (``static/import_job.js`` polls it), can cancel it,
and then shows the report, a page at a time. A job started here stops when
its page is no longer open.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import Length

from ..extensions import db
from ..formats import DIRECTIONS, FORMATS, XCS_FILE, FormatError
from ..models import CONCEPT_STATUSES, ImportJob
from ..services.import_jobs import (
    describe_progress,
    get_job,
    job_outcomes,
    note_client,
    recent_jobs,
    request_cancel,
)
from ..services.import_plan import OUTCOMES, summarize
from ..services.import_workers import import_workers
from ..services.interchange import export_file
from ..services.pending_imports import (
    StartedImport,
    UploadUnavailable,
    describe_upload,
    pending_imports,
)
from ..services.pending_imports import apply_import as apply_pending_import
from ..services.pending_imports import preview_import as preview_pending_import
from .access import role_required

bp = Blueprint("interchange", __name__)

ARROWS = {"zh-en": "中文 → English", "en-zh": "English → 中文"}
# What the export page offers: one choice per file a translator may want.
EXPORTS = {
    "tbx": ("tbx", None),
    "tbx3": ("tbx3", None),
    "xlsx": ("xlsx", None),
    "csv": ("csv", None),
    "tsv-zh-en": ("tsv", "zh-en"),
    "tsv-en-zh": ("tsv", "en-zh"),
    "json": ("json", None),
}
INLINE_MAX_BYTES = 256 * 1024  # files up to this size are imported inside the request
REPORT_PAGE_SIZE = 200  # rows of a report a page (the whole report of 30,000 rows was 9.5 MB)


def _export_label(fmt: str, direction: str | None) -> str:
    return f"{FORMATS[fmt].label}, {ARROWS[direction]}" if direction else FORMATS[fmt].label


class ExportForm(FlaskForm):
    class Meta:
        csrf = False  # a GET that only reads

    format = SelectField(
        "Format", default="tbx", choices=[SelectChoice(key, _export_label(*spec)) for key, spec in EXPORTS.items()]
    )
    status = SelectField(
        "Concepts",
        default="approved",
        choices=[
            SelectChoice("approved", "Approved only"),
            SelectChoice("draft", "Drafts only"),
            SelectChoice("", "All (for a complete backup)"),
        ],
    )
    zh_tags = SelectField(
        "Chinese language tags (TBX)",
        default="script",
        choices=[
            SelectChoice("script", "zh-Hans and zh-Hant (by script)"),
            SelectChoice("region", "zh-CN and zh-TW (for tools that want regions)"),
        ],
    )
    doctype = BooleanField("TBX 2008 with a DOCTYPE (only for a tool that asks for one)")


class ImportForm(FlaskForm):
    file = FileField("Glossary file", validators=[FileRequired("Choose a file to import.")])
    format = SelectField(
        "Format",
        default="",
        choices=[
            SelectChoice("", "Detect from the content"),
            SelectChoice("tbx", "TBX (TBX-Basic 2008 or TBX v3)"),
            SelectChoice("csv", "CSV or TSV table with a header row"),
            SelectChoice("tsv", "OmegaT glossary (tab-separated, no header)"),
            SelectChoice("json", "JSON backup"),
        ],
    )
    mapping = StringField(
        "Column mapping (CSV/TSV, optional)",
        validators=[Length(max=500)],
        description="e.g. zh=Chinese,en=English,abbr=Abbrev",
    )
    direction = SelectField(
        "OmegaT columns",
        default="",
        choices=[SelectChoice("", "Guess")] + [SelectChoice(d, ARROWS[d]) for d in DIRECTIONS],
    )
    status = SelectField(
        "Status of new concepts when the file has none",
        default="approved",
        choices=[SelectChoice(s) for s in CONCEPT_STATUSES],
    )


class ApplyForm(FlaskForm):
    upload_id = HiddenField()
    sha256 = HiddenField()


class CancelForm(FlaskForm):
    """Only the CSRF token: stopping an import is a write."""


def _inline_max_bytes() -> int:
    """Files up to this size are imported inside the request; larger ones in a worker thread."""
    return int(current_app.config.get("IMPORT_INLINE_MAX_BYTES", INLINE_MAX_BYTES))


def _import_page(
    form: ImportForm | None = None,
    status: int = 200,
    error: str | None = None,
    format_error: FormatError | None = None,
    filename: str | None = None,
):
    workers = import_workers(current_app)
    jobs = [get_job(db.session, job.id, workers) if job.active else job for job in recent_jobs(db.session)]
    return render_template(
        "interchange/import.html",
        form=form or ImportForm(),
        error=error,
        format_error=format_error,
        filename=filename,
        jobs=jobs,
    ), status


def _answer(started: StartedImport):
    """A job in a worker thread: its page (which follows it); one run here: its report."""
    if started.background:
        return redirect(url_for(".job_page", job_id=started.job_id), 303)
    db.session.expire_all()
    return _job_answer(get_job(db.session, started.job_id, import_workers(current_app)))


def _job_answer(job: ImportJob):
    """The job's page: its progress while it runs, its report (a page of it) once it has ended."""
    if job.active:
        return render_template("interchange/job.html", job=job, progress_message=describe_progress)
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    outcome = request.args.get("outcome") if request.args.get("outcome") in OUTCOMES else None
    per_page = int(current_app.config.get("IMPORT_REPORT_PAGE_SIZE", REPORT_PAGE_SIZE))
    rows, matching = job_outcomes(db.session, job.id, outcome=outcome, page=page, per_page=per_page)
    upload_id = (job.options or {}).get("upload_id", "")
    can_apply = (
        job.kind == "preview"
        and job.ok
        and job.user_id == current_user.id
        and pending_imports(current_app).is_waiting(upload_id)
    )
    apply_form = ApplyForm(upload_id=upload_id, sha256=job.sha256) if can_apply else None
    status = 200 if job.ok else 422 if job.status == "finished" else 200
    return render_template(
        "interchange/report.html",
        job=job,
        rows=rows,
        matching=matching,
        page=page,
        pages=max(1, -(-matching // per_page)),
        outcome=outcome,
        outcomes=OUTCOMES,
        apply_form=apply_form,
        summary=summarize(job.counts or {}, (job.counts or {}).get("evidence_skipped", 0)),
    ), status


@bp.get("/admin/import")
@role_required("admin")
def import_page():
    return _import_page()


@bp.post("/admin/import")
@role_required("admin")
def preview_import():
    form = ImportForm()
    if not form.validate():
        return _import_page(form, 422)
    upload = form.file.data
    raw = upload.read()
    pending = describe_upload(raw, upload.filename or "upload", current_user, fmt=form.format.data,
                              mapping=form.mapping.data or "", direction=form.direction.data,
                              status=form.status.data)  # fmt: skip
    try:
        started = preview_pending_import(
            db.session, current_app, raw, pending, current_user, inline_max_bytes=_inline_max_bytes()
        )
    except FormatError as exc:
        return _import_page(form, 422, format_error=exc, filename=pending.filename)
    return _answer(started)


@bp.post("/admin/import/apply")
@role_required("admin")
def apply_import():
    form = ApplyForm()
    upload_id, sha256 = form.upload_id.data or "", form.sha256.data or ""
    waiting = pending_imports(current_app).waiting(upload_id)
    try:
        started = apply_pending_import(
            db.session, current_app, upload_id, sha256, current_user, inline_max_bytes=_inline_max_bytes()
        )
    except UploadUnavailable as exc:
        return _import_page(status=exc.status, error=exc.message)
    except FormatError as exc:
        return _import_page(status=422, format_error=exc, filename=waiting.filename if waiting else None)
    return _answer(started)


@bp.get("/admin/import/jobs/<int:job_id>")
@role_required("admin")
def job_page(job_id: int):
    job = get_job(db.session, job_id, import_workers(current_app))
    note_client(db.session, job)
    return _job_answer(job)


@bp.get("/admin/import/jobs/<int:job_id>/progress")
@role_required("admin")
def job_progress(job_id: int):
    """What the job page's script polls: where the job is, and that the page is still open."""
    job = get_job(db.session, job_id, import_workers(current_app))
    note_client(db.session, job)
    return jsonify(
        {
            "id": job.id,
            "status": job.status,
            "phase": job.phase,
            "done": job.done,
            "total": job.total,
            "active": job.active,
            "message": describe_progress(job),
            "error": job.error,
        }
    )


@bp.post("/admin/import/jobs/<int:job_id>/cancel")
@role_required("admin")
def cancel_job(job_id: int):
    job = get_job(db.session, job_id, import_workers(current_app))
    if CancelForm().validate_on_submit() and request_cancel(db.session, job):
        db.session.commit()
        flash("Cancelling: the import stops before its next batch and leaves nothing behind.", "success")
    elif not job.active:
        flash("This import had already ended.", "error")
    return redirect(url_for(".job_page", job_id=job_id), 303)


@bp.get("/export")
def export_page():
    form = ExportForm(request.args)
    if "format" not in request.args:
        return render_template("interchange/export.html", form=ExportForm())
    if not form.validate():
        return render_template("interchange/export.html", form=form), 400
    fmt, direction = EXPORTS[form.format.data]
    download = export_file(
        db.session, fmt, direction, form.status.data or None, zh_tags=form.zh_tags.data, doctype=form.doctype.data
    )
    response = current_app.response_class(download.data, content_type=download.media_type)
    response.headers.set("Content-Disposition", "attachment", filename=download.filename)
    return response


@bp.get(f"/export/{XCS_FILE.name}")
def export_xcs():
    """The XCS our TBX 2008 files name: their data categories and languages (zh-Hans, zh-Hant…)."""
    return send_file(XCS_FILE, mimetype="application/xml", as_attachment=True, download_name=XCS_FILE.name)
