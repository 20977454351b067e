"""An import in two steps, for the page and the command line alike: preview, then apply the very bytes previewed.

The preview is an import job that plans the file and writes nothing. If it has
no malformed entry, the file waits under the instance folder as
``imports/<random id>.upload``, with ``<id>.json`` beside it holding its
sha256, its name, the options chosen and who previewed it (an admin, or the
command line). The id and the hash are all the second step carries: "Apply"
accepts nothing but a well-formed id that names a waiting file of the same
person, not older than ``IMPORT_UPLOAD_MAX_AGE`` seconds, whose bytes still
have that hash. Claiming takes the file away (so a second click finds
nothing); an apply that the database refused as busy, or that failed or was
cancelled, puts the file back so that it can be applied again. Files never
applied are removed once they are older than the limit.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from ..errors import ServiceError
from ..models import ImportJob, User
from .import_jobs import create_job
from .import_plan import ImportReport
from .import_workers import ImportsBusy, import_workers

__all__ = [
    "DEFAULT_MAX_AGE",
    "PendingImports",
    "PendingUpload",
    "StartedImport",
    "UploadUnavailable",
    "apply_import",
    "cancel_import",
    "describe_upload",
    "import_at_once",
    "pending_imports",
    "preview_import",
]

DEFAULT_MAX_AGE = 3600  # seconds an uploaded file waits for "Apply"
UPLOAD_ID = re.compile(r"[0-9a-f]{32}")
SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass
class PendingUpload:
    """A file waiting between the dry run and "Apply", and how to read it. ``user_id`` None: the command line."""

    upload_id: str
    sha256: str
    filename: str
    fmt: str | None
    mapping: str
    direction: str | None
    status: str
    user_id: int | None
    created: float

    def job_options(self) -> dict[str, Any]:
        """What an import job needs to read the file and to create concepts."""
        return {"fmt": self.fmt, "mapping": self.mapping, "direction": self.direction,
                "default_status": self.status, "upload_id": self.upload_id}  # fmt: skip


class UploadUnavailable(ServiceError):
    """The id given to apply names no file that may be applied; ``status`` is the HTTP answer."""

    status = 404
    code = "not_found"


def describe_upload(
    raw: bytes,
    filename: str,
    actor: User | None,
    *,
    fmt: str | None = None,
    mapping: str = "",
    direction: str | None = None,
    status: str = "approved",
) -> PendingUpload:
    """A new description for a file about to be previewed: a fresh id, its hash, the options chosen."""
    return PendingUpload(
        upload_id=secrets.token_hex(16),
        sha256=hashlib.sha256(raw).hexdigest(),
        filename=Path(filename or "upload").name[:200],
        fmt=fmt or None,
        mapping=(mapping or "").strip(),
        direction=direction or None,
        status=status,
        user_id=actor.id if actor is not None else None,
        created=time.time(),
    )


def _not_yours(pending: PendingUpload, user_id: int | None) -> UploadUnavailable:
    if pending.user_id is None:
        message = f"This import was previewed from the command line; apply it there: import --apply {pending.upload_id}"
    elif user_id is None:
        message = "This import was previewed on the import page; apply it there."
    else:
        message = "This import was uploaded by another admin. Preview the file yourself."
    return UploadUnavailable(message, status=403, code="forbidden")


class PendingImports:
    """The waiting files of one instance folder."""

    def __init__(self, instance_path: str | Path, max_age: int) -> None:
        self.folder = Path(instance_path) / "imports"
        self.max_age = max_age

    def expire(self) -> int:
        """Delete files left by imports never applied (and by any that crashed); how many were removed."""
        if not self.folder.is_dir():
            return 0
        deadline, removed = time.time() - self.max_age, 0
        for path in self.folder.iterdir():
            try:
                if path.stat().st_mtime < deadline:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                pass  # another request removed it first
        return removed

    def store(self, raw: bytes, pending: PendingUpload) -> str:
        """Keep the file until it is applied, cancelled or too old; its id."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.expire()
        (self.folder / f"{pending.upload_id}.upload").write_bytes(raw)
        # The description is written last: a file without one is never applied.
        (self.folder / f"{pending.upload_id}.json").write_text(json.dumps(asdict(pending)), encoding="utf-8")
        return pending.upload_id

    def waiting(self, upload_id: str) -> PendingUpload | None:
        """The description of a file waiting under this id (None if there is none)."""
        if not UPLOAD_ID.fullmatch(upload_id):
            return None
        try:
            return PendingUpload(**json.loads((self.folder / f"{upload_id}.json").read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None

    def is_waiting(self, upload_id: str) -> bool:
        return bool(UPLOAD_ID.fullmatch(upload_id)) and (self.folder / f"{upload_id}.json").is_file()

    def claim(self, upload_id: str, sha256: str, user_id: int | None) -> tuple[PendingUpload, bytes]:
        """Take a waiting file for applying: it and its description are gone afterwards."""
        if not UPLOAD_ID.fullmatch(upload_id) or not SHA256.fullmatch(sha256):
            raise UploadUnavailable("This import is not one of ours. Preview the file again.", status=400,
                                    code="bad_request")  # fmt: skip
        description, stored = self.folder / f"{upload_id}.json", self.folder / f"{upload_id}.upload"
        unknown = UploadUnavailable("This import is unknown or was already applied. Preview the file again.")
        pending = self.waiting(upload_id)
        if pending is None:
            raise unknown
        if pending.user_id != user_id:
            raise _not_yours(pending, user_id)
        if sha256 != pending.sha256:
            raise UploadUnavailable("This is not the file that was previewed. Preview the file again.", status=409,
                                    code="conflict")  # fmt: skip
        claimed = self.folder / f"{upload_id}.applying"
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
        if time.time() - pending.created > self.max_age:
            minutes = self.max_age // 60
            raise UploadUnavailable(
                f"This import has expired (files wait {minutes} minutes). Preview the file again.",
                status=410,
                code="expired",
            )
        if hashlib.sha256(raw).hexdigest() != pending.sha256:
            raise UploadUnavailable("The stored file has changed since the preview. Preview the file again.",
                                    status=409, code="conflict")  # fmt: skip
        return pending, raw

    def cancel(self, upload_id: str, user_id: int | None) -> bool:
        """Forget a waiting file (True), or say there was none (False); someone else's is refused."""
        pending = self.waiting(upload_id)
        if pending is None:
            return False
        if pending.user_id != user_id:
            raise _not_yours(pending, user_id)
        removed = False
        for suffix in (".json", ".upload"):  # the description first: a file without one is never applied
            try:
                (self.folder / f"{upload_id}{suffix}").unlink()
                removed = True
            except FileNotFoundError:
                pass
        return removed


def pending_imports(app: Flask) -> PendingImports:
    """The app's waiting files: under its instance folder, kept ``IMPORT_UPLOAD_MAX_AGE`` seconds."""
    return PendingImports(app.instance_path, int(app.config.get("IMPORT_UPLOAD_MAX_AGE", DEFAULT_MAX_AGE)))


@dataclass
class StartedImport:
    """An import job started: its id, and its report if it ran here and ended with one."""

    job_id: int
    report: ImportReport | None
    background: bool
    upload_id: str | None = None  # the file now waiting for "Apply" (a preview without errors that ran here)


def preview_import(
    session: Session,
    app: Flask,
    raw: bytes,
    pending: PendingUpload,
    actor: User | None,
    *,
    inline_max_bytes: int | None = None,
    progress: Callable[[ImportJob], None] | None = None,
) -> StartedImport:
    """The dry run: plan the file, write nothing but the job's report; a file without errors then waits.

    A file of more than ``inline_max_bytes`` runs in a worker thread (the page
    follows it, and the job stops when its page is gone); any other (every
    file, with None) runs here, and a file that cannot be read raises ``FormatError``.
    """
    return _run(session, app, "preview", raw, pending, actor, inline_max_bytes, progress)


def apply_import(
    session: Session,
    app: Flask,
    upload_id: str,
    sha256: str,
    actor: User | None,
    *,
    inline_max_bytes: int | None = None,
    progress: Callable[[ImportJob], None] | None = None,
) -> StartedImport:
    """Import exactly the bytes previewed under ``upload_id`` (``UploadUnavailable`` if they cannot be).

    Whatever stops the import before it is finished (busy, failed, cancelled,
    no free worker) puts the file back, so the same apply can be tried again.
    """
    store = pending_imports(app)
    pending, raw = store.claim(upload_id, sha256, actor.id if actor is not None else None)
    try:
        return _run(session, app, "apply", raw, pending, actor, inline_max_bytes, progress)
    except BaseException:
        session.rollback()
        if not store.is_waiting(pending.upload_id):  # the job's own end may have put it back already
            store.store(raw, pending)
        raise


def import_at_once(
    session: Session,
    app: Flask,
    raw: bytes,
    pending: PendingUpload,
    actor: User | None,
    *,
    progress: Callable[[ImportJob], None] | None = None,
) -> StartedImport:
    """Both steps in one (the command line without ``--dry-run``): the apply job plans the file and
    imports it whole, or nothing if it has a malformed entry; the file is not kept either way."""
    return _run(session, app, "apply", raw, pending, actor, None, progress, keep=False)


def cancel_import(app: Flask, upload_id: str, actor: User | None) -> bool:
    """Forget a previewed file without applying it (False if none waits under that id)."""
    return pending_imports(app).cancel(upload_id, actor.id if actor is not None else None)


def _run(
    session: Session,
    app: Flask,
    kind: str,
    raw: bytes,
    pending: PendingUpload,
    actor: User | None,
    inline_max_bytes: int | None,
    progress: Callable[[ImportJob], None] | None,
    keep: bool = True,
) -> StartedImport:
    """Create the job and run it here or in a worker thread, keeping or giving back the file at its end."""
    workers, store = import_workers(app), pending_imports(app)
    background = inline_max_bytes is not None and len(raw) > inline_max_bytes
    job = create_job(session, kind=kind, filename=pending.filename, sha256=pending.sha256,
                     options=pending.job_options(), actor=actor, watched=background,
                     worker=workers.worker_id)  # fmt: skip
    session.commit()
    job_id = job.id
    kept: list[str] = []

    def after(finished: ImportJob) -> None:
        # A preview that may be applied keeps its file; an apply that did not finish gives it back.
        if keep and ((kind == "preview" and finished.ok) or (kind == "apply" and finished.status != "finished")):
            kept.append(store.store(raw, pending))

    if background:
        try:
            workers.start(job_id, raw, on_finished=after)
        except ImportsBusy as exc:
            job.status, job.error, job.phase = "failed", exc.message, "done"
            session.commit()
            raise
        return StartedImport(job_id, None, background=True)
    report = workers.run_here(job_id, raw, progress=progress, on_finished=after, reraise=True)
    return StartedImport(job_id, report, background=False, upload_id=kept[0] if kind == "preview" and kept else None)
