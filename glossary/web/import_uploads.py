"""A previewed import file waiting for "Apply": stored under the instance folder, claimed once.

After a preview the file waits as ``imports/<random id>.upload`` with a
``<id>.json`` beside it holding its sha256, its name, the options chosen and
who uploaded it; the page carries only the id and the hash. "Apply" accepts
nothing but a well-formed id that names a waiting file of the same admin, not
older than ``IMPORT_UPLOAD_MAX_AGE`` seconds, whose bytes still have that
hash; claiming takes the file away (so a second click finds nothing). An
apply that the database refused as busy, or that failed or was cancelled,
puts the file back so that "Apply" can be pressed again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

DEFAULT_MAX_AGE = 3600  # seconds an uploaded file waits for "Apply"
UPLOAD_ID = re.compile(r"[0-9a-f]{32}")
SHA256 = re.compile(r"[0-9a-f]{64}")


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

    def job_options(self) -> dict[str, Any]:
        """What an import job needs to read the file and to create concepts."""
        return {"fmt": self.fmt, "mapping": self.mapping, "direction": self.direction,
                "default_status": self.status, "upload_id": self.upload_id}  # fmt: skip


class UploadUnavailable(Exception):
    """The id on an "Apply" form names no file that may be applied; ``status`` is the HTTP answer."""

    def __init__(self, message: str, status: int = 404) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class UploadFolder:
    """The waiting files of one instance folder."""

    def __init__(self, instance_path: str, max_age: int) -> None:
        self.folder = Path(instance_path) / "imports"
        self.max_age = max_age

    def _remove_stale(self) -> None:
        """Delete files left by imports never applied (and by any that crashed)."""
        deadline = time.time() - self.max_age
        for path in self.folder.iterdir():
            try:
                if path.stat().st_mtime < deadline:
                    path.unlink()
            except FileNotFoundError:
                pass  # another request removed it first

    def store(self, raw: bytes, pending: PendingUpload) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._remove_stale()
        (self.folder / f"{pending.upload_id}.upload").write_bytes(raw)
        # The description is written last: a file without one is never applied.
        (self.folder / f"{pending.upload_id}.json").write_text(json.dumps(asdict(pending)), encoding="utf-8")

    def is_waiting(self, upload_id: str) -> bool:
        return bool(UPLOAD_ID.fullmatch(upload_id)) and (self.folder / f"{upload_id}.json").is_file()

    def claim(self, upload_id: str, sha256: str, user_id: int) -> tuple[PendingUpload, bytes]:
        """Take a waiting file for applying: it and its description are gone afterwards."""
        if not UPLOAD_ID.fullmatch(upload_id) or not SHA256.fullmatch(sha256):
            raise UploadUnavailable("This import is not one of ours. Upload the file again.", 400)
        description, stored = self.folder / f"{upload_id}.json", self.folder / f"{upload_id}.upload"
        unknown = UploadUnavailable("This import is unknown or was already applied. Upload the file again.")
        try:
            pending = PendingUpload(**json.loads(description.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            raise unknown from None
        if pending.user_id != user_id:
            raise UploadUnavailable("This import was uploaded by another admin. Upload the file yourself.", 403)
        if sha256 != pending.sha256:
            raise UploadUnavailable("This is not the file that was previewed. Upload the file again.", 409)
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
                f"This import has expired (files wait {minutes} minutes). Upload the file again.", 410
            )
        if hashlib.sha256(raw).hexdigest() != pending.sha256:
            raise UploadUnavailable("The stored file has changed since the preview. Upload the file again.", 409)
        return pending, raw
