"""Glossary files in and out: the export page (everyone) and the import page (admins).

An import takes two requests. The first parses the upload, runs the import as
a dry run and rolls it back, so the admin sees exactly what would happen. The
file then waits under the instance folder as ``imports/<random id>.upload``
with a ``<id>.json`` beside it holding its sha256, its name, the options
chosen and who uploaded it; the page carries only the id and the hash.
"Apply" accepts nothing but a well-formed id that names a waiting file of the
same admin, not older than ``IMPORT_UPLOAD_MAX_AGE`` seconds, whose bytes still
have that hash; it claims the file (so a second click finds nothing), imports
it in one transaction, commits only if the report has no errors, and deletes it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import Length

from ..extensions import db
from ..formats import DIRECTIONS, FORMATS, FormatError, ParsedGlossary, parse_glossary, parse_mapping
from ..models import CONCEPT_STATUSES
from ..services.interchange import export_file, import_glossary
from .forms import role_required

bp = Blueprint("interchange", __name__)

DEFAULT_MAX_AGE = 3600  # seconds an uploaded file waits for "Apply"
UPLOAD_ID = re.compile(r"[0-9a-f]{32}")
SHA256 = re.compile(r"[0-9a-f]{64}")
ARROWS = {"zh-en": "中文 → English", "en-zh": "English → 中文"}
# What the export page offers: one choice per file a translator may want.
EXPORTS = {
    "tbx": ("tbx", None),
    "tbx3": ("tbx3", None),
    "csv": ("csv", None),
    "tsv-zh-en": ("tsv", "zh-en"),
    "tsv-en-zh": ("tsv", "en-zh"),
    "json": ("json", None),
}


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


@dataclass
class PendingUpload:
    """A file waiting between the dry run and "Apply", and how to read it."""

    upload_id: str
    sha256: str
    filename: str
    fmt: str | None
    mapping: str
    direction: str | None
    status: str
    user_id: int
    created: float

    def parse(self, raw: bytes) -> ParsedGlossary:
        mapping = parse_mapping(self.mapping) if self.mapping else None
        return parse_glossary(raw, self.fmt, mapping, self.direction)


class UploadUnavailable(Exception):
    """The id on an "Apply" form names no file that may be applied; ``status`` is the HTTP answer."""

    def __init__(self, message: str, status: int = 404) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def _imports_folder() -> Path:
    return Path(current_app.instance_path) / "imports"


def _max_age() -> int:
    return int(current_app.config.get("IMPORT_UPLOAD_MAX_AGE", DEFAULT_MAX_AGE))


def _remove_stale(folder: Path) -> None:
    """Delete files left by imports never applied (and by any that crashed)."""
    deadline = time.time() - _max_age()
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < deadline:
                path.unlink()
        except FileNotFoundError:
            pass  # another request removed it first


def _store(raw: bytes, pending: PendingUpload) -> None:
    folder = _imports_folder()
    folder.mkdir(parents=True, exist_ok=True)
    _remove_stale(folder)
    (folder / f"{pending.upload_id}.upload").write_bytes(raw)
    # The description is written last: a file without one is never applied.
    (folder / f"{pending.upload_id}.json").write_text(json.dumps(asdict(pending)), encoding="utf-8")


def _claim(upload_id: str, sha256: str) -> tuple[PendingUpload, bytes]:
    """Take a waiting file for applying: it and its description are gone afterwards."""
    if not UPLOAD_ID.fullmatch(upload_id) or not SHA256.fullmatch(sha256):
        raise UploadUnavailable("This import is not one of ours. Upload the file again.", 400)
    folder = _imports_folder()
    description, stored = folder / f"{upload_id}.json", folder / f"{upload_id}.upload"
    unknown = UploadUnavailable("This import is unknown or was already applied. Upload the file again.")
    try:
        pending = PendingUpload(**json.loads(description.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        raise unknown from None
    if pending.user_id != current_user.id:
        raise UploadUnavailable("This import was uploaded by another admin. Upload the file yourself.", 403)
    if sha256 != pending.sha256:
        raise UploadUnavailable("This is not the file that was previewed. Upload the file again.", 409)
    claimed = folder / f"{upload_id}.applying"
    try:
        # Only one request can rename the file, so a double click applies it once.
        os.rename(stored, claimed)
    except FileNotFoundError:
        raise unknown from None
    try:
        raw = claimed.read_bytes()
    finally:
        claimed.unlink(missing_ok=True)
        description.unlink(missing_ok=True)
    if time.time() - pending.created > _max_age():
        minutes = _max_age() // 60
        raise UploadUnavailable(f"This import has expired (files wait {minutes} minutes). Upload the file again.", 410)
    if hashlib.sha256(raw).hexdigest() != pending.sha256:
        raise UploadUnavailable("The stored file has changed since the preview. Upload the file again.", 409)
    return pending, raw


def _import_page(
    form: ImportForm | None = None,
    status: int = 200,
    error: str | None = None,
    format_error: FormatError | None = None,
    filename: str | None = None,
):
    return render_template(
        "interchange/import.html", form=form or ImportForm(), error=error, format_error=format_error, filename=filename
    ), status


def _run_import(pending: PendingUpload, parsed: ParsedGlossary, dry_run: bool):
    """The dry run or the real import; commits only a real one without errors."""
    report = import_glossary(
        db.session,
        parsed.data,
        dry_run,
        lines=parsed.lines,
        actor=current_user,
        keep_ids=parsed.format == "json",
        default_status=pending.status,
    )
    if report.ok and not dry_run:
        db.session.commit()
    else:
        db.session.rollback()
    return report


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
    pending = PendingUpload(
        upload_id=secrets.token_hex(16),
        sha256=hashlib.sha256(raw).hexdigest(),
        filename=Path(upload.filename or "upload").name[:200],
        fmt=form.format.data or None,
        mapping=(form.mapping.data or "").strip(),
        direction=form.direction.data or None,
        status=form.status.data,
        user_id=current_user.id,
        created=time.time(),
    )
    try:
        parsed = pending.parse(raw)
    except FormatError as exc:
        return _import_page(form, 422, format_error=exc, filename=pending.filename)
    report = _run_import(pending, parsed, dry_run=True)
    if report.ok:
        _store(raw, pending)
    apply_form = ApplyForm(upload_id=pending.upload_id, sha256=pending.sha256)
    return render_template(
        "interchange/report.html", report=report, parsed=parsed, pending=pending, apply_form=apply_form
    ), 200 if report.ok else 422


@bp.post("/admin/import/apply")
@role_required("admin")
def apply_import():
    form = ApplyForm()
    try:
        pending, raw = _claim(form.upload_id.data or "", form.sha256.data or "")
        parsed = pending.parse(raw)
    except UploadUnavailable as exc:
        return _import_page(status=exc.status, error=exc.message)
    except FormatError as exc:  # it parsed at preview time; only a change of code could get here
        return _import_page(status=422, format_error=exc)
    report = _run_import(pending, parsed, dry_run=False)
    return render_template(
        "interchange/report.html", report=report, parsed=parsed, pending=pending, apply_form=None
    ), 200 if report.ok else 422


@bp.get("/export")
def export_page():
    form = ExportForm(request.args)
    if "format" not in request.args:
        return render_template("interchange/export.html", form=ExportForm())
    if not form.validate():
        return render_template("interchange/export.html", form=form), 400
    fmt, direction = EXPORTS[form.format.data]
    name = form.format.data if fmt != "tbx" else None
    download = export_file(db.session, fmt, direction, form.status.data or None, name=name)
    response = current_app.response_class(download.data, content_type=download.media_type)
    response.headers.set("Content-Disposition", "attachment", filename=download.filename)
    return response
